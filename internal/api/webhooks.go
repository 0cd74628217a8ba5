package api

import (
	"net/http"
)

// Webhooks: Instantly's events about the mail it sends for the caller's
// campaigns. The X-Prospector-Secret header, the per-user secret registered
// with the webhook, says whose they are.

// instantlyWebhookAnswer is what a delivery is told: 200 whether it was
// applied, ignored (a type we do not act on) or a repeat.
type instantlyWebhookAnswer struct {
	Received  bool `json:"received"`
	Ignored   bool `json:"ignored"`
	Duplicate bool `json:"duplicate"`
}

func (a *API) instantlyWebhook(w http.ResponseWriter, r *http.Request) {
	userID, err := a.tracking.WebhookUser(r.Context(), r.Header.Get("X-Prospector-Secret"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := jsonContentType(r); err != nil {
		writeError(w, r, err)
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := a.tracking.InstantlyWebhook(r.Context(), userID, body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, instantlyWebhookAnswer{Received: true, Ignored: res.Ignored, Duplicate: res.Duplicate})
}
