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
	"github.com/riverqueue/river/rivertype"
	"riverqueue.com/riverui"

	"github.com/prospectorhq/prospector/internal/sending"

	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// Config tunes the queue.
type Config struct {
	Logger *slog.Logger
	// Work makes this instance execute jobs; an instance that only inserts
	// jobs (none today) would leave it false.
	Work bool
	// MaxWorkers bounds concurrent jobs on this instance (River's default
	// queue: discovery and scoring).
	MaxWorkers int
	// EnrichWorkers bounds concurrent enrichment on this instance,
	// EnrichPerCampaign how much of it one campaign may take.
	EnrichWorkers     int
	EnrichPerCampaign int
	// GenerateWorkers bounds concurrent drafting (and so writer-model
	// calls) on this instance.
	GenerateWorkers int
	// SendWorkers bounds concurrent sends (SMTP connections) on this
	// instance.
	SendWorkers int
	// IMAPPollInterval is how often every mailbox's inbox is read
	// (IMAP_POLL_INTERVAL); DefaultIMAPPollInterval when 0.
	IMAPPollInterval time.Duration
	// Jobs, when set, is told of every job this instance worked: its kind,
	// outcome and duration (the metrics).
	Jobs JobObserver
}

// Queue inserts jobs inside store transactions and, when working, runs them.
//
// It is built in two steps because the stages and River each need the
// other: the stages are built with their handoffs, which insert through the
// queue, and River's client needs the stages' workers when it is built.
// NewQueue makes the queue and its handoffs; Attach, called once with the
// stages, registers their workers and builds the River client. Until then
// inserting fails.
type Queue struct {
	store *store.Store
	cfg   Config
	chain []link
	river *riverClient
	// releaseWorkersLock gives up the SQLite workers lock (rescue.go), when
	// this queue holds it.
	releaseWorkersLock func()
}

// riverClient is the engine-specific River client behind the queue.
type riverClient struct {
	insertTx     func(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error
	insertManyTx func(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
	// insertUniqueTx is insertManyTx for unique jobs: River's fast insert
	// fails on a duplicate, its ordinary one skips it.
	insertUniqueTx func(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
	// insertUnique is insertUniqueTx outside any transaction of ours.
	insertUnique func(ctx context.Context, params []river.InsertManyParams) error
	start        func(ctx context.Context) error
	stop         func(ctx context.Context) error
	stopHard     func(ctx context.Context) error
	// executor runs River's own queries outside the client (the rescue at
	// start).
	executor riverdriver.Executor
	// dashboard builds River's job dashboard over this client.
	dashboard func(prefix string, log *slog.Logger) (*riverui.Handler, error)
}

// NewQueue makes the queue for s's engine; see Queue for why it is not
// usable before Attach.
func NewQueue(s *store.Store, cfg Config) *Queue {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 20
	}
	if cfg.EnrichWorkers <= 0 {
		cfg.EnrichWorkers = 32
	}
	if cfg.EnrichPerCampaign <= 0 {
		cfg.EnrichPerCampaign = 16
	}
	if cfg.GenerateWorkers <= 0 {
		cfg.GenerateWorkers = 8
	}
	if cfg.SendWorkers <= 0 {
		cfg.SendWorkers = 20
	}
	if cfg.IMAPPollInterval <= 0 {
		cfg.IMAPPollInterval = DefaultIMAPPollInterval
	}
	return &Queue{store: s, cfg: cfg, chain: chain()}
}

// Attach registers a worker for every stage of the chain, doing the work of
// stages, and builds the River client. It is called once, before Start.
func (q *Queue) Attach(stages Stages) error {
	if q.river != nil {
		return errors.New("attach job queue: already attached")
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &PurgeAuthWorker{Store: q.store, Logger: q.cfg.Logger})
	q.addInboxWorkers(workers, stages.ReadInbox)
	periodic := periodicJobs()
	if stages.ResetCredits != nil {
		river.AddWorker(workers, &ResetCreditsWorker{Reset: stages.ResetCredits, Logger: q.cfg.Logger})
		periodic = append(periodic, resetCreditsJob())
	}
	for _, l := range q.chain {
		work := l.Work(stages, q.cfg.Logger)
		if work == nil {
			return fmt.Errorf("attach job queue: no work given for stage %s", l.Stage)
		}
		perCampaign := 0
		if l.PerCampaign {
			perCampaign = q.cfg.EnrichPerCampaign
		}
		if err := l.Job.register(workers, work, l.Timeout, perCampaign); err != nil {
			return fmt.Errorf("attach job queue: stage %s: %w", l.Stage, err)
		}
	}

	rc := &river.Config{
		Logger:       q.cfg.Logger.With("component", "river"),
		Workers:      workers,
		PeriodicJobs: periodic,
		// Each stage's job has its own timeout (chain.go); this is for the
		// others (the purge).
		JobTimeout:           defaultJobTimeout,
		RescueStuckJobsAfter: rescueStuckJobsAfter(q.chain),
	}
	if stages.ReadInbox != nil {
		rc.PeriodicJobs = append(rc.PeriodicJobs, inboxPeriodicJob(q.cfg.IMAPPollInterval))
	}
	if q.cfg.Jobs != nil {
		rc.Middleware = append(rc.Middleware, observeJobs{q.cfg.Jobs})
	}
	if q.store.SeparateOwner() {
		// River's nightly REINDEX needs the owner of its tables, which the
		// application's role is not with DATABASE_OWNER_URL: it would only
		// fail and log so every night. An empty list reindexes nothing.
		rc.ReindexerIndexNames = []string{}
	}
	if q.cfg.Work {
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: q.cfg.MaxWorkers},
			QueueEnrich:        {MaxWorkers: q.cfg.EnrichWorkers},
			QueueGenerate:      {MaxWorkers: q.cfg.GenerateWorkers},
			QueueSend:          {MaxWorkers: q.cfg.SendWorkers},
		}
	}
	var err error
	switch q.store.Engine() {
	case store.Postgres:
		q.river, err = newRiverClient(riverpgxv5.New(q.store.PGPool()), rc)
	default:
		// SQLite has no LISTEN/NOTIFY: poll, briskly, for new work.
		rc.PollOnly = true
		rc.FetchPollInterval = 200 * time.Millisecond
		rc.FetchCooldown = 50 * time.Millisecond
		q.river, err = newRiverClient(riversqlite.New(q.store.SQLiteWriter()), rc)
	}
	return err
}

func newRiverClient[TTx any](driver riverdriver.Driver[TTx], rc *river.Config) (*riverClient, error) {
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return &riverClient{
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
		insertUniqueTx: func(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error {
			raw, ok := tx.Raw().(TTx)
			if !ok {
				return fmt.Errorf("insert many: transaction of type %T does not match the queue's engine", tx.Raw())
			}
			_, err := client.InsertManyTx(ctx, raw, params)
			return err
		},
		insertUnique: func(ctx context.Context, params []river.InsertManyParams) error {
			_, err := client.InsertMany(ctx, params)
			return err
		},
		start:    client.Start,
		stop:     client.Stop,
		stopHard: client.StopAndCancel,
		executor: driver.GetExecutor(),
		dashboard: func(prefix string, log *slog.Logger) (*riverui.Handler, error) {
			return riverui.NewHandler(&riverui.HandlerOpts{Endpoints: riverui.NewEndpoints(client, nil), Logger: log, Prefix: prefix})
		},
	}, nil
}

// EnqueueDiscovery queues a campaign's discovery in tx.
func (q *Queue) EnqueueDiscovery(ctx context.Context, h store.Handle, campaignID string) error {
	tx := store.TxOf(h)
	if q.river == nil {
		return errNotAttached
	}
	l, _ := q.link(stage.Discover)
	args := l.Job.newArgs(Target{UserID: tx.UserID(), CampaignID: campaignID})
	if err := q.river.insertTx(ctx, tx, args, &river.InsertOpts{Queue: l.Queue, MaxAttempts: l.Attempts}); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueEnrich queues enrichment for prospects in tx, in one batch.
func (q *Queue) EnqueueEnrich(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error {
	return q.enqueue(ctx, tx, stage.Enrich, prospectIDs, manual)
}

// EnqueueScore queues scoring for prospects in tx, in one batch.
func (q *Queue) EnqueueScore(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error {
	return q.enqueue(ctx, tx, stage.Score, prospectIDs, manual)
}

// EnqueueGenerate queues drafting for prospects in tx, in one batch.
func (q *Queue) EnqueueGenerate(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error {
	return q.enqueue(ctx, tx, stage.Generate, prospectIDs, manual)
}

// enqueue queues one job of stage name per prospect in tx, in one batch.
func (q *Queue) enqueue(ctx context.Context, h store.Handle, name stage.Name, prospectIDs []string, manual bool) error {
	tx := store.TxOf(h)
	if len(prospectIDs) == 0 {
		return nil
	}
	l, ok := q.link(name)
	if !ok {
		return fmt.Errorf("enqueue %s: not a stage of the chain", name)
	}
	if q.river == nil {
		return errNotAttached
	}
	var campaignIDs map[string]string
	if l.PerCampaign {
		var err error
		if campaignIDs, err = tx.CampaignsOfProspects(ctx, prospectIDs); err != nil {
			return err
		}
	}
	opts := &river.InsertOpts{Queue: l.Queue, MaxAttempts: l.Attempts}
	params := make([]river.InsertManyParams, len(prospectIDs))
	for i, id := range prospectIDs {
		params[i] = river.InsertManyParams{InsertOpts: opts,
			Args: l.Job.newArgs(Target{UserID: tx.UserID(), CampaignID: campaignIDs[id], ProspectID: id, Manual: manual})}
	}
	if err := q.river.insertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("enqueue %s: %w", l.Job.kind, err)
	}
	return nil
}

// EnqueueSends queues the send of each message in tx for userID, each at
// its time (River's ScheduledAt). A message that already has a waiting
// job of the same kind is skipped.
func (q *Queue) EnqueueSends(ctx context.Context, h store.Handle, userID string, sends []sending.QueuedSend) error {
	if len(sends) == 0 {
		return nil
	}
	if q.river == nil {
		return errNotAttached
	}
	l, _ := q.link(stage.Send)
	params := make([]river.InsertManyParams, len(sends))
	for i, s := range sends {
		params[i] = river.InsertManyParams{
			Args: l.Job.newArgs(Target{UserID: userID, MessageID: s.MessageID, Manual: s.Now}),
			InsertOpts: &river.InsertOpts{Queue: l.Queue, MaxAttempts: l.Attempts, ScheduledAt: s.At,
				UniqueOpts: uniqueWhileWaiting},
		}
	}
	if err := q.river.insertUniqueTx(ctx, store.TxOf(h), params); err != nil {
		return fmt.Errorf("enqueue sends: %w", err)
	}
	return nil
}

// EnqueueInstantlySync queues a sync of campaignID with Instantly in tx.
func (q *Queue) EnqueueInstantlySync(ctx context.Context, h store.Handle, userID, campaignID string) error {
	if q.river == nil {
		return errNotAttached
	}
	l, _ := q.link(stage.Sync)
	params := []river.InsertManyParams{{Args: l.Job.newArgs(Target{UserID: userID, CampaignID: campaignID}),
		InsertOpts: &river.InsertOpts{Queue: l.Queue, MaxAttempts: l.Attempts}}}
	if err := q.river.insertManyTx(ctx, store.TxOf(h), params); err != nil {
		return fmt.Errorf("enqueue instantly sync: %w", err)
	}
	return nil
}

// uniqueWhileWaiting makes a job unique among those not yet finished: a
// job that completed does not stop a new one (a resumed campaign queues
// its messages again).
var uniqueWhileWaiting = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable,
	rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}}

// Start begins working jobs (when configured to) and periodic jobs. On
// SQLite, a working queue first puts back on the queue the jobs a stopped
// process left running, when it is the only process working the database
// (rescue.go).
func (q *Queue) Start(ctx context.Context) error {
	if q.river == nil {
		return errNotAttached
	}
	if q.cfg.Work && q.store.Engine() == store.SQLite {
		if err := q.rescueAtStart(ctx); err != nil {
			return err
		}
	}
	if err := q.river.start(ctx); err != nil {
		q.releaseWorkers()
		return err
	}
	return nil
}

// rescueAtStart takes the SQLite workers lock and, holding it, rescues the
// jobs left running. Without it (another process works this database), it
// rescues nothing.
func (q *Queue) rescueAtStart(ctx context.Context) error {
	release, held, err := lockWorkers(workersLockPath(q.store.SQLitePath()))
	if err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	if !held {
		q.cfg.Logger.InfoContext(ctx, "another process works this database's jobs: jobs a stopped process left running are left to the rescuer")
		return nil
	}
	q.releaseWorkersLock = release
	retried, discarded, err := rescueOrphans(ctx, q.river.executor, time.Now().UTC(), q.cfg.Logger)
	if err != nil {
		q.releaseWorkers()
		return fmt.Errorf("start job queue: %w", err)
	}
	if retried+discarded > 0 {
		q.cfg.Logger.InfoContext(ctx, "jobs a stopped process left running were put back on the queue",
			slog.Int("retried", retried), slog.Int("discarded", discarded))
	}
	return nil
}

func (q *Queue) releaseWorkers() {
	if q.releaseWorkersLock != nil {
		q.releaseWorkersLock()
		q.releaseWorkersLock = nil
	}
}

// Stop lets running jobs finish until ctx ends, then cancels them.
func (q *Queue) Stop(ctx context.Context) error {
	if q.river == nil {
		return nil // never attached, so never started
	}
	defer q.releaseWorkers()
	err := q.river.stop(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return err
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return q.river.stopHard(hard)
}

// Migrate applies River's own migrations on s's engine, on PostgreSQL as the
// role that owns the tables.
func Migrate(ctx context.Context, s *store.Store) (int, error) {
	if s.Engine() == store.Postgres {
		return migrate(ctx, riverpgxv5.New(s.PGOwnerPool()))
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
