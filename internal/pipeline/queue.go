// Package pipeline runs Prospector's background work on River, on whichever
// engine the store uses. Workers here are thin: they decode their job and call
// the domain packages.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/store"
)

// Config tunes the queue.
type Config struct {
	Logger *slog.Logger
	// Work makes this instance execute jobs; an instance that only inserts
	// jobs (none today) would leave it false.
	Work bool
	// MaxWorkers bounds concurrent jobs on this instance.
	MaxWorkers int
	// Discovery runs campaigns' discovery jobs.
	Discovery *discovery.Runner
	// Enricher enriches prospects; EnrichWorkers bounds how many at once on
	// this instance, EnrichPerCampaign how many of one campaign.
	Enricher          Enricher
	EnrichWorkers     int
	EnrichPerCampaign int
	// Scorer scores enriched prospects.
	Scorer Scorer
	// Drafter drafts sequences; GenerateWorkers bounds concurrent drafting
	// (and so writer-model calls) on this instance.
	Drafter         Drafter
	GenerateWorkers int
}

// Queue inserts jobs inside store transactions and, when working, runs them.
type Queue struct {
	insertTx     func(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error
	insertManyTx func(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
	start        func(ctx context.Context) error
	stop         func(ctx context.Context) error
	stopHard     func(ctx context.Context) error
}

// New builds the queue for s's engine and registers every worker.
func New(s *store.Store, cfg Config) (*Queue, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 20
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &PurgeAuthWorker{Store: s, Logger: cfg.Logger})
	if cfg.Discovery != nil {
		river.AddWorker(workers, &DiscoveryWorker{Runner: cfg.Discovery, Logger: cfg.Logger})
	}
	if cfg.EnrichWorkers <= 0 {
		cfg.EnrichWorkers = 32
	}
	if cfg.EnrichPerCampaign <= 0 {
		cfg.EnrichPerCampaign = 16
	}
	if cfg.Enricher != nil {
		river.AddWorker(workers, &EnrichWorker{Enricher: cfg.Enricher, PerCampaign: cfg.EnrichPerCampaign})
	}
	if cfg.Scorer != nil {
		river.AddWorker(workers, &ScoreWorker{Scorer: cfg.Scorer})
	}
	if cfg.GenerateWorkers <= 0 {
		cfg.GenerateWorkers = 8
	}
	if cfg.Drafter != nil {
		river.AddWorker(workers, &GenerateWorker{Drafter: cfg.Drafter})
	}

	rc := &river.Config{
		Logger:       cfg.Logger.With("component", "river"),
		Workers:      workers,
		PeriodicJobs: periodicJobs(),
		JobTimeout:   10 * time.Minute,
	}
	if cfg.Work {
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: cfg.MaxWorkers},
			QueueEnrich:        {MaxWorkers: cfg.EnrichWorkers},
			QueueGenerate:      {MaxWorkers: cfg.GenerateWorkers},
		}
	}
	switch s.Engine() {
	case store.Postgres:
		return newQueue(riverpgxv5.New(s.PGPool()), rc)
	default:
		// SQLite has no LISTEN/NOTIFY: poll, briskly, for new work.
		rc.PollOnly = true
		rc.FetchPollInterval = 200 * time.Millisecond
		rc.FetchCooldown = 50 * time.Millisecond
		return newQueue(riversqlite.New(s.SQLiteWriter()), rc)
	}
}

func newQueue[TTx any](driver riverdriver.Driver[TTx], rc *river.Config) (*Queue, error) {
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return &Queue{
		insertTx: func(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
			raw, ok := tx.Raw().(TTx)
			if !ok {
				return fmt.Errorf("insert %s: transaction of type %T does not match the queue's engine", args.Kind(), tx.Raw())
			}
			_, err := client.InsertTx(ctx, raw, args, opts)
			return err
		},
		insertManyTx: func(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error {
			raw, ok := tx.Raw().(TTx)
			if !ok {
				return fmt.Errorf("insert many: transaction of type %T does not match the queue's engine", tx.Raw())
			}
			_, err := client.InsertManyFastTx(ctx, raw, params)
			return err
		},
		start:    client.Start,
		stop:     client.Stop,
		stopHard: client.StopAndCancel,
	}, nil
}

// InsertTx enqueues a job in the caller's transaction: it exists if and only
// if the transaction commits.
func (q *Queue) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if err := q.insertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// insertEach queues one job per prospect in tx, in one batch; args builds
// each job's arguments.
func (q *Queue) insertEach(ctx context.Context, tx *store.Tx, kind string, prospectIDs []string, args func(id string) river.JobArgs) error {
	if len(prospectIDs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(prospectIDs))
	for i, id := range prospectIDs {
		params[i] = river.InsertManyParams{Args: args(id)}
	}
	if err := q.insertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return nil
}

// Start begins working jobs (when configured to) and periodic jobs.
func (q *Queue) Start(ctx context.Context) error { return q.start(ctx) }

// Stop lets running jobs finish until ctx ends, then cancels them.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.stop(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return err
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return q.stopHard(hard)
}

// Migrate applies River's own migrations on s's engine.
func Migrate(ctx context.Context, s *store.Store) (int, error) {
	if s.Engine() == store.Postgres {
		return migrate(ctx, riverpgxv5.New(s.PGPool()))
	}
	return migrate(ctx, riversqlite.New(s.SQLiteWriter()))
}

func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) (int, error) {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return 0, fmt.Errorf("river migrator: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("river migrate: %w", err)
	}
	return len(res.Versions), nil
}

// CheckMigrations reports an error when River's schema is not current.
func CheckMigrations(ctx context.Context, s *store.Store) error {
	if s.Engine() == store.Postgres {
		return validate(ctx, riverpgxv5.New(s.PGPool()))
	}
	return validate(ctx, riversqlite.New(s.SQLiteWriter()))
}

func validate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return fmt.Errorf("river validate: %w", err)
	}
	if !res.OK {
		return fmt.Errorf("river schema is not current: %s", strings.Join(res.Messages, "; "))
	}
	return nil
}
