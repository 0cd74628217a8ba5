package api

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign"
)

// multipartOverhead allows for the multipart framing around a 10 MiB file.
const multipartOverhead = 64 << 10

func (a *API) importProspects(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, r, err)
		return
	}
	file, err := importFile(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := a.campaigns.Import(r.Context(), identityFrom(r.Context()).UserID, id, file)
	writeResult(w, r, http.StatusOK, res, uploadError(err))
}

// uploadError answers a file that passed the upload's byte bound while it
// was being read as too large; any other error is as it was.
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.New(apperr.CodePayloadTooLarge, "The file is larger than 10 MiB; split it into smaller files.")
	}
	return err
}

// importFile finds the CSV: the whole body for text/csv, or the multipart
// field "file" (a browser upload).
func importFile(w http.ResponseWriter, r *http.Request) (io.Reader, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	switch mt {
	case "text/csv", "application/csv", "text/plain":
		return http.MaxBytesReader(w, r.Body, campaign.MaxImportBytes), nil
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, campaign.MaxImportBytes+multipartOverhead)
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, &apperr.Error{Code: apperr.CodeValidation, Message: "The multipart body is malformed.",
				Fields: map[string]string{"file": "could not be read"}}
		}
		for {
			part, err := mr.NextPart()
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				return nil, apperr.New(apperr.CodePayloadTooLarge, "The file is larger than 10 MiB; split it into smaller files.")
			case errors.Is(err, io.EOF):
				return nil, &apperr.Error{Code: apperr.CodeValidation, Message: "Attach the CSV as the form field \"file\".",
					Fields: map[string]string{"file": "is required"}}
			case err != nil:
				return nil, &apperr.Error{Code: apperr.CodeValidation, Message: "The multipart body is malformed.",
					Fields: map[string]string{"file": "could not be read"}}
			}
			if part.FormName() == "file" {
				return part, nil
			}
		}
	default:
		return nil, apperr.New(apperr.CodeUnsupportedMediaType, "Send the CSV as text/csv, or as the multipart/form-data field \"file\".")
	}
}
