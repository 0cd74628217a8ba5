package googleplaces_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/googleapi"
	"github.com/prospectorhq/prospector/internal/providers/googleplaces"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

func TestDocumentedResponseDecodes(t *testing.T) {
	t.Parallel()
	var resp googleplaces.SearchTextResponse
	providerstest.DecodeStrict(t, "searchtext_response.json", &resp)
	if len(resp.Places) != 1 || resp.NextPageToken != "AeeoHcL-opaque" {
		t.Fatalf("decoded %+v", resp)
	}
	p := resp.Places[0]
	checks := []struct{ field, got, want string }{
		{"id", p.ID, "ChIJN1t_tDeuEmsRUsoyG83frY4"},
		{"displayName", p.Name(), "Lone Star Plumbing Co."},
		{"nationalPhoneNumber", p.NationalPhoneNumber, "(512) 555-0142"},
		{"internationalPhoneNumber", p.InternationalPhoneNumber, "+1 512-555-0142"},
		{"websiteUri", p.WebsiteURI, "https://lonestarplumbing.example.com/"},
		{"businessStatus", p.BusinessStatus, googleplaces.StatusOperational},
		{"primaryType", p.PrimaryType, "plumber"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if p.Rating != 4.7 || p.UserRatingCount != 318 || p.Location == nil || p.Location.Latitude != 30.2649 {
		t.Errorf("numbers = %v %v %+v", p.Rating, p.UserRatingCount, p.Location)
	}
	if long, short, ok := p.Component("route"); !ok || long != "East 6th Street" || short != "E 6th St" {
		t.Errorf("route = %q %q %v", long, short, ok)
	}
	if _, _, ok := p.Component("subpremise"); ok {
		t.Error("found a component that is not there")
	}
}

func TestDocumentedErrorDecodes(t *testing.T) {
	t.Parallel()
	var env googleapi.ErrorResponse
	providerstest.DecodeStrict(t, "error_api_key_invalid.json", &env)
	if env.Error.Status != "INVALID_ARGUMENT" || len(env.Error.Details) != 1 || env.Error.Details[0].Reason != "API_KEY_INVALID" {
		t.Errorf("decoded %+v", env)
	}
}

func TestRequestEncodesAsDocumented(t *testing.T) {
	t.Parallel()
	req := googleplaces.SearchTextRequest{
		TextQuery: "plumber in Austin, TX",
		PageSize:  20,
		LocationBias: &googleplaces.LocationBias{Circle: &googleplaces.Circle{
			Center: googleplaces.LatLng{Latitude: 30.2672, Longitude: -97.7431}, Radius: 30000,
		}},
		IncludePureServiceAreaBusinesses: true,
	}
	got, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	want := providerstest.Testdata(t, "searchtext_request.json")
	if string(got) != string(bytes.TrimSpace(want)) {
		t.Errorf("request =\n%s\nwant\n%s", got, want)
	}
}
