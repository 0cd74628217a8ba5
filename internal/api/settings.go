package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/store"
)

// The user's own API keys (BYOK). A key goes in once and never comes back
// out: answers show its service, its last four characters and when it was
// last set, and the key is not logged.

// apiKeyView is a stored key as its owner sees it.
type apiKeyView struct {
	Service   string    `json:"service"`
	Last4     string    `json:"last4"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewOf(k store.APIKeyInfo) apiKeyView {
	return apiKeyView{Service: k.Service, Last4: k.Last4, UpdatedAt: k.UpdatedAt}
}

type putAPIKeyRequest struct {
	Key string `json:"key"`
}

// API keys are 20 to 300 printable ASCII characters, no spaces: real ones
// are far inside that, and a pasted sentence or blob is refused.
const (
	minAPIKeyLen = 20
	maxAPIKeyLen = 300
)

// checkAPIKey returns what is wrong with key for fields.key, "" when
// nothing is. It never quotes the key.
func checkAPIKey(key string) string {
	if key == "" {
		return "is required"
	}
	if len(key) < minAPIKeyLen || len(key) > maxAPIKeyLen {
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

// pathService reads a service the user may store a key for; any other is
// simply not found.
func pathService(r *http.Request) (string, error) {
	s := r.PathValue("service")
	if !keys.Known(s) {
		return "", apperr.NotFound("service")
	}
	return s, nil
}

func (a *API) listAPIKeys(w http.ResponseWriter, r *http.Request) {
	var infos []store.APIKeyInfo
	err := a.store.Read(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) (err error) {
		infos, err = tx.ListAPIKeys(r.Context())
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	views := make([]apiKeyView, len(infos))
	for i, k := range infos {
		views[i] = viewOf(k)
	}
	writeJSON(w, http.StatusOK, newList(views, ""))
}

// putAPIKey stores or replaces the caller's key for a service, sealed
// under SECRET_KEY and bound to the caller.
func (a *API) putAPIKey(w http.ResponseWriter, r *http.Request) {
	service, err := pathService(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req putAPIKeyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if msg := checkAPIKey(req.Key); msg != "" {
		writeError(w, r, &apperr.Error{Code: apperr.CodeValidation, Message: "Some fields are not valid.",
			Fields: map[string]string{"key": msg}})
		return
	}
	userID := identityFrom(r.Context()).UserID
	sealed, err := a.keys.Seal(userID, req.Key)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var saved *store.APIKeyInfo
	err = a.store.Write(r.Context(), userID, func(tx *store.Tx) error {
		if err := tx.SetAPIKey(r.Context(), service, sealed, last4(req.Key)); err != nil {
			return err
		}
		// Read back what was stored, so the answer shows the timestamp as
		// the list will.
		infos, err := tx.ListAPIKeys(r.Context())
		for i := range infos {
			if infos[i].Service == service {
				saved = &infos[i]
			}
		}
		return err
	})
	if err == nil && saved == nil {
		err = store.ErrNotFound // cannot happen: the row was just written
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(*saved))
}

// deleteAPIKey removes the caller's key: that service falls back to the
// server's key, or is off.
func (a *API) deleteAPIKey(w http.ResponseWriter, r *http.Request) {
	service, err := pathService(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	err = a.store.Write(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) error {
		return tx.DeleteAPIKey(r.Context(), service)
	})
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("API key")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
