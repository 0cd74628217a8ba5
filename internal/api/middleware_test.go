package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/server"
)

// oneRouteAPI is the API surface with the one route GET /api/anything,
// to see what the server and the API's renderer answer for it.
type oneRouteAPI struct {
	*API
	handle http.HandlerFunc
}

func (o oneRouteAPI) Routes(mux *http.ServeMux, on server.Access) {
	mux.Handle("GET /api/anything", on.Public(o.handle))
}

// getAnything serves GET /api/anything, handled by handle, through the
// server: the answer and what was logged.
func getAnything(t *testing.T, handle http.HandlerFunc) (*httptest.ResponseRecorder, string) {
	t.Helper()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	srv, err := server.New(server.Config{Logger: log, Auth: noAuth{}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount(oneRouteAPI{&API{log: log}, handle})
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/anything", nil))
	return rec, logs.String()
}

type noAuth struct{}

func (noAuth) AuthenticateBearer(context.Context, string) (auth.Identity, error) {
	return auth.Identity{}, errors.New("no callers in this test")
}

func (noAuth) AuthenticateCookie(context.Context, string) (auth.Identity, error) {
	return auth.Identity{}, errors.New("no callers in this test")
}

func TestPanicsBecomeBareInternalErrors(t *testing.T) {
	rec, logs := getAnything(t, func(http.ResponseWriter, *http.Request) {
		panic("database password is hunter2")
	})
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `"code":"internal"`) || strings.Contains(body, "hunter2") || strings.Contains(body, "goroutine") {
		t.Errorf("body = %s, want the internal code and no detail", body)
	}
	if !strings.Contains(logs, "panic serving request") {
		t.Errorf("the panic was not logged for the operators: %s", logs)
	}
}
