package settings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// Targeting is a campaign's target_criteria: which businesses discovery
// looks for, which prospects scoring keeps and how, and whom drafting
// writes to. Pointers and nil lists are "not set". Absent keys stay absent
// when stored, except the two with defaults (max_results,
// tiers_for_outreach), which are written out so the user sees what will
// happen.
type Targeting struct {
	MaxResults       int      `json:"max_results"`
	Sources          []string `json:"sources,omitempty"`
	MinReviews       *int     `json:"min_reviews,omitempty"`
	MinRating        *float64 `json:"min_rating,omitempty"`
	MaxWebsiteScore  *int     `json:"max_website_score,omitempty"`
	Industries       []string `json:"industries,omitempty"`
	TiersForOutreach []string `json:"tiers_for_outreach"`
	// ScoreWeights (normalized) and TierThresholds override the scoring
	// defaults; SequenceDelays sets the drafted steps' days (default 0, 3, 7).
	ScoreWeights   *Weights    `json:"score_weights,omitempty"`
	TierThresholds *Thresholds `json:"tier_thresholds,omitempty"`
	SequenceDelays []int       `json:"sequence_delays,omitempty"`

	// sourcesSet distinguishes "sources": [] (import only, no discovery)
	// from no sources key (every configured source).
	sourcesSet bool
}

// knownKeys lists target_criteria's keys for the unknown-key message.
const knownKeys = "max_results, sources, min_reviews, min_rating, max_website_score, industries, tiers_for_outreach, score_weights, tier_thresholds, sequence_delays"

// ParseTargeting validates raw target_criteria JSON, reporting every bad key
// under "target_criteria.<key>" in fields. Empty raw means all defaults. A
// bad key leaves its default in the result, so the result is usable
// whatever fields says (StoredTargeting relies on it).
func ParseTargeting(raw json.RawMessage, fields apperr.Fields) Targeting {
	t := Targeting{MaxResults: DefaultMaxResults, TiersForOutreach: DefaultOutreachTiers()}
	keys, ok := objectKeys(raw, fields, "target_criteria")
	if !ok {
		return t
	}
	for key, v := range keys {
		name := "target_criteria." + key
		switch key {
		case "max_results":
			if n, ok := wholeNumberIn(v, fields, name, 1, MaxMaxResults, fmt.Sprintf("must be from 1 to %d", MaxMaxResults)); ok {
				t.MaxResults = n
			}
		case "sources":
			if list, ok := stringSet(v, fields, name, Sources()); ok {
				t.Sources, t.sourcesSet = list, true
			}
		case "min_reviews":
			if n, ok := wholeNumberIn(v, fields, name, 0, 1_000_000, "must be 0 or more"); ok {
				t.MinReviews = &n
			}
		case "min_rating":
			var f float64
			if err := json.Unmarshal(v, &f); err != nil || isNull(v) || f < 0 || f > 5 || math.IsNaN(f) {
				fields.Add(name, "must be a number from 0 to 5")
			} else {
				t.MinRating = &f
			}
		case "max_website_score":
			if n, ok := wholeNumberIn(v, fields, name, 0, 100, "must be from 0 to 100"); ok {
				t.MaxWebsiteScore = &n
			}
		case "industries":
			if list, ok := industries(v, fields, name); ok {
				t.Industries = list
			}
		case "tiers_for_outreach":
			if list, ok := stringSet(v, fields, name, Tiers()); ok {
				t.TiersForOutreach = list
			}
		case "score_weights":
			if w, err := ParseWeights(v); err != nil {
				fields.Add(name, "%s", strings.TrimPrefix(err.Error(), ErrInvalidWeights.Error()+": "))
			} else {
				t.ScoreWeights = &w
			}
		case "tier_thresholds":
			var th Thresholds
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&th); err != nil || isNull(v) {
				fields.Add(name, `must be an object {"a": 70, "b": 45} of whole numbers`)
			} else if err := th.Validate(); err != nil {
				fields.Add(name, "%s", err.Error())
			} else {
				t.TierThresholds = &th
			}
		case "sequence_delays":
			if d, ok := delays(v, fields, name); ok {
				t.SequenceDelays = d
			}
		default:
			fields.Add(name, "is not a known criterion (known: %s)", knownKeys)
		}
	}
	return t
}

// StoredTargeting reads target_criteria as stored on a campaign row, which
// ParseTargeting validated when it was written: anything absent (or, in a
// row written by hand, unreadable) has its default.
func StoredTargeting(raw json.RawMessage) Targeting {
	return ParseTargeting(raw, apperr.Fields{})
}

// MarshalJSON keeps an explicit empty sources list, which means "no discovery".
func (t Targeting) MarshalJSON() ([]byte, error) {
	type plain Targeting
	b, err := json.Marshal(plain(t))
	if err != nil || !t.sourcesSet || len(t.Sources) > 0 {
		return b, err
	}
	return append(b[:len(b)-1], []byte(`,"sources":[]}`)...), nil
}

// SourcesGiven reports whether the campaign named its sources (possibly none).
func (t Targeting) SourcesGiven() bool { return t.sourcesSet }

// WantsDiscovery reports whether the campaign asks for any source (an
// explicit empty list means it only uses imported prospects).
func (t Targeting) WantsDiscovery() bool { return !t.sourcesSet || len(t.Sources) > 0 }

// DiscoverySources returns the sources to run, in the order they run: the
// ones the campaign named, or every source.
func (t Targeting) DiscoverySources() []string {
	all := Sources()
	if !t.sourcesSet {
		return all
	}
	return slices.DeleteFunc(all, func(s string) bool { return !slices.Contains(t.Sources, s) })
}

// OutreachTiers returns the tiers drafted for (DefaultOutreachTiers when not
// set; an explicit empty list drafts for none).
func (t Targeting) OutreachTiers() []string {
	if t.TiersForOutreach == nil {
		return DefaultOutreachTiers()
	}
	return t.TiersForOutreach
}

// DraftsFor reports whether prospects of tier get a drafted sequence.
func (t Targeting) DraftsFor(tier string) bool { return slices.Contains(t.OutreachTiers(), tier) }

// Delays returns the send days of drafted sequences (DefaultDelays when not
// set).
func (t Targeting) Delays() []int {
	if len(t.SequenceDelays) == 0 {
		return DefaultDelays()
	}
	return t.SequenceDelays
}

// delays reads sequence_delays: 1 to MaxSteps emails, the first sent at
// once, each later one after the one before and at most MaxDelayDays after
// the start.
func delays(v json.RawMessage, fields apperr.Fields, name string) ([]int, bool) {
	var list []float64
	if err := json.Unmarshal(v, &list); err != nil || list == nil {
		fields.Add(name, "must be a list of whole numbers of days, e.g. [0, 3, 7]")
		return nil, false
	}
	if len(list) < 1 || len(list) > MaxSteps {
		fields.Add(name, "must have 1 to %d steps", MaxSteps)
		return nil, false
	}
	out := make([]int, len(list))
	for i, f := range list {
		switch {
		case f != math.Trunc(f):
			fields.Add(name, "must be whole numbers of days")
		case i == 0 && f != 0:
			fields.Add(name, "must start with 0 (the first email goes out when the sequence starts)")
		case i > 0 && (int(f) <= out[i-1] || f > MaxDelayDays):
			fields.Add(name, "must increase, step after step, up to %d days", MaxDelayDays)
		default:
			out[i] = int(f)
			continue
		}
		return nil, false
	}
	return out, true
}

// maxIndustryChars bounds one entry of target_criteria.industries.
const maxIndustryChars = 100

func industries(v json.RawMessage, fields apperr.Fields, name string) ([]string, bool) {
	var list []string
	if err := json.Unmarshal(v, &list); err != nil || list == nil {
		fields.Add(name, "must be a list of strings")
		return nil, false
	}
	if len(list) > 50 {
		fields.Add(name, "must have at most 50 entries")
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" || utf8.RuneCountInString(s) > maxIndustryChars {
			fields.Add(name, "entries must be 1 to %d characters", maxIndustryChars)
			return nil, false
		}
		if !textfield.Clean(s, textfield.Line) {
			fields.Add(name, "entries must be one line of text without control characters")
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// wholeNumberIn reads a whole number from lo to hi; outside them it adds
// outside, the key's own message, to fields.
func wholeNumberIn(v json.RawMessage, fields apperr.Fields, name string, lo, hi int, outside string) (int, bool) {
	var f float64
	if err := json.Unmarshal(v, &f); err != nil || isNull(v) || f != math.Trunc(f) || math.Abs(f) > 1e9 {
		fields.Add(name, "must be a whole number")
		return 0, false
	}
	if n := int(f); n >= lo && n <= hi {
		return n, true
	}
	fields.Add(name, "%s", outside)
	return 0, false
}

// objectKeys reads raw, a settings object, as its keys' values; ok is
// false when there is nothing to apply: raw is empty or null, or not an
// object (reported under name).
func objectKeys(raw json.RawMessage, fields apperr.Fields, name string) (keys map[string]json.RawMessage, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, false
	}
	if err := json.Unmarshal(raw, &keys); err != nil {
		fields.Add(name, "must be a JSON object")
		return nil, false
	}
	return keys, true
}

// distinctList reads a list of strings in their canonical form, without
// repeats, in the order given: the settings' lists (sources, mailbox ids,
// sending addresses) differ only in what an item may be. A value that is
// not a list, or one of more than most items (0: any number), is reported
// as notList; canon returns an item's canonical form, or why it is not
// valid.
func distinctList(v json.RawMessage, fields apperr.Fields, name string, most int, notList string,
	canon func(s string) (c, invalid string)) ([]string, bool) {
	var list []string
	if err := json.Unmarshal(v, &list); err != nil || list == nil || most > 0 && len(list) > most {
		fields.Add(name, "%s", notList)
		return nil, false
	}
	out := []string{}
	for _, s := range list {
		c, invalid := canon(s)
		if invalid != "" {
			fields.Add(name, "%s", invalid)
			return nil, false
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, true
}

// stringSet reads a list of allowed names, dropping repeats.
func stringSet(v json.RawMessage, fields apperr.Fields, name string, allowed []string) ([]string, bool) {
	names := strings.Join(allowed, ", ")
	return distinctList(v, fields, name, 0, "must be a list of "+names, func(s string) (string, string) {
		if !slices.Contains(allowed, s) {
			return "", fmt.Sprintf("%q is not one of %s", s, names)
		}
		return s, ""
	})
}

func isNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }
