// Package campaign holds the rules of campaigns: what a valid campaign and
// its targeting look like, when they may change, and importing prospects.
package campaign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/scoring"
	"github.com/prospectorhq/prospector/internal/store"
)

// Discovery sources a campaign may ask for.
var Sources = []string{"google_maps", "yelp", "osm"}

// Tiers a prospect can be scored into.
var Tiers = []string{"A", "B", "C"}

// Defaults applied to target_criteria.
const (
	DefaultMaxResults = 100
	MaxMaxResults     = 5000
)

// Criteria is a campaign's target_criteria. Absent keys stay absent when
// stored, except the two with defaults, which are written out so the user
// sees what will happen.
type Criteria struct {
	MaxResults       int      `json:"max_results"`
	Sources          []string `json:"sources,omitempty"`
	MinReviews       *int     `json:"min_reviews,omitempty"`
	MinRating        *float64 `json:"min_rating,omitempty"`
	MaxWebsiteScore  *int     `json:"max_website_score,omitempty"`
	Industries       []string `json:"industries,omitempty"`
	TiersForOutreach []string `json:"tiers_for_outreach"`
	// ScoreWeights (normalized) and TierThresholds override scoring's
	// defaults; SequenceDelays sets the drafted steps' days (default 0, 3, 7).
	ScoreWeights   *scoring.Weights    `json:"score_weights,omitempty"`
	TierThresholds *scoring.Thresholds `json:"tier_thresholds,omitempty"`
	SequenceDelays []int               `json:"sequence_delays,omitempty"`

	// sourcesSet distinguishes "sources": [] (import only, no discovery)
	// from no sources key (every configured source).
	sourcesSet bool
}

// SourcesGiven reports whether the campaign named its sources (possibly none).
func (c Criteria) SourcesGiven() bool { return c.sourcesSet }

// MarshalJSON keeps an explicit empty sources list, which means "no discovery".
func (c Criteria) MarshalJSON() ([]byte, error) {
	type plain Criteria
	b, err := json.Marshal(plain(c))
	if err != nil || !c.sourcesSet || len(c.Sources) > 0 {
		return b, err
	}
	return append(b[:len(b)-1], []byte(`,"sources":[]}`)...), nil
}

// ParseCriteria validates raw target_criteria JSON, reporting every bad key
// under "target_criteria.<key>" in fields. Empty raw means all defaults.
func ParseCriteria(raw json.RawMessage, fields apperr.Fields) Criteria {
	c := Criteria{MaxResults: DefaultMaxResults, TiersForOutreach: slices.Clone(store.DefaultOutreachTiers)}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return c
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		fields.Add("target_criteria", "must be a JSON object")
		return c
	}
	for key, v := range keys {
		name := "target_criteria." + key
		switch key {
		case "max_results":
			if n, ok := wholeNumber(v, fields, name); ok {
				if n < 1 || n > MaxMaxResults {
					fields.Add(name, "must be from 1 to %d", MaxMaxResults)
				}
				c.MaxResults = n
			}
		case "sources":
			c.Sources = stringSet(v, fields, name, Sources)
			c.sourcesSet = true
		case "min_reviews":
			if n, ok := wholeNumber(v, fields, name); ok {
				if n < 0 || n > 1_000_000 {
					fields.Add(name, "must be 0 or more")
				}
				c.MinReviews = &n
			}
		case "min_rating":
			var f float64
			if err := json.Unmarshal(v, &f); err != nil || bytes.Equal(v, []byte("null")) {
				fields.Add(name, "must be a number from 0 to 5")
			} else if f < 0 || f > 5 || math.IsNaN(f) {
				fields.Add(name, "must be a number from 0 to 5")
			} else {
				c.MinRating = &f
			}
		case "max_website_score":
			if n, ok := wholeNumber(v, fields, name); ok {
				if n < 0 || n > 100 {
					fields.Add(name, "must be from 0 to 100")
				}
				c.MaxWebsiteScore = &n
			}
		case "industries":
			var list []string
			if err := json.Unmarshal(v, &list); err != nil || list == nil {
				fields.Add(name, "must be a list of strings")
				continue
			}
			if len(list) > 50 {
				fields.Add(name, "must have at most 50 entries")
			}
			for _, s := range list {
				s = strings.TrimSpace(s)
				if s == "" || utf8.RuneCountInString(s) > 100 {
					fields.Add(name, "entries must be 1 to 100 characters")
					break
				}
				c.Industries = append(c.Industries, s)
			}
		case "tiers_for_outreach":
			c.TiersForOutreach = stringSet(v, fields, name, Tiers)
		case "score_weights":
			if w, err := scoring.ParseWeights(v); err != nil {
				fields.Add(name, "%s", strings.TrimPrefix(err.Error(), scoring.ErrInvalidWeights.Error()+": "))
			} else {
				c.ScoreWeights = &w
			}
		case "tier_thresholds":
			var t scoring.Thresholds
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&t); err != nil || bytes.Equal(v, []byte("null")) {
				fields.Add(name, `must be an object {"a": 70, "b": 45} of whole numbers`)
			} else if err := t.Validate(); err != nil {
				fields.Add(name, "%s", err.Error())
			} else {
				c.TierThresholds = &t
			}
		case "sequence_delays":
			c.SequenceDelays = delays(v, fields, name)
		default:
			fields.Add(name, "is not a known criterion (known: max_results, sources, min_reviews, min_rating, max_website_score, industries, tiers_for_outreach, score_weights, tier_thresholds, sequence_delays)")
		}
	}
	return c
}

// delays reads sequence_delays: 1 to outreach.MaxSteps emails, the first
// sent at once, each later one after the one before and at most
// outreach.MaxDelayDays after the start.
func delays(v json.RawMessage, fields apperr.Fields, name string) []int {
	var list []float64
	if err := json.Unmarshal(v, &list); err != nil || list == nil {
		fields.Add(name, "must be a list of whole numbers of days, e.g. [0, 3, 7]")
		return nil
	}
	if len(list) < 1 || len(list) > outreach.MaxSteps {
		fields.Add(name, "must have 1 to %d steps", outreach.MaxSteps)
		return nil
	}
	out := make([]int, len(list))
	for i, f := range list {
		switch {
		case f != math.Trunc(f):
			fields.Add(name, "must be whole numbers of days")
		case i == 0 && f != 0:
			fields.Add(name, "must start with 0 (the first email goes out when the sequence starts)")
		case i > 0 && (int(f) <= out[i-1] || f > outreach.MaxDelayDays):
			fields.Add(name, "must increase, step after step, up to %d days", outreach.MaxDelayDays)
		default:
			out[i] = int(f)
			continue
		}
		return nil
	}
	return out
}

func wholeNumber(v json.RawMessage, fields apperr.Fields, name string) (int, bool) {
	var f float64
	if err := json.Unmarshal(v, &f); err != nil || bytes.Equal(v, []byte("null")) {
		fields.Add(name, "must be a whole number")
		return 0, false
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e9 {
		fields.Add(name, "must be a whole number")
		return 0, false
	}
	return int(f), true
}

func stringSet(v json.RawMessage, fields apperr.Fields, name string, allowed []string) []string {
	var list []string
	if err := json.Unmarshal(v, &list); err != nil || list == nil {
		fields.Add(name, "must be a list of %s", strings.Join(allowed, ", "))
		return nil
	}
	out := []string{}
	for _, s := range list {
		if !slices.Contains(allowed, s) {
			fields.Add(name, "%q is not one of %s", s, strings.Join(allowed, ", "))
			return nil
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// text validates a required or optional text field.
func text(fields apperr.Fields, name, v string, required bool, maxLen int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		fields.Add(name, "is required")
	case utf8.RuneCountInString(v) > maxLen:
		fields.Add(name, "must be at most %d characters", maxLen)
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\t' }):
		fields.Add(name, "must not contain control characters")
	}
	return v
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only our own plain structs get here
	}
	return b
}
