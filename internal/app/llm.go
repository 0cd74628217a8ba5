package app

import (
	"fmt"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/enrich"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/scoring"
	"github.com/prospectorhq/prospector/internal/store"
)

// aiStages builds research, scoring and drafting. With ANTHROPIC_API_KEY
// the analyst model researches and may adjust scores, and the writer model
// drafts; without it research stays null, scores come from the formulas
// alone and drafts from the template engine.
func aiStages(cfg *config.Config, s *store.Store, settings providers.Settings, log *slog.Logger) (
	*enrich.Researcher, *scoring.Qualifier, *outreach.Generator, error) {
	qualifier := &scoring.Qualifier{Store: s, Logger: log}
	generator := &outreach.Generator{Store: s, Logger: log}
	if cfg.Keys.Anthropic == "" {
		return nil, qualifier, generator, nil
	}
	llm, err := agent.NewAnthropic(agent.AnthropicOptions{APIKey: cfg.Keys.Anthropic, BaseURL: cfg.BaseURLs.Anthropic,
		Recorder: settings.Recorder})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("anthropic client: %w", err)
	}
	qualifier.Adjuster = &scoring.Adjuster{LLM: llm, Model: cfg.Models.Analyst}
	generator.Writer = &outreach.Writer{LLM: llm, Model: cfg.Models.Writer}
	return &enrich.Researcher{LLM: llm, Model: cfg.Models.Analyst}, qualifier, generator, nil
}

// The pipeline stages chain through the queue: each names the next.
var (
	_ pipeline.Scorer  = (*scoring.Qualifier)(nil)
	_ pipeline.Drafter = (*outreach.Generator)(nil)
)
