package accountstore

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Session is one login; its refresh tokens form one rotation family.
type Session struct {
	ID        string
	UserID    string
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// RefreshToken is a stored (hashed) refresh token with its session's state.
type RefreshToken struct {
	ID               string
	SessionID        string
	UserID           string
	ExpiresAt        time.Time
	UsedAt           *time.Time
	SessionRevokedAt *time.Time
	SessionExpiresAt time.Time
}

// CreateSessionParams describe a new login.
type CreateSessionParams struct {
	ID         string
	UserID     string
	CookieHash *string
	ExpiresAt  time.Time
}

// CreateSession records a login.
func (tx *Account) CreateSession(ctx context.Context, p CreateSessionParams) error {
	_, err := tx.Exec(ctx,
		`INSERT INTO sessions (id, user_id, cookie_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, p.UserID, p.CookieHash, tx.Now(), p.ExpiresAt.UTC())
	return txn.Wrap(err, "create session")
}

// CreateRefreshToken stores the hash of a new refresh token in a session's family.
func (tx *Account) CreateRefreshToken(ctx context.Context, sessionID, tokenHash string, expiresAt time.Time) error {
	_, err := tx.Exec(ctx,
		`INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		txn.NewID(), sessionID, tokenHash, tx.Now(), expiresAt.UTC())
	return txn.Wrap(err, "create refresh token")
}

// RefreshTokenByHash finds a refresh token, spent or not.
func (tx *Account) RefreshTokenByHash(ctx context.Context, tokenHash string) (RefreshToken, error) {
	var t RefreshToken
	err := tx.QueryRow(ctx,
		`SELECT r.id, r.session_id, s.user_id, r.expires_at, r.used_at, s.revoked_at, s.expires_at
		 FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
		 WHERE r.token_hash = $1`, tokenHash).
		Scan(&t.ID, &t.SessionID, &t.UserID, &t.ExpiresAt, &t.UsedAt, &t.SessionRevokedAt, &t.SessionExpiresAt)
	return t, txn.Wrap(err, "refresh token by hash")
}

// SpendRefreshToken marks a token used. It reports false when another
// request spent it first, so two concurrent refreshes cannot both win.
func (tx *Account) SpendRefreshToken(ctx context.Context, id string) (bool, error) {
	n, err := tx.Exec(ctx, `UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL`, id, tx.Now())
	return n == 1, txn.Wrap(err, "spend refresh token")
}

// RevokeSession ends a login: its cookie, access tokens and refresh family.
func (tx *Account) RevokeSession(ctx context.Context, sessionID, reason string) error {
	_, err := tx.Exec(ctx,
		`UPDATE sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
		sessionID, tx.Now(), reason)
	return txn.Wrap(err, "revoke session")
}

// ActiveSession returns the session if it is neither revoked nor expired.
func (tx *Account) ActiveSession(ctx context.Context, sessionID string) (Session, error) {
	s, err := tx.activeSession(ctx, "id", sessionID)
	return s, txn.Wrap(err, "active session")
}

// ActiveSessionByCookie finds the live session behind a browser cookie.
func (tx *Account) ActiveSessionByCookie(ctx context.Context, cookieHash string) (Session, error) {
	s, err := tx.activeSession(ctx, "cookie_hash", cookieHash)
	return s, txn.Wrap(err, "session by cookie")
}

// activeSession finds the session, neither revoked nor expired, whose column
// (a constant of the callers above, never user input) holds value.
func (tx *Account) activeSession(ctx context.Context, column, value string) (Session, error) {
	var s Session
	err := tx.QueryRow(ctx,
		`SELECT id, user_id, expires_at, revoked_at FROM sessions
		 WHERE `+column+` = $1 AND revoked_at IS NULL AND expires_at > $2`, value, tx.Now()).
		Scan(&s.ID, &s.UserID, &s.ExpiresAt, &s.RevokedAt)
	return s, err
}

// PurgeExpiredAuth deletes refresh tokens past expiry, and sessions that
// expired or were revoked more than keepRevoked ago (kept that long so reuse
// of a revoked family still answers token_reused rather than unauthorized).
func (tx *Account) PurgeExpiredAuth(ctx context.Context, keepRevoked time.Duration) (sessions, tokens int64, err error) {
	tokens, err = tx.Exec(ctx, `DELETE FROM refresh_tokens WHERE expires_at <= $1`, tx.Now())
	if err != nil {
		return 0, 0, txn.Wrap(err, "purge refresh tokens")
	}
	sessions, err = tx.Exec(ctx,
		`DELETE FROM sessions WHERE expires_at <= $1 OR (revoked_at IS NOT NULL AND revoked_at <= $2)`,
		tx.Now(), tx.Now().Add(-keepRevoked))
	return sessions, tokens, txn.Wrap(err, "purge sessions")
}

// SessionGone reports whether no session row with this id exists at all.
func (tx *Account) SessionGone(ctx context.Context, sessionID string) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE id = $1`, sessionID).Scan(&n)
	return n == 0, txn.Wrap(err, "session exists")
}
