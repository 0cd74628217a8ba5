package app

import (
	"log/slog"
	"time"

	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/enrich"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/scoring"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// newStages builds every stage of the pipeline, each complete at
// construction with its handoff from q, ready for q.Attach.
func newStages(cfg *config.Config, s *store.Store, box *keys.Box, ps providers.Settings, log *slog.Logger,
	q *pipeline.Queue, now func() time.Time) (pipeline.Stages, error) {
	sources, off, err := discoverySources(cfg, ps)
	if err != nil {
		return pipeline.Stages{}, err
	}
	runner, err := discovery.NewRunner(discovery.RunnerConfig{Store: s, Sources: sources, Off: off, Logger: log,
		Handoff: q.Handoff(stage.Discover)})
	if err != nil {
		return pipeline.Stages{}, err
	}
	llm, err := newLLM(cfg, s, box, ps)
	if err != nil {
		return pipeline.Stages{}, err
	}
	enricher, err := newEnricher(cfg, s, ps, log, &enrich.Researcher{LLM: llm, Model: cfg.Models.Analyst}, q.Handoff(stage.Enrich))
	if err != nil {
		return pipeline.Stages{}, err
	}
	qualifier, err := scoring.NewQualifier(scoring.QualifierConfig{Store: s, Logger: log, Handoff: q.Handoff(stage.Score),
		Adjuster: &scoring.Adjuster{LLM: llm, Model: cfg.Models.Analyst}, Now: now})
	if err != nil {
		return pipeline.Stages{}, err
	}
	generator, err := outreach.NewGenerator(outreach.GeneratorConfig{Store: s, Logger: log, Handoff: q.Handoff(stage.Generate),
		Writer: &outreach.Writer{LLM: llm, Model: cfg.Models.Writer}})
	if err != nil {
		return pipeline.Stages{}, err
	}
	return pipeline.Stages{Discover: runner.Run, Enrich: enricher.Enrich, Score: qualifier.Score, Generate: generator.Generate}, nil
}
