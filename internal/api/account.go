package api

import (
	"context"
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/privacy"
	"github.com/prospectorhq/prospector/internal/server"
)

// The data-protection requests (GDPR): a copy of the account, deleting it,
// and erasing one person from it. The rules are internal/privacy's.

// exportAccount streams the caller's whole account as a zip, flushing as it
// goes, so memory stays flat for any size of account.
func (a *API) exportAccount(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	done, err := a.privacy.Export(r.Context(), identityFrom(r.Context()).UserID, privacy.Target{
		W: w,
		Begin: func() {
			w.Header().Set("Content-Type", "application/zip")
			w.Header().Set("Content-Disposition", `attachment; filename="prospector-export-`+time.Now().UTC().Format("20060102-150405")+`.zip"`)
			w.Header().Set("Cache-Control", "no-store")
		},
		Flush: func() { _ = rc.Flush() },
	})
	if err != nil {
		if !done.Begun {
			writeError(w, r, err)
			return
		}
		// The zip has begun: cut the connection so the client sees a
		// broken download, never a complete-looking partial archive.
		a.log.ErrorContext(r.Context(), "account export aborted", "request_id", server.RequestID(r.Context()), "error", err)
		panic(http.ErrAbortHandler)
	}
}

type deleteAccountRequest struct {
	Password string `json:"password"`
}

// deleteAccount deletes the caller's account once its password is
// confirmed, and clears the browser's session cookie.
func (a *API) deleteAccount(w http.ResponseWriter, r *http.Request) {
	var req deleteAccountRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if err := a.privacy.DeleteAccount(r.Context(), identityFrom(r.Context()).UserID, req.Password); err != nil {
		writeError(w, r, err)
		return
	}
	server.SetSessionCookie(w, "", time.Time{}, a.secureCookies)
	w.WriteHeader(http.StatusNoContent)
}

type eraseRequest struct {
	Email string `json:"email"`
}

// erasePerson removes one person, by address, from the caller's data and
// keeps only the address's hash, suppressed.
func (a *API) erasePerson(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusOK, func(ctx context.Context, userID string, in eraseRequest) (privacy.Erasure, error) {
		return a.privacy.Erase(ctx, userID, in.Email)
	})
}
