package mailstore

import (
	"context"
	"errors"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// SenderProfile is who the tenant's mail is from: the name and postal
// address CAN-SPAM requires in every message, a signature, and the time zone
// a campaign's schedule defaults to.
type SenderProfile struct {
	SenderName      string     `json:"sender_name"`
	CompanyName     string     `json:"company_name"`
	PostalAddress   string     `json:"postal_address"`
	Signature       string     `json:"signature"`
	DefaultTimezone string     `json:"default_timezone"`
	UpdatedAt       *time.Time `json:"updated_at"` // nil until first saved
}

// SenderProfile returns the tenant's sender profile; one never saved is
// the empty profile in UTC (not an error: nothing is sent until it is
// filled in, and the profile says so).
func (tx *Mail) SenderProfile(ctx context.Context) (SenderProfile, error) {
	if err := tx.RequireTenant(); err != nil {
		return SenderProfile{}, err
	}
	var p SenderProfile
	var updated time.Time
	err := tx.QueryRow(ctx,
		`SELECT sender_name, company_name, postal_address, signature, default_timezone, updated_at
		 FROM sender_profiles WHERE user_id = $1`, tx.UserID()).
		Scan(&p.SenderName, &p.CompanyName, &p.PostalAddress, &p.Signature, &p.DefaultTimezone, &updated)
	if errors.Is(err, txn.ErrNotFound) {
		return SenderProfile{DefaultTimezone: "UTC"}, nil
	}
	p.UpdatedAt = &updated
	return p, txn.Wrap(err, "get sender profile")
}

// PutSenderProfile stores the tenant's sender profile, replacing the last.
func (tx *Mail) PutSenderProfile(ctx context.Context, p SenderProfile) (SenderProfile, error) {
	if err := tx.RequireTenant(); err != nil {
		return SenderProfile{}, err
	}
	_, err := tx.Exec(ctx,
		`INSERT INTO sender_profiles (user_id, sender_name, company_name, postal_address, signature, default_timezone, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		 ON CONFLICT (user_id) DO UPDATE SET sender_name = excluded.sender_name, company_name = excluded.company_name,
		   postal_address = excluded.postal_address, signature = excluded.signature,
		   default_timezone = excluded.default_timezone, updated_at = excluded.updated_at`,
		tx.UserID(), p.SenderName, p.CompanyName, p.PostalAddress, p.Signature, p.DefaultTimezone, tx.Now())
	if err != nil {
		return SenderProfile{}, txn.Wrap(err, "put sender profile")
	}
	now := tx.Now()
	p.UpdatedAt = &now
	return p, nil
}
