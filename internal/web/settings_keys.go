package web

import (
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/keys"
)

// The API keys screen: the user's own keys (BYOK) for the services that
// take one, each shown only by its last four characters; set, replace or
// remove (keys.Service, as /api/settings/api-keys). A key typed in is never
// shown back, not even when it was refused.

type keysView struct {
	settingsPage
	Services []keyRow
	// Service is the form that was refused, and what is wrong with it.
	Service, Problem string
}

// keyRow is one service with its stored key, if any.
type keyRow struct {
	Service, Name, Hint string
	Key                 *keys.View
}

var keyServices = []keyRow{
	{Service: keys.Anthropic, Name: "Anthropic (Claude)", Hint: "Research, scoring notes and drafts are written with your key instead of the server's."},
	{Service: keys.Instantly, Name: "Instantly", Hint: "Campaigns that send through Instantly use your Instantly workspace."},
}

func (s *Surface) keysPage(w http.ResponseWriter, r *http.Request) {
	s.showKeys(w, r, http.StatusOK, keysView{})
}

func (s *Surface) showKeys(w http.ResponseWriter, r *http.Request, status int, v keysView) {
	stored, err := s.apiKeys.List(r.Context(), userID(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v.settingsPage = newSettingsPage("api-keys")
	for _, row := range keyServices {
		for i := range stored {
			if stored[i].Service == row.Service {
				row.Key = &stored[i]
			}
		}
		v.Services = append(v.Services, row)
	}
	s.showSettings(w, r, status, "settings_keys", "API keys", v)
}

// saveKey stores or replaces the key of the service the form names.
func (s *Surface) saveKey(w http.ResponseWriter, r *http.Request) {
	service := r.PathValue("service")
	if !keys.Known(service) {
		s.Fail(w, r, apperr.NotFound("service"))
		return
	}
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	saved, err := s.apiKeys.Put(r.Context(), userID(r), service, strings.TrimSpace(r.PostFormValue("key")))
	if err != nil {
		fields, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		if msg, has := fields["key"]; has {
			problem = "The key " + msg + "."
		}
		s.showKeys(w, r, statusOf(err), keysView{Service: service, Problem: problem})
		return
	}
	s.done(w, r, "/app/settings/api-keys", "Key saved: the one ending in "+saved.Last4+" is used from now on.")
}

// deleteKey removes the user's key: the service falls back to the
// server's key, or is off.
func (s *Surface) deleteKey(w http.ResponseWriter, r *http.Request) {
	service := r.PathValue("service")
	if !keys.Known(service) {
		s.Fail(w, r, apperr.NotFound("service"))
		return
	}
	if err := s.apiKeys.Delete(r.Context(), userID(r), service); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.done(w, r, "/app/settings/api-keys", "Key removed: the server's own key is used, if it has one.")
}
