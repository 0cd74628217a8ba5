package web

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
)

// The lead table: the user's prospects with the filters of GET
// /api/prospects (prospect.ParseFilter), newest first, a page at a time.

type leadListView struct {
	Leads []store.Prospect
	// CampaignID, Status, Tier and Query are the filters shown.
	CampaignID, Status, Tier, Query string
	Filtered                        bool
	Next                            string
}

func (s *Surface) leadList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := prospect.ParseFilter(q.Get("campaign_id"), q.Get("status"), q.Get("tier"), q.Get("q"))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items, next, err := s.prospects.List(r.Context(), userID(r), f, pageFrom(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v := leadListView{Leads: items, CampaignID: f.CampaignID, Status: f.Status, Tier: f.Tier, Query: f.Query,
		Filtered: f != (store.ProspectFilter{}), Next: nextQuery(r, next)}
	s.show(w, r, http.StatusOK, "leads", page{Title: "Leads", Nav: "leads", View: v})
}
