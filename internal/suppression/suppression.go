// Package suppression is the user's list of addresses and domains mail
// must never go to: added by hand, imported from a CSV file, or by what
// happened (an unsubscribe, a bounce: package sending adds those in the
// transaction of their cause). Sending checks the list at every send; this
// package is the list as the user manages it in Settings and the API.
package suppression

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/net/idna"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// Records is what the list needs of the store.
type Records interface {
	AddSuppression(ctx context.Context, email, domain, reason string) (s mailstore.Suppression, created bool, err error)
	DeleteSuppression(ctx context.Context, id string) error
	ListSuppressions(ctx context.Context, query string, page store.Page) ([]mailstore.Suppression, string, error)
}

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}

// Service is the suppression list of each user.
type Service struct{ store *store.Store }

// NewService returns the list over st.
func NewService(st *store.Store) (*Service, error) {
	if st == nil {
		return nil, errors.New("suppression: NewService needs a store")
	}
	return &Service{store: st}, nil
}

// Input adds one entry: an address or a whole domain.
type Input struct {
	Email  string `json:"email"`
	Domain string `json:"domain"`
}

// maxSuppressionQuery bounds the list's search term.
const maxSuppressionQuery = 254

// Suppress adds an address or a domain to userID's suppression list by the
// user's own hand (reason manual). Suppressing what is already listed
// answers the existing entry; created says which.
func (s *Service) Suppress(ctx context.Context, userID string, in Input) (sup mailstore.Suppression, created bool, err error) {
	email, domain, err := parseSuppression(in.Email, in.Domain)
	if err != nil {
		return mailstore.Suppression{}, false, err
	}
	err = records(s.store).Write(ctx, userID, func(tx Records) (err error) {
		sup, created, err = tx.AddSuppression(ctx, email, domain, mailstore.SuppressManual)
		return err
	})
	if err != nil {
		return mailstore.Suppression{}, false, fmt.Errorf("suppress: %w", err)
	}
	return sup, created, nil
}

// parseSuppression reads exactly one of an address and a domain.
func parseSuppression(email, domain string) (string, string, error) {
	email, domain = strings.TrimSpace(email), strings.TrimSpace(domain)
	switch {
	case email == "" && domain == "":
		return "", "", apperr.Invalid("email", "give an email address or a domain")
	case email != "" && domain != "":
		return "", "", apperr.Invalid("domain", "give an email address or a domain, not both")
	case email != "":
		e, err := auth.NormalizeEmail(email)
		if err != nil {
			return "", "", apperr.Invalid("email", "must be a valid email address")
		}
		return e, "", nil
	}
	d, ok := NormalizeDomain(domain)
	if !ok {
		return "", "", apperr.Invalid("domain", "must be a domain name such as example.com")
	}
	return "", d, nil
}

// NormalizeDomain reads a domain as a user writes it ("Example.COM",
// "@example.com", "bücher.de") into the lowercase ASCII form mail uses.
func NormalizeDomain(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "@"), ".")
	if s == "" || len(s) > 253 || !textfield.Clean(s, textfield.Line) {
		return "", false
	}
	d, err := idna.Lookup.ToASCII(strings.ToLower(s))
	if err != nil || len(d) > 253 || !strings.Contains(d, ".") || !textfield.Hostname(d) {
		return "", false
	}
	return d, true
}

// List lists userID's entries, newest first, those matching query
// when it is given.
func (s *Service) List(ctx context.Context, userID, query string, page store.Page) ([]mailstore.Suppression, string, error) {
	query = strings.TrimSpace(query)
	if msg := textfield.Problem(query, textfield.Line, maxSuppressionQuery); msg != "" {
		return nil, "", apperr.Invalid("q", msg)
	}
	var out []mailstore.Suppression
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		out, next, err = tx.ListSuppressions(ctx, query, page)
		return err
	})
	return out, next, err
}

// Remove removes one entry; another user's is not found.
func (s *Service) Remove(ctx context.Context, userID, id string) error {
	err := records(s.store).Write(ctx, userID, func(tx Records) error { return tx.DeleteSuppression(ctx, id) })
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("suppression")
	}
	return err
}
