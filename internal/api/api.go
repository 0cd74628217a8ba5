// Package api is Prospector's JSON API: thin handlers that decode, call the
// domain packages and render. It is one surface of internal/server: every
// route, with who may call it, is listed in Routes below, and failures of the
// shared middleware are answered in the contract's error shape (Fail).
package api

import (
	"context"
	"errors"
	"log/slog"
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
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/suppression"
	"github.com/prospectorhq/prospector/internal/tracking"
)

// Deps are what the handlers need.
type Deps struct {
	Store     *store.Store
	Auth      *auth.Service
	Campaigns *campaign.Service
	// Outreach, Prospects and APIKeys hold the rules of their routes; all
	// are required.
	Outreach     *outreach.Service
	Prospects    *prospect.Service
	APIKeys      *keys.Service
	Sending      *sending.Service
	Tracking     *tracking.Service
	Suppressions *suppression.Service
	// Privacy answers the data-protection requests (export, deletion,
	// erasure); required.
	Privacy *privacy.Service
	Billing *billing.Service
	Logger  *slog.Logger
	// SecureCookies marks the session cookie Secure (PUBLIC_URL is https).
	SecureCookies bool
	// Live times the live progress streams (zero: the defaults).
	Live LiveOptions
}

// API holds the handlers' dependencies.
type API struct {
	store         *store.Store
	auth          *auth.Service
	campaigns     *campaign.Service
	outreach      *outreach.Service
	prospects     *prospect.Service
	apiKeys       *keys.Service
	sending       *sending.Service
	tracking      *tracking.Service
	suppressions  *suppression.Service
	privacy       *privacy.Service
	billing       *billing.Service
	log           *slog.Logger
	secureCookies bool
	live          LiveOptions
}

// New returns the JSON API, to be mounted on a server.Server.
func New(d Deps) (*API, error) {
	if d.Outreach == nil || d.Prospects == nil || d.APIKeys == nil || d.Sending == nil || d.Tracking == nil || d.Suppressions == nil || d.Privacy == nil || d.Billing == nil {
		return nil, errors.New("api: Deps.Outreach, Deps.Prospects, Deps.APIKeys, Deps.Sending, Deps.Tracking, Deps.Suppressions, Deps.Privacy and Deps.Billing are required")
	}
	return &API{store: d.Store, auth: d.Auth, campaigns: d.Campaigns, outreach: d.Outreach, prospects: d.Prospects,
		apiKeys: d.APIKeys, sending: d.Sending, tracking: d.Tracking, suppressions: d.Suppressions, privacy: d.Privacy, billing: d.Billing, log: d.Logger, secureCookies: d.SecureCookies,
		live: d.Live.withDefaults()}, nil
}

// Fail implements server.Surface: refusals and panics of the shared
// middleware answer in the contract's error shape, like every handler.
func (a *API) Fail(w http.ResponseWriter, r *http.Request, err error) { writeError(w, r, err) }

// identityFrom is the caller a user route admitted.
func identityFrom(ctx context.Context) auth.Identity { return server.Identity(ctx) }

// Routes implements server.Surface: every route of the JSON API and who may
// call it.
func (a *API) Routes(mux *http.ServeMux, on server.Access) {
	public, user, service := on.Public, on.User, on.Internal
	// userLong is user with the long deadline: CSV files of up to 10 MiB
	// travel on these routes.
	userLong := on.Long().User

	mux.Handle("GET /api/openapi.json", public(a.openAPI))

	mux.Handle("POST /api/auth/signup", public(a.signup))
	mux.Handle("POST /api/auth/login", public(a.login))
	mux.Handle("POST /api/auth/refresh", public(a.refresh))
	mux.Handle("POST /api/auth/logout", user(a.logout))
	mux.Handle("GET /api/auth/me", user(a.me))

	mux.Handle("GET /api/campaigns", user(a.listCampaigns))
	mux.Handle("POST /api/campaigns", user(a.createCampaign))
	mux.Handle("GET /api/campaigns/{id}", user(a.getCampaign))
	mux.Handle("PATCH /api/campaigns/{id}", user(a.updateCampaign))
	mux.Handle("DELETE /api/campaigns/{id}", user(a.deleteCampaign))
	mux.Handle("POST /api/campaigns/{id}/import", userLong(a.importProspects))
	mux.Handle("POST /api/campaigns/{id}/start", user(a.startCampaign))
	mux.Handle("POST /api/campaigns/{id}/pause", user(a.pauseCampaign))
	mux.Handle("GET /api/campaigns/{id}/stats", user(a.campaignStats))
	// A stream: it moves its own deadline on with each write (live.go).
	mux.Handle("GET /api/campaigns/{id}/events", user(a.campaignEvents))

	mux.Handle("GET /api/prospects", user(a.listProspects))
	mux.Handle("GET /api/prospects/{id}", user(a.getProspect))
	mux.Handle("POST /api/prospects/export", userLong(a.exportProspects))
	mux.Handle("POST /api/prospects/{id}/enrich", user(a.enrichProspect))
	mux.Handle("POST /api/prospects/{id}/score", user(a.scoreProspect))

	mux.Handle("GET /api/outreach", user(a.listOutreach))
	mux.Handle("GET /api/outreach/{id}", user(a.getOutreach))
	mux.Handle("PATCH /api/outreach/{id}/edit", user(a.editOutreach))
	mux.Handle("POST /api/outreach/{id}/approve", user(a.approveOutreach))
	mux.Handle("POST /api/outreach/generate", user(a.generateOutreach))
	mux.Handle("POST /api/outreach/approve", user(a.approveOutreachMany))
	mux.Handle("POST /api/outreach/{id}/stop", user(a.stopOutreach))

	mux.Handle("GET /api/messages", user(a.listMessages))
	mux.Handle("GET /api/messages/{id}", user(a.getMessage))
	mux.Handle("POST /api/messages/{id}/send-now", user(a.sendMessageNow))
	mux.Handle("POST /api/messages/{id}/resolve", user(a.resolveMessage))
	mux.Handle("GET /api/events", user(a.listEvents))

	mux.Handle("GET /api/settings/api-keys", user(a.listAPIKeys))
	mux.Handle("PUT /api/settings/api-keys/{service}", user(a.putAPIKey))
	mux.Handle("DELETE /api/settings/api-keys/{service}", user(a.deleteAPIKey))

	mux.Handle("GET /api/settings/sending", user(a.getSenderProfile))
	mux.Handle("PUT /api/settings/sending", user(a.putSenderProfile))

	mux.Handle("GET /api/mailboxes", user(a.listMailboxes))
	mux.Handle("POST /api/mailboxes", user(a.createMailbox))
	mux.Handle("GET /api/mailboxes/{id}", user(a.getMailbox))
	mux.Handle("PATCH /api/mailboxes/{id}", user(a.updateMailbox))
	mux.Handle("DELETE /api/mailboxes/{id}", user(a.deleteMailbox))
	mux.Handle("POST /api/mailboxes/{id}/test", userLong(a.testMailbox))
	mux.Handle("POST /api/mailboxes/{id}/pause", user(a.pauseMailbox))
	mux.Handle("POST /api/mailboxes/{id}/resume", user(a.resumeMailbox))

	mux.Handle("GET /api/suppressions", user(a.listSuppressions))
	mux.Handle("POST /api/suppressions", user(a.addSuppression))
	mux.Handle("DELETE /api/suppressions/{id}", user(a.deleteSuppression))
	mux.Handle("POST /api/suppressions/import", userLong(a.importSuppressions))

	// Instantly's deliveries: the X-Prospector-Secret header names the user.
	mux.Handle("POST /api/webhooks/instantly", public(a.instantlyWebhook))
	mux.Handle("GET /api/account/export", userLong(a.exportAccount))
	mux.Handle("DELETE /api/account", user(a.deleteAccount))
	mux.Handle("POST /api/privacy/erase", user(a.erasePerson))
	mux.Handle("GET /api/billing", user(a.getBilling))
	mux.Handle("POST /api/billing/checkout", user(a.checkout))
	mux.Handle("POST /api/billing/portal", user(a.portal))
	mux.Handle("GET /api/billing/ledger", user(a.listLedger))
	mux.Handle("GET /api/usage", user(a.usage))
	// Stripe signs its webhooks (Stripe-Signature); no session, no CSRF.
	mux.Handle("POST /api/webhooks/stripe", public(a.stripeWebhook))

	mux.Handle("POST /api/internal/jobs/discovery", service(a.internalDiscovery))
	mux.Handle("POST /api/internal/jobs/enrich", service(a.internalEnrich))
	mux.Handle("POST /api/internal/jobs/score", service(a.internalScore))

	// Anything else under /api answers in the contract's error shape: 405
	// when the path exists under other methods, else 404.
	mux.Handle("/api/", public(func(w http.ResponseWriter, r *http.Request) {
		if allowed := server.AllowedMethods(mux, r, "/api/"); len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeError(w, r, apperr.New(apperr.CodeMethodNotAllowed, "%s is not allowed here; use %s.", r.Method, strings.Join(allowed, " or ")))
			return
		}
		writeError(w, r, apperr.NotFound("route"))
	}))
}
