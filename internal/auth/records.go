package auth

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
)

// Records is what signing in needs of the store (store.View explains why).
type Records interface {
	ActiveSession(ctx context.Context, sessionID string) (accountstore.Session, error)
	ActiveSessionByCookie(ctx context.Context, cookieHash string) (accountstore.Session, error)
	CreateRefreshToken(ctx context.Context, sessionID, tokenHash string, expiresAt time.Time) error
	CreateSession(ctx context.Context, p accountstore.CreateSessionParams) error
	CreateUser(ctx context.Context, p store.CreateUserParams) (store.Profile, error)
	CredentialsByEmail(ctx context.Context, email string) (store.Credentials, error)
	CredentialsByID(ctx context.Context, userID string) (store.Credentials, error)
	Profile(ctx context.Context) (store.Profile, error)
	RefreshTokenByHash(ctx context.Context, tokenHash string) (accountstore.RefreshToken, error)
	RevokeSession(ctx context.Context, sessionID, reason string) error
	SetPasswordHash(ctx context.Context, userID, hash string) error
	SpendRefreshToken(ctx context.Context, id string) (bool, error)
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
