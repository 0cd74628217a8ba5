package store

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Profile is a user as the API shows them (the spec's profiles row).
type Profile struct {
	ID             string     `json:"id"`
	Email          string     `json:"email"`
	FullName       *string    `json:"full_name"`
	CompanyName    *string    `json:"company_name"`
	Plan           string     `json:"plan"`
	LeadCredits    int        `json:"lead_credits"`
	CreditsResetAt *time.Time `json:"credits_reset_at"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Credentials are what login checks. They live outside the tenant tables
// because login must find them before it knows the tenant.
type Credentials struct {
	UserID       string
	PasswordHash string
}

// CreateUserParams describe a new account. ID must equal the transaction's
// tenant: on PostgreSQL the profile row is checked against it.
type CreateUserParams struct {
	ID           string
	Email        string
	PasswordHash string
	FullName     *string
	CompanyName  *string
	Plan         string
	LeadCredits  int
	// GrantReason is the ledger's reason for the first LeadCredits
	// ("starter plan: 500 free credits a month").
	GrantReason string
}

// CreateUser inserts the credentials and the profile. A taken email is a
// *ConflictError mentioning "email".
func (tx *Tx) CreateUser(ctx context.Context, p CreateUserParams) (Profile, error) {
	if err := tx.RequireTenant(); err != nil {
		return Profile{}, err
	}
	if _, err := tx.Exec(ctx,
		`INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
		p.ID, p.Email, p.PasswordHash, tx.Now()); err != nil {
		return Profile{}, txn.Wrap(err, "insert user")
	}
	if _, err := tx.Exec(ctx,
		`INSERT INTO profiles (id, email, full_name, company_name, plan, lead_credits, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		p.ID, p.Email, p.FullName, p.CompanyName, p.Plan, p.LeadCredits, tx.Now()); err != nil {
		return Profile{}, txn.Wrap(err, "insert profile")
	}
	if err := tx.OpenAccount(ctx, p.LeadCredits, p.GrantReason); err != nil {
		return Profile{}, err
	}
	return tx.Profile(ctx)
}

// CredentialsByEmail finds a login by its normalized email.
func (tx *Tx) CredentialsByEmail(ctx context.Context, email string) (Credentials, error) {
	var c Credentials
	err := tx.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE email = $1`, email).
		Scan(&c.UserID, &c.PasswordHash)
	return c, txn.Wrap(err, "credentials by email")
}

// SetPasswordHash replaces a user's hash (after a parameter upgrade).
func (tx *Tx) SetPasswordHash(ctx context.Context, userID, hash string) error {
	_, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, userID, hash, tx.Now())
	return txn.Wrap(err, "set password hash")
}

// Profile returns the tenant's own profile.
func (tx *Tx) Profile(ctx context.Context) (Profile, error) {
	if err := tx.RequireTenant(); err != nil {
		return Profile{}, err
	}
	var p Profile
	err := tx.QueryRow(ctx,
		`SELECT id, email, full_name, company_name, plan, lead_credits, credits_reset_at, created_at
		 FROM profiles WHERE id = $1`, tx.UserID()).
		Scan(&p.ID, &p.Email, &p.FullName, &p.CompanyName, &p.Plan, &p.LeadCredits, &p.CreditsResetAt, &p.CreatedAt)
	p.CreatedAt = p.CreatedAt.UTC()
	txn.UTCOptional(&p.CreditsResetAt)
	return p, txn.Wrap(err, "get profile")
}

// CredentialsByID finds a login by its user id, to confirm the password
// before an irreversible request.
func (tx *Tx) CredentialsByID(ctx context.Context, userID string) (Credentials, error) {
	var c Credentials
	err := tx.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE id = $1`, userID).Scan(&c.UserID, &c.PasswordHash)
	return c, txn.Wrap(err, "credentials by id")
}
