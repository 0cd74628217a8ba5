package mailstore

import (
	"context"
	"errors"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// InstantlySync is what Prospector knows of the Instantly campaign that
// sends one of its campaigns: Instantly's id once created, the status last
// mirrored to it ("active", "paused" or "" before the first), and the last
// error Instantly answered, shown in the campaign's sending problems.
type InstantlySync struct {
	CampaignID  string
	InstantlyID string
	Mirrored    string
	LastError   string
}

// LeaseInstantlySync takes the right to talk to Instantly for a campaign
// until until, so that two syncs never run at once (two would create two
// Instantly campaigns). ok is false while another sync holds it.
func (tx *Mail) LeaseInstantlySync(ctx context.Context, campaignID string, until time.Time) (s InstantlySync, ok bool, err error) {
	if err := tx.RequireTenant(); err != nil {
		return InstantlySync{}, false, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO instantly_campaigns (campaign_id, user_id, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (campaign_id) DO NOTHING`, campaignID, tx.UserID(), tx.Now()); err != nil {
		return InstantlySync{}, false, txn.Wrap(err, "lease instantly sync %s", campaignID)
	}
	var id, lastError *string
	var leased *time.Time
	err = tx.QueryRow(ctx, `SELECT instantly_id, mirrored, last_error, leased_until FROM instantly_campaigns
		WHERE campaign_id = $1 AND user_id = $2`+tx.ForUpdate(), campaignID, tx.UserID()).
		Scan(&id, &s.Mirrored, &lastError, &leased)
	if err != nil {
		return InstantlySync{}, false, txn.Wrap(err, "lease instantly sync %s", campaignID)
	}
	s.CampaignID, s.InstantlyID, s.LastError = campaignID, txn.OrEmpty(id), txn.OrEmpty(lastError)
	if leased != nil && leased.After(tx.Now()) {
		return s, false, nil
	}
	_, err = tx.Exec(ctx, `UPDATE instantly_campaigns SET leased_until = $3, updated_at = $4 WHERE campaign_id = $1 AND user_id = $2`,
		campaignID, tx.UserID(), until.UTC(), tx.Now())
	return s, err == nil, txn.Wrap(err, "lease instantly sync %s", campaignID)
}

// InstantlySyncOf reads a campaign's Instantly state; a campaign never
// synced has the zero state.
func (tx *Mail) InstantlySyncOf(ctx context.Context, campaignID string) (InstantlySync, error) {
	if err := tx.RequireTenant(); err != nil {
		return InstantlySync{}, err
	}
	s := InstantlySync{CampaignID: campaignID}
	var id, lastError *string
	err := tx.QueryRow(ctx, `SELECT instantly_id, mirrored, last_error FROM instantly_campaigns
		WHERE campaign_id = $1 AND user_id = $2`, campaignID, tx.UserID()).Scan(&id, &s.Mirrored, &lastError)
	if errors.Is(err, txn.ErrNotFound) {
		return s, nil
	}
	s.InstantlyID, s.LastError = txn.OrEmpty(id), txn.OrEmpty(lastError)
	return s, txn.Wrap(err, "get instantly sync %s", campaignID)
}

// SetInstantlyID records the Instantly campaign created for a campaign, at
// once, so that a sync that fails later never creates a second.
func (tx *Mail) SetInstantlyID(ctx context.Context, campaignID, instantlyID string) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE instantly_campaigns SET instantly_id = $3, updated_at = $4 WHERE campaign_id = $1 AND user_id = $2`,
		campaignID, tx.UserID(), instantlyID, tx.Now())
	return txn.Wrap(err, "set instantly id %s", campaignID)
}

// EndInstantlySync records how a sync ended (the status it mirrored, the
// error Instantly answered or "") and gives up its lease.
func (tx *Mail) EndInstantlySync(ctx context.Context, campaignID, mirrored, lastError string) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE instantly_campaigns SET mirrored = $3, last_error = $4, leased_until = NULL, updated_at = $5
		WHERE campaign_id = $1 AND user_id = $2`, campaignID, tx.UserID(), mirrored, txn.NullIfEmpty(lastError), tx.Now())
	return txn.Wrap(err, "end instantly sync %s", campaignID)
}

// MarkPushed records that an approved sequence is now Instantly's to send,
// as the lead leadID: it becomes scheduled.
func (tx *Mail) MarkPushed(ctx context.Context, sequenceID, leadID string) (bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	n, err := tx.Exec(ctx, `UPDATE outreach_sequences SET status = 'scheduled', instantly_lead_id = $3, updated_at = $4
		WHERE id = $1 AND user_id = $2 AND status = 'approved'`, sequenceID, tx.UserID(), txn.NullIfEmpty(leadID), tx.Now())
	return n == 1, txn.Wrap(err, "mark sequence %s pushed", sequenceID)
}
