package app

import (
	"io"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/config"
)

// NewLogger builds the process logger from LOG_LEVEL and LOG_FORMAT.
func NewLogger(w io.Writer, cfg *config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
