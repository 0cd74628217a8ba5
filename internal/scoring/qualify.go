package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/store"
)

// Qualifier is the score stage: it scores an enriched prospect, stores the
// score, moves the prospect to qualified or disqualified and, when the
// prospect is one to write to, queues drafting in the same transaction.
type Qualifier struct {
	Store  *store.Store
	Logger *slog.Logger
	// Adjuster lets the analyst model nudge the score; nil: formulas alone.
	Adjuster *Adjuster
	Now      func() time.Time
	// Next queues drafting for prospects that qualified for outreach.
	Next interface {
		EnqueueGenerate(ctx context.Context, tx *store.Tx, prospectIDs []string, manual bool) error
	}
}

// rescorable are the statuses a score may move a prospect between. Later
// stages (outreach_pending, contacted) keep their status; their score and
// tier are still refreshed.
var rescorable = []string{store.ProspectEnriched, store.ProspectQualified, store.ProspectDisqualified}

// Score scores one prospect. Pipeline scoring (manual false) waits while
// the campaign is not running and skips prospects past this stage; a
// user's request rescores whatever the status.
func (q *Qualifier) Score(ctx context.Context, userID, prospectID string, manual bool) error {
	ctx = providers.WithAccount(ctx, userID)
	var in Input
	var targeting settings.Targeting
	var research AdjustInput
	proceed := false
	err := q.Store.Read(ctx, userID, func(tx *store.Tx) error {
		p, err := tx.Prospect(ctx, prospectID)
		if err != nil {
			return err
		}
		c, err := tx.Campaign(ctx, p.CampaignID)
		if err != nil {
			return err
		}
		if !manual && (c.Status != store.CampaignRunning || p.Status != store.ProspectEnriched) {
			return nil // paused (Start queues it again) or a duplicate job
		}
		e, err := tx.EnrichmentOf(ctx, prospectID)
		if err != nil {
			return err
		}
		contacts, err := tx.ContactsOf(ctx, prospectID)
		if err != nil {
			return err
		}
		in, targeting, proceed = InputFrom(p, e, contacts, q.now()), settings.StoredTargeting(c.TargetCriteria), true
		research = AdjustInput{CompanyName: p.CompanyName, BusinessType: c.BusinessType}
		if e != nil {
			if e.CompanySummary != nil {
				research.Summary = *e.CompanySummary
			}
			research.PainPoints, research.Hooks = e.PainPoints, e.PersonalizationHooks
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) || err == nil && !proceed {
		return nil
	}
	if err != nil {
		return fmt.Errorf("score %s: %w", prospectID, err)
	}

	s := Compute(in, targeting)
	// The analyst weighs what research found against the formula; with no
	// research there is nothing beyond the formula's own inputs to weigh.
	if q.Adjuster != nil && !s.Disqualified && (research.Summary != "" || len(research.PainPoints) > 0) {
		adjusted, _, err := q.Adjuster.Suggest(ctx, s, research)
		switch {
		case errors.Is(err, agent.ErrNoKey):
			// Claude is off for this user: the formula score stands, as designed.
		case err != nil:
			// The formula score stands; the model is an optional refinement.
			q.logger().WarnContext(ctx, "score adjustment skipped", "prospect_id", prospectID, "error_kind", agent.FailureKind(err))
			s.Factors.Warnings = append(s.Factors.Warnings, "analyst adjustment unavailable ("+agent.FailureKind(err)+")")
		default:
			s = adjusted
		}
	}
	return q.save(ctx, userID, prospectID, s)
}

func (q *Qualifier) save(ctx context.Context, userID, prospectID string, s Score) error {
	factors, err := json.Marshal(s.Factors)
	if err != nil {
		return fmt.Errorf("score %s: %w", prospectID, err)
	}
	reason := s.TierReason
	err = q.Store.Write(ctx, userID, func(tx *store.Tx) error {
		p, err := tx.Prospect(ctx, prospectID)
		if err != nil {
			return err
		}
		if err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: prospectID, Overall: s.Overall,
			WebsiteOpportunity: s.WebsiteOpportunity, ReviewStrength: s.ReviewStrength, ContactQuality: s.ContactQuality,
			Timing: s.TimingSignals, Tier: s.Tier, TierReason: reason, Factors: factors}); err != nil {
			return err
		}
		to := store.ProspectQualified
		if s.Disqualified {
			to = store.ProspectDisqualified
		}
		if slices.Contains(rescorable, p.Status) && p.Status != to {
			if _, err := tx.AdvanceProspect(ctx, prospectID, []string{p.Status}, to); err != nil {
				return err
			}
			// leads_qualified counts prospects that are qualified or
			// beyond: a rescore that disqualifies takes one back.
			delta := 0
			if to == store.ProspectQualified {
				delta = 1
			} else if p.Status == store.ProspectQualified {
				delta = -1
			}
			if err := tx.AddCampaignCounters(ctx, p.CampaignID, 0, 0, delta, 0); err != nil {
				return err
			}
			p.Status = to
		}
		c, err := tx.Campaign(ctx, p.CampaignID)
		if err != nil {
			return err
		}
		targeting := settings.StoredTargeting(c.TargetCriteria)
		if p.Status == store.ProspectQualified && targeting.DraftsFor(s.Tier) && q.Next != nil {
			if err := q.Next.EnqueueGenerate(ctx, tx, []string{prospectID}, false); err != nil {
				return err
			}
		}
		_, err = tx.CompleteCampaignIfDone(ctx, p.CampaignID, targeting.OutreachTiers())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted while we worked
	}
	if err != nil {
		return fmt.Errorf("score %s: save: %w", prospectID, err)
	}
	return nil
}

func (q *Qualifier) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

func (q *Qualifier) logger() *slog.Logger {
	if q.Logger != nil {
		return q.Logger
	}
	return slog.Default()
}
