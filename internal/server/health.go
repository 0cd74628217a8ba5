package server

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// Health is the surface load balancers and orchestrators probe: /healthz
// answers while the process serves, /readyz while it can do its work.
type Health struct {
	// Ready reports why the instance cannot serve (database down, schema
	// outdated), or nil.
	Ready func(r *http.Request) error
}

// Routes implements Surface.
func (h Health) Routes(mux *http.ServeMux, on Access) {
	public := on.Public
	mux.Handle("GET /healthz", public(h.healthz))
	mux.Handle("GET /readyz", public(h.readyz))
}

// Fail implements Surface: probes read only the status.
func (h Health) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if apperr.CodeOf(err) == apperr.CodeHeaderTooLarge {
		writeStatus(w, http.StatusRequestHeaderFieldsTooLarge, "error")
		return
	}
	writeStatus(w, http.StatusInternalServerError, "error")
}

func (h Health) healthz(w http.ResponseWriter, r *http.Request) {
	writeStatus(w, http.StatusOK, "ok")
}

func (h Health) readyz(w http.ResponseWriter, r *http.Request) {
	if err := h.Ready(r); err != nil {
		Logger(r.Context()).WarnContext(r.Context(), "not ready", slog.Any("error", err))
		writeStatus(w, http.StatusServiceUnavailable, "unavailable")
		return
	}
	writeStatus(w, http.StatusOK, "ok")
}

func writeStatus(w http.ResponseWriter, code int, status string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"status": status}) // the prober has gone
}
