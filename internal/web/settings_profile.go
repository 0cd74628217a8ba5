package web

import (
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/sending"
)

// The profile screen: who the account is, and the sender profile every
// message's footer is built from (sending.Service.PutProfile, as PUT
// /api/settings/sending).

var senderLabels = []fieldLabel{
	{"sender_name", "Sender name"}, {"company_name", "Company name"}, {"postal_address", "Postal address"},
	{"signature", "Signature"}, {"default_timezone", "Time zone"},
}

func (s *Surface) profilePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.sending.Profile(r.Context(), userID(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v := settingsProfileView{settingsPage: newSettingsPage("profile"), Ready: p.Ready, Problems: p.Problems,
		Form: map[string]string{"sender_name": p.SenderName, "company_name": p.CompanyName, "postal_address": p.PostalAddress,
			"signature": p.Signature, "default_timezone": p.DefaultTimezone}}
	s.showProfile(w, r, http.StatusOK, v)
}

func (s *Surface) showProfile(w http.ResponseWriter, r *http.Request, status int, v settingsProfileView) {
	prof, err := s.auth.Profile(r.Context(), userID(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v.Account = &prof
	s.showSettings(w, r, status, "settings_profile", "Profile", v)
}

// saveProfile saves the sender profile; a refused one is shown again as
// typed, with what is wrong.
func (s *Surface) saveProfile(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	form := map[string]string{}
	for _, l := range senderLabels {
		form[l.Name] = strings.ReplaceAll(r.PostFormValue(l.Name), "\r\n", "\n")
	}
	_, err := s.sending.PutProfile(r.Context(), userID(r), sending.ProfileInput{SenderName: form["sender_name"],
		CompanyName: form["company_name"], PostalAddress: form["postal_address"], Signature: form["signature"],
		DefaultTimezone: form["default_timezone"]})
	if err == nil {
		s.done(w, r, "/app/settings/profile", "Sender profile saved.")
		return
	}
	fields, problem, ok := formProblem(err)
	if !ok {
		s.Fail(w, r, err)
		return
	}
	v := settingsProfileView{settingsPage: newSettingsPage("profile"), Form: form, Errors: fields, Problem: problem,
		Summary: summarize(fields, senderLabels)}
	if p, perr := s.sending.Profile(r.Context(), userID(r)); perr == nil {
		v.Ready, v.Problems = p.Ready, p.Problems
	}
	s.showProfile(w, r, statusOf(err), v)
}
