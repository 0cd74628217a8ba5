package api

import (
	"context"
	"net/http"

	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Messages: what sending made of approved sequences. Which message may be
// sent now or resolved, and how, is sending.Service's.

func (a *API) listMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := sending.ParseMessageFilter(q.Get("campaign_id"), q.Get("sequence_id"), q.Get("status"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeListPage(w, r, func(ctx context.Context, userID string, page store.Page) ([]mailstore.Message, string, error) {
		return a.sending.Messages(ctx, userID, f, page)
	})
}

func (a *API) getMessage(w http.ResponseWriter, r *http.Request) {
	m, err := a.sending.Message(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"))
	writeResult(w, r, http.StatusOK, m, err)
}

func (a *API) sendMessageNow(w http.ResponseWriter, r *http.Request) {
	m, err := a.sending.SendNow(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"))
	writeResult(w, r, http.StatusAccepted, m, err)
}

// resolveInput is the body of POST /api/messages/{id}/resolve.
type resolveInput struct {
	Action string `json:"action"`
}

func (a *API) resolveMessage(w http.ResponseWriter, r *http.Request) {
	var in resolveInput
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := a.sending.Resolve(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"), in.Action)
	writeResult(w, r, http.StatusOK, m, err)
}

func (a *API) stopOutreach(w http.ResponseWriter, r *http.Request) {
	o, err := a.sending.StopSequence(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"))
	writeResult(w, r, http.StatusOK, o, err)
}
