package mailstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Suppression reasons, as the contract names them.
const (
	SuppressUnsubscribed = "unsubscribed"
	SuppressBounced      = "bounced"
	SuppressComplained   = "complained"
	SuppressManual       = "manual"
	SuppressErased       = "erased"
)

// Suppression is one address or one domain the tenant's mail must never go
// to. Exactly one of Email and Domain is set, lowercased.
type Suppression struct {
	ID        string    `json:"id"`
	Email     *string   `json:"email"`
	Domain    *string   `json:"domain"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

const suppressionColumns = `id, email, domain, reason, created_at`

func scanSuppression(r txn.Row) (Suppression, error) {
	var s Suppression
	err := r.Scan(&s.ID, &s.Email, &s.Domain, &s.Reason, &s.CreatedAt)
	return s, err
}

// AddSuppression suppresses an address or a domain (give one, lowercased)
// and returns its entry. An entry that already exists is returned as it
// was (created reports which), so suppressing twice changes nothing.
func (tx *Mail) AddSuppression(ctx context.Context, email, domain, reason string) (s Suppression, created bool, err error) {
	if err := tx.RequireTenant(); err != nil {
		return Suppression{}, false, err
	}
	column, value := "email", email
	if domain != "" {
		column, value = "domain", domain
	}
	// A new entry comes back from the INSERT itself; only an existing one
	// takes a second statement (unsubscribing is one round trip shorter).
	s, err = scanSuppression(tx.QueryRow(ctx,
		`INSERT INTO suppressions (id, user_id, email, domain, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT DO NOTHING RETURNING `+suppressionColumns,
		txn.NewID(), tx.UserID(), txn.NullIfEmpty(email), txn.NullIfEmpty(domain), reason, tx.Now()))
	if err == nil || !errors.Is(err, txn.ErrNotFound) {
		return s, err == nil, txn.Wrap(err, "add suppression")
	}
	s, err = scanSuppression(tx.QueryRow(ctx,
		`SELECT `+suppressionColumns+` FROM suppressions WHERE user_id = $1 AND `+column+` = $2`, tx.UserID(), value))
	return s, false, txn.Wrap(err, "add suppression")
}

// ListSuppressions lists the tenant's entries, newest first; query keeps
// those whose address or domain contains it.
func (tx *Mail) ListSuppressions(ctx context.Context, query string, page txn.Page) ([]Suppression, string, error) {
	var matching []func(*txn.Where)
	if query != "" {
		like := "%" + txn.EscapeLike(strings.ToLower(query)) + "%"
		matching = append(matching, func(w *txn.Where) { w.Add(`(email LIKE ? ESCAPE '\' OR domain LIKE ? ESCAPE '\')`, like, like) })
	}
	return txn.ListTenant(ctx, tx.Tx, "suppressions", suppressionColumns, page, func(s Suppression) string { return s.ID }, scanSuppression, matching...)
}

// DeleteSuppression removes one entry; ErrNotFound when the tenant has no
// such entry.
func (tx *Mail) DeleteSuppression(ctx context.Context, id string) error {
	return tx.DeleteTenant(ctx, "suppression "+id, `DELETE FROM suppressions WHERE id = $1 AND user_id = $2`, id, tx.UserID())
}

// Suppressed reports whether mail to email (lowercased) must not be sent:
// the address itself, its hash (an erased address) or its domain is on the
// tenant's list.
func (tx *Mail) Suppressed(ctx context.Context, email string) (bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	domain := email[strings.LastIndexByte(email, '@')+1:]
	var n int
	err := tx.QueryRow(ctx,
		`SELECT count(*) FROM suppressions WHERE user_id = $1 AND (email = $2 OR email = $4 OR domain = $3)`,
		tx.UserID(), email, domain, ErasedEmailKey(email)).Scan(&n)
	return n > 0, txn.Wrap(err, "check suppression")
}

// erasedPrefix marks a suppression entry that holds an erased address's
// hash instead of the address.
const erasedPrefix = "sha256:"

// ErasedEmailKey is how an erased address (lowercased) is kept: its SHA-256
// in hex, after "sha256:", in the suppression entry's email.
func ErasedEmailKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return erasedPrefix + hex.EncodeToString(sum[:])
}
