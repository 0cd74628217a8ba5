package scoring

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
)

// Adjuster asks the analyst model to nudge a computed score by what the
// research says and the formulas cannot see. The nudge is bounded by
// MaxAdjustment and applied with Adjust, so the formula score stays the
// base and Factors.Adjustment records what the model asked for and why.
type Adjuster struct {
	LLM agent.LLM
	// Model is the analyst model id (config ANTHROPIC_MODEL_ANALYST);
	// agent.DefaultAnalystModel when empty.
	Model string
}

// AdjustInput is the research about a prospect the model reads beside its
// score. All of it is untrusted: it travels in data blocks only.
type AdjustInput struct {
	CompanyName  string
	BusinessType string
	Summary      string // the research's company summary
	PainPoints   []string
	Hooks        []string
}

// adjustOutput is the forced tool's input. The bounds repeat
// MaxAdjustment (TestAdjustSchema keeps them in step).
type adjustOutput struct {
	Delta  int    `json:"delta" minimum:"-10" maximum:"10" desc:"Points to add to the formula score, from -10 to 10; 0 when the research adds nothing."`
	Reason string `json:"reason" maxLength:"200" desc:"One plain sentence saying why."`
}

const (
	adjustToolName   = "record_adjustment"
	adjustFieldBytes = 2000
)

// Suggest asks the model for a delta in [-MaxAdjustment, MaxAdjustment]
// and a one-sentence reason, and returns Adjust(s, delta, reason) with what
// the call cost. A disqualified score is returned unchanged without asking.
// On a model error s is returned unchanged with the error, and the caller
// keeps the formula score.
func (a *Adjuster) Suggest(ctx context.Context, s Score, research AdjustInput) (Score, agent.Result, error) {
	if s.Disqualified {
		return s, agent.Result{}, nil
	}
	if a == nil || a.LLM == nil {
		return s, agent.Result{}, errors.New("scoring: adjust: no model configured")
	}
	model := a.Model
	if model == "" {
		model = agent.DefaultAnalystModel
	}
	data := map[string]string{}
	put := func(key, v string) {
		if v = agent.CleanData(v, adjustFieldBytes); v != "" {
			data[key] = v
		}
	}
	put("company_name", research.CompanyName)
	put("business_type", research.BusinessType)
	put("company_summary", research.Summary)
	put("pain_points", strings.Join(research.PainPoints, "; "))
	put("personalization_hooks", strings.Join(research.Hooks, "; "))

	var out adjustOutput
	res, err := a.LLM.Structured(ctx, agent.Request{
		Model:           model,
		System:          agent.MustPrompt("qualify").System(),
		Data:            data,
		Instructions:    adjustInstructions(s),
		ToolName:        adjustToolName,
		ToolDescription: "Record the adjustment to the lead score.",
		MaxTokens:       300,
	}, &out)
	if err != nil {
		return s, res, fmt.Errorf("scoring: adjust: %w", err)
	}
	inputs := append([]string{research.CompanyName, research.BusinessType, research.Summary}, research.PainPoints...)
	inputs = append(inputs, research.Hooks...)
	reason := strings.Join(strings.Fields(agent.StripUnsupported(out.Reason, inputs...)), " ")
	if reason == "" {
		reason = "no reason given"
	}
	adjusted := Adjust(s, out.Delta, reason)
	adjusted.Factors.Adjustment.Model, adjusted.Factors.Adjustment.PromptVersion = res.Model, res.PromptVersion
	return adjusted, res, nil
}

// adjustInstructions is the trusted task: the score and how it was made.
// Everything in it is computed here (numbers, factor codes and the
// summary's fixed phrases), never text from a website.
func adjustInstructions(s Score) string {
	f := s.Factors
	th := f.Thresholds
	if th.Validate() != nil {
		th = settings.DefaultThresholds()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The formula scored this lead %d out of 100 (tier %s): %s.\n", f.WeightedScore, th.Tier(f.WeightedScore), f.Summary)
	for _, x := range []struct {
		name  string
		score int
		parts []Part
	}{
		{"website opportunity", s.WebsiteOpportunity, f.WebsiteOpportunity},
		{"review strength", s.ReviewStrength, f.ReviewStrength},
		{"contact quality", s.ContactQuality, f.ContactQuality},
		{"timing signals", s.TimingSignals, f.TimingSignals},
	} {
		codes := make([]string, 0, len(x.parts))
		for _, p := range x.parts {
			codes = append(codes, fmt.Sprintf("%s %+d", p.Code, p.Points))
		}
		fmt.Fprintf(&b, "- %s: %d/100 (%s)\n", x.name, x.score, strings.Join(codes, ", "))
	}
	fmt.Fprintf(&b, "Using the research in the data blocks above, decide whether this business is a better or worse prospect for website work than the formula says. "+
		"delta: an integer from -%d to %d, 0 when the research adds nothing. reason: one plain sentence.", MaxAdjustment, MaxAdjustment)
	return b.String()
}
