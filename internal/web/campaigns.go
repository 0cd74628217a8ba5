package web

import (
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
)

// The campaign list, newest first, a page at a time.

// listPage is how many rows a list page shows.
const listPage = 50

type campaignListView struct {
	Campaigns []store.Campaign
	// Next is the query of the next page ("after=<id>"), "" on the last.
	Next string
}

func (s *Surface) campaignList(w http.ResponseWriter, r *http.Request) {
	items, next, err := s.campaigns.List(r.Context(), userID(r), pageFrom(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.show(w, r, http.StatusOK, "campaigns", page{Title: "Campaigns", Nav: "campaigns",
		View: campaignListView{Campaigns: items, Next: nextQuery(r, next)}})
}

// pageFrom reads a list page's position: after=<id of the last row seen>.
// Anything that is not an id starts from the newest row.
func pageFrom(r *http.Request) store.Page {
	p := store.Page{Limit: listPage}
	if after := r.URL.Query().Get("after"); store.ValidID(after) {
		p.After = strings.ToLower(after)
	}
	return p
}

// nextQuery is the query string of the page after this one: the same
// filters with after set, or "" on the last page.
func nextQuery(r *http.Request, next string) string {
	if next == "" {
		return ""
	}
	q := r.URL.Query()
	q.Set("after", next)
	return q.Encode()
}

// pathID is the id of the record a page's path names; what is not an id
// names nothing there is.
func pathID(r *http.Request, what string) (string, error) {
	id := r.PathValue("id")
	if !store.ValidID(id) {
		return "", apperr.NotFound(what)
	}
	return strings.ToLower(id), nil
}
