// Package privacy answers the data-protection requests of the GDPR: a copy
// of everything an account holds (Export), deleting the account
// (DeleteAccount) and forgetting one person the account holds data about
// (Erase). It knows nothing of HTTP; internal/api streams and renders.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// PasswordChecker confirms a signed-in user's password (auth.Service).
type PasswordChecker interface {
	ConfirmPassword(ctx context.Context, userID, password string) error
}

// ProspectCSV writes a user's prospects as CSV (prospect.Service), the same
// file as the prospect export.
type ProspectCSV interface {
	ExportCSV(ctx context.Context, userID string, f store.ProspectFilter, t prospect.CSVTarget) (prospect.Exported, error)
}

// Service holds the rules of the three requests.
type Service struct {
	store     *store.Store
	passwords PasswordChecker
	prospects ProspectCSV
	log       *slog.Logger
}

// NewService builds the service; every argument is required.
func NewService(st *store.Store, passwords PasswordChecker, prospects ProspectCSV, log *slog.Logger) (*Service, error) {
	if st == nil || passwords == nil || prospects == nil || log == nil {
		return nil, errors.New("privacy: store, password checker, prospect CSV and logger are required")
	}
	return &Service{store: st, passwords: passwords, prospects: prospects, log: log}, nil
}

// DeleteAccount deletes userID's account and everything it owns, once the
// password is confirmed: a wrong one is invalid_credentials and deletes
// nothing. Every session goes with it, so every token and cookie of the
// account stops working at once.
func (s *Service) DeleteAccount(ctx context.Context, userID, password string) error {
	if password == "" {
		return apperr.Invalid("password", "is required")
	}
	if err := s.passwords.ConfirmPassword(ctx, userID, password); err != nil {
		return err
	}
	if err := records(s.store).WriteRetrying(ctx, userID, func(tx Records) error { return tx.DeleteAccount(ctx) }); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("account")
		}
		return fmt.Errorf("delete account: %w", err)
	}
	s.log.InfoContext(ctx, "account deleted", slog.String("user_id", userID))
	return nil
}

// Erasure is what Erase did.
type Erasure struct {
	// Suppression is the entry that keeps the address from coming back:
	// its email is the address's hash (store.ErasedEmailKey), reason erased.
	Suppression mailstore.Suppression `json:"suppression"`
	Erased      accountstore.Erased   `json:"erased"`
}

// Erase removes one person, by address, from userID's data (a data-subject
// request): their contacts with the sequences and messages written to
// them, and the address from any other text of the account's. Only its
// hash is kept, as a suppression, so the address is never written to or
// imported again. Erasing an address twice, or one the account never
// held, is not an error.
func (s *Service) Erase(ctx context.Context, userID, email string) (Erasure, error) {
	normalized, err := auth.NormalizeEmail(email)
	if err != nil {
		return Erasure{}, apperr.Invalid("email", "must be a valid email address")
	}
	var e Erasure
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		var err error
		e.Suppression, e.Erased, err = tx.EraseEmail(ctx, normalized)
		return err
	})
	if err != nil {
		return Erasure{}, fmt.Errorf("erase: %w", err)
	}
	s.log.InfoContext(ctx, "address erased", slog.String("user_id", userID),
		slog.Int64("contacts", e.Erased.Contacts), slog.Int64("messages", e.Erased.Messages), slog.Int64("scrubbed", e.Erased.Scrubbed))
	return e, nil
}
