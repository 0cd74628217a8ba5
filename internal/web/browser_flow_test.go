package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/prospectorhq/prospector/internal/api"
	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/browsertest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// countJS reads the number a live counter of the campaign page shows.
func countJS(name string) string {
	return `Number(document.querySelector('dd[data-count="` + name + `"]').textContent.replace(/,/g, ""))`
}

// waitLong is waitFor for work the pipeline does (discovery through the
// sandbox's slow answers, enrichment, scoring, drafting), which may take
// longer than a step on a loaded machine.
func (tb *tab) waitLong(what, expression string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expression, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// forgetConsole drops what the pages wrote so far.
func (tb *tab) forgetConsole() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.console = nil
}

// The whole first session of a user, in Chromium, against the real server,
// store, workers and the sandbox's providers (offline): sign up, make a
// campaign with the wizard, import a CSV whose bad row is shown, start it
// and watch the pipeline's counters move without a reload, filter the
// leads, open one, edit and approve a draft the pipeline wrote, have a
// form posted from another site refused with nothing changed, and log out.
func TestInChromiumAUsersFirstCampaignFromSignUpToApprovedDraft(t *testing.T) {
	browsertest.Path(t)
	// The model answers after a second, so no draft is written yet when
	// the started campaign's page opens: the drafts it then shows came
	// over the live stream.
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{
		Sandbox: &sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Anthropic: {Latency: time.Second}}},
		Live:    api.LiveOptions{Every: 100 * time.Millisecond}})
	tb := openTab(t, srv.URL)

	tb.do("open the sign-up form", chromedp.Navigate(srv.URL+"/signup"))
	tb.at("/signup", "Create your account")
	tb.do("fill the sign-up form",
		chromedp.SendKeys(chromedp.ID("f-email"), "grace@example.test"),
		chromedp.SendKeys(chromedp.ID("f-password"), "correct horse battery"),
		chromedp.SendKeys(chromedp.ID("f-full-name"), "Grace Hopper"))
	tb.clickAndLoad("sign up", `form[action="/signup"] button[type="submit"]`)
	tb.at("/app", "Dashboard")

	// The wizard: a target, a small number of leads, then the review.
	tb.clickAndLoad("follow the first step", `section.empty a[href="/app/campaigns/new"]`)
	tb.at("/app/campaigns/new", "New campaign")
	next := chromedp.Click(chromedp.CSS(`.wizard-nav button:not(.secondary)`))
	tb.do("fill the target and go on",
		chromedp.SendKeys(chromedp.ID("f-name"), "Plumbers in Austin"),
		chromedp.SendKeys(chromedp.ID("f-business-type"), "plumber"),
		chromedp.SendKeys(chromedp.ID("f-target-location"), "Austin, TX"),
		next)
	tb.sees("Step 2 of 5", "Sources")
	tb.do("ask for a few leads only",
		chromedp.Clear(chromedp.ID("f-target-criteria-max-results")),
		chromedp.SendKeys(chromedp.ID("f-target-criteria-max-results"), "6"),
		next, next, next)
	tb.sees("Step 5 of 5", "Review", "Plumbers in Austin")
	tb.clickAndLoad("create the campaign", `form[action="/app/campaigns/new"] button[type="submit"]`)
	tb.sees("Campaign created.", "Plumber in Austin, TX", "Start campaign")
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	campaignPath := strings.TrimPrefix(loc, srv.URL)
	campaignID := campaignPath[strings.LastIndex(campaignPath, "/")+1:]

	// A CSV of three rows, one without the required company name.
	csvPath := filepath.Join(t.TempDir(), "leads.csv")
	csv := "company_name,website,phone\n" +
		"Lone Star Plumbing,https://lonestar.example,512-555-0110\n" +
		",https://nameless.example,\n" +
		"Hill Country Pipes,https://hcpipes.example,512-555-0111\n"
	if err := os.WriteFile(csvPath, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.do("choose the file", chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{csvPath}))
	tb.clickAndLoad("import it", `form[action$="/import"] button[type="submit"]`)
	tb.sees("Imported 2 leads", "1 row was rejected", "Rejected rows")
	rejected, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(`table:has(caption) tbody tr`)))
	if err != nil || !strings.HasPrefix(rejected, "2") || !strings.Contains(rejected, "company_name is required") {
		t.Errorf("the rejected row reads %q (%v), want data row 2 (the line after Lone Star) and why", rejected, err)
	}

	// Start; the page that opens is not reloaded again while the pipeline
	// runs, and its counters follow the work over the live stream.
	tb.clickAndLoad("start the campaign", `form[action$="/start"] button[type="submit"]`)
	tb.at(campaignPath, "Plumbers in Austin")
	tb.do("mark the page, to see it is not reloaded", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	if drafted, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](countJS("drafted"))); err != nil || drafted != 0 {
		t.Fatalf("the started campaign's page opened with %d drafts (%v), before the model could answer", drafted, err)
	}
	tb.waitFor("the live stream to open", `document.querySelector("[data-live-note]").textContent.startsWith("Live")`)
	tb.waitLong("the pipeline's drafts to be counted", countJS("drafted")+` > 0`)
	tb.waitLong("the campaign to be shown completed", `document.querySelector("[data-status]").textContent.trim() === "Completed"`)
	if found, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](countJS("found"))); err != nil || found <= 2 {
		t.Errorf("the completed campaign counts %d leads found (%v), want discovery's beside the 2 imported", found, err)
	}
	if reloaded, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`window.notReloaded !== true`)); err != nil || reloaded {
		t.Errorf("the page was reloaded to show the numbers (%v)", err)
	}

	// The leads, filtered to the campaign's tier A, then one lead's story.
	tb.clickAndLoad("open the leads", `nav a[href="/app/leads"]`)
	tb.at("/app/leads", "Leads")
	tb.sees("Lone Star Plumbing", "Hill Country Pipes")
	tb.do("filter to tier A", chromedp.SetValue(chromedp.ID("f-tier"), "A"))
	tb.clickAndLoad("apply the filters", `form[action="/app/leads"] button[type="submit"]`)
	tiers, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("tbody tr td:nth-child(4)"), td => td.textContent.trim())`))
	if err != nil || len(tiers) == 0 {
		t.Fatalf("the tier A filter shows no lead (%v): the sandbox's businesses should hold one", err)
	}
	for _, tier := range tiers {
		if tier != "A" {
			t.Errorf("the tier A filter shows a lead of tier %q", tier)
		}
	}
	tb.sees("Tier A")
	company, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(`tbody tr td a`)))
	if err != nil {
		t.Fatal(err)
	}
	tb.clickAndLoad("open the first lead", `tbody tr td a`)
	tb.do("wait for the lead", chromedp.WaitVisible(chromedp.CSS("h1")))
	tb.sees(strings.TrimSpace(company), "Score")

	// A draft the pipeline wrote: edited, saved, approved.
	tb.clickAndLoad("open the queue", `nav a[href="/app/emails"]`)
	tb.at("/app/emails", "Emails")
	tb.clickAndLoad("open the first draft", `tbody tr td a[href^="/app/emails/"]`)
	tb.do("wait for the draft", chromedp.WaitVisible(chromedp.ID("f-emails-0--body")))
	draft, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	draftPath := strings.TrimPrefix(draft, srv.URL)
	tb.do("rewrite the first email",
		chromedp.Clear(chromedp.ID("f-emails-0--body")),
		chromedp.SendKeys(chromedp.ID("f-emails-0--body"), "Hello, I looked at your website and have two ideas for it."))
	tb.clickAndLoad("save the draft", `form[action="`+draftPath+`"] button[type="submit"]`)
	tb.sees("Draft saved")
	body, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.ID("f-emails-0--body")))
	if err != nil || body != "Hello, I looked at your website and have two ideas for it." {
		t.Errorf("after saving the first email reads %q (%v)", body, err)
	}
	tb.clickAndLoad("approve it", `form[action$="/approve"] button[type="submit"]`)
	tb.sees("Approved")

	tb.noConsoleErrors()

	// A form on another site posting to ours, with the user's session in
	// the browser: refused with a page that says why, and nothing added.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Win a prize</title><form method="post" action="%s/app/settings/suppressions">`+
			`<input type="hidden" name="entry" value="victim@example.test"><button id="go">Claim</button></form>`, srv.URL)
	}))
	t.Cleanup(evil.Close)
	// Another host name for the loopback address: another site to the browser.
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
	tb.do("open the other site", chromedp.Navigate(evilURL))
	tb.clickAndLoad("post its form", "#go")
	tb.sees("sent from another site", "refused")
	tb.do("open the suppression list", chromedp.Navigate(srv.URL+"/app/settings/suppressions"))
	tb.sees("The list is empty")
	tb.forgetConsole() // the browser reported the refusal's 403, as it should

	tb.do("back to the dashboard", chromedp.Navigate(srv.URL+"/app"))
	tb.at("/app", "Dashboard")
	tb.clickAndLoad("log out", `form[action="/logout"] button`)
	tb.at("/login", "Log in")
	tb.sees("You are logged out.")
	tb.do("try the campaign again", chromedp.Navigate(srv.URL+"/app/campaigns/"+campaignID))
	tb.at("/login?next=%2Fapp%2Fcampaigns%2F"+campaignID, "Log in")

	tb.noConsoleErrors()
}
