package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/suppression"
)

// The suppression list: addresses and domains nothing is ever sent to,
// searched, added one at a time or from a CSV file, and removed
// (sending.Service's rules, as /api/suppressions).

type suppressionsView struct {
	settingsPage
	Items []mailstore.Suppression
	Query string
	Next  string
	// Value is what the add form was sent with; Problem what was wrong.
	Value, Problem string
	// Imported is the outcome of an import, shown once.
	Imported *suppression.ImportResult
}

func (s *Surface) suppressionsPage(w http.ResponseWriter, r *http.Request) {
	s.showSuppressions(w, r, http.StatusOK, suppressionsView{})
}

func (s *Surface) showSuppressions(w http.ResponseWriter, r *http.Request, status int, v suppressionsView) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	items, next, err := s.suppressions.List(r.Context(), userID(r), q, pageFrom(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v.settingsPage, v.Items, v.Query, v.Next = newSettingsPage("suppressions"), items, q, nextQuery(r, next)
	s.showSettings(w, r, status, "settings_suppressions", "Suppression list", v)
}

// addSuppression adds what the form names: an address (it has an @) or a
// domain.
func (s *Surface) addSuppression(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	value := strings.TrimSpace(r.PostFormValue("entry"))
	in := suppression.Input{Domain: value}
	if strings.Contains(value, "@") {
		in = suppression.Input{Email: value}
	}
	sup, created, err := s.suppressions.Suppress(r.Context(), userID(r), in)
	if err != nil {
		fields, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		for _, k := range []string{"email", "domain"} {
			if msg, has := fields[k]; has {
				problem = "That " + k + " " + msg + "."
			}
		}
		if value == "" {
			problem = "Type an email address or a domain to suppress."
		}
		s.showSuppressions(w, r, statusOf(err), suppressionsView{Value: value, Problem: problem})
		return
	}
	what := str(sup.Email) + str(sup.Domain)
	if !created {
		s.done(w, r, "/app/settings/suppressions", what+" was already on the list.")
		return
	}
	s.done(w, r, "/app/settings/suppressions", what+" added: nothing will be sent to it.")
}

func (s *Surface) deleteSuppression(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "suppression")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.suppressions.Remove(r.Context(), userID(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.done(w, r, "/app/settings/suppressions", "Removed from the suppression list.")
}

// importSuppressions reads the uploaded CSV (the form's "file") and shows
// what was imported and every row refused, with its reason.
func (s *Surface) importSuppressions(w http.ResponseWriter, r *http.Request) {
	file, err := uploadedFile(w, r, "file")
	var res suppression.ImportResult
	if err == nil {
		res, err = s.suppressions.Import(r.Context(), userID(r), file)
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = apperr.New(apperr.CodePayloadTooLarge, "The file is larger than %d MiB; split it into smaller files.", campaign.MaxImportBytes>>20)
	}
	if err != nil {
		_, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		s.showSuppressions(w, r, statusOf(err), suppressionsView{Problem: "The file was not imported: " + problem})
		return
	}
	s.showSuppressions(w, r, http.StatusOK, suppressionsView{Imported: &res})
}

// uploadedFile is a multipart form's file field, read as it streams
// (within the import size limit).
func uploadedFile(w http.ResponseWriter, r *http.Request, field string) (io.Reader, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return nil, apperr.New(apperr.CodeValidation, "Choose a CSV file and send the form.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, campaign.MaxImportBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.New(apperr.CodeValidation, "The form could not be read. Please send it again.")
	}
	for {
		part, err := mr.NextPart()
		switch {
		case errors.Is(err, io.EOF):
			return nil, apperr.New(apperr.CodeValidation, "Choose a CSV file to import.")
		case err != nil:
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, err
			}
			return nil, apperr.New(apperr.CodeValidation, "The form could not be read. Please send it again.")
		}
		if part.FormName() == field {
			if part.FileName() == "" {
				return nil, apperr.New(apperr.CodeValidation, "Choose a CSV file to import.")
			}
			return part, nil
		}
	}
}
