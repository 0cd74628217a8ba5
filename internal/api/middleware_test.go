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

// panickingAPI is the API surface with one route that panics, to see the
// server's recovery answer through the API's renderer.
type panickingAPI struct{ *API }

func (p panickingAPI) Routes(mux *http.ServeMux, on server.Access) {
	mux.Handle("GET /api/anything", on.Public(func(http.ResponseWriter, *http.Request) {
		panic("database password is hunter2")
	}))
}

type noAuth struct{}

func (noAuth) AuthenticateBearer(context.Context, string) (auth.Identity, error) {
	return auth.Identity{}, errors.New("no callers in this test")
}

func (noAuth) AuthenticateCookie(context.Context, string) (auth.Identity, error) {
	return auth.Identity{}, errors.New("no callers in this test")
}

func TestPanicsBecomeBareInternalErrors(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	srv, err := server.New(server.Config{Logger: log, Auth: noAuth{}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount(panickingAPI{&API{log: log}})
	h := srv.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/anything", nil))

	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `"code":"internal"`) || strings.Contains(body, "hunter2") || strings.Contains(body, "goroutine") {
		t.Errorf("body = %s, want the internal code and no detail", body)
	}
	if !strings.Contains(logs.String(), "panic serving request") {
		t.Errorf("the panic was not logged for the operators: %s", logs.String())
	}
}
