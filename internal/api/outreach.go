package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
)

func (a *API) listOutreach(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fields := apperr.Fields{}
	f := store.OutreachFilter{Status: q.Get("status")}
	for name, dst := range map[string]*string{"campaign_id": &f.CampaignID, "prospect_id": &f.ProspectID} {
		if v := q.Get(name); v != "" {
			if !store.ValidID(v) {
				fields.Add(name, "must be an id")
			}
			*dst = strings.ToLower(v)
		}
	}
	if f.Status != "" && !slices.Contains(store.OutreachStatuses, f.Status) {
		fields.Add("status", "must be one of %s", strings.Join(store.OutreachStatuses, ", "))
	}
	if err := fields.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	writePage(a, w, r, func(tx *store.Tx, page store.Page) ([]store.OutreachSequence, string, error) {
		return tx.ListOutreach(r.Context(), f, page)
	})
}

func (a *API) getOutreach(w http.ResponseWriter, r *http.Request) {
	a.outreachAction(w, r, false, func(tx *store.Tx, id string) (store.OutreachSequence, error) {
		return tx.Outreach(r.Context(), id)
	})
}

func (a *API) approveOutreach(w http.ResponseWriter, r *http.Request) {
	a.outreachAction(w, r, true, func(tx *store.Tx, id string) (store.OutreachSequence, error) {
		return tx.ApproveOutreach(r.Context(), id)
	})
}

type editOutreachRequest struct {
	Emails []outreach.Step `json:"emails"`
}

// editOutreach replaces a draft's emails; the checks are recomputed so the
// reviewer sees what their edit changed.
func (a *API) editOutreach(w http.ResponseWriter, r *http.Request) {
	var req editOutreachRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	fields := apperr.Fields{}
	if req.Emails == nil {
		fields.Add("emails", "is required")
	}
	for _, p := range outreach.ValidateSteps(req.Emails) {
		name, msg, _ := strings.Cut(p, ": ")
		fields.Add(name, "%s", msg)
	}
	if err := fields.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	emails, err := json.Marshal(req.Emails)
	if err != nil {
		writeError(w, r, err)
		return
	}
	checks, err := json.Marshal(outreach.Check(req.Emails))
	if err != nil {
		writeError(w, r, err)
		return
	}
	a.outreachAction(w, r, true, func(tx *store.Tx, id string) (store.OutreachSequence, error) {
		return tx.EditDraft(r.Context(), id, req.Emails[0].Subject, emails, checks)
	})
}

// outreachAction runs fn on the caller's sequence named in the path and
// answers with the sequence.
func (a *API) outreachAction(w http.ResponseWriter, r *http.Request, write bool,
	fn func(tx *store.Tx, id string) (store.OutreachSequence, error)) {
	id, err := pathID(r, "sequence")
	if err != nil {
		writeError(w, r, err)
		return
	}
	run := a.store.Read
	if write {
		run = a.store.Write
	}
	var o store.OutreachSequence
	err = run(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) error {
		o, err = fn(tx, id)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = apperr.NotFound("sequence")
	case errors.Is(err, store.ErrNotDraft):
		err = apperr.Conflict("The sequence is %s; only a draft can change.", o.Status)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

type generateOutreachRequest struct {
	ProspectID string `json:"prospect_id"`
}

// generateOutreach queues a fresh draft for one prospect: it replaces an
// open draft, never an approved sequence.
func (a *API) generateOutreach(w http.ResponseWriter, r *http.Request) {
	var req generateOutreachRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if req.ProspectID == "" || !store.ValidID(req.ProspectID) {
		writeError(w, r, &apperr.Error{Code: apperr.CodeValidation, Message: "Some fields are not valid.",
			Fields: map[string]string{"prospect_id": "must be a prospect id"}})
		return
	}
	id := strings.ToLower(req.ProspectID)
	err := a.store.Write(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) error {
		if _, err := tx.Prospect(r.Context(), id); err != nil {
			return err
		}
		contacts, err := tx.ContactsOf(r.Context(), id)
		if err != nil {
			return err
		}
		to := outreach.BestContact(contacts)
		if to == nil {
			return apperr.Conflict("This prospect has no contact with a deliverable email address to write to.")
		}
		existing, err := tx.OutreachOf(r.Context(), id)
		if err != nil {
			return err
		}
		for _, o := range existing {
			if o.ContactID == to.ID && o.Status != store.OutreachDraft {
				return apperr.Conflict("The sequence for this prospect is already %s; it is not regenerated.", o.Status)
			}
		}
		return a.jobs.EnqueueGenerate(r.Context(), tx, []string{id}, true)
	})
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("prospect")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job": "generate", "prospect_id": id})
}
