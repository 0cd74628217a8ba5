package store

import (
	"context"
	"strconv"
	"strings"
	"time"
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
	IsPrimary       bool
	IsDecisionMaker bool
	Source          string
}

const contactInsertColumns = 14

// InsertContacts inserts contacts in one statement.
func (tx *Tx) InsertContacts(ctx context.Context, cs []NewContact) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	if len(cs) == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString(`INSERT INTO contacts (id, user_id, prospect_id, name, first_name, last_name, title, email, phone,
		is_primary, is_decision_maker, source, email_verified, created_at) VALUES `)
	args := make([]any, 0, len(cs)*contactInsertColumns)
	for i, c := range cs {
		if i > 0 {
			sb.WriteString(", ")
		}
		writePlaceholders(&sb, len(args), contactInsertColumns)
		args = append(args, NewID(), tx.userID, c.ProspectID, c.Name, c.FirstName, c.LastName, c.Title, c.Email, c.Phone,
			c.IsPrimary, c.IsDecisionMaker, c.Source, false, tx.now)
	}
	_, err := tx.q.exec(ctx, sb.String(), args...)
	return wrap(err, "insert contacts")
}

// ContactsOf lists a prospect's contacts, primary first.
func (tx *Tx) ContactsOf(ctx context.Context, prospectID string) ([]Contact, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, err
	}
	rows, err := tx.q.query(ctx,
		`SELECT id, prospect_id, name, first_name, last_name, title, email, email_verified, email_verification_status,
		 phone, linkedin_url, is_primary, is_decision_maker, source, created_at
		 FROM contacts WHERE prospect_id = $1 AND user_id = $2 ORDER BY is_primary DESC, id`, prospectID, tx.userID)
	if err != nil {
		return nil, wrap(err, "list contacts")
	}
	defer rows.Close()
	out := []Contact{}
	for rows.Next() {
		var c Contact
		if err := rows.Scan(&c.ID, &c.ProspectID, &c.Name, &c.FirstName, &c.LastName, &c.Title, &c.Email, &c.EmailVerified,
			&c.EmailVerificationStatus, &c.Phone, &c.LinkedinURL, &c.IsPrimary, &c.IsDecisionMaker, &c.Source, &c.CreatedAt); err != nil {
			return nil, wrap(err, "scan contact")
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "list contacts")
}

func itoa(n int) string { return strconv.Itoa(n) }
