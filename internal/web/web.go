// Package web is Prospector's dashboard: server-rendered pages over the same
// domain services the JSON API calls (auth, campaign, outreach, sending), so
// a rule holds alike whichever surface a user goes through. It is a surface
// of internal/server; Routes is the one route table, with who may call on
// each line.
//
// One file per screen: each handler loads its data, fills one view and
// renders one template (templates/pages/<screen>.html inside the shared
// layout and partials, parsed once at start). Forms work without
// JavaScript: every change is a POST form, answered with a redirect (and a
// flash message) when it worked, or the same form again, keeping what the
// user typed (passwords aside), when it did not. Cookie sessions carry the
// user; unsafe requests pass the server's cross-origin check (the CSRF
// protection of the API's v1). Every page carries a Content-Security-Policy
// whose script-src is our own origin and a nonce made for that answer;
// assets are embedded and served under content-hashed URLs (static.go).
package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/privacy"
	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/suppression"
	"github.com/prospectorhq/prospector/internal/tracking"
)

// Deps are the domain services the pages call.
type Deps struct {
	Auth         *auth.Service
	Campaigns    *campaign.Service
	Outreach     *outreach.Service
	Sending      *sending.Service
	Tracking     *tracking.Service
	Suppressions *suppression.Service
	// Prospects is the leads pages' reader (the API's prospect rules).
	Prospects *prospect.Service
	// APIKeys is the users' own keys (BYOK), for the settings.
	APIKeys *keys.Service
	// Privacy exports and deletes the account (the settings' account
	// screen).
	Privacy *privacy.Service
	// Billing is plans, credits, usage and Stripe (the billing screen).
	Billing *billing.Service
	// SecureCookies marks the session and flash cookies Secure (PUBLIC_URL
	// is https).
	SecureCookies bool
	// SandboxMail, in the demo only, reads what the sandbox's SMTP server
	// received; nil elsewhere, and /app/sandbox/mail does not exist.
	SandboxMail func() []SandboxMessage
}

// Surface is the dashboard.
type Surface struct {
	auth          *auth.Service
	campaigns     *campaign.Service
	outreach      *outreach.Service
	sending       *sending.Service
	tracking      *tracking.Service
	suppressions  *suppression.Service
	prospects     *prospect.Service
	apiKeys       *keys.Service
	privacy       *privacy.Service
	billing       *billing.Service
	secureCookies bool
	// sandboxMessages is Deps.SandboxMail (nil outside the demo).
	sandboxMessages func() []SandboxMessage
	assets          *assets
	views           *views
	mux             *http.ServeMux // for the 405 answer of the /app/ catch-all
}

// New builds the dashboard: it reads the embedded assets and parses every
// template, so a broken template stops the program at start.
func New(d Deps) (*Surface, error) {
	if d.Auth == nil || d.Campaigns == nil || d.Outreach == nil || d.Sending == nil || d.Tracking == nil || d.Suppressions == nil || d.Prospects == nil || d.APIKeys == nil ||
		d.Privacy == nil || d.Billing == nil {
		return nil, errors.New("web: Deps.Auth, Deps.Campaigns, Deps.Outreach, Deps.Sending, Deps.Tracking, Deps.Suppressions, Deps.Prospects, Deps.APIKeys, Deps.Privacy and Deps.Billing are required")
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	v, err := parseViews(a)
	if err != nil {
		return nil, err
	}
	return &Surface{auth: d.Auth, campaigns: d.Campaigns, outreach: d.Outreach, sending: d.Sending, tracking: d.Tracking, suppressions: d.Suppressions, prospects: d.Prospects,
		apiKeys: d.APIKeys, privacy: d.Privacy, billing: d.Billing, secureCookies: d.SecureCookies, sandboxMessages: d.SandboxMail, assets: a, views: v}, nil
}

// Routes implements server.Surface: every page of the dashboard and who may
// open it. Visitor pages are the ones used before signing in; User pages
// send a signed-out visitor to /login (Fail).
func (s *Surface) Routes(mux *http.ServeMux, on server.Access) {
	public, visitor, user := on.Public, on.Visitor, on.User
	// userLong is user with the long deadline, for CSV files of up to 10 MiB.
	userLong := on.Long().User
	s.mux = mux

	mux.Handle("GET /static/{file}", public(s.static))

	mux.Handle("GET /{$}", visitor(s.home))
	mux.Handle("GET /signup", visitor(s.signupPage))
	mux.Handle("POST /signup", visitor(s.signup))
	mux.Handle("GET /login", visitor(s.loginPage))
	mux.Handle("POST /login", visitor(s.login))
	mux.Handle("POST /logout", user(s.logout))

	mux.Handle("GET /app", user(s.dashboard))

	mux.Handle("GET /app/campaigns", user(s.campaignList))
	mux.Handle("GET /app/campaigns/new", user(s.newCampaignPage))
	mux.Handle("POST /app/campaigns/new", user(s.createCampaign))
	mux.Handle("GET /app/campaigns/{id}", user(s.campaignPage))
	mux.Handle("GET /app/campaigns/{id}/edit", user(s.editCampaignPage))
	mux.Handle("POST /app/campaigns/{id}/edit", user(s.updateCampaign))
	mux.Handle("POST /app/campaigns/{id}/start", user(s.startCampaign))
	mux.Handle("POST /app/campaigns/{id}/pause", user(s.pauseCampaign))
	mux.Handle("POST /app/campaigns/{id}/import", userLong(s.importLeads))

	mux.Handle("GET /app/leads", user(s.leadList))
	mux.Handle("POST /app/leads/export", on.Long().User(s.exportLeads))
	mux.Handle("GET /app/leads/{id}", user(s.leadPage))

	mux.Handle("GET /app/emails", user(s.reviewQueue))
	mux.Handle("POST /app/emails/approve", user(s.approveDrafts))
	mux.Handle("GET /app/emails/{id}", user(s.emailPage))
	mux.Handle("POST /app/emails/{id}", user(s.editEmail))
	mux.Handle("POST /app/emails/{id}/approve", user(s.approveEmail))
	mux.Handle("POST /app/emails/{id}/regenerate", user(s.regenerate))
	mux.Handle("POST /app/emails/{id}/stop", user(s.stopSequence))
	mux.Handle("POST /app/messages/{id}/send-now", user(s.sendNow))
	mux.Handle("POST /app/messages/{id}/resolve", user(s.resolveMessage))
	if s.sandboxMessages != nil {
		mux.Handle("GET /app/sandbox/mail", user(s.sandboxMail))
	}

	mux.Handle("GET /app/settings", user(s.settingsHome))
	mux.Handle("GET /app/settings/profile", user(s.profilePage))
	mux.Handle("POST /app/settings/profile", user(s.saveProfile))
	mux.Handle("GET /app/settings/mailboxes", user(s.mailboxesPage))
	// Adding and testing sign in to the mailbox's servers: the long deadline.
	mux.Handle("POST /app/settings/mailboxes", on.Long().User(s.addMailbox))
	mux.Handle("POST /app/settings/mailboxes/{id}/test", on.Long().User(s.testMailbox))
	mux.Handle("POST /app/settings/mailboxes/{id}/pause", user(s.pauseMailbox))
	mux.Handle("POST /app/settings/mailboxes/{id}/resume", user(s.resumeMailbox))
	mux.Handle("POST /app/settings/mailboxes/{id}/delete", user(s.deleteMailbox))
	mux.Handle("GET /app/settings/api-keys", user(s.keysPage))
	mux.Handle("POST /app/settings/api-keys/{service}", user(s.saveKey))
	mux.Handle("POST /app/settings/api-keys/{service}/delete", user(s.deleteKey))
	mux.Handle("GET /app/settings/suppressions", user(s.suppressionsPage))
	mux.Handle("POST /app/settings/suppressions", user(s.addSuppression))
	mux.Handle("POST /app/settings/suppressions/import", on.Long().User(s.importSuppressions))
	mux.Handle("POST /app/settings/suppressions/{id}/delete", user(s.deleteSuppression))
	mux.Handle("GET /app/settings/billing", user(s.billingPage))
	mux.Handle("POST /app/settings/billing/checkout", user(s.startCheckout))
	mux.Handle("POST /app/settings/billing/portal", user(s.openPortal))
	mux.Handle("GET /app/settings/account", user(s.accountPage))
	mux.Handle("POST /app/settings/account/delete", user(s.deleteAccount))

	// Anything else under /app is a page of ours that does not exist: 405
	// when the path exists under other methods, else 404.
	mux.Handle("/app/", user(s.unmatched))
}

func (s *Surface) unmatched(w http.ResponseWriter, r *http.Request) {
	if allowed := server.AllowedMethods(s.mux, r, "/app/"); len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.Fail(w, r, apperr.New(apperr.CodeMethodNotAllowed, "This address does not take %s requests.", r.Method))
		return
	}
	s.Fail(w, r, apperr.NotFound("page"))
}

// home is the front door: a signed-in user goes to the dashboard, anyone
// else to the login form.
func (s *Surface) home(w http.ResponseWriter, r *http.Request) {
	if signedIn(r) {
		redirect(w, r, "/app")
		return
	}
	redirect(w, r, "/login")
}

// signedIn reports whether a Visitor page's request carries a live session.
func signedIn(r *http.Request) bool { return server.Identity(r.Context()).UserID != "" }

// userID is the caller a User page admitted.
func userID(r *http.Request) string { return server.Identity(r.Context()).UserID }

// redirect answers 303 See Other: after a POST the browser follows with a
// GET, so a reload never sends the form again.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
