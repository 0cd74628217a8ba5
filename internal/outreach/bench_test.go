package outreach_test

import (
	"context"
	"testing"

	"github.com/prospectorhq/prospector/internal/agent/agenttest"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/enrich"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/providers"
)

// BenchmarkResearchAndDraft is one prospect's research (analyst model) and
// three-step draft (writer model), in turn, through the real client and the
// sandbox's Messages API fake at zero latency: the client's own cost per
// prospect (request building, schema checks, containment, cleaning) plus
// loopback HTTP. Tokens are as the fake counts them (bytes/4).
func BenchmarkResearchAndDraft(b *testing.B) {
	llm, _ := agenttest.Sandbox(b, agenttest.Options{MaxRetries: 1})
	researcher := &enrich.Researcher{LLM: llm, Model: "claude-haiku-4-5"}
	writer := &outreach.Writer{LLM: llm, Model: "claude-sonnet-4-6"}
	reviews, rating := 112, 4.7
	in := enrich.ResearchInput{CompanyName: "Riverbend Plumbing", BusinessType: "plumber", City: "Austin", State: "TX",
		Website: "https://riverbend-plumbing.example", Title: "Riverbend Plumbing | Austin's family plumbers since 1998",
		MetaDescription: "Drain cleaning, water heaters and leak repair in Austin, TX.",
		PageTexts: []string{"Riverbend Plumbing has served Austin families since 1998. Our team of 12 licensed plumbers " +
			"handles drain cleaning, water heater installation, slab leak repair and 24/7 emergency calls. " +
			"Call us for a free estimate. © 2016 Riverbend Plumbing. All rights reserved."},
		GoogleRating: &rating, GoogleReviews: &reviews, TechStack: []string{"WordPress", "jQuery"},
		Signals: []string{"The copyright year is 2016.", "The page has no mobile viewport."}}
	ctx := providers.WithAccount(context.Background(), "bench")
	b.ResetTimer()
	tokens := 0
	for i := 0; i < b.N; i++ {
		r, err := researcher.Research(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		f := outreach.Facts{CompanyName: in.CompanyName, BusinessType: in.BusinessType, City: in.City, State: in.State,
			Website: in.Website, HasWebsite: true, ContactFirstName: "Maria", GoogleRating: in.GoogleRating,
			GoogleReviews: in.GoogleReviews, TechStack: in.TechStack, CompanySummary: r.CompanySummary,
			PainPoints: r.PainPoints, Hooks: r.Hooks, Signals: []string{"old_copyright", "no_viewport"}}
		d, err := writer.Draft(ctx, f, settings.DefaultDelays())
		if err != nil {
			b.Fatal(err)
		}
		tokens += r.Usage.InputTokens + r.Usage.OutputTokens + d.Usage.InputTokens + d.Usage.OutputTokens
	}
	b.ReportMetric(float64(tokens)/float64(b.N), "tokens/prospect")
}
