package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/store"
)

// newLLM is the Claude client of research, scoring and drafting. It calls
// with the user's own Anthropic key when they stored one, else with
// ANTHROPIC_API_KEY: the analyst model researches and may adjust scores,
// and the writer model drafts. With neither key the call answers
// agent.ErrNoKey, and the stages carry on without it: research stays null,
// scores come from the formulas alone and drafts from the template engine.
func newLLM(cfg *config.Config, s *store.Store, box *keys.Box, ps providers.Settings) (agent.LLM, error) {
	client := func(apiKey string) (agent.LLM, error) {
		return agent.NewAnthropic(agent.AnthropicOptions{APIKey: apiKey, BaseURL: cfg.BaseURLs.Anthropic,
			Recorder: ps.Recorder})
	}
	llm := &agent.PerUser{New: client, Key: userKey(s, box, keys.Anthropic)}
	if cfg.Keys.Anthropic != "" {
		server, err := client(cfg.Keys.Anthropic)
		if err != nil {
			return nil, fmt.Errorf("anthropic client: %w", err)
		}
		llm.Default = server
	}
	return llm, nil
}

// userKey reads a user's own key for service and opens it; "" when they
// stored none.
func userKey(s *store.Store, box *keys.Box, service string) func(ctx context.Context, userID string) (string, error) {
	return func(ctx context.Context, userID string) (string, error) {
		var sealed string
		err := s.Read(ctx, userID, func(tx *store.Tx) (err error) {
			sealed, err = tx.APIKey(ctx, service)
			return err
		})
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return box.Open(userID, sealed)
	}
}
