package web

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/store"
)

// Settings: the account and sender profile, the mailboxes, the user's own
// API keys and the suppression list, one screen each (settings_*.go).
// Every rule is the domain's (sending.Service, keys.Service), as the JSON
// API's settings routes call them; these pages decode forms and render.

// settingsSections are the settings screens, in the sub-menu's order.
var settingsSections = []struct{ ID, Path, Name string }{
	{"profile", "/app/settings/profile", "Profile"},
	{"mailboxes", "/app/settings/mailboxes", "Mailboxes"},
	{"api-keys", "/app/settings/api-keys", "API keys"},
	{"suppressions", "/app/settings/suppressions", "Suppression list"},
	{"billing", "/app/settings/billing", "Billing and usage"},
	{"account", "/app/settings/account", "Your data"},
}

// settingsPage is what every settings screen's view carries for the layout
// around it: which section it is.
type settingsPage struct {
	Section  string
	Sections any
}

func newSettingsPage(section string) settingsPage {
	return settingsPage{Section: section, Sections: settingsSections}
}

func (s *Surface) settingsHome(w http.ResponseWriter, r *http.Request) {
	redirect(w, r, "/app/settings/profile")
}

// showSettings renders one settings screen.
func (s *Surface) showSettings(w http.ResponseWriter, r *http.Request, status int, view, title string, v any) {
	s.show(w, r, status, view, page{Title: title, Nav: "settings", View: v})
}

// settingsProfileView is the account (read-only: it is what sign-up
// recorded and billing sets) and the sender profile form.
type settingsProfileView struct {
	settingsPage
	Account  *store.Profile
	Ready    bool
	Problems []string
	Form     map[string]string
	Errors   fieldErrors
	Problem  string
	Summary  []summaryItem
}
