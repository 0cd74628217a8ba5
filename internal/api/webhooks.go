package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
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
	userID, err := a.sending.WebhookUser(r.Context(), r.Header.Get("X-Prospector-Secret"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			writeError(w, r, apperr.New(apperr.CodeUnsupportedMediaType, "Send the request body as application/json."))
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, r, tooLarge())
			return
		}
		writeError(w, r, apperr.New(apperr.CodeInvalidJSON, "The request body could not be read."))
		return
	}
	res, err := a.sending.InstantlyWebhook(r.Context(), userID, body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, instantlyWebhookAnswer{Received: true, Ignored: res.Ignored, Duplicate: res.Duplicate})
}
