package campaign

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/store"
)

// Enqueuer puts a campaign's work on the job queue inside the caller's
// transaction, so the work exists exactly when the status change commits.
type Enqueuer interface {
	EnqueueDiscovery(ctx context.Context, tx store.Handle, campaignID string) error
	EnqueueEnrich(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error
	EnqueueScore(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error
	EnqueueGenerate(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error
}

// SendingNotifier tells sending, inside the caller's transaction, that a
// campaign started, paused or changed its sending settings: it schedules
// the approved sequences waiting for the campaign to run and queues its
// scheduled messages again, or syncs the campaign with Instantly.
type SendingNotifier interface {
	SendingChanged(ctx context.Context, tx store.Handle, campaignID string) error
}

// Start sets a campaign running and queues its discovery, and the next
// stage of every prospect still waiting for one (imported ones too). Starting needs a
// lead credit when discovery is asked for; a running campaign cannot start.
func (s *Service) Start(ctx context.Context, userID, id string) (store.Campaign, error) {
	var c store.Campaign
	err := records(s.Store).WriteRetrying(ctx, userID, func(tx Records) error {
		cur, err := lockCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Status == store.CampaignRunning {
			return apperr.Conflict("The campaign is already running.")
		}
		if settings.StoredTargeting(cur.TargetCriteria).WantsDiscovery() {
			credits, err := tx.LeadCredits(ctx)
			if err != nil {
				return err
			}
			status, err := tx.SubscriptionStatus(ctx)
			if err != nil {
				return err
			}
			if billing.PastDue(status) {
				return apperr.New(apperr.CodeInsufficientCredits, billing.PastDueMessage)
			}
			if credits <= 0 {
				return apperr.New(apperr.CodeInsufficientCredits, "You have no lead credits left; buy more or wait for your plan to renew.")
			}
		}
		if c, err = tx.SetCampaignStatus(ctx, id, store.CampaignRunning, nil); err != nil {
			return err
		}
		if err := tx.MarkDiscoveryFinished(ctx, id, false); err != nil {
			return err
		}
		// Every prospect resumes at the stage it waits for. A qualified one
		// may need no draft (tier, contact); the generate job decides.
		for _, stage := range []struct {
			status  string
			enqueue func(context.Context, store.Handle, []string, bool) error
		}{
			{store.ProspectDiscovered, s.Jobs.EnqueueEnrich},
			{store.ProspectEnriched, s.Jobs.EnqueueScore},
			{store.ProspectQualified, s.Jobs.EnqueueGenerate},
		} {
			waiting, err := tx.ProspectIDsWithStatus(ctx, id, stage.status)
			if err != nil {
				return err
			}
			if err := stage.enqueue(ctx, tx, waiting, false); err != nil {
				return err
			}
		}
		if err := s.Sending.SendingChanged(ctx, tx, id); err != nil {
			return err
		}
		return s.Jobs.EnqueueDiscovery(ctx, tx, id)
	})
	if err != nil {
		return store.Campaign{}, fmt.Errorf("start campaign: %w", err)
	}
	return c, nil
}

// Pause stops a running campaign; its jobs notice within a page of work and
// stop, and Start resumes where they were.
func (s *Service) Pause(ctx context.Context, userID, id string) (store.Campaign, error) {
	var c store.Campaign
	err := records(s.Store).WriteRetrying(ctx, userID, func(tx Records) error {
		cur, err := lockCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Status != store.CampaignRunning {
			return apperr.Conflict("Only a running campaign can be paused; this one is %s.", cur.Status)
		}
		if c, err = tx.SetCampaignStatus(ctx, id, store.CampaignPaused, nil); err != nil {
			return err
		}
		return s.Sending.SendingChanged(ctx, tx, id) // Instantly pauses too
	})
	if err != nil {
		return store.Campaign{}, fmt.Errorf("pause campaign: %w", err)
	}
	return c, nil
}

// Stats are a campaign's progress, as GET /api/campaigns/{id}/stats shows it.
type Stats struct {
	CampaignID     string                            `json:"campaign_id"`
	Status         string                            `json:"status"`
	StatusReason   *string                           `json:"status_reason"`
	LeadsFound     int                               `json:"leads_found"`
	LeadsEnriched  int                               `json:"leads_enriched"`
	LeadsQualified int                               `json:"leads_qualified"`
	OutreachSent   int                               `json:"outreach_sent"`
	ByStatus       map[string]int                    `json:"by_status"`
	ByTier         map[string]int                    `json:"by_tier"`
	Outreach       store.OutreachCounts              `json:"outreach"`
	Sources        map[string]discovery.SourceReport `json:"sources"`
}

// Stats gathers a campaign's counters.
func (s *Service) Stats(ctx context.Context, userID, id string) (Stats, error) {
	var st Stats
	err := records(s.Store).Read(ctx, userID, func(tx Records) error {
		c, err := campaignOf(ctx, tx, id)
		if err != nil {
			return err
		}
		counts, err := tx.CampaignStats(ctx, id)
		if err != nil {
			return err
		}
		st = Stats{CampaignID: c.ID, Status: c.Status, StatusReason: c.StatusReason, LeadsFound: c.LeadsFound,
			LeadsEnriched: c.LeadsEnriched, LeadsQualified: c.LeadsQualified, OutreachSent: c.OutreachSent,
			ByStatus: counts.ByStatus, ByTier: counts.ByTier, Outreach: counts.Outreach, Sources: map[string]discovery.SourceReport{}}
		if len(c.DiscoverySources) > 0 {
			if err := json.Unmarshal(c.DiscoverySources, &st.Sources); err != nil {
				return fmt.Errorf("read discovery sources: %w", err)
			}
		}
		return nil
	})
	return st, err
}
