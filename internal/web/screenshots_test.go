package web_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/browsertest"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// The README's pictures: with SCREENSHOTS=DIR (docs/screenshots from the
// repository root: SCREENSHOTS=$PWD/docs/screenshots go test -run
// TestScreenshots ./internal/web/), a campaign runs through the sandbox's
// providers offline, as in the demo, and each main page is saved as DIR/<name>.png.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("SCREENSHOTS")
	if dir == "" {
		t.Skip("screenshots not taken: set SCREENSHOTS to the folder to write them to (docs/screenshots)")
	}
	browsertest.Path(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{Sandbox: &sandbox.Options{}})
	b := newBrowser(t, srv)
	b.signUp("dana@reyes.example")
	campaignID := b.createCampaign(url.Values{"name": {"Plumbers in Austin"}, "max_results": {"12"},
		"sources": settings.Sources()})
	if a := b.post("/app/campaigns/"+campaignID+"/start", url.Values{}); a.status != http.StatusSeeOther {
		t.Fatalf("start = %d: %s", a.status, a.body)
	}

	tb := openTab(t, srv.URL)
	tb.do("open the login form", chromedp.Navigate(srv.URL+"/login"))
	tb.do("log in",
		chromedp.SendKeys(chromedp.ID("f-email"), "dana@reyes.example"),
		chromedp.SendKeys(chromedp.ID("f-password"), "correct horse battery"))
	tb.clickAndLoad("log in", `form[action^="/login"] button[type="submit"]`)
	tb.do("open the campaign", chromedp.Navigate(srv.URL+"/app/campaigns/"+campaignID))
	tb.waitLong("the campaign to complete", `document.querySelector("[data-status]").textContent.trim() === "Completed"`)

	shoot := func(name, path string) {
		t.Helper()
		if path != "" {
			tb.do("open "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("h1")))
		}
		png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot of %s: %v", name, err)
		}
		file := filepath.Join(dir, name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d KB", file, len(png)>>10)
	}
	shoot("campaign-progress", "/app/campaigns/"+campaignID)
	shoot("dashboard", "/app")
	shoot("leads", "/app/leads")
	// A tier A lead's story: the one with the most to show.
	lead, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(Array.from(document.querySelectorAll("tbody tr"))
		.find(tr => tr.children[3].textContent.trim() === "A") || document.querySelector("tbody tr")).querySelector("a").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	shoot("lead-story", lead)
	shoot("emails-review", "/app/emails")
	shoot("settings-mailboxes", "/app/settings/mailboxes")
}
