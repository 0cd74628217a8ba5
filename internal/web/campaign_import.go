package web

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/server"
)

// A CSV import from the campaign's page (campaign.Service.Import, as POST
// /api/campaigns/{id}/import): the page comes back with what was imported,
// what was a duplicate, and each rejected row with its reason.

// rejectionsShown bounds the rejected rows listed on the page; the count
// says how many there were.
const rejectionsShown = 200

// importOutcome is the result of an import as the campaign page shows it.
type importOutcome struct {
	campaign.ImportResult
	// Problem is why the file was refused as a whole ("" when it was read).
	Problem string
	// RejectedCount is how many rows were rejected; More how many of them
	// are not listed.
	RejectedCount, More int
}

func (s *Surface) importLeads(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var out importOutcome
	file, err := server.UploadedFile(w, r, campaign.MaxImportBytes)
	if err == nil {
		out.ImportResult, err = s.campaigns.Import(r.Context(), userID(r), id, file)
		err = server.UploadError(err, campaign.MaxImportBytes)
	}
	status := http.StatusOK
	if err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Code == apperr.CodeNotFound || e.Code == apperr.CodeInternal {
			s.Fail(w, r, err)
			return
		}
		status, out.Problem = statusOf(err), e.Message
		if f := e.Fields["file"]; f != "" {
			out.Problem += " The file " + f + "."
		}
	}
	out.RejectedCount = len(out.Rejected)
	if n := len(out.Rejected); n > rejectionsShown {
		out.Rejected, out.More = out.Rejected[:rejectionsShown], n-rejectionsShown
	}
	v, err := s.campaignView(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v.Import = &out
	s.show(w, r, status, "campaign", page{Title: v.Name, Nav: "campaigns", View: v})
}
