package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
)

type internalJobRequest struct {
	CampaignID string `json:"campaign_id"`
}

type internalProspectRequest struct {
	ProspectID string `json:"prospect_id"`
}

// internalDiscovery starts a campaign's discovery for another service, with
// the same rules as the user's start: credits permitting, and 409 when the
// campaign is already running.
func (a *API) internalDiscovery(w http.ResponseWriter, r *http.Request) {
	owner, id, ok := internalOwner(w, r, "campaign_id", "campaign",
		func(req internalJobRequest) string { return req.CampaignID }, a.store.CampaignOwner)
	if !ok {
		return
	}
	c, err := a.campaigns.Start(r.Context(), owner, strings.ToLower(id))
	writeResult(w, r, http.StatusAccepted, map[string]any{"job": "discovery", "campaign": c}, err)
}

// internalEnrich queues enrichment of one prospect for another service.
func (a *API) internalEnrich(w http.ResponseWriter, r *http.Request) {
	a.internalProspectJob(w, r, "enrich", a.prospects.RequestEnrich)
}

// internalScore queues scoring of one prospect for another service.
func (a *API) internalScore(w http.ResponseWriter, r *http.Request) {
	a.internalProspectJob(w, r, "score", a.prospects.RequestScore)
}

func (a *API) internalProspectJob(w http.ResponseWriter, r *http.Request, job string, request prospectRequest) {
	owner, prospectID, ok := internalOwner(w, r, "prospect_id", "prospect",
		func(req internalProspectRequest) string { return req.ProspectID }, a.store.ProspectOwner)
	if !ok {
		return
	}
	id, err := request(r.Context(), owner, prospectID)
	writeResult(w, r, http.StatusAccepted, map[string]any{"job": job, "prospect_id": id}, err)
}

// internalOwner decodes a T naming one record by the id in its field, and
// finds the user who owns that record, for the internal calls that act on
// another service's behalf: a missing id is a validation error on field, an
// unknown one a 404 for what. ok false means the answer is written.
func internalOwner[T any](w http.ResponseWriter, r *http.Request, field, what string,
	idOf func(T) string, ownerOf func(ctx context.Context, id string) (string, error)) (owner, id string, ok bool) {
	var req T
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return "", "", false
	}
	if id = idOf(req); id == "" {
		writeError(w, r, apperr.Invalid(field, "is required"))
		return "", "", false
	}
	owner, err := ownerOf(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound(what)
	}
	if err != nil {
		writeError(w, r, err)
		return "", "", false
	}
	return owner, id, true
}
