package web_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/prospectorhq/prospector/internal/api"
	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/browsertest"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// waitFor waits until expression is true in the page (what says what was
// awaited), within a step's time.
func (tb *tab) waitFor(what, expression string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expression, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// A user's leads, live progress and settings: open a lead's whole story
// from the table, watch a campaign's counters move while work lands
// without reloading, add a mailbox whose password is wrong and read why,
// and add and remove a suppression.
func TestInChromiumALeadLiveProgressAMailboxAndTheSuppressionList(t *testing.T) {
	browsertest.Path(t)
	smtp, err := sandboxsmtp.Start(sandboxsmtp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { smtp.Close() })
	host, port, _ := net.SplitHostPort(smtp.Addr())
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{Env: map[string]string{"SEND_ALLOWLIST": smtp.Addr()},
		Live: api.LiveOptions{Every: 50 * time.Millisecond}})

	// The account and its data, made over HTTP as the pipeline would.
	b := newBrowser(t, srv)
	userID := b.signUp("ada@example.test")
	campaignID := b.createCampaign(url.Values{"name": {"Plumbers in Austin"}})
	seq := seedDraft(t, srv, userID, campaignID, "Acme Plumbing")
	leadID := seedStory(t, srv, userID, seq)

	tb := openTab(t, srv.URL)
	tb.do("open the login form", chromedp.Navigate(srv.URL+"/login"))
	tb.do("log in",
		chromedp.SendKeys(chromedp.ID("f-email"), "ada@example.test"),
		chromedp.SendKeys(chromedp.ID("f-password"), "correct horse battery"))
	tb.clickAndLoad("log in", `form[action^="/login"] button[type="submit"]`)
	tb.at("/app", "Dashboard")

	// A lead's story, from the table.
	tb.clickAndLoad("open the leads", `nav a[href="/app/leads"]`)
	tb.at("/app/leads", "Leads")
	tb.sees("owner@acmeplumbing.test", "Verified", "74")
	tb.clickAndLoad("open the lead", `a[href="/app/leads/`+leadID+`"]`)
	tb.at("/app/leads/"+leadID, "Acme Plumbing")
	tb.sees("WordPress", "Tier A: a slow site without HTTPS", "A family plumber serving Austin since 1998.",
		"Following up", "Sounds good, call me Tuesday.")
	tb.do("open the score's terms", chromedp.Click(chromedp.CSS("details summary")))
	tb.sees("No https: +20")

	// The campaign's counters move as leads land, with no reload.
	tb.clickAndLoad("open the campaign", `a[href="/app/campaigns/`+campaignID+`"]`)
	tb.at("/app/campaigns/"+campaignID, "Plumbers in Austin")
	tb.waitFor("the live stream to open", `document.querySelector("[data-live-note]").textContent.startsWith("Live")`)
	tb.do("mark the page, to see it is not reloaded", chromedp.Evaluate[chromedp.Void](
		`window.notReloaded = true; window.foundBefore = Number(document.querySelector('dd[data-count="found"]').textContent.replace(/,/g, ""))`))
	imported := b.doBody(http.MethodPost, "/api/campaigns/"+campaignID+"/import", "text/csv",
		"company_name,website\nBest Drains,https://best.example\nCity Pipes,https://pipes.example\n")
	if imported.status != http.StatusOK {
		t.Fatalf("import = %d %s", imported.status, imported.body)
	}
	tb.waitFor("the found counter to count the imported leads", `Number(document.querySelector('dd[data-count="found"]').textContent.replace(/,/g, "")) === window.foundBefore + 2`)
	tb.waitFor("the enriched share to follow", `document.querySelector('[data-when-found]').hidden === false`)
	if reloaded, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`window.notReloaded !== true`)); err != nil || reloaded {
		t.Errorf("the page was reloaded to show the numbers (%v)", err)
	}

	// A mailbox with a wrong password: saved, tested, and the page says why.
	tb.clickAndLoad("open the settings", `nav a[href="/app/settings/profile"]`)
	tb.at("/app/settings/profile", "Settings")
	tb.clickAndLoad("open the mailboxes", `nav a[href="/app/settings/mailboxes"]`)
	tb.sees("No mailbox yet")
	tb.do("fill the mailbox form",
		chromedp.SendKeys(chromedp.ID("f-email"), "dana@reyes.example"),
		chromedp.SendKeys(chromedp.ID("f-smtp-host"), host),
		chromedp.Clear(chromedp.ID("f-smtp-port")),
		chromedp.SendKeys(chromedp.ID("f-smtp-port"), port),
		chromedp.SetValue(chromedp.ID("f-smtp-security"), "none"),
		chromedp.SendKeys(chromedp.ID("f-smtp-username"), sandboxsmtp.DefaultUsername),
		chromedp.SendKeys(chromedp.ID("f-smtp-password"), "not-the-password"))
	tb.clickAndLoad("add the mailbox", `form[action="/app/settings/mailboxes"] button[type="submit"]`)
	tb.sees("Mailbox dana@reyes.example added. SMTP failed:", "535", "Check the server, port, security and password")
	alert, err := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS(".flash"), "role"))
	if err != nil || alert.Value != "alert" {
		t.Errorf("the failed test is not announced as an alert (role %q, %v)", alert.Value, err)
	}

	// A suppression, added and removed.
	tb.clickAndLoad("open the suppression list", `nav a[href="/app/settings/suppressions"]`)
	tb.sees("The list is empty")
	tb.do("type an address", chromedp.SendKeys(chromedp.ID("f-entry"), "owner@rivals.example"))
	tb.clickAndLoad("suppress it", `form[action="/app/settings/suppressions"] button[type="submit"]`)
	tb.sees("owner@rivals.example added: nothing will be sent to it.", "Manual")
	tb.clickAndLoad("remove it", `form[action$="/delete"] button[type="submit"]`)
	tb.sees("Removed from the suppression list.", "The list is empty")

	tb.noConsoleErrors()
}

// doBody sends a raw body as a same-site browser request would.
func (b *browser) doBody(method, path, contentType, body string) answer {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}
