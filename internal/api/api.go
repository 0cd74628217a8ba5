// Package api is Prospector's JSON API: thin handlers that decode, call the
// domain packages and render. Every route, with who may call it, is listed in
// routes below.
package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
)

// Deps are what the handlers need.
type Deps struct {
	Store     *store.Store
	Auth      *auth.Service
	Campaigns *campaign.Service
	// Outreach, Prospects and APIKeys hold the rules of their routes; all
	// are required.
	Outreach  *outreach.Service
	Prospects *prospect.Service
	APIKeys   *keys.Service
	Logger    *slog.Logger
	// InternalToken enables /api/internal when set.
	InternalToken string
	// Ready reports whether the instance can serve (database up, schema current).
	Ready func(r *http.Request) error
	// SecureCookies marks the session cookie Secure (PUBLIC_URL is https).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// PublicURL's origin is trusted for cookie-authenticated unsafe requests.
	PublicOrigin string
}

// API holds the handlers' dependencies.
type API struct {
	store         *store.Store
	auth          *auth.Service
	campaigns     *campaign.Service
	outreach      *outreach.Service
	prospects     *prospect.Service
	apiKeys       *keys.Service
	internalToken string
	log           *slog.Logger
	ready         func(r *http.Request) error
	secureCookies bool
	trustProxy    bool
	csrf          *http.CrossOriginProtection
}

// New returns the HTTP handler for the whole API, middleware included.
func New(d Deps) (http.Handler, error) {
	if d.Outreach == nil || d.Prospects == nil || d.APIKeys == nil {
		return nil, errors.New("api: Deps.Outreach, Deps.Prospects and Deps.APIKeys are required")
	}
	a := &API{store: d.Store, auth: d.Auth, campaigns: d.Campaigns, outreach: d.Outreach, prospects: d.Prospects,
		apiKeys: d.APIKeys, internalToken: d.InternalToken, log: d.Logger, ready: d.Ready,
		secureCookies: d.SecureCookies, trustProxy: d.TrustProxy, csrf: http.NewCrossOriginProtection()}
	if d.PublicOrigin != "" {
		if err := a.csrf.AddTrustedOrigin(d.PublicOrigin); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	a.routes(mux)
	var h http.Handler = mux
	h = withRecover(a.log, h)
	h = withAccessLog(a.log, h)
	h = withLogger(a.log, h)
	h = withRequestID(h)
	return h, nil
}

func (a *API) routes(mux *http.ServeMux) {
	public := func(h http.HandlerFunc) http.Handler { return h }
	user := a.requireAuth

	mux.Handle("GET /healthz", public(a.healthz))
	mux.Handle("GET /readyz", public(a.readyz))

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
	mux.Handle("POST /api/campaigns/{id}/import", user(a.importProspects))
	mux.Handle("POST /api/campaigns/{id}/start", user(a.startCampaign))
	mux.Handle("POST /api/campaigns/{id}/pause", user(a.pauseCampaign))
	mux.Handle("GET /api/campaigns/{id}/stats", user(a.campaignStats))

	mux.Handle("GET /api/prospects", user(a.listProspects))
	mux.Handle("GET /api/prospects/{id}", user(a.getProspect))
	mux.Handle("POST /api/prospects/export", user(a.exportProspects))
	mux.Handle("POST /api/prospects/{id}/enrich", user(a.enrichProspect))
	mux.Handle("POST /api/prospects/{id}/score", user(a.scoreProspect))

	mux.Handle("GET /api/outreach", user(a.listOutreach))
	mux.Handle("GET /api/outreach/{id}", user(a.getOutreach))
	mux.Handle("PATCH /api/outreach/{id}/edit", user(a.editOutreach))
	mux.Handle("POST /api/outreach/{id}/approve", user(a.approveOutreach))
	mux.Handle("POST /api/outreach/generate", user(a.generateOutreach))

	mux.Handle("GET /api/settings/api-keys", user(a.listAPIKeys))
	mux.Handle("PUT /api/settings/api-keys/{service}", user(a.putAPIKey))
	mux.Handle("DELETE /api/settings/api-keys/{service}", user(a.deleteAPIKey))

	service := a.requireInternalToken
	mux.Handle("POST /api/internal/jobs/discovery", service(a.internalDiscovery))
	mux.Handle("POST /api/internal/jobs/enrich", service(a.internalEnrich))
	mux.Handle("POST /api/internal/jobs/score", service(a.internalScore))

	// Anything else under /api answers in the contract's error shape: 405
	// when the path exists under other methods, else 404.
	mux.Handle("/api/", public(func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" && pattern != "" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeError(w, r, apperr.New(apperr.CodeMethodNotAllowed, "%s is not allowed here; use %s.", r.Method, strings.Join(allowed, " or ")))
			return
		}
		writeError(w, r, apperr.NotFound("route"))
	}))
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	if err := a.ready(r); err != nil {
		a.log.WarnContext(r.Context(), "not ready", slog.Any("error", err))
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
