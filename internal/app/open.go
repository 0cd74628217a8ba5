package app

import (
	"context"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/store"
)

func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*store.Store, error) {
	return store.Open(ctx, cfg.DatabaseURL, store.Options{Logger: log, OwnerURL: cfg.DatabaseOwnerURL})
}
