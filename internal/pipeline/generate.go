package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/store"
)

// GenerateArgs asks for a prospect's outreach sequence draft.
type GenerateArgs struct {
	UserID     string `json:"user_id"`
	ProspectID string `json:"prospect_id"`
	// Manual drafting (the user asked) runs whatever the campaign's status
	// and replaces an open draft.
	Manual bool `json:"manual,omitempty"`
}

func (GenerateArgs) Kind() string { return "generate" }

// QueueGenerate is the queue drafting runs on: its concurrency is the cap
// on simultaneous writer-model calls from this instance.
const QueueGenerate = "generate"

func (GenerateArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueGenerate, MaxAttempts: 4}
}

// Drafter drafts one prospect's sequence; outreach.Generator implements it.
type Drafter interface {
	Generate(ctx context.Context, userID, prospectID string, manual bool) error
}

// GenerateWorker runs Drafter for a prospect.
type GenerateWorker struct {
	river.WorkerDefaults[GenerateArgs]
	Drafter Drafter
}

// Timeout covers the writer call with its retry, repair and fallback.
func (w *GenerateWorker) Timeout(*river.Job[GenerateArgs]) time.Duration { return 3 * time.Minute }

func (w *GenerateWorker) Work(ctx context.Context, job *river.Job[GenerateArgs]) error {
	if err := w.Drafter.Generate(ctx, job.Args.UserID, job.Args.ProspectID, job.Args.Manual); err != nil {
		return fmt.Errorf("generate job %d: %w", job.ID, err)
	}
	return nil
}

// EnqueueGenerate queues drafting for prospects in tx, in one batch.
func (q *Queue) EnqueueGenerate(ctx context.Context, tx *store.Tx, prospectIDs []string, manual bool) error {
	return q.insertEach(ctx, tx, "generate", prospectIDs, func(id string) river.JobArgs {
		return GenerateArgs{UserID: tx.UserID(), ProspectID: id, Manual: manual}
	})
}
