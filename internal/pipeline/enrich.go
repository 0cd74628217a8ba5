package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/store"
)

// EnrichArgs asks for one prospect's enrichment.
type EnrichArgs struct {
	UserID     string `json:"user_id"`
	CampaignID string `json:"campaign_id,omitempty"`
	ProspectID string `json:"prospect_id"`
	// Manual enrichment (the user asked for this prospect) runs whatever the
	// campaign's status; pipeline enrichment waits while it is paused.
	Manual bool `json:"manual,omitempty"`
}

func (EnrichArgs) Kind() string { return "enrich" }

// QueueEnrich is the queue enrichment jobs run on, so their concurrency is
// bounded apart from discovery's.
const QueueEnrich = "enrich"

func (EnrichArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueEnrich, MaxAttempts: 4}
}

// Enricher enriches one prospect; the enrich package implements it.
type Enricher interface {
	Enrich(ctx context.Context, userID, prospectID string, manual bool) error
}

// EnrichWorker runs Enricher for a prospect, at most perCampaign at a time
// for any one campaign on this instance, so one big campaign does not starve
// the others (the queue's MaxWorkers bounds the total).
type EnrichWorker struct {
	river.WorkerDefaults[EnrichArgs]
	Enricher    Enricher
	PerCampaign int

	mu       sync.Mutex
	inFlight map[string]int
}

// Timeout covers up to five page fetches, PageSpeed and Hunter calls.
func (w *EnrichWorker) Timeout(*river.Job[EnrichArgs]) time.Duration { return 5 * time.Minute }

func (w *EnrichWorker) Work(ctx context.Context, job *river.Job[EnrichArgs]) error {
	if !w.acquire(job.Args.CampaignID) {
		// Another job of this campaign holds its share: try again shortly
		// rather than hold a worker slot waiting.
		return river.JobSnooze(500 * time.Millisecond)
	}
	defer w.release(job.Args.CampaignID)
	if err := w.Enricher.Enrich(ctx, job.Args.UserID, job.Args.ProspectID, job.Args.Manual); err != nil {
		return fmt.Errorf("enrich job %d: %w", job.ID, err)
	}
	return nil
}

func (w *EnrichWorker) acquire(campaignID string) bool {
	if campaignID == "" || w.PerCampaign <= 0 {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inFlight == nil {
		w.inFlight = map[string]int{}
	}
	if w.inFlight[campaignID] >= w.PerCampaign {
		return false
	}
	w.inFlight[campaignID]++
	return true
}

func (w *EnrichWorker) release(campaignID string) {
	if campaignID == "" || w.PerCampaign <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inFlight[campaignID]--; w.inFlight[campaignID] <= 0 {
		delete(w.inFlight, campaignID)
	}
}

// EnqueueEnrich queues enrichment for prospects in tx, in one batch.
func (q *Queue) EnqueueEnrich(ctx context.Context, tx *store.Tx, prospectIDs []string, manual bool) error {
	if len(prospectIDs) == 0 {
		return nil
	}
	campaignIDs, err := tx.CampaignsOfProspects(ctx, prospectIDs)
	if err != nil {
		return err
	}
	return q.insertEach(ctx, tx, "enrich", prospectIDs, func(id string) river.JobArgs {
		return EnrichArgs{UserID: tx.UserID(), CampaignID: campaignIDs[id], ProspectID: id, Manual: manual}
	})
}
