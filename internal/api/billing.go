package api

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/server"
)

// Billing and credits (DESIGN v2): the plan and balance, checkout and the
// portal, the credit ledger, usage, and Stripe's webhook. The rules are
// billing.Service's.

func (a *API) getBilling(w http.ResponseWriter, r *http.Request) {
	answer(w, r, http.StatusOK, a.billing.Overview)
}

func (a *API) checkout(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusOK, a.billing.Checkout)
}

func (a *API) portal(w http.ResponseWriter, r *http.Request) {
	answer(w, r, http.StatusOK, a.billing.Portal)
}

func (a *API) listLedger(w http.ResponseWriter, r *http.Request) {
	writeListPage(w, r, a.billing.Ledger)
}

func (a *API) usage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	out, err := a.billing.Usage(r.Context(), identityFrom(r.Context()).UserID,
		billing.UsageQuery{From: q.Get("from"), To: q.Get("to"), GroupBy: q.Get("group_by")})
	writeResult(w, r, http.StatusOK, out, err)
}

// stripeWebhook verifies and applies one Stripe event. The body is read raw
// (the signature covers its exact bytes), within the JSON cap. Stripe
// retries anything but a 2xx: a repeated event and an event type we do not
// handle are 200 too.
func (a *API) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, err := readBody(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	outcome, err := a.billing.Webhook(r.Context(), payload, r.Header.Get("Stripe-Signature"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	server.Logger(r.Context()).DebugContext(r.Context(), "stripe webhook", "outcome", string(outcome))
	writeJSON(w, http.StatusOK, map[string]any{"received": true, "outcome": outcome})
}
