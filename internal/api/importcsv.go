package api

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/server"
)

func (a *API) importProspects(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, r, err)
		return
	}
	file, err := server.UploadedFile(w, r, campaign.MaxImportBytes)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := a.campaigns.Import(r.Context(), identityFrom(r.Context()).UserID, id, file)
	writeResult(w, r, http.StatusOK, res, server.UploadError(err, campaign.MaxImportBytes))
}
