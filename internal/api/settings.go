package api

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/keys"
)

// The user's own API keys (BYOK). A key goes in once and never comes back
// out: answers show its service, its last four characters and when it was
// last set (keys.View), and the key is not logged. What a valid key is and
// how it is sealed is keys.Service's.

type putAPIKeyRequest struct {
	Key string `json:"key"`
}

// pathService reads a service the user may store a key for; any other is
// simply not found, before the body is read.
func pathService(r *http.Request) (string, error) {
	s := r.PathValue("service")
	if !keys.Known(s) {
		return "", apperr.NotFound("service")
	}
	return s, nil
}

func (a *API) listAPIKeys(w http.ResponseWriter, r *http.Request) {
	views, err := a.apiKeys.List(r.Context(), identityFrom(r.Context()).UserID)
	writeResult(w, r, http.StatusOK, newList(views, ""), err)
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
	saved, err := a.apiKeys.Put(r.Context(), identityFrom(r.Context()).UserID, service, req.Key)
	writeResult(w, r, http.StatusOK, saved, err)
}

// deleteAPIKey removes the caller's key: that service falls back to the
// server's key, or is off.
func (a *API) deleteAPIKey(w http.ResponseWriter, r *http.Request) {
	if err := a.apiKeys.Delete(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("service")); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
