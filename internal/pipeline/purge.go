package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/store"
)

// PurgeAuthArgs asks for expired sessions and refresh tokens to be deleted.
type PurgeAuthArgs struct{}

func (PurgeAuthArgs) Kind() string { return "purge_auth" }

// keepRevokedSessions is how long a revoked session is kept, so a stolen
// refresh token replayed soon after logout still reads as token_reused.
const keepRevokedSessions = 7 * 24 * time.Hour

// PurgeAuthWorker deletes what can no longer authenticate anyone.
type PurgeAuthWorker struct {
	river.WorkerDefaults[PurgeAuthArgs]
	Store  *store.Store
	Logger *slog.Logger
}

func (w *PurgeAuthWorker) Work(ctx context.Context, job *river.Job[PurgeAuthArgs]) error {
	var sessions, tokens int64
	err := w.Store.Write(ctx, "", func(tx *store.Tx) error {
		var err error
		sessions, tokens, err = tx.PurgeExpiredAuth(ctx, keepRevokedSessions)
		return err
	})
	if err != nil {
		return fmt.Errorf("purge auth: %w", err)
	}
	w.Logger.InfoContext(ctx, "purged expired auth", slog.Int64("sessions", sessions), slog.Int64("refresh_tokens", tokens))
	return nil
}

func periodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeAuthArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "purge_auth"}),
	}
}
