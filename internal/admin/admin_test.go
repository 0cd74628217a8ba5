package admin_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// signUp creates an account with email and returns a Bearer client for it.
func signUp(t *testing.T, srv *apptest.Server, email string) *apptest.Client {
	t.Helper()
	c := srv.Client(t)
	resp := c.JSON("POST", "/api/auth/signup", map[string]any{"email": email, "password": "correct horse battery"})
	if resp.Status != http.StatusCreated {
		t.Fatalf("signup: %d %s", resp.Status, resp.Body)
	}
	var g struct {
		AccessToken string `json:"access_token"`
	}
	resp.JSON(t, &g)
	c.Token = g.AccessToken
	return c
}

// The job dashboard answers the operators named in ADMIN_EMAILS, on both
// engines; anyone else, signed in or not, gets a 404 as if it did not
// exist, for its pages and its API alike.
func TestJobDashboardIsForAdminsOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		adminEmail := "ops-" + store.NewID() + "@example.test"
		srv := apptest.Start(t, e, apptest.Options{Env: map[string]string{"ADMIN_EMAILS": "someone@example.test, " + strings.ToUpper(adminEmail)}})
		operator := signUp(t, srv, adminEmail)
		user, _ := srv.SignUp(t)

		resp := operator.Get("/admin/jobs/")
		if resp.Status != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("dashboard for the operator = %d %s", resp.Status, resp.Header.Get("Content-Type"))
		}
		// Its script is served from under the prefix, as JavaScript (the
		// server sends nosniff, so a wrong type would not run).
		m := regexp.MustCompile(`<script type="module" src="(/admin/jobs/[^"]+\.js)"`).FindSubmatch(resp.Body)
		if m == nil {
			t.Fatalf("no script under /admin/jobs/ in the page:\n%s", resp.Body)
		}
		if js := operator.Get(string(m[1])); js.Status != 200 || !strings.Contains(js.Header.Get("Content-Type"), "javascript") {
			t.Errorf("%s = %d %s", m[1], js.Status, js.Header.Get("Content-Type"))
		}
		if resp := operator.Get("/admin/jobs/api/jobs?state=completed"); resp.Status != 200 || !strings.Contains(string(resp.Body), `"data"`) {
			t.Errorf("dashboard API for the operator = %d %s", resp.Status, resp.Body)
		}
		if resp := operator.Get("/admin/jobs/api/queues"); resp.Status != 200 {
			t.Errorf("queues for the operator = %d %s", resp.Status, resp.Body)
		}

		for name, c := range map[string]*apptest.Client{"a user who is not an operator": user, "a visitor": srv.Client(t)} {
			for _, r := range []struct{ method, path string }{
				{"GET", "/admin/jobs"}, {"GET", "/admin/jobs/"}, {"GET", "/admin/jobs/api/jobs?state=completed"},
				{"POST", "/admin/jobs/api/jobs/cancel"},
			} {
				if resp := c.JSON(r.method, r.path, `{"job_ids":["1"]}`); resp.Status != 404 {
					t.Errorf("%s: %s %s = %d, want 404", name, r.method, r.path, resp.Status)
				}
			}
		}
	})
}

func TestNoJobDashboardWithoutAdmins(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	c, _ := srv.SignUp(t)
	if resp := c.Get("/admin/jobs/"); resp.Status != 404 {
		t.Errorf("without ADMIN_EMAILS /admin/jobs/ = %d, want 404", resp.Status)
	}
}
