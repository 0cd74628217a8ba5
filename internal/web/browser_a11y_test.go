package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/browsertest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// axeSource finds axe-core's axe.min.js, which is never part of the
// repository: $AXE_CORE_JS, else node_modules/axe-core/axe.min.js under
// $AXE_CORE_DIR (.ci/run installs it there from the npm registry). Without
// it the test skips, saying how to get it.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_CORE_JS")
	if path == "" && os.Getenv("AXE_CORE_DIR") != "" {
		path = filepath.Join(os.Getenv("AXE_CORE_DIR"), "node_modules", "axe-core", "axe.min.js")
	}
	if path == "" {
		t.Skip("accessibility test skipped: set AXE_CORE_JS to axe-core's axe.min.js (npm install --prefix DIR axe-core, as .ci/run does)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("accessibility test: axe-core: %v", err)
		}
		t.Skipf("accessibility test skipped: axe-core: %v", err)
	}
	return string(src)
}

// axeViolation is one rule a page breaks, with the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// Every main page of the dashboard, signed out and in, with data in it,
// passes axe-core's WCAG 2 A and AA rules with no violation of serious or
// critical impact.
func TestInChromiumEveryPagePassesAxe(t *testing.T) {
	browsertest.Path(t)
	axe := axeSource(t)
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	b := newBrowser(t, srv)
	userID := b.signUp("ada@example.test")
	campaignID := b.createCampaign(url.Values{"name": {"Plumbers in Austin"}})
	seq := seedDraft(t, srv, userID, campaignID, "Acme Plumbing")
	leadID := seedStory(t, srv, userID, seq)

	tb := openTab(t, srv.URL)
	check := func(path string) {
		t.Helper()
		tb.do("open "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("h1")))
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
			t.Fatalf("load axe-core into %s: %v", path, err)
		}
		found, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](
			`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}, resultTypes: ["violations"]})
				.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical"))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("run axe-core on %s: %v", path, err)
		}
		for _, v := range found {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, n.HTML)
			}
			t.Errorf("%s: %s (%s, %s) at %s", path, v.ID, v.Impact, v.Help, strings.Join(where, " | "))
		}
	}

	check("/login")
	check("/signup")
	tb.do("open the login form", chromedp.Navigate(srv.URL+"/login"))
	tb.do("log in",
		chromedp.SendKeys(chromedp.ID("f-email"), "ada@example.test"),
		chromedp.SendKeys(chromedp.ID("f-password"), "correct horse battery"))
	tb.clickAndLoad("log in", `form[action^="/login"] button[type="submit"]`)
	tb.at("/app", "Dashboard")
	for _, path := range []string{
		"/app", "/app/campaigns", "/app/campaigns/new", "/app/campaigns/" + campaignID, "/app/campaigns/" + campaignID + "/edit",
		"/app/leads", "/app/leads/" + leadID, "/app/emails", "/app/emails/" + seq,
		"/app/settings/profile", "/app/settings/mailboxes", "/app/settings/api-keys", "/app/settings/suppressions",
		"/app/settings/billing", "/app/settings/account",
	} {
		check(path)
	}
}
