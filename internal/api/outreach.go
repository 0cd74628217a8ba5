package api

import (
	"context"
	"net/http"

	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// The review of drafted sequences. The rules (what may change, what a
// conflict is) are outreach.Service's; these handlers decode and render.

func (a *API) listOutreach(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := outreach.ParseFilter(q.Get("campaign_id"), q.Get("prospect_id"), q.Get("status"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeListPage(w, r, func(ctx context.Context, userID string, page store.Page) ([]mailstore.OutreachSequence, string, error) {
		return a.outreach.List(ctx, userID, f, page)
	})
}

func (a *API) getOutreach(w http.ResponseWriter, r *http.Request) {
	o, err := a.outreach.Get(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"))
	writeResult(w, r, http.StatusOK, o, err)
}

func (a *API) approveOutreach(w http.ResponseWriter, r *http.Request) {
	o, err := a.outreach.Approve(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"))
	writeResult(w, r, http.StatusOK, o, err)
}

type editOutreachRequest struct {
	Emails []outreach.Step `json:"emails"`
}

// editOutreach replaces a draft's emails; the answer holds the recomputed
// checks so the reviewer sees what their edit changed.
func (a *API) editOutreach(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusOK, func(ctx context.Context, userID string, req editOutreachRequest) (mailstore.OutreachSequence, error) {
		return a.outreach.Edit(ctx, userID, r.PathValue("id"), req.Emails)
	})
}

type generateOutreachRequest struct {
	ProspectID string `json:"prospect_id"`
}

// generateOutreach queues a fresh draft for one prospect: it replaces an
// open draft, never an approved sequence.
func (a *API) generateOutreach(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusAccepted, func(ctx context.Context, userID string, req generateOutreachRequest) (map[string]any, error) {
		id, err := a.outreach.RequestDraft(ctx, userID, req.ProspectID)
		return map[string]any{"job": "generate", "prospect_id": id}, err
	})
}

type approveManyRequest struct {
	IDs []string `json:"ids"`
}

// approveOutreachMany approves up to 500 drafts at once; ids it cannot
// approve are listed with the reason.
func (a *API) approveOutreachMany(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusOK, func(ctx context.Context, userID string, req approveManyRequest) (outreach.BulkApproval, error) {
		return a.outreach.ApproveMany(ctx, userID, req.IDs)
	})
}
