package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// ResetCreditsArgs asks for the monthly reset of every free account whose
// credits_reset_at has come.
type ResetCreditsArgs struct{}

func (ResetCreditsArgs) Kind() string { return "reset_credits" }

// ResetCreditsWork resets the due accounts and says how many;
// billing.Service.ResetDue has this shape.
type ResetCreditsWork func(ctx context.Context) (int, error)

// resetCreditsInterval is how often the reset runs: an account's credits
// come back within this long of its credits_reset_at.
const resetCreditsInterval = 10 * time.Minute

// ResetCreditsWorker runs the monthly reset of free accounts' credits.
type ResetCreditsWorker struct {
	river.WorkerDefaults[ResetCreditsArgs]
	Reset  ResetCreditsWork
	Logger *slog.Logger
}

func (w *ResetCreditsWorker) Work(ctx context.Context, job *river.Job[ResetCreditsArgs]) error {
	n, err := w.Reset(ctx)
	if n > 0 {
		w.Logger.InfoContext(ctx, "monthly credits reset", slog.Int("accounts", n))
	}
	if err != nil {
		return fmt.Errorf("reset credits: %w", err)
	}
	return nil
}

func resetCreditsJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(resetCreditsInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ResetCreditsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "reset_credits"})
}
