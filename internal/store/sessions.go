package store

import (
	"context"
	"time"
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
func (tx *Tx) CreateSession(ctx context.Context, p CreateSessionParams) error {
	_, err := tx.q.exec(ctx,
		`INSERT INTO sessions (id, user_id, cookie_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, p.UserID, p.CookieHash, tx.now, p.ExpiresAt.UTC())
	return wrap(err, "create session")
}

// CreateRefreshToken stores the hash of a new refresh token in a session's family.
func (tx *Tx) CreateRefreshToken(ctx context.Context, sessionID, tokenHash string, expiresAt time.Time) error {
	_, err := tx.q.exec(ctx,
		`INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		NewID(), sessionID, tokenHash, tx.now, expiresAt.UTC())
	return wrap(err, "create refresh token")
}

// RefreshTokenByHash finds a refresh token, spent or not.
func (tx *Tx) RefreshTokenByHash(ctx context.Context, tokenHash string) (RefreshToken, error) {
	var t RefreshToken
	err := tx.q.queryRow(ctx,
		`SELECT r.id, r.session_id, s.user_id, r.expires_at, r.used_at, s.revoked_at, s.expires_at
		 FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
		 WHERE r.token_hash = $1`, tokenHash).
		Scan(&t.ID, &t.SessionID, &t.UserID, &t.ExpiresAt, &t.UsedAt, &t.SessionRevokedAt, &t.SessionExpiresAt)
	return t, wrap(err, "refresh token by hash")
}

// SpendRefreshToken marks a token used. It reports false when another
// request spent it first, so two concurrent refreshes cannot both win.
func (tx *Tx) SpendRefreshToken(ctx context.Context, id string) (bool, error) {
	n, err := tx.q.exec(ctx, `UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL`, id, tx.now)
	return n == 1, wrap(err, "spend refresh token")
}

// RevokeSession ends a login: its cookie, access tokens and refresh family.
func (tx *Tx) RevokeSession(ctx context.Context, sessionID, reason string) error {
	_, err := tx.q.exec(ctx,
		`UPDATE sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
		sessionID, tx.now, reason)
	return wrap(err, "revoke session")
}

// ActiveSession returns the session if it is neither revoked nor expired.
func (tx *Tx) ActiveSession(ctx context.Context, sessionID string) (Session, error) {
	s, err := tx.activeSession(ctx, "id", sessionID)
	return s, wrap(err, "active session")
}

// ActiveSessionByCookie finds the live session behind a browser cookie.
func (tx *Tx) ActiveSessionByCookie(ctx context.Context, cookieHash string) (Session, error) {
	s, err := tx.activeSession(ctx, "cookie_hash", cookieHash)
	return s, wrap(err, "session by cookie")
}

// activeSession finds the session, neither revoked nor expired, whose column
// (a constant of the callers above, never user input) holds value.
func (tx *Tx) activeSession(ctx context.Context, column, value string) (Session, error) {
	var s Session
	err := tx.q.queryRow(ctx,
		`SELECT id, user_id, expires_at, revoked_at FROM sessions
		 WHERE `+column+` = $1 AND revoked_at IS NULL AND expires_at > $2`, value, tx.now).
		Scan(&s.ID, &s.UserID, &s.ExpiresAt, &s.RevokedAt)
	return s, err
}

// PurgeExpiredAuth deletes refresh tokens past expiry, and sessions that
// expired or were revoked more than keepRevoked ago (kept that long so reuse
// of a revoked family still answers token_reused rather than unauthorized).
func (tx *Tx) PurgeExpiredAuth(ctx context.Context, keepRevoked time.Duration) (sessions, tokens int64, err error) {
	tokens, err = tx.q.exec(ctx, `DELETE FROM refresh_tokens WHERE expires_at <= $1`, tx.now)
	if err != nil {
		return 0, 0, wrap(err, "purge refresh tokens")
	}
	sessions, err = tx.q.exec(ctx,
		`DELETE FROM sessions WHERE expires_at <= $1 OR (revoked_at IS NOT NULL AND revoked_at <= $2)`,
		tx.now, tx.now.Add(-keepRevoked))
	return sessions, tokens, wrap(err, "purge sessions")
}

// SessionGone reports whether no session row with this id exists at all.
func (tx *Tx) SessionGone(ctx context.Context, sessionID string) (bool, error) {
	var n int
	err := tx.q.queryRow(ctx, `SELECT count(*) FROM sessions WHERE id = $1`, sessionID).Scan(&n)
	return n == 0, wrap(err, "session exists")
}
