package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/store"
)

// DiscoveryArgs asks for a campaign's discovery run.
type DiscoveryArgs struct {
	UserID     string `json:"user_id"`
	CampaignID string `json:"campaign_id"`
}

func (DiscoveryArgs) Kind() string { return "discovery" }

// InsertOpts: one discovery per start. The campaign's status guards against
// a second concurrent run (a running campaign cannot be started), so no
// unique-job rule is needed; one would wrongly skip a restart inserted in
// the moment between a run finishing and River marking its job completed.
func (DiscoveryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5}
}

// DiscoveryWorker runs discovery.Runner for a campaign.
type DiscoveryWorker struct {
	river.WorkerDefaults[DiscoveryArgs]
	Runner *discovery.Runner
	Logger *slog.Logger
}

// Timeout leaves room for slow sources: Overpass alone may take minutes.
func (w *DiscoveryWorker) Timeout(*river.Job[DiscoveryArgs]) time.Duration { return 30 * time.Minute }

func (w *DiscoveryWorker) Work(ctx context.Context, job *river.Job[DiscoveryArgs]) error {
	outcome, err := w.Runner.Run(ctx, job.Args.UserID, job.Args.CampaignID)
	if err != nil {
		return fmt.Errorf("discovery job %d: %w", job.ID, err)
	}
	w.Logger.InfoContext(ctx, "discovery finished", slog.String("campaign_id", job.Args.CampaignID), slog.String("outcome", string(outcome)))
	return nil
}

// EnqueueDiscovery queues a campaign's discovery in tx.
func (q *Queue) EnqueueDiscovery(ctx context.Context, tx *store.Tx, campaignID string) error {
	return q.InsertTx(ctx, tx, DiscoveryArgs{UserID: tx.UserID(), CampaignID: campaignID}, nil)
}
