package hunter_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/hunter"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

// TestDocumentedExamplesRoundTrip decodes each example of Hunter's
// documentation strictly and encodes it back: the same JSON must come out,
// nulls included, so that a fake built on these types answers as Hunter.
func TestDocumentedExamplesRoundTrip(t *testing.T) {
	t.Parallel()
	providerstest.RoundTrip(t, "domain_search.json", &hunter.DomainSearchResponse{})
	providerstest.RoundTrip(t, "email_finder.json", &hunter.EmailFinderResponse{})
	providerstest.RoundTrip(t, "email_verifier.json", &hunter.EmailVerifierResponse{})
	providerstest.RoundTrip(t, "error_wrong_params.json", &hunter.ErrorResponse{})
	providerstest.RoundTrip(t, "error_claimed_email.json", &hunter.ErrorResponse{})
}

func TestNullString(t *testing.T) {
	t.Parallel()
	var v struct {
		A hunter.NullString `json:"a"`
		B hunter.NullString `json:"b"`
		C hunter.NullString `json:"c,omitempty"`
	}
	if err := json.Unmarshal([]byte(`{"a":null,"b":"x","c":"y"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "" || v.B != "x" || v.C != "y" {
		t.Errorf("decoded %+v", v)
	}
	v.C = ""
	out, _ := json.Marshal(v)
	if string(out) != `{"a":null,"b":"x"}` {
		t.Errorf("encoded %s", out)
	}
	if err := json.Unmarshal([]byte(`{"a":1}`), &v); err == nil || !strings.Contains(err.Error(), "string") {
		t.Errorf("a number decoded as a NullString: %v", err)
	}
}
