package app

import (
	"fmt"

	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/suppression"
)

// services are the domain services the HTTP surfaces call, built once so
// the JSON API and the dashboard share them.
type services struct {
	outreach     *outreach.Service
	prospects    *prospect.Service
	apiKeys      *keys.Service
	sending      *sending.Service
	suppressions *suppression.Service
}

func newServices(st *store.Store, queue *pipeline.Queue, box *keys.Box, send *sending.Service) (services, error) {
	s := services{sending: send}
	var err error
	if s.outreach, err = outreach.NewService(st, queue, send); err != nil {
		return s, fmt.Errorf("services: %w", err)
	}
	if s.prospects, err = prospect.NewService(st, queue); err != nil {
		return s, fmt.Errorf("services: %w", err)
	}
	if s.suppressions, err = suppression.NewService(st); err != nil {
		return s, fmt.Errorf("services: %w", err)
	}
	if s.apiKeys, err = keys.NewService(box, st); err != nil {
		return s, fmt.Errorf("services: %w", err)
	}
	return s, nil
}
