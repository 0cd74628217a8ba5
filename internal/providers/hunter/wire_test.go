package hunter_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/hunter"
)

// decodeStrict decodes a documented example with unknown fields refused, so
// a misspelt json tag fails here instead of silently dropping a field.
func decodeStrict(t *testing.T, name string, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(readFile(t, name)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestDocumentedExamplesRoundTrip decodes each example of Hunter's
// documentation strictly and encodes it back: the same JSON must come out,
// nulls included, so that a fake built on these types answers as Hunter.
func TestDocumentedExamplesRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		v    any
	}{
		{"domain_search.json", &hunter.DomainSearchResponse{}},
		{"email_finder.json", &hunter.EmailFinderResponse{}},
		{"email_verifier.json", &hunter.EmailVerifierResponse{}},
		{"error_wrong_params.json", &hunter.ErrorResponse{}},
		{"error_claimed_email.json", &hunter.ErrorResponse{}},
	}
	for _, tt := range tests {
		decodeStrict(t, tt.file, tt.v)
		got, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		var want, back any
		if err := json.Unmarshal(readFile(t, tt.file), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		w, _ := json.Marshal(want)
		b, _ := json.Marshal(back)
		if !bytes.Equal(w, b) {
			t.Errorf("%s round trip:\n got %s\nwant %s", tt.file, b, w)
		}
	}
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
