package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
)

func (a *API) listCampaigns(w http.ResponseWriter, r *http.Request) {
	writePage(a, w, r, func(tx *store.Tx, page store.Page) ([]store.Campaign, string, error) {
		return tx.ListCampaigns(r.Context(), page)
	})
}

func (a *API) createCampaign(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusCreated, a.campaigns.Create)
}

func (a *API) getCampaign(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusOK, a.campaigns.Get)
}

func (a *API) updateCampaign(w http.ResponseWriter, r *http.Request) {
	answerOnBody(w, r, "campaign", http.StatusOK, a.campaigns.Update)
}

func (a *API) deleteCampaign(w http.ResponseWriter, r *http.Request) {
	deleteOn(w, r, "campaign", func(ctx context.Context, userID, id string) error {
		err := a.store.Write(ctx, userID, func(tx *store.Tx) error { return tx.DeleteCampaign(ctx, id) })
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("campaign")
		}
		return err
	})
}

func (a *API) startCampaign(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusAccepted, a.campaigns.Start)
}

func (a *API) pauseCampaign(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusOK, a.campaigns.Pause)
}

func (a *API) campaignStats(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusOK, a.campaigns.Stats)
}
