package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/web/figures"
)

// The review queue: drafts (or sequences of another status) with their
// checks, each approvable on its own or ticked and approved together
// (outreach.Service's rules, as POST /api/outreach/approve).

type reviewView struct {
	Items     []outreach.Reviewed
	Campaigns []store.Campaign
	// CampaignID and Status are the filters shown; Statuses their choices.
	CampaignID, Status string
	Statuses           []string
	// Here is this page's own address, where its buttons come back to.
	Here string
	Next string
	// Uncertain are the emails whose send was interrupted (at most
	// uncertainShown of them), for the user to resolve on their sequences'
	// pages.
	Uncertain []mailstore.Message
	// SandboxMail links to the sandbox's received mail (the demo only).
	SandboxMail bool
}

const uncertainShown = 20

func (s *Surface) reviewQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status := q.Get("status")
	if !q.Has("status") {
		status = mailstore.OutreachDraft
	}
	f, err := outreach.ParseFilter(q.Get("campaign_id"), "", status)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items, next, err := s.outreach.Review(r.Context(), userID(r), f, pageFrom(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	campaigns, _, err := s.campaigns.List(r.Context(), userID(r), store.Page{Limit: 200})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	uncertain, _, err := s.sending.Messages(r.Context(), userID(r),
		mailstore.MessageFilter{CampaignID: f.CampaignID, Status: mailstore.MessageUncertain}, store.Page{Limit: uncertainShown})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v := reviewView{Items: items, Campaigns: campaigns, CampaignID: f.CampaignID, Status: f.Status,
		Statuses: mailstore.OutreachStatuses, Here: r.URL.RequestURI(), Next: nextQuery(r, next), Uncertain: uncertain,
		SandboxMail: s.sandboxMessages != nil}
	s.show(w, r, http.StatusOK, "emails", page{Title: "Emails", Nav: "emails", View: v})
}

// approveDrafts approves the ticked drafts together and returns to the
// queue saying how many went and why any did not.
func (s *Surface) approveDrafts(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	back := backTo(r, "/app/emails")
	res, err := s.outreach.ApproveMany(r.Context(), userID(r), r.PostForm["ids"])
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidation {
		s.failed(w, r, back, "Nothing was approved: the selection "+e.Fields["ids"]+". Tick the drafts to approve first.")
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	text := "Approved " + plural(res.Approved, "draft", "drafts") + "; approved emails are scheduled to send."
	if len(res.Skipped) > 0 {
		reasons := make([]string, len(res.Skipped))
		for i, sk := range res.Skipped {
			reasons[i] = sk.Reason
		}
		text += fmt.Sprintf(" Not approved: %s (%s).", figures.Number(len(res.Skipped)), strings.Join(reasons, "; "))
	}
	if res.Approved == 0 {
		s.failed(w, r, back, text)
		return
	}
	s.done(w, r, back, text)
}

// backTo is the dashboard page a form asked to return to ("back"), or
// fallback.
func backTo(r *http.Request, fallback string) string {
	if b := r.PostFormValue("back"); safeNext(b) {
		return b
	}
	return fallback
}
