package web

import (
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/server"
)

// The account's data: download everything (GET /api/account/export, which
// the session cookie opens) and delete the account with its password
// (privacy.Service.DeleteAccount, as DELETE /api/account).

type settingsAccountView struct {
	settingsPage
	Error string
}

func (s *Surface) accountPage(w http.ResponseWriter, r *http.Request) {
	s.showSettings(w, r, http.StatusOK, "settings_account", "Your data", settingsAccountView{settingsPage: newSettingsPage("account")})
}

// deleteAccount deletes the account and everything in it once its password
// is confirmed; the browser is then signed out. A wrong password deletes
// nothing and says so.
func (s *Surface) deleteAccount(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	err := s.privacy.DeleteAccount(r.Context(), userID(r), r.PostFormValue("password"))
	if err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Code == apperr.CodeInternal {
			s.Fail(w, r, err)
			return
		}
		msg := "Nothing was deleted: the password is not this account's."
		if e.Code == apperr.CodeValidation {
			msg = "Nothing was deleted: type your password to confirm."
		} else if e.Code == apperr.CodeRateLimited {
			server.SetRetryAfter(w, e.RetryAfter)
			msg = "Nothing was deleted: " + e.Message
		}
		s.showSettings(w, r, statusOf(err), "settings_account", "Your data",
			settingsAccountView{settingsPage: newSettingsPage("account"), Error: msg})
		return
	}
	server.SetSessionCookie(w, "", time.Time{}, s.secureCookies)
	s.done(w, r, "/login", "Your account and everything in it are deleted.")
}
