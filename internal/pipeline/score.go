package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/store"
)

// ScoreArgs asks for one prospect's lead score.
type ScoreArgs struct {
	UserID     string `json:"user_id"`
	ProspectID string `json:"prospect_id"`
	// Manual scoring (the user asked) runs whatever the campaign's status.
	Manual bool `json:"manual,omitempty"`
}

func (ScoreArgs) Kind() string { return "score" }

func (ScoreArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 4} }

// Scorer scores one prospect; scoring.Qualifier implements it.
type Scorer interface {
	Score(ctx context.Context, userID, prospectID string, manual bool) error
}

// ScoreWorker runs Scorer for a prospect.
type ScoreWorker struct {
	river.WorkerDefaults[ScoreArgs]
	Scorer Scorer
}

// Timeout covers the optional analyst call with its retries.
func (w *ScoreWorker) Timeout(*river.Job[ScoreArgs]) time.Duration { return 2 * time.Minute }

func (w *ScoreWorker) Work(ctx context.Context, job *river.Job[ScoreArgs]) error {
	if err := w.Scorer.Score(ctx, job.Args.UserID, job.Args.ProspectID, job.Args.Manual); err != nil {
		return fmt.Errorf("score job %d: %w", job.ID, err)
	}
	return nil
}

// EnqueueScore queues scoring for prospects in tx, in one batch.
func (q *Queue) EnqueueScore(ctx context.Context, tx *store.Tx, prospectIDs []string, manual bool) error {
	return q.insertEach(ctx, tx, "score", prospectIDs, func(id string) river.JobArgs {
		return ScoreArgs{UserID: tx.UserID(), ProspectID: id, Manual: manual}
	})
}
