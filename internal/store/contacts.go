package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Contact is the spec's contacts row: a person (or role address) at a prospect.
type Contact struct {
	ID                      string    `json:"id"`
	ProspectID              string    `json:"prospect_id"`
	Name                    *string   `json:"name"`
	FirstName               *string   `json:"first_name"`
	LastName                *string   `json:"last_name"`
	Title                   *string   `json:"title"`
	Email                   *string   `json:"email"`
	EmailVerified           bool      `json:"email_verified"`
	EmailVerificationStatus *string   `json:"email_verification_status"`
	Phone                   *string   `json:"phone"`
	LinkedinURL             *string   `json:"linkedin_url"`
	IsPrimary               bool      `json:"is_primary"`
	IsDecisionMaker         bool      `json:"is_decision_maker"`
	Source                  *string   `json:"source"`
	CreatedAt               time.Time `json:"created_at"`
}

// NewContact is a contact to insert.
type NewContact struct {
	ProspectID      string
	Name            *string
	FirstName       *string
	LastName        *string
	Title           *string
	Email           *string
	Phone           *string
	LinkedinURL     *string
	IsPrimary       bool
	IsDecisionMaker bool
	Source          string
	// EmailVerificationStatus is valid, invalid, catch_all or unknown; nil
	// when not checked. EmailVerified is true only for valid.
	EmailVerificationStatus *string
}

func (c NewContact) verified() bool {
	return c.EmailVerificationStatus != nil && *c.EmailVerificationStatus == "valid"
}

const contactInsertColumns = 16

// InsertContacts inserts contacts in one statement.
func (tx *Tx) InsertContacts(ctx context.Context, cs []NewContact) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	cs, err := tx.withoutErased(ctx, cs)
	if err != nil || len(cs) == 0 {
		return err
	}
	var sb strings.Builder
	sb.WriteString(`INSERT INTO contacts (id, user_id, prospect_id, name, first_name, last_name, title, email, phone,
		is_primary, is_decision_maker, source, email_verified, created_at, linkedin_url, email_verification_status) VALUES `)
	args := make([]any, 0, len(cs)*contactInsertColumns)
	for i, c := range cs {
		if i > 0 {
			sb.WriteString(", ")
		}
		writePlaceholders(&sb, len(args), contactInsertColumns)
		args = append(args, NewID(), tx.UserID(), c.ProspectID, c.Name, c.FirstName, c.LastName, c.Title, c.Email, c.Phone,
			c.IsPrimary, c.IsDecisionMaker, c.Source, c.verified(), tx.Now(), c.LinkedinURL, c.EmailVerificationStatus)
	}
	_, err = tx.Exec(ctx, sb.String(), args...)
	return txn.Wrap(err, "insert contacts")
}

// ContactsOf lists a prospect's contacts, primary first.
func (tx *Tx) ContactsOf(ctx context.Context, prospectID string) ([]Contact, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	return txn.QueryAll(ctx, tx, "contacts", func(r txn.Row) (c Contact, err error) {
		err = r.Scan(&c.ID, &c.ProspectID, &c.Name, &c.FirstName, &c.LastName, &c.Title, &c.Email, &c.EmailVerified,
			&c.EmailVerificationStatus, &c.Phone, &c.LinkedinURL, &c.IsPrimary, &c.IsDecisionMaker, &c.Source, &c.CreatedAt)
		c.CreatedAt = c.CreatedAt.UTC()
		return c, err
	}, `SELECT id, prospect_id, name, first_name, last_name, title, email, email_verified, email_verification_status,
		 phone, linkedin_url, is_primary, is_decision_maker, source, created_at
		 FROM contacts WHERE prospect_id = $1 AND user_id = $2 ORDER BY is_primary DESC, id`, prospectID, tx.UserID())
}

func itoa(n int) string { return strconv.Itoa(n) }

// SaveFoundContacts records the contacts enrichment found for a prospect:
// each address is inserted or updated in place (so ids that outreach
// sequences point at stay stable), contacts found earlier but not now are
// dropped unless they came from the user or a sequence uses them, and
// exactly the ones marked primary in cs end up primary.
func (tx *Tx) SaveFoundContacts(ctx context.Context, prospectID string, cs []NewContact) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE contacts SET is_primary = FALSE WHERE prospect_id = $1 AND user_id = $2 AND is_primary`,
		prospectID, tx.UserID()); err != nil {
		return txn.Wrap(err, "clear primary contact")
	}
	cs, err := tx.withoutErased(ctx, cs)
	if err != nil {
		return err
	}
	var keepIDs []string
	for _, c := range cs {
		var id string
		err := tx.QueryRow(ctx, `INSERT INTO contacts (id, user_id, prospect_id, name, first_name, last_name, title, email, phone,
			is_primary, is_decision_maker, source, email_verified, created_at, linkedin_url, email_verification_status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
			ON CONFLICT (prospect_id, email) WHERE email IS NOT NULL DO UPDATE SET
			  name = coalesce(excluded.name, contacts.name), first_name = coalesce(excluded.first_name, contacts.first_name),
			  last_name = coalesce(excluded.last_name, contacts.last_name), title = coalesce(excluded.title, contacts.title),
			  phone = coalesce(excluded.phone, contacts.phone), linkedin_url = coalesce(excluded.linkedin_url, contacts.linkedin_url),
			  is_primary = excluded.is_primary, is_decision_maker = excluded.is_decision_maker,
			  email_verified = excluded.email_verified,
			  email_verification_status = coalesce(excluded.email_verification_status, contacts.email_verification_status)
			RETURNING id`,
			NewID(), tx.UserID(), prospectID, c.Name, c.FirstName, c.LastName, c.Title, c.Email, c.Phone,
			c.IsPrimary, c.IsDecisionMaker, c.Source, c.verified(), tx.Now(), c.LinkedinURL, c.EmailVerificationStatus).Scan(&id)
		if err != nil {
			return txn.Wrap(err, "save contact")
		}
		keepIDs = append(keepIDs, id)
	}
	w := txn.Where{}
	w.Add("prospect_id = ?", prospectID)
	w.Add("user_id = ?", tx.UserID())
	w.Add("source <> 'manual'")
	w.Add("id NOT IN (SELECT contact_id FROM outreach_sequences WHERE prospect_id = ?)", prospectID)
	if len(keepIDs) > 0 {
		ph := make([]string, len(keepIDs))
		args := make([]any, len(keepIDs))
		for i, id := range keepIDs {
			ph[i], args[i] = "?", id
		}
		w.Add("id NOT IN ("+strings.Join(ph, ", ")+")", args...)
	}
	_, err = tx.Exec(ctx, `DELETE FROM contacts WHERE `+w.SQL(), w.Args()...)
	return txn.Wrap(err, "drop stale contacts")
}
