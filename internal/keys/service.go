package keys

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
)

// View is a stored key as its owner sees it. A key goes in once and never
// comes back out: only its service, its last four characters and when it
// was last set.
type View struct {
	Service   string    `json:"service"`
	Last4     string    `json:"last4"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewOf(k accountstore.APIKeyInfo) View {
	return View{Service: k.Service, Last4: k.Last4, UpdatedAt: k.UpdatedAt}
}

// Service is the users' own API keys (BYOK) as settings: it checks a key,
// seals it for its owner and stores it. The JSON API and the dashboard both
// call it. Every method acts as userID; a service users may not store a key
// for (not Known) is not found.
type Service struct {
	box   *Box
	store *store.Store
}

// NewService returns the key settings over st, sealing with box.
func NewService(box *Box, st *store.Store) (*Service, error) {
	if box == nil || st == nil {
		return nil, errors.New("keys: NewService needs a box and a store")
	}
	return &Service{box: box, store: st}, nil
}

// API keys are 20 to 300 printable ASCII characters, no spaces: real ones
// are far inside that, and a pasted sentence or blob is refused.
const (
	minKeyLen = 20
	maxKeyLen = 300
)

// checkKey returns what is wrong with key for fields.key, "" when nothing
// is. It never quotes the key.
func checkKey(key string) string {
	if key == "" {
		return "is required"
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return "must be 20 to 300 characters"
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c > '~' {
			return "must be printable ASCII characters without spaces"
		}
	}
	return ""
}

// last4 is the part of a key shown back to its owner.
func last4(key string) string { return key[len(key)-4:] }

// knownService refuses a service users may not store a key for.
func knownService(service string) error {
	if !Known(service) {
		return apperr.NotFound("service")
	}
	return nil
}

// List describes userID's stored keys, by service.
func (s *Service) List(ctx context.Context, userID string) ([]View, error) {
	var infos []accountstore.APIKeyInfo
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		infos, err = tx.ListAPIKeys(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	views := make([]View, len(infos))
	for i, k := range infos {
		views[i] = viewOf(k)
	}
	return views, nil
}

// Put stores or replaces userID's key for service, sealed under the box's
// secret and bound to userID, and answers it as List will show it.
func (s *Service) Put(ctx context.Context, userID, service, key string) (View, error) {
	if err := knownService(service); err != nil {
		return View{}, err
	}
	if msg := checkKey(key); msg != "" {
		fields := apperr.Fields{}
		fields.Add("key", "%s", msg)
		return View{}, fields.Err()
	}
	sealed, err := s.box.Seal(userID, key)
	if err != nil {
		return View{}, err
	}
	var saved *accountstore.APIKeyInfo
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		if err := tx.SetAPIKey(ctx, service, sealed, last4(key)); err != nil {
			return err
		}
		// Read back what was stored, so the answer shows the timestamp as
		// the list will.
		infos, err := tx.ListAPIKeys(ctx)
		for i := range infos {
			if infos[i].Service == service {
				saved = &infos[i]
			}
		}
		return err
	})
	if err != nil {
		return View{}, err
	}
	if saved == nil {
		return View{}, fmt.Errorf("put api key %s: not read back: %w", service, store.ErrNotFound) // cannot happen: the row was just written
	}
	return viewOf(*saved), nil
}

// Delete removes userID's key for service: that service falls back to the
// server's key, or is off.
func (s *Service) Delete(ctx context.Context, userID, service string) error {
	if err := knownService(service); err != nil {
		return err
	}
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		return tx.DeleteAPIKey(ctx, service)
	})
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("API key")
	}
	return err
}
