package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestTheFrontDoorSendsVisitorsToLoginAndUsersToTheApp(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		for _, c := range []struct{ path, to string }{
			{"/", "/login"},
			{"/app", "/login?next=%2Fapp"},
			{"/app/campaigns?after=x", "/login?next=%2Fapp%2Fcampaigns%3Fafter%3Dx"},
			{"/app/no/such/page", "/login?next=%2Fapp%2Fno%2Fsuch%2Fpage"},
		} {
			if a := b.get(c.path); a.status != http.StatusSeeOther || a.location() != c.to {
				t.Errorf("signed out, GET %s = %d to %q, want 303 to %q", c.path, a.status, a.location(), c.to)
			}
		}
		login := b.page("/login")
		signup := b.page("/signup")
		if nonceRE.FindString(login.header.Get("Content-Security-Policy")) == nonceRE.FindString(signup.header.Get("Content-Security-Policy")) {
			t.Error("two pages got the same nonce; want one per answer")
		}

		b.signUp("ada@example.test")
		for _, path := range []string{"/", "/login", "/signup"} {
			if a := b.get(path); a.status != http.StatusSeeOther || a.location() != "/app" {
				t.Errorf("signed in, GET %s = %d to %q, want 303 to /app", path, a.status, a.location())
			}
		}
		// The first page after signing up says hello once.
		dash := b.page("/app")
		if !strings.Contains(text(t, dash), "Welcome to Prospector") {
			t.Errorf("the dashboard after signing up does not welcome: %s", text(t, dash))
		}
		if strings.Contains(text(t, b.page("/app")), "Welcome to Prospector") {
			t.Error("the welcome shows again on the next page")
		}
		if a := b.get("/app/no/such/page"); a.status != http.StatusNotFound || !strings.Contains(text(t, a), "Page not found") {
			t.Errorf("signed in, an unknown page = %d %s", a.status, text(t, a))
		} else {
			checkPage(t, "404", a)
		}
		if a := b.get("/app/campaigns/new", "X-Ignored", "1"); a.status != http.StatusOK {
			t.Errorf("GET new campaign = %d", a.status)
		}
		if a := b.post("/app/campaigns", url.Values{}); a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") != "GET" {
			t.Errorf("POST /app/campaigns = %d Allow %q, want 405 with Allow: GET", a.status, a.header.Get("Allow"))
		}

		// Logging out ends the session: the old cookie opens nothing.
		out := b.post("/logout", nil)
		if out.status != http.StatusSeeOther || out.location() != "/login" {
			t.Fatalf("log out = %d to %q", out.status, out.location())
		}
		if a := b.get("/app"); a.status != http.StatusSeeOther {
			t.Errorf("after logging out, /app = %d, want a redirect to log in", a.status)
		}
		if !strings.Contains(text(t, b.page("/login")), "You are logged out.") {
			t.Error("the login page after logging out does not say so")
		}
	})
}

func TestSignUpAndLogInSayWhatWentWrongAndKeepWhatWasTyped(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)

		a := b.post("/signup", url.Values{"email": {"not an email"}, "password": {"short"}, "full_name": {"Ada Lovelace"}})
		if a.status != http.StatusBadRequest {
			t.Fatalf("bad sign up = %d", a.status)
		}
		checkPage(t, "refused sign up", a)
		got := text(t, a)
		for _, want := range []string{"Email: must be a valid email address.", "Password: must be 10 to 256 characters."} {
			if !strings.Contains(got, want) {
				t.Errorf("refused sign up does not say %q: %s", want, got)
			}
		}
		if fieldValue(t, a, "email") != "not an email" || fieldValue(t, a, "full_name") != "Ada Lovelace" {
			t.Errorf("refused sign up lost what was typed: email %q, name %q", fieldValue(t, a, "email"), fieldValue(t, a, "full_name"))
		}
		if strings.Contains(a.body, "short") || fieldValue(t, a, "password") != "" {
			t.Error("refused sign up shows the password back")
		}

		b.signUp("grace@example.test")
		other := newBrowser(t, srv)
		a = other.post("/signup", url.Values{"email": {"Grace@Example.test"}, "password": {"another long password"}})
		if a.status != http.StatusConflict || !strings.Contains(text(t, a), "An account with this email already exists.") ||
			!strings.Contains(a.body, `href="/login"`) {
			t.Errorf("taken email = %d %s, want 409 offering to log in", a.status, text(t, a))
		}

		a = other.post("/login", url.Values{"email": {"grace@example.test"}, "password": {"wrong password!"}})
		if a.status != http.StatusUnauthorized || !strings.Contains(text(t, a), "The email or password is incorrect.") ||
			fieldValue(t, a, "email") != "grace@example.test" || strings.Contains(a.body, "wrong password!") {
			t.Errorf("wrong password = %d %s (email kept %q)", a.status, text(t, a), fieldValue(t, a, "email"))
		}
		// The API's throttling: five failures for the account, then even
		// the right password waits.
		for range 4 {
			other.post("/login", url.Values{"email": {"grace@example.test"}, "password": {"wrong password!"}})
		}
		a = other.post("/login", url.Values{"email": {"grace@example.test"}, "password": {"correct horse battery"}})
		if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") == "" ||
			!strings.Contains(text(t, a), "Too many failed sign-in attempts") {
			t.Errorf("sixth try = %d Retry-After %q %s, want 429", a.status, a.header.Get("Retry-After"), text(t, a))
		}

		// A good login returns to the page that was asked for, never
		// elsewhere.
		third := newBrowser(t, srv)
		third.signUp("hopper@example.test")
		third.post("/logout", nil)
		for next, want := range map[string]string{"/app/campaigns": "/app/campaigns", "//evil.example/app": "/app",
			"https://evil.example": "/app", "/app/../login": "/app"} {
			a := third.post("/login", url.Values{"email": {"hopper@example.test"}, "password": {"correct horse battery"}, "next": {next}})
			if a.status != http.StatusSeeOther || a.location() != want {
				t.Errorf("login with next %q = %d to %q, want %q", next, a.status, a.location(), want)
			}
		}
	})
}

func TestCrossSiteFormPostsAreRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		id := b.createCampaign(url.Values{"sources": {}})

		for _, header := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "http://evil.example"}} {
			a := b.do(http.MethodPost, "/app/campaigns/"+id+"/start", url.Values{}, header...)
			if a.status != http.StatusForbidden || !strings.Contains(text(t, a), "sent from another site") {
				t.Errorf("start with %v = %d %s, want 403", header, a.status, text(t, a))
			}
			a = b.do(http.MethodPost, "/logout", url.Values{}, header...)
			if a.status != http.StatusForbidden {
				t.Errorf("log out with %v = %d, want 403", header, a.status)
			}
			// Signing a browser in from another site is refused too.
			a = newBrowser(t, srv).do(http.MethodPost, "/login", url.Values{"email": {"ada@example.test"}, "password": {"correct horse battery"}}, header...)
			if a.status != http.StatusForbidden || a.header.Get("Set-Cookie") != "" {
				t.Errorf("login with %v = %d (Set-Cookie %q), want 403 and no session", header, a.status, a.header.Get("Set-Cookie"))
			}
		}
		if got := text(t, b.page("/app/campaigns/"+id)); !strings.Contains(got, "Draft") || strings.Contains(got, "Pause campaign") {
			t.Errorf("after refused starts the campaign is not a draft: %s", got)
		}
	})
}

func TestAnotherUsersRecordsAreNotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		owner := newBrowser(t, srv)
		ownerID := owner.signUp("owner@example.test")
		campaignID := owner.createCampaign(nil)
		seqID := seedDraft(t, srv, ownerID, campaignID, "Acme Plumbing")

		other := newBrowser(t, srv)
		other.signUp("other@example.test")
		for _, c := range []struct{ method, path string }{
			{"GET", "/app/campaigns/" + campaignID},
			{"POST", "/app/campaigns/" + campaignID + "/start"},
			{"POST", "/app/campaigns/" + campaignID + "/pause"},
			{"GET", "/app/emails/" + seqID},
			{"POST", "/app/emails/" + seqID},
			{"POST", "/app/emails/" + seqID + "/approve"},
			{"GET", "/app/campaigns/not-an-id"},
			{"GET", "/app/emails/" + store.NewID()},
		} {
			var a answer
			if c.method == "GET" {
				a = other.get(c.path)
			} else {
				a = other.post(c.path, url.Values{"subject-1": {"taken over"}, "body-1": {"x"}, "subject-2": {""}, "body-2": {"x"}, "delay-2": {"3"}})
			}
			if a.status != http.StatusNotFound || strings.Contains(a.body, "Acme") {
				t.Errorf("another user's %s %s = %d, want 404 telling nothing", c.method, c.path, a.status)
			}
		}
		// The other user's queue and bulk approval do not reach it either.
		if got := text(t, other.page("/app/emails")); strings.Contains(got, "Acme") {
			t.Errorf("another user's queue shows the owner's draft: %s", got)
		}
		other.post("/app/emails/approve", url.Values{"ids": {seqID}})
		if got := text(t, owner.page("/app/emails/"+seqID)); !strings.Contains(got, "Draft") {
			t.Errorf("the owner's draft changed after another user's bulk approval: %s", got)
		}
	})
}

func TestStaticAssetsAreServedUnderTheirHash(t *testing.T) {
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	b := newBrowser(t, srv)
	login := b.page("/login")
	for _, name := range []string{"app.css", "app.js", "icon.svg"} {
		ext := name[strings.LastIndex(name, "."):]
		base := strings.TrimSuffix(name, ext)
		path := regexp.MustCompile(`/static/` + base + `\.[0-9a-f]{16}\` + ext).FindString(login.body)
		if path == "" {
			t.Fatalf("the page does not link %s under a hashed name", name)
		}
		a := b.get(path)
		if a.status != http.StatusOK || a.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || a.body == "" {
			t.Errorf("GET %s = %d Cache-Control %q", path, a.status, a.header.Get("Cache-Control"))
		}
		if again := b.get(path, "If-None-Match", a.header.Get("ETag")); again.status != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", path, again.status)
		}
		if stale := b.get("/static/" + base + ".0000000000000000" + ext); stale.status != http.StatusNotFound {
			t.Errorf("an old hash of %s = %d, want 404", name, stale.status)
		}
	}
}

// campaignStatus reads a campaign's status from the store.
func campaignStatus(t *testing.T, srv *apptest.Server, userID, id string) string {
	t.Helper()
	var c store.Campaign
	err := srv.App.Store.Read(context.Background(), userID, func(tx *store.Tx) (err error) {
		c, err = tx.Campaign(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}

func setRunning(t *testing.T, srv *apptest.Server, userID, id string) {
	t.Helper()
	err := srv.App.Store.Write(context.Background(), userID, func(tx *store.Tx) error {
		_, err := tx.SetCampaignStatus(context.Background(), id, store.CampaignRunning, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// decode reads a JSON answer of the API.
func decode(t *testing.T, a answer, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(a.body), v); err != nil {
		t.Fatalf("not JSON (%v): %s", err, a.body)
	}
}
