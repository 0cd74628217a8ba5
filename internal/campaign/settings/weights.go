package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Weights say how much each factor counts towards the overall score. They are
// stored as a campaign's optional score_weights object; Compute normalizes
// them to sum 1, so {"contact_quality": 2, "review_strength": 1} is a valid
// way to say "contacts count twice as much as reviews, the rest not at all".
type Weights struct {
	WebsiteOpportunity float64 `json:"website_opportunity"`
	ReviewStrength     float64 `json:"review_strength"`
	ContactQuality     float64 `json:"contact_quality"`
	TimingSignals      float64 `json:"timing_signals"`
}

// DefaultWeights favour the website and the contact: an agency sells website
// work, and a lead nobody can reach is worth nothing however weak its site.
// Reviews say the business can pay; timing only nudges the order.
func DefaultWeights() Weights {
	return Weights{WebsiteOpportunity: 0.35, ReviewStrength: 0.25, ContactQuality: 0.30, TimingSignals: 0.10}
}

// ErrInvalidWeights is wrapped by every weights validation error, so
// ParseTargeting can report them under one field.
var ErrInvalidWeights = errors.New("invalid score_weights")

// Normalize checks the weights and scales them to sum 1.
func (w Weights) Normalize() (Weights, error) {
	vals := []struct {
		name string
		v    float64
	}{
		{"website_opportunity", w.WebsiteOpportunity},
		{"review_strength", w.ReviewStrength},
		{"contact_quality", w.ContactQuality},
		{"timing_signals", w.TimingSignals},
	}
	var sum float64
	for _, x := range vals {
		if math.IsNaN(x.v) || math.IsInf(x.v, 0) {
			return Weights{}, fmt.Errorf("%w: %s must be a finite number", ErrInvalidWeights, x.name)
		}
		if x.v < 0 {
			return Weights{}, fmt.Errorf("%w: %s must not be negative", ErrInvalidWeights, x.name)
		}
		sum += x.v
	}
	if sum == 0 {
		return Weights{}, fmt.Errorf("%w: at least one weight must be above zero", ErrInvalidWeights)
	}
	return Weights{
		WebsiteOpportunity: w.WebsiteOpportunity / sum,
		ReviewStrength:     w.ReviewStrength / sum,
		ContactQuality:     w.ContactQuality / sum,
		TimingSignals:      w.TimingSignals / sum,
	}, nil
}

// ParseWeights validates a campaign's score_weights object and returns it
// normalized. Missing keys count as 0, so a campaign can switch a factor off
// by leaving it out; unknown keys are rejected because a misspelt key would
// otherwise silently zero the factor it meant. An empty or null value means
// "not set" and gives DefaultWeights.
func ParseWeights(raw json.RawMessage) (Weights, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return DefaultWeights(), nil
	}
	if trimmed[0] != '{' {
		return Weights{}, fmt.Errorf("%w: must be an object", ErrInvalidWeights)
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	var w Weights
	if err := dec.Decode(&w); err != nil {
		return Weights{}, fmt.Errorf("%w: %v", ErrInvalidWeights, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Weights{}, fmt.Errorf("%w: unexpected data after the object", ErrInvalidWeights)
	}
	return w.Normalize()
}

// Thresholds are the lowest overall scores of tiers A and B; anything below
// B is tier C.
type Thresholds struct {
	A int `json:"a"`
	B int `json:"b"`
}

// DefaultThresholds put roughly "strong on most factors" in A and "strong
// on about half" in B; see formulas.md.
func DefaultThresholds() Thresholds { return Thresholds{A: 70, B: 45} }

// Validate rejects thresholds that would make a tier unreachable by
// accident: both within 0–100 and A above B.
func (t Thresholds) Validate() error {
	if t.A < 0 || t.A > 100 || t.B < 0 || t.B > 100 {
		return errors.New("tier thresholds must be within 0–100")
	}
	if t.A <= t.B {
		return errors.New("tier A threshold must be above tier B threshold")
	}
	return nil
}

// Tier returns the tier of an overall score.
func (t Thresholds) Tier(overall int) string {
	switch {
	case overall >= t.A:
		return TierA
	case overall >= t.B:
		return TierB
	default:
		return TierC
	}
}
