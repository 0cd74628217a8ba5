package api

import (
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
	var req internalJobRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if req.CampaignID == "" {
		writeError(w, r, apperr.Invalid("campaign_id", "is required"))
		return
	}
	owner, err := a.store.CampaignOwner(r.Context(), req.CampaignID)
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("campaign")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.campaigns.Start(r.Context(), owner, strings.ToLower(req.CampaignID))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job": "discovery", "campaign": c})
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
	var req internalProspectRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if req.ProspectID == "" {
		writeError(w, r, apperr.Invalid("prospect_id", "is required"))
		return
	}
	owner, err := a.store.ProspectOwner(r.Context(), req.ProspectID)
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("prospect")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	id, err := request(r.Context(), owner, req.ProspectID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job": job, "prospect_id": id})
}
