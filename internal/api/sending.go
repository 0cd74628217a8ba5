package api

import (
	"context"
	"net/http"

	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/suppression"
)

// The sender profile and the suppression list. What a valid profile or
// entry is, and what an import accepts, is sending.Service's.

func (a *API) getSenderProfile(w http.ResponseWriter, r *http.Request) {
	answer(w, r, http.StatusOK, a.sending.Profile)
}

func (a *API) putSenderProfile(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusOK, a.sending.PutProfile)
}

func (a *API) listSuppressions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	writeListPage(w, r, func(ctx context.Context, userID string, page store.Page) ([]mailstore.Suppression, string, error) {
		return a.suppressions.List(ctx, userID, q, page)
	})
}

// addSuppression answers 201 with a new entry, or 200 with the entry that
// already suppressed the address or domain.
func (a *API) addSuppression(w http.ResponseWriter, r *http.Request) {
	var in suppression.Input
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	s, created, err := a.suppressions.Suppress(r.Context(), identityFrom(r.Context()).UserID, in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, s)
}

func (a *API) deleteSuppression(w http.ResponseWriter, r *http.Request) {
	deleteOn(w, r, "suppression", a.suppressions.Remove)
}

func (a *API) importSuppressions(w http.ResponseWriter, r *http.Request) {
	file, err := server.UploadedFile(w, r, campaign.MaxImportBytes)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := a.suppressions.Import(r.Context(), identityFrom(r.Context()).UserID, file)
	if err != nil {
		writeError(w, r, server.UploadError(err, campaign.MaxImportBytes))
		return
	}
	writeJSON(w, http.StatusOK, res)
}
