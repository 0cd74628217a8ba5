package mailstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Outreach sequence statuses. A draft is the only editable state; approval
// hands the sequence to sending.
// Once approved, a sequence is scheduled when its first message is, sent
// when that message goes, and ends replied, bounced, unsubscribed or
// stopped.
const (
	OutreachDraft        = "draft"
	OutreachApproved     = "approved"
	OutreachScheduled    = "scheduled"
	OutreachSent         = "sent"
	OutreachReplied      = "replied"
	OutreachBounced      = "bounced"
	OutreachUnsubscribed = "unsubscribed"
	OutreachStopped      = "stopped"
)

// OutreachStatuses are every status a sequence can have (the spec's list).
var OutreachStatuses = []string{OutreachDraft, OutreachApproved, OutreachScheduled, OutreachSent, OutreachReplied,
	OutreachBounced, OutreachUnsubscribed, OutreachStopped}

// OutreachSending are the statuses of a sequence that may still send.
var OutreachSending = []string{OutreachApproved, OutreachScheduled, OutreachSent}

// ErrNotDraft means a sequence can no longer change: it was approved (or
// sent), so editing or regenerating it would rewrite what the user signed off.
var ErrNotDraft = errors.New("store: sequence is not a draft")

// OutreachSequence is an outreach_sequences row; Emails is the list of
// steps ({step, delay_days, subject, body}) as stored.
type OutreachSequence struct {
	ID            string          `json:"id"`
	CampaignID    string          `json:"campaign_id"`
	ProspectID    string          `json:"prospect_id"`
	ContactID     string          `json:"contact_id"`
	SequenceType  string          `json:"sequence_type"`
	Status        string          `json:"status"`
	StatusReason  *string         `json:"status_reason"`
	Subject       *string         `json:"subject"`
	Emails        json.RawMessage `json:"emails"`
	GeneratedBy   *string         `json:"generated_by"`
	PromptVersion *string         `json:"prompt_version"`
	Checks        json.RawMessage `json:"checks"`
	ApprovedBy    *string         `json:"approved_by"`
	ApprovedAt    *time.Time      `json:"approved_at"`
	SentAt        *time.Time      `json:"sent_at"`
	Opens         int             `json:"opens"`
	Clicks        int             `json:"clicks"`
	Replies       int             `json:"replies"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     *time.Time      `json:"updated_at"`
}

// NewDraft is a drafted sequence to save.
type NewDraft struct {
	CampaignID, ProspectID, ContactID string
	SequenceType                      string
	Subject                           string
	Emails                            json.RawMessage
	GeneratedBy, PromptVersion        string
	Checks                            json.RawMessage
}

const outreachColumns = `id, campaign_id, prospect_id, contact_id, sequence_type, status, status_reason, subject, emails, generated_by,
	prompt_version, checks, approved_by, approved_at, sent_at, opens, clicks, replies, created_at, updated_at`

func scanOutreach(r txn.Row) (OutreachSequence, error) {
	var o OutreachSequence
	var emails, checks []byte
	err := r.Scan(&o.ID, &o.CampaignID, &o.ProspectID, &o.ContactID, &o.SequenceType, &o.Status, &o.StatusReason, &o.Subject, &emails,
		&o.GeneratedBy, &o.PromptVersion, &checks, &o.ApprovedBy, &o.ApprovedAt, &o.SentAt, &o.Opens, &o.Clicks,
		&o.Replies, &o.CreatedAt, &o.UpdatedAt)
	o.Emails = json.RawMessage(emails)
	if len(o.Emails) == 0 {
		o.Emails = json.RawMessage("[]")
	}
	if len(checks) > 0 {
		o.Checks = json.RawMessage(checks)
	}
	o.CreatedAt = o.CreatedAt.UTC()
	txn.UTCOptional(&o.ApprovedAt, &o.SentAt, &o.UpdatedAt)
	return o, err
}

// SaveDraft stores the draft for a prospect and contact, replacing the open
// draft if there is one (one open draft per pair, by a partial unique
// index). It returns ErrNotDraft when the pair already has an approved or
// sent sequence: regenerating never replaces what the user approved.
func (tx *Mail) SaveDraft(ctx context.Context, d NewDraft) (OutreachSequence, error) {
	if err := tx.RequireTenant(); err != nil {
		return OutreachSequence{}, err
	}
	var locked int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM outreach_sequences
		WHERE prospect_id = $1 AND contact_id = $2 AND user_id = $3 AND status <> 'draft'`,
		d.ProspectID, d.ContactID, tx.UserID()).Scan(&locked); err != nil {
		return OutreachSequence{}, txn.Wrap(err, "check sequences")
	}
	if locked > 0 {
		return OutreachSequence{}, ErrNotDraft
	}
	o, err := scanOutreach(tx.QueryRow(ctx, `INSERT INTO outreach_sequences (id, user_id, campaign_id, prospect_id,
		contact_id, sequence_type, status, subject, emails, generated_by, prompt_version, checks, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, $12, $12)
		ON CONFLICT (prospect_id, contact_id) WHERE status = 'draft' DO UPDATE SET sequence_type = excluded.sequence_type,
		  subject = excluded.subject, emails = excluded.emails, generated_by = excluded.generated_by,
		  prompt_version = excluded.prompt_version, checks = excluded.checks, updated_at = excluded.updated_at
		RETURNING `+outreachColumns,
		txn.NewID(), tx.UserID(), d.CampaignID, d.ProspectID, d.ContactID, d.SequenceType, d.Subject, txn.JSONArg(d.Emails),
		d.GeneratedBy, d.PromptVersion, txn.JSONArg(d.Checks), tx.Now()))
	return o, txn.Wrap(err, "save draft")
}

// OutreachFilter narrows a sequence list.
type OutreachFilter struct {
	CampaignID, ProspectID, Status string
}

// ListOutreach lists the tenant's sequences, newest first.
func (tx *Mail) ListOutreach(ctx context.Context, f OutreachFilter, page txn.Page) ([]OutreachSequence, string, error) {
	var conds []func(*txn.Where)
	for _, c := range [...]struct{ col, v string }{{"campaign_id", f.CampaignID}, {"prospect_id", f.ProspectID}, {"status", f.Status}} {
		if c.v != "" {
			conds = append(conds, func(w *txn.Where) { w.Add(c.col+" = ?", c.v) })
		}
	}
	return txn.ListTenant(ctx, tx.Tx, "outreach_sequences", outreachColumns, page, func(o OutreachSequence) string { return o.ID }, scanOutreach, conds...)
}

// Outreach returns one of the tenant's sequences.
func (tx *Mail) Outreach(ctx context.Context, id string) (OutreachSequence, error) {
	return txn.GetTenant(ctx, tx.Tx, "outreach_sequences", outreachColumns, "sequence", id, false, scanOutreach)
}

// EditDraft replaces a draft's steps (and their checks). It returns
// ErrNotDraft once the sequence has left draft.
func (tx *Mail) EditDraft(ctx context.Context, id, subject string, emails, checks json.RawMessage) (OutreachSequence, error) {
	o, err := tx.Outreach(ctx, id)
	if err != nil {
		return o, err
	}
	if o.Status != OutreachDraft {
		return o, ErrNotDraft
	}
	o, err = scanOutreach(tx.QueryRow(ctx, `UPDATE outreach_sequences SET subject = $3, emails = $4, checks = $5,
		updated_at = $6 WHERE id = $1 AND user_id = $2 AND status = 'draft' RETURNING `+outreachColumns,
		id, tx.UserID(), subject, txn.JSONArg(emails), txn.JSONArg(checks), tx.Now()))
	if errors.Is(err, txn.ErrNotFound) {
		return o, ErrNotDraft // approved between the read and the write
	}
	return o, txn.Wrap(err, "edit sequence %s", id)
}

// ApproveOutreach approves a draft as the tenant. Approving a sequence
// again while it is approved and sending (approved, scheduled, sent)
// changes nothing; a sequence that ended answers ErrNotDraft.
func (tx *Mail) ApproveOutreach(ctx context.Context, id string) (OutreachSequence, error) {
	o, err := tx.Outreach(ctx, id)
	if err != nil || slices.Contains(OutreachSending, o.Status) {
		return o, err
	}
	if o.Status != OutreachDraft {
		return o, ErrNotDraft
	}
	o, err = scanOutreach(tx.QueryRow(ctx, `UPDATE outreach_sequences SET status = 'approved', approved_by = $2,
		approved_at = $3, updated_at = $3 WHERE id = $1 AND user_id = $2 AND status = 'draft' RETURNING `+outreachColumns,
		id, tx.UserID(), tx.Now()))
	if errors.Is(err, txn.ErrNotFound) {
		return tx.Outreach(ctx, id) // approved concurrently
	}
	return o, txn.Wrap(err, "approve sequence %s", id)
}

// OutreachOf lists a prospect's sequences, newest first.
func (tx *Mail) OutreachOf(ctx context.Context, prospectID string) ([]OutreachSequence, error) {
	out, _, err := tx.ListOutreach(ctx, OutreachFilter{ProspectID: prospectID}, txn.Page{})
	return out, err
}
