package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/store"
)

func (a *API) listCampaigns(w http.ResponseWriter, r *http.Request) {
	writePage(a, w, r, func(tx *store.Tx, page store.Page) ([]store.Campaign, string, error) {
		return tx.ListCampaigns(r.Context(), page)
	})
}

func (a *API) createCampaign(w http.ResponseWriter, r *http.Request) {
	var in campaign.Input
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.campaigns.Create(r.Context(), identityFrom(r.Context()).UserID, in)
	writeResult(w, r, http.StatusCreated, c, err)
}

func (a *API) getCampaign(w http.ResponseWriter, r *http.Request) {
	campaignCall(w, r, http.StatusOK, a.campaigns.Get)
}

func (a *API) updateCampaign(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var patch campaign.Patch
	if err := decodeJSON(w, r, &patch); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.campaigns.Update(r.Context(), identityFrom(r.Context()).UserID, id, patch)
	writeResult(w, r, http.StatusOK, c, err)
}

func (a *API) deleteCampaign(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, r, err)
		return
	}
	err = a.store.Write(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) error {
		return tx.DeleteCampaign(r.Context(), id)
	})
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("campaign")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) startCampaign(w http.ResponseWriter, r *http.Request) {
	campaignCall(w, r, http.StatusAccepted, a.campaigns.Start)
}

func (a *API) pauseCampaign(w http.ResponseWriter, r *http.Request) {
	campaignCall(w, r, http.StatusOK, a.campaigns.Pause)
}

func (a *API) campaignStats(w http.ResponseWriter, r *http.Request) {
	campaignCall(w, r, http.StatusOK, a.campaigns.Stats)
}

// campaignCall answers with status what call returns for the caller's
// campaign named in the path, or with its error.
func campaignCall[T any](w http.ResponseWriter, r *http.Request, status int, call func(ctx context.Context, userID, id string) (T, error)) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := call(r.Context(), identityFrom(r.Context()).UserID, id)
	writeResult(w, r, status, v, err)
}
