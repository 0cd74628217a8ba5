package mailstore

import (
	"context"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Webhook deliveries (migration 0017) and what an Instantly event names:
// its campaign, its lead's sequence and the message of a step.

// AddReceipt records that a webhook delivery with key from source was
// applied; created is false when it was recorded before (a repeated
// delivery, which must change nothing).
func (tx *Mail) AddReceipt(ctx context.Context, source, key, eventType string) (created bool, err error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	n, err := tx.Exec(ctx, `INSERT INTO webhook_receipts (user_id, source, key, event_type, received_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, source, key) DO NOTHING`, tx.UserID(), source, key, eventType, tx.Now())
	return n == 1, txn.Wrap(err, "add webhook receipt")
}

// CampaignOfInstantly is the tenant's campaign that Instantly's campaign
// instantlyID sends.
func (tx *Mail) CampaignOfInstantly(ctx context.Context, instantlyID string) (string, error) {
	if err := tx.RequireTenant(); err != nil {
		return "", err
	}
	var id string
	err := tx.QueryRow(ctx, `SELECT campaign_id FROM instantly_campaigns WHERE user_id = $1 AND instantly_id = $2`,
		tx.UserID(), instantlyID).Scan(&id)
	return id, txn.Wrap(err, "find campaign of instantly campaign")
}

// SequenceToLead is the tenant's latest sequence of a campaign to the
// contact at email (Instantly's lead).
func (tx *Mail) SequenceToLead(ctx context.Context, campaignID, email string) (OutreachSequence, error) {
	if err := tx.RequireTenant(); err != nil {
		return OutreachSequence{}, err
	}
	o, err := scanOutreach(tx.QueryRow(ctx, `SELECT `+outreachColumns+` FROM outreach_sequences
		WHERE user_id = $1 AND campaign_id = $2 AND status <> 'draft'
		  AND contact_id IN (SELECT id FROM contacts WHERE user_id = $1 AND lower(email) = $3)
		ORDER BY id DESC LIMIT 1`, tx.UserID(), campaignID, strings.ToLower(strings.TrimSpace(email))))
	return o, txn.Wrap(err, "find sequence of lead")
}

// MessageOfStep is a sequence's message of one step.
func (tx *Mail) MessageOfStep(ctx context.Context, sequenceID string, step int) (Message, error) {
	if err := tx.RequireTenant(); err != nil {
		return Message{}, err
	}
	m, err := scanMessage(tx.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE user_id = $1 AND sequence_id = $2 AND step = $3`,
		tx.UserID(), sequenceID, step))
	return m, txn.Wrap(err, "get message of step %d", step)
}

// MarkProviderSent records that the provider (Instantly) sent a scheduled
// message at at, as providerID; ok is false when it was not scheduled
// (already recorded sent, or ended).
func (tx *Mail) MarkProviderSent(ctx context.Context, id, providerID string, at time.Time) (Message, bool, error) {
	return tx.moveMessage(ctx, id, []string{MessageScheduled}, `status = 'sent', status_reason = NULL, sent_at = $4, provider_id = $5`,
		at.UTC(), txn.NullIfEmpty(providerID))
}
