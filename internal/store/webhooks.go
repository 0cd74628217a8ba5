package store

import (
	"context"
	"strings"
	"time"
)

// Webhook deliveries (migration 0017) and what an Instantly event names:
// its campaign, its lead's sequence and the message of a step.

// AddReceipt records that a webhook delivery with key from source was
// applied; created is false when it was recorded before (a repeated
// delivery, which must change nothing).
func (tx *Tx) AddReceipt(ctx context.Context, source, key, eventType string) (created bool, err error) {
	if err := tx.requireTenant(); err != nil {
		return false, err
	}
	n, err := tx.q.exec(ctx, `INSERT INTO webhook_receipts (user_id, source, key, event_type, received_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, source, key) DO NOTHING`, tx.userID, source, key, eventType, tx.now)
	return n == 1, wrap(err, "add webhook receipt")
}

// CampaignOfInstantly is the tenant's campaign that Instantly's campaign
// instantlyID sends.
func (tx *Tx) CampaignOfInstantly(ctx context.Context, instantlyID string) (string, error) {
	if err := tx.requireTenant(); err != nil {
		return "", err
	}
	var id string
	err := tx.q.queryRow(ctx, `SELECT campaign_id FROM instantly_campaigns WHERE user_id = $1 AND instantly_id = $2`,
		tx.userID, instantlyID).Scan(&id)
	return id, wrap(err, "find campaign of instantly campaign")
}

// SequenceToLead is the tenant's latest sequence of a campaign to the
// contact at email (Instantly's lead).
func (tx *Tx) SequenceToLead(ctx context.Context, campaignID, email string) (OutreachSequence, error) {
	if err := tx.requireTenant(); err != nil {
		return OutreachSequence{}, err
	}
	o, err := scanOutreach(tx.q.queryRow(ctx, `SELECT `+outreachColumns+` FROM outreach_sequences
		WHERE user_id = $1 AND campaign_id = $2 AND status <> 'draft'
		  AND contact_id IN (SELECT id FROM contacts WHERE user_id = $1 AND lower(email) = $3)
		ORDER BY id DESC LIMIT 1`, tx.userID, campaignID, strings.ToLower(strings.TrimSpace(email))))
	return o, wrap(err, "find sequence of lead")
}

// MessageOfStep is a sequence's message of one step.
func (tx *Tx) MessageOfStep(ctx context.Context, sequenceID string, step int) (Message, error) {
	if err := tx.requireTenant(); err != nil {
		return Message{}, err
	}
	m, err := scanMessage(tx.q.queryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE user_id = $1 AND sequence_id = $2 AND step = $3`,
		tx.userID, sequenceID, step))
	return m, wrap(err, "get message of step %d", step)
}

// MarkProviderSent records that the provider (Instantly) sent a scheduled
// message at at, as providerID; ok is false when it was not scheduled
// (already recorded sent, or ended).
func (tx *Tx) MarkProviderSent(ctx context.Context, id, providerID string, at time.Time) (Message, bool, error) {
	return tx.moveMessage(ctx, id, []string{MessageScheduled}, `status = 'sent', status_reason = NULL, sent_at = $4, provider_id = $5`,
		at.UTC(), NullIfEmpty(providerID))
}
