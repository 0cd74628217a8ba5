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
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// Qualifier is the score stage: it scores an enriched prospect, stores the
// score, moves the prospect to qualified or disqualified and, when the
// prospect is one to write to, queues drafting in the same transaction.
type Qualifier struct {
	store    *store.Store
	logger   *slog.Logger
	handoff  stage.Handoff
	adjuster *Adjuster
	now      func() time.Time
}

// QualifierConfig is what a Qualifier needs; Store, Logger and Handoff are
// required.
type QualifierConfig struct {
	Store  *store.Store
	Logger *slog.Logger
	// Handoff queues drafting for prospects that qualified for outreach.
	Handoff stage.Handoff
	// Adjuster lets the analyst model nudge the score; nil: formulas alone.
	Adjuster *Adjuster
	// Now is the clock the year-based signals are measured against; nil
	// is time.Now.
	Now func() time.Time
}

// NewQualifier checks cfg and builds the score stage.
func NewQualifier(cfg QualifierConfig) (*Qualifier, error) {
	if cfg.Store == nil || cfg.Logger == nil || cfg.Handoff == nil {
		return nil, errors.New("qualifier: Store, Logger and Handoff are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Qualifier{store: cfg.Store, logger: cfg.Logger, handoff: cfg.Handoff, adjuster: cfg.Adjuster, now: cfg.Now}, nil
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
	err := records(q.store).Read(ctx, userID, func(tx Records) error {
		p, c, err := tx.ProspectAndCampaign(ctx, prospectID)
		if err != nil {
			return err
		}
		if !stage.Due(manual, c, p, store.ProspectEnriched) {
			return nil
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
	if q.adjuster != nil && !s.Disqualified && (research.Summary != "" || len(research.PainPoints) > 0) {
		adjusted, _, err := q.adjuster.Suggest(ctx, s, research)
		switch {
		case errors.Is(err, agent.ErrNoKey):
			// Claude is off for this user: the formula score stands, as designed.
		case err != nil:
			// The formula score stands; the model is an optional refinement.
			q.logger.WarnContext(ctx, "score adjustment skipped", "prospect_id", prospectID, "error_kind", agent.FailureKind(err))
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
	err = records(q.store).Write(ctx, userID, func(tx Records) error {
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
			if err := tx.AddCampaignCounters(ctx, p.CampaignID, store.CampaignCounters{Qualified: delta}); err != nil {
				return err
			}
			p.Status = to
		}
		c, err := tx.Campaign(ctx, p.CampaignID)
		if err != nil {
			return err
		}
		if p.Status == store.ProspectQualified && settings.StoredTargeting(c.TargetCriteria).DraftsFor(s.Tier) {
			if err := q.handoff.Next(ctx, tx, []string{prospectID}, false); err != nil {
				return err
			}
		}
		return q.handoff.CompleteIfDone(ctx, tx, p.CampaignID)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted while we worked
	}
	if err != nil {
		return fmt.Errorf("score %s: save: %w", prospectID, err)
	}
	return nil
}
