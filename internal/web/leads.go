package web

import (
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/store"
)

// The lead table: the user's prospects with the filters of GET
// /api/prospects (prospect.ParseFilter), newest, oldest or best first, a page at
// a time, each with its primary contact and score (prospect.Service.Table);
// and the CSV export of the same filters (prospect.Service.ExportCSV, as
// POST /api/prospects/export).

type leadListView struct {
	Leads     []prospect.Lead
	Campaigns []store.Campaign
	// CampaignID, Status, Tier, Query and Sort are the filters shown;
	// Statuses, Tiers and Sorts their choices.
	CampaignID, Status, Tier, Query, Sort string
	Statuses, Tiers, Sorts                []string
	SortNames                             map[string]string
	Filtered                              bool
	Next                                  string
}

// sortNames say each of prospect.Sorts as the order menu and the table's
// caption name it.
var sortNames = map[string]string{"newest": "newest first", "oldest": "oldest first", "score": "best score first"}

// leadFilter reads the table's filters from a query or a form.
func leadFilter(get func(string) string) (store.ProspectFilter, error) {
	f, err := prospect.ParseFilter(get("campaign_id"), get("status"), get("tier"), get("q"))
	if err != nil {
		return f, err
	}
	return f, prospect.ParseSort(&f, get("sort"))
}

func (s *Surface) leadList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := leadFilter(q.Get)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items, next, err := s.prospects.Table(r.Context(), userID(r), f, pageFrom(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	campaigns, _, err := s.campaigns.List(r.Context(), userID(r), store.Page{Limit: 200})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	unsorted := f
	unsorted.Order = store.NewestFirst
	v := leadListView{Leads: items, Campaigns: campaigns, CampaignID: f.CampaignID, Status: f.Status, Tier: f.Tier, Query: f.Query,
		Sort: prospect.SortOf(f), Statuses: prospect.Statuses(), Tiers: []string{"A", "B", "C"}, Sorts: prospect.Sorts, SortNames: sortNames,
		Filtered: unsorted != (store.ProspectFilter{}), Next: nextQuery(r, next)}
	s.show(w, r, http.StatusOK, "leads", page{Title: "Leads", Nav: "leads", View: v})
}

// exportLeads answers the export form with the CSV file of the leads its
// filters match (the search term aside, as in the API), streamed. A
// failure before the first row is a page; after it, the download is cut
// so it never looks complete.
func (s *Surface) exportLeads(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	f, err := prospect.ParseFilter(r.PostFormValue("campaign_id"), r.PostFormValue("status"), r.PostFormValue("tier"), "")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	done, err := s.prospects.ExportCSV(r.Context(), userID(r), f, prospect.CSVTarget{
		W: w,
		Begin: func() {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="leads-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
			w.Header().Set("Cache-Control", "no-store")
		},
		Flush: func() { _ = rc.Flush() },
	})
	if err != nil {
		if !done.Begun {
			s.Fail(w, r, err)
			return
		}
		server.Logger(r.Context()).ErrorContext(r.Context(), "export aborted", "error", err, "rows", done.Rows)
		panic(http.ErrAbortHandler)
	}
}
