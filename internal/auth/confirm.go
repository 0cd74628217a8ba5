package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/prospectorhq/prospector/internal/store"
)

// ConfirmPassword checks a signed-in user's password again before an
// irreversible request (deleting the account): a stolen session alone must
// not be enough. A wrong password is invalid_credentials; wrong ones count
// against the same per-account allowance as logins, so a session cannot be
// used to guess the password either.
func (s *Service) ConfirmPassword(ctx context.Context, userID, password string) error {
	key := "user:" + userID
	attempt, wait, ok := s.loginByEmail.Reserve(key)
	if !ok {
		return loginBlocked(wait)
	}
	var creds store.Credentials
	err := records(s.store).Read(ctx, "", func(tx Records) error {
		var err error
		creds, err = tx.CredentialsByID(ctx, userID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return invalidCredentials()
	}
	if err != nil {
		attempt.Cancel()
		return fmt.Errorf("confirm password: %w", err)
	}
	release, err := s.hashes.acquire(ctx)
	if err != nil {
		attempt.Cancel()
		return err
	}
	match, err := s.hasher.Verify(creds.PasswordHash, password)
	release()
	if err != nil {
		attempt.Cancel()
		return fmt.Errorf("confirm password: verify: %w", err)
	}
	if !match {
		return invalidCredentials()
	}
	s.loginByEmail.Reset(key)
	return nil
}
