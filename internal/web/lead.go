package web

import (
	"net/http"
)

// A lead's full story (prospect.Service.Story): the listing, what
// enrichment and research found, the contacts and their verification, the
// score with every term, and each sequence with its messages and events.
// The page only renders what the reader gathered.

func (s *Surface) leadPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "prospect")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	st, err := s.prospects.Story(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.show(w, r, http.StatusOK, "lead", page{Title: st.CompanyName, Nav: "leads", View: st})
}
