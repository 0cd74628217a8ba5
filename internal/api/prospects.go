package api

import (
	"context"
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
)

// The user's prospects. What a filter, a detail or an exported row holds is
// prospect.Service's; these handlers decode and render.

func (a *API) listProspects(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filter, err := prospect.ParseFilter(q.Get("campaign_id"), q.Get("status"), q.Get("tier"), q.Get("q"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeListPage(w, r, func(ctx context.Context, userID string, page store.Page) ([]store.Prospect, string, error) {
		return a.prospects.List(ctx, userID, filter, page)
	})
}

func (a *API) getProspect(w http.ResponseWriter, r *http.Request) {
	d, err := a.prospects.Detail(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"))
	writeResult(w, r, http.StatusOK, d, err)
}

type exportRequest struct {
	CampaignID string `json:"campaign_id"`
	Status     string `json:"status"`
	Tier       string `json:"tier"`
}

// exportProspects streams the CSV export, flushing as it goes, so memory
// stays flat for any number of prospects.
func (a *API) exportProspects(w http.ResponseWriter, r *http.Request) {
	var req exportRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	filter, err := prospect.ParseFilter(req.CampaignID, req.Status, req.Tier, "")
	if err != nil {
		writeError(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	done, err := a.prospects.ExportCSV(r.Context(), identityFrom(r.Context()).UserID, filter, prospect.CSVTarget{
		W: w,
		// Until the first row, an error can still be JSON.
		Begin: func() {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="prospects-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
			w.Header().Set("Cache-Control", "no-store")
		},
		Flush: func() { _ = rc.Flush() },
	})
	if err != nil {
		if !done.Begun {
			writeError(w, r, err)
			return
		}
		// Headers are gone: cut the connection so the client sees a broken
		// download, never a complete-looking partial file.
		a.log.ErrorContext(r.Context(), "export aborted", "error", err, "rows", done.Rows)
		panic(http.ErrAbortHandler)
	}
}

// enrichProspect queues enrichment of one prospect at the user's request,
// whatever its campaign's status.
func (a *API) enrichProspect(w http.ResponseWriter, r *http.Request) {
	a.requestForProspect(w, r, "enrich", a.prospects.RequestEnrich)
}

func (a *API) scoreProspect(w http.ResponseWriter, r *http.Request) {
	a.requestForProspect(w, r, "score", a.prospects.RequestScore)
}

// prospectRequest asks for one stage's job for a user's prospect and
// returns the prospect id as queued (prospect.Service's Request methods).
type prospectRequest func(ctx context.Context, userID, prospectID string) (string, error)

// requestForProspect answers 202 once job is queued for the caller's
// prospect in the path.
func (a *API) requestForProspect(w http.ResponseWriter, r *http.Request, job string, request prospectRequest) {
	id, err := request(r.Context(), identityFrom(r.Context()).UserID, r.PathValue("id"))
	writeResult(w, r, http.StatusAccepted, map[string]any{"job": job, "prospect_id": id}, err)
}
