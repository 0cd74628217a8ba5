package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// LeadScore is a prospect's lead_scores row.
type LeadScore struct {
	ID                 string          `json:"id"`
	ProspectID         string          `json:"prospect_id"`
	OverallScore       int             `json:"overall_score"`
	WebsiteOpportunity *int            `json:"website_opportunity"`
	ReviewStrength     *int            `json:"review_strength"`
	ContactQuality     *int            `json:"contact_quality"`
	TimingSignals      *int            `json:"timing_signals"`
	Tier               string          `json:"tier"`
	TierReason         *string         `json:"tier_reason"`
	ScoringFactors     json.RawMessage `json:"scoring_factors"`
	ScoredAt           time.Time       `json:"scored_at"`
}

// LeadScoreParams are the columns the score stage writes.
type LeadScoreParams struct {
	ProspectID                                                          string
	Overall, WebsiteOpportunity, ReviewStrength, ContactQuality, Timing int
	Tier, TierReason                                                    string
	Factors                                                             json.RawMessage
}

// UpsertLeadScore writes the one score row of a prospect.
func (tx *Tx) UpsertLeadScore(ctx context.Context, p LeadScoreParams) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO lead_scores (id, user_id, prospect_id, overall_score, website_opportunity,
		review_strength, contact_quality, timing_signals, tier, tier_reason, scoring_factors, scored_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (prospect_id) DO UPDATE SET overall_score = excluded.overall_score,
		  website_opportunity = excluded.website_opportunity, review_strength = excluded.review_strength,
		  contact_quality = excluded.contact_quality, timing_signals = excluded.timing_signals, tier = excluded.tier,
		  tier_reason = excluded.tier_reason, scoring_factors = excluded.scoring_factors, scored_at = excluded.scored_at`,
		NewID(), tx.UserID(), p.ProspectID, p.Overall, p.WebsiteOpportunity, p.ReviewStrength, p.ContactQuality, p.Timing,
		p.Tier, p.TierReason, txn.JSONArg(p.Factors), tx.Now())
	if err != nil {
		return txn.Wrap(err, "upsert lead score")
	}
	_, err = tx.Exec(ctx, `UPDATE prospects SET tier = $1, sort_score = $4 WHERE id = $2 AND user_id = $3`,
		p.Tier, p.ProspectID, tx.UserID(), p.Overall)
	return txn.Wrap(err, "set prospect tier")
}

// LeadScoreOf returns a prospect's score, or nil when it has none yet.
func (tx *Tx) LeadScoreOf(ctx context.Context, prospectID string) (*LeadScore, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	var s LeadScore
	var factors []byte
	err := tx.QueryRow(ctx, `SELECT id, prospect_id, overall_score, website_opportunity, review_strength, contact_quality,
		timing_signals, tier, tier_reason, scoring_factors, scored_at
		FROM lead_scores WHERE prospect_id = $1 AND user_id = $2`, prospectID, tx.UserID()).
		Scan(&s.ID, &s.ProspectID, &s.OverallScore, &s.WebsiteOpportunity, &s.ReviewStrength, &s.ContactQuality,
			&s.TimingSignals, &s.Tier, &s.TierReason, &factors, &s.ScoredAt)
	if errors.Is(err, ErrNotFound) {
		return nil, nil //nolint:nilnil // "not scored yet" is a normal state the API shows as null
	}
	if err != nil {
		return nil, txn.Wrap(err, "get lead score")
	}
	if len(factors) > 0 {
		s.ScoringFactors = factors
	}
	s.ScoredAt = s.ScoredAt.UTC()
	return &s, nil
}
