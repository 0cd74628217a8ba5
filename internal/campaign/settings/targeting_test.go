package settings

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
)

func TestParseTargetingDefaults(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "  ", "null", "{}"} {
		fields := apperr.Fields{}
		got := ParseTargeting(json.RawMessage(raw), fields)
		if len(fields) != 0 {
			t.Errorf("%q: fields %v, want none", raw, fields)
		}
		if got.MaxResults != DefaultMaxResults || !slices.Equal(got.TiersForOutreach, []string{"A", "B"}) {
			t.Errorf("%q: max_results %d, tiers %v; want %d and [A B]", raw, got.MaxResults, got.TiersForOutreach, DefaultMaxResults)
		}
		if !got.WantsDiscovery() || got.SourcesGiven() || !slices.Equal(got.DiscoverySources(), []string{"google_maps", "yelp", "osm"}) {
			t.Errorf("%q: discovery %v, sources given %v, sources %v; want every source", raw, got.WantsDiscovery(), got.SourcesGiven(), got.DiscoverySources())
		}
		if !slices.Equal(got.Delays(), []int{0, 3, 7}) || !got.DraftsFor("A") || !got.DraftsFor("B") || got.DraftsFor("C") {
			t.Errorf("%q: delays %v, drafts for A/B/C %v/%v/%v", raw, got.Delays(), got.DraftsFor("A"), got.DraftsFor("B"), got.DraftsFor("C"))
		}
		if got.MinReviews != nil || got.MinRating != nil || got.MaxWebsiteScore != nil || got.ScoreWeights != nil || got.TierThresholds != nil || got.Industries != nil {
			t.Errorf("%q: optional keys set: %+v", raw, got)
		}
	}
}

func TestParseTargetingValues(t *testing.T) {
	t.Parallel()
	fields := apperr.Fields{}
	got := ParseTargeting(json.RawMessage(`{"max_results": 250, "sources": ["osm", "google_maps", "osm"], "min_reviews": 5,
		"min_rating": 4.5, "max_website_score": 60, "industries": [" plumbing ", "hvac"], "tiers_for_outreach": ["A"],
		"score_weights": {"contact_quality": 3, "review_strength": 1}, "tier_thresholds": {"a": 80, "b": 50},
		"sequence_delays": [0, 2, 9]}`), fields)
	if len(fields) != 0 {
		t.Fatalf("fields %v, want none", fields)
	}
	want := Targeting{MaxResults: 250, Sources: []string{"osm", "google_maps"}, MinReviews: new(5), MinRating: new(4.5),
		MaxWebsiteScore: new(60), Industries: []string{"plumbing", "hvac"}, TiersForOutreach: []string{"A"},
		ScoreWeights: &Weights{ContactQuality: 0.75, ReviewStrength: 0.25}, TierThresholds: &Thresholds{A: 80, B: 50},
		SequenceDelays: []int{0, 2, 9}, sourcesSet: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// Sources run in their fixed order, whatever order the user gave.
	if !slices.Equal(got.DiscoverySources(), []string{"google_maps", "osm"}) {
		t.Errorf("discovery sources %v, want [google_maps osm]", got.DiscoverySources())
	}
	if !slices.Equal(got.Delays(), []int{0, 2, 9}) || !got.DraftsFor("A") || got.DraftsFor("B") {
		t.Errorf("delays %v, drafts for A %v, B %v", got.Delays(), got.DraftsFor("A"), got.DraftsFor("B"))
	}
}

// The whole-number keys tell the user their range, or that a whole number
// is wanted.
func TestParseTargetingNumberMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, field, want string
	}{
		{`{"max_results": 0}`, "target_criteria.max_results", "must be from 1 to 5000"},
		{`{"max_results": 2.5}`, "target_criteria.max_results", "must be a whole number"},
		{`{"min_reviews": -1}`, "target_criteria.min_reviews", "must be 0 or more"},
		{`{"min_reviews": 1000001}`, "target_criteria.min_reviews", "must be 0 or more"},
		{`{"max_website_score": 101}`, "target_criteria.max_website_score", "must be from 0 to 100"},
		{`{"max_website_score": "x"}`, "target_criteria.max_website_score", "must be a whole number"},
	}
	for _, tt := range tests {
		fields := apperr.Fields{}
		ParseTargeting(json.RawMessage(tt.raw), fields)
		if got := fields[tt.field]; got != tt.want || len(fields) != 1 {
			t.Errorf("%s: fields %v, want %s: %q", tt.raw, fields, tt.field, tt.want)
		}
	}
}

// Every key's bad values are reported under that key, and a bad key keeps
// its default in the result.
func TestParseTargetingBadValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw, field string
	}{
		{"not an object", `[1]`, "target_criteria"},
		{"not JSON", `{`, "target_criteria"},
		{"unknown key", `{"budget": 5}`, "target_criteria.budget"},
		{"max_results zero", `{"max_results": 0}`, "target_criteria.max_results"},
		{"max_results too many", `{"max_results": 5001}`, "target_criteria.max_results"},
		{"max_results fraction", `{"max_results": 2.5}`, "target_criteria.max_results"},
		{"max_results string", `{"max_results": "10"}`, "target_criteria.max_results"},
		{"max_results null", `{"max_results": null}`, "target_criteria.max_results"},
		{"sources unknown", `{"sources": ["bing"]}`, "target_criteria.sources"},
		{"sources not a list", `{"sources": "yelp"}`, "target_criteria.sources"},
		{"sources null", `{"sources": null}`, "target_criteria.sources"},
		{"min_reviews negative", `{"min_reviews": -1}`, "target_criteria.min_reviews"},
		{"min_reviews fraction", `{"min_reviews": 1.5}`, "target_criteria.min_reviews"},
		{"min_rating too high", `{"min_rating": 6}`, "target_criteria.min_rating"},
		{"min_rating negative", `{"min_rating": -0.5}`, "target_criteria.min_rating"},
		{"min_rating string", `{"min_rating": "x"}`, "target_criteria.min_rating"},
		{"max_website_score too high", `{"max_website_score": 101}`, "target_criteria.max_website_score"},
		{"max_website_score negative", `{"max_website_score": -1}`, "target_criteria.max_website_score"},
		{"industries not strings", `{"industries": [1]}`, "target_criteria.industries"},
		{"industries empty entry", `{"industries": ["  "]}`, "target_criteria.industries"},
		{"industries entry too long", `{"industries": ["` + strings.Repeat("x", 101) + `"]}`, "target_criteria.industries"},
		{"industries too many", `{"industries": [` + strings.TrimSuffix(strings.Repeat(`"x",`, 51), ",") + `]}`, "target_criteria.industries"},
		{"tiers unknown", `{"tiers_for_outreach": ["D"]}`, "target_criteria.tiers_for_outreach"},
		{"tiers null", `{"tiers_for_outreach": null}`, "target_criteria.tiers_for_outreach"},
		{"weights negative", `{"score_weights": {"contact_quality": -1}}`, "target_criteria.score_weights"},
		{"weights unknown key", `{"score_weights": {"contact_qualty": 1}}`, "target_criteria.score_weights"},
		{"thresholds unknown key", `{"tier_thresholds": {"a": 70, "c": 10}}`, "target_criteria.tier_thresholds"},
		{"thresholds A not above B", `{"tier_thresholds": {"a": 40, "b": 50}}`, "target_criteria.tier_thresholds"},
		{"thresholds out of range", `{"tier_thresholds": {"a": 200, "b": 50}}`, "target_criteria.tier_thresholds"},
		{"thresholds null", `{"tier_thresholds": null}`, "target_criteria.tier_thresholds"},
		{"delays empty", `{"sequence_delays": []}`, "target_criteria.sequence_delays"},
		{"delays too many", `{"sequence_delays": [0, 1, 2, 3, 4, 5]}`, "target_criteria.sequence_delays"},
		{"delays not starting at 0", `{"sequence_delays": [1, 3]}`, "target_criteria.sequence_delays"},
		{"delays not increasing", `{"sequence_delays": [0, 3, 3]}`, "target_criteria.sequence_delays"},
		{"delays too late", `{"sequence_delays": [0, 61]}`, "target_criteria.sequence_delays"},
		{"delays fraction", `{"sequence_delays": [0, 1.5]}`, "target_criteria.sequence_delays"},
		{"delays not a list", `{"sequence_delays": 3}`, "target_criteria.sequence_delays"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fields := apperr.Fields{}
			got := ParseTargeting(json.RawMessage(tt.raw), fields)
			if len(fields) != 1 || fields[tt.field] == "" {
				t.Fatalf("fields %v, want one problem under %s", fields, tt.field)
			}
			if fields.Err() == nil || apperr.CodeOf(fields.Err()) != apperr.CodeValidation {
				t.Errorf("fields.Err() = %v, want a validation error", fields.Err())
			}
			defaults := ParseTargeting(nil, apperr.Fields{})
			if !reflect.DeepEqual(got, defaults) {
				t.Errorf("a bad key changed the result: %+v, want the defaults %+v", got, defaults)
			}
		})
	}
}

// Several bad keys are all reported at once.
func TestParseTargetingSeveralBadKeys(t *testing.T) {
	t.Parallel()
	fields := apperr.Fields{}
	ParseTargeting(json.RawMessage(`{"min_rating": "x", "max_results": -5, "budget": 1}`), fields)
	for _, k := range []string{"target_criteria.min_rating", "target_criteria.max_results", "target_criteria.budget"} {
		if fields[k] == "" {
			t.Errorf("no problem reported under %s: %v", k, fields)
		}
	}
}

// An explicit empty sources list means import only: no discovery, and it
// stays explicit when stored.
func TestExplicitEmptySources(t *testing.T) {
	t.Parallel()
	fields := apperr.Fields{}
	got := ParseTargeting(json.RawMessage(`{"sources": []}`), fields)
	if len(fields) != 0 || got.WantsDiscovery() || !got.SourcesGiven() || len(got.DiscoverySources()) != 0 {
		t.Fatalf("fields %v, wants discovery %v, given %v, sources %v; want no discovery", fields, got.WantsDiscovery(), got.SourcesGiven(), got.DiscoverySources())
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"sources":[]`) {
		t.Errorf("stored as %s, want an explicit empty sources list", b)
	}
	if StoredTargeting(b).WantsDiscovery() {
		t.Errorf("read back from %s as wanting discovery", b)
	}
	// No sources key at all is every source.
	if !StoredTargeting(json.RawMessage(`{"max_results": 10}`)).WantsDiscovery() {
		t.Error("no sources key should mean every source")
	}
}

// What ParseTargeting accepts, stored as MarshalJSON writes it, reads back
// the same through StoredTargeting.
func TestTargetingRoundTrip(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		``,
		`{"sources": []}`,
		`{"sources": ["yelp"], "tiers_for_outreach": []}`,
		`{"max_results": 20, "min_reviews": 0, "min_rating": 3.5, "max_website_score": 0, "industries": ["cafe"]}`,
		`{"score_weights": {"website_opportunity": 1}, "tier_thresholds": {"a": 90, "b": 10}, "sequence_delays": [0]}`,
	} {
		fields := apperr.Fields{}
		in := ParseTargeting(json.RawMessage(raw), fields)
		if len(fields) != 0 {
			t.Fatalf("%s: fields %v", raw, fields)
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if out := StoredTargeting(b); !reflect.DeepEqual(out, in) {
			t.Errorf("%s: stored as %s, read back %+v, want %+v", raw, b, out, in)
		}
	}
}

// StoredTargeting reads rows written before a key existed (or by hand)
// with defaults for what is missing or unreadable.
func TestStoredTargetingDefaults(t *testing.T) {
	t.Parallel()
	got := StoredTargeting(json.RawMessage(`{"max_results": 0, "tiers_for_outreach": null, "sequence_delays": "x", "future_key": 1}`))
	if got.MaxResults != DefaultMaxResults || !slices.Equal(got.OutreachTiers(), DefaultOutreachTiers()) || !slices.Equal(got.Delays(), DefaultDelays()) {
		t.Errorf("got max_results %d, tiers %v, delays %v; want the defaults", got.MaxResults, got.OutreachTiers(), got.Delays())
	}
	// A zero Targeting (built in code, not parsed) has the defaults too.
	var zero Targeting
	if !slices.Equal(zero.OutreachTiers(), DefaultOutreachTiers()) || !slices.Equal(zero.Delays(), DefaultDelays()) || !zero.WantsDiscovery() {
		t.Errorf("zero Targeting: tiers %v, delays %v, discovery %v", zero.OutreachTiers(), zero.Delays(), zero.WantsDiscovery())
	}
}

// The accessors hand out copies: a caller changing what it got cannot
// change the defaults for everyone else.
func TestDefaultsAreFresh(t *testing.T) {
	t.Parallel()
	Sources()[0] = "x"
	Tiers()[0] = "x"
	DefaultOutreachTiers()[0] = "x"
	DefaultDelays()[0] = 9
	var zero Targeting
	zero.OutreachTiers()[0] = "x"
	if Sources()[0] != SourceGoogleMaps || Tiers()[0] != TierA || DefaultOutreachTiers()[0] != TierA || DefaultDelays()[0] != 0 {
		t.Error("a default was changed through a returned slice")
	}
}
