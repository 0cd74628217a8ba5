package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/store"
)

// Reading the mailboxes' inboxes for replies and bounces: a periodic job
// every IMAP_POLL_INTERVAL (River's leader inserts it, so one instance
// does) lists the mailboxes with IMAP settings and queues one read per
// mailbox, unique while one waits or runs, so a slow inbox never gets a
// second reader from the queue; the read itself also takes the mailbox's
// lease in the database (sending.Service.ReadInbox), which is what holds
// when two instances or a rescued job race for one mailbox.

// ReadInboxWork reads one mailbox's inbox; sending.Service.ReadInbox, its
// result dropped, has this shape.
type ReadInboxWork func(ctx context.Context, userID, mailboxID string) error

// ReadInboxesArgs asks for a read of every mailbox with IMAP (periodic).
type ReadInboxesArgs struct{}

func (ReadInboxesArgs) Kind() string { return "read_inboxes" }

// ReadInboxArgs asks for a read of one mailbox's inbox.
type ReadInboxArgs struct {
	UserID    string `json:"user_id"`
	MailboxID string `json:"mailbox_id"`
}

func (ReadInboxArgs) Kind() string { return "read_inbox" }

// readInboxTimeout bounds one read: the reader's own bound (two minutes)
// and the lease's release.
const readInboxTimeout = 3 * time.Minute

// DefaultIMAPPollInterval is IMAP_POLL_INTERVAL's default.
const DefaultIMAPPollInterval = time.Minute

type readInboxesWorker struct {
	river.WorkerDefaults[ReadInboxesArgs]
	store  *store.Store
	queue  *Queue
	logger *slog.Logger
}

func (w *readInboxesWorker) Work(ctx context.Context, _ *river.Job[ReadInboxesArgs]) error {
	refs, err := w.store.MailboxesToRead(ctx)
	if err != nil {
		return fmt.Errorf("read inboxes: %w", err)
	}
	if len(refs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(refs))
	for i, r := range refs {
		params[i] = river.InsertManyParams{Args: ReadInboxArgs{UserID: r.UserID, MailboxID: r.ID},
			InsertOpts: &river.InsertOpts{MaxAttempts: 3, UniqueOpts: uniqueWhileWaiting}}
	}
	if err := w.queue.river.insertUnique(ctx, params); err != nil {
		return fmt.Errorf("queue inbox reads: %w", err)
	}
	return nil
}

type readInboxWorker struct {
	river.WorkerDefaults[ReadInboxArgs]
	work ReadInboxWork
}

func (w *readInboxWorker) Timeout(*river.Job[ReadInboxArgs]) time.Duration { return readInboxTimeout }

func (w *readInboxWorker) Work(ctx context.Context, job *river.Job[ReadInboxArgs]) error {
	return w.work(ctx, job.Args.UserID, job.Args.MailboxID)
}

// addInboxWorkers registers the inbox readers, when the app gave the work.
func (q *Queue) addInboxWorkers(ws *river.Workers, work ReadInboxWork) {
	if work == nil {
		return
	}
	river.AddWorker(ws, &readInboxesWorker{store: q.store, queue: q, logger: q.cfg.Logger})
	river.AddWorker(ws, &readInboxWorker{work: work})
}

// inboxPeriodicJob is the periodic read of every inbox.
func inboxPeriodicJob(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return ReadInboxesArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "read_inboxes"})
}
