package settings

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseWeights(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		want    Weights
		wantErr bool
	}{
		{"empty is default", "", DefaultWeights(), false},
		{"null is default", " null ", DefaultWeights(), false},
		{"already normalized", `{"website_opportunity":0.35,"review_strength":0.25,"contact_quality":0.30,"timing_signals":0.10}`, DefaultWeights(), false},
		{"scaled", `{"website_opportunity":35,"review_strength":25,"contact_quality":30,"timing_signals":10}`, DefaultWeights(), false},
		{"missing keys are zero", `{"contact_quality":2}`, Weights{ContactQuality: 1}, false},
		{"two keys", `{"contact_quality":3,"review_strength":1}`, Weights{ContactQuality: 0.75, ReviewStrength: 0.25}, false},
		{"unknown key", `{"contact_qualty":1}`, Weights{}, true},
		{"negative", `{"contact_quality":1,"timing_signals":-0.1}`, Weights{}, true},
		{"all zero", `{"contact_quality":0}`, Weights{}, true},
		{"empty object", `{}`, Weights{}, true},
		{"not an object", `[1,2]`, Weights{}, true},
		{"string value", `{"contact_quality":"1"}`, Weights{}, true},
		{"trailing data", `{"contact_quality":1}{}`, Weights{}, true},
		{"bad json", `{"contact_quality":`, Weights{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseWeights(json.RawMessage(tt.raw))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalidWeights) {
					t.Errorf("error %v does not wrap ErrInvalidWeights", err)
				}
				return
			}
			if !approxWeights(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			sum := got.WebsiteOpportunity + got.ReviewStrength + got.ContactQuality + got.TimingSignals
			if sum < 0.999999 || sum > 1.000001 {
				t.Errorf("weights sum to %v", sum)
			}
		})
	}
}

func approxWeights(a, b Weights) bool {
	near := func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }
	return near(a.WebsiteOpportunity, b.WebsiteOpportunity) && near(a.ReviewStrength, b.ReviewStrength) &&
		near(a.ContactQuality, b.ContactQuality) && near(a.TimingSignals, b.TimingSignals)
}

func TestTiers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		th      Thresholds
		overall int
		want    string
	}{
		{DefaultThresholds(), 100, "A"},
		{DefaultThresholds(), 70, "A"},
		{DefaultThresholds(), 69, "B"},
		{DefaultThresholds(), 45, "B"},
		{DefaultThresholds(), 44, "C"},
		{DefaultThresholds(), 0, "C"},
		{Thresholds{A: 80, B: 60}, 79, "B"},
		{Thresholds{A: 80, B: 60}, 59, "C"},
	}
	for _, tt := range tests {
		if got := tt.th.Tier(tt.overall); got != tt.want {
			t.Errorf("%+v.Tier(%d) = %s, want %s", tt.th, tt.overall, got, tt.want)
		}
	}
}
