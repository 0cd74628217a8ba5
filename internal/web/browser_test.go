package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/browsertest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// tab is one Chromium tab with what its pages wrote to the console.
type tab struct {
	t       *testing.T
	ctx     context.Context
	base    string
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// openTab starts a headless Chromium for the test; it is stopped, and its
// console reader with it, when the test ends.
func openTab(t *testing.T, base string) *tab {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browsertest.Options(browsertest.Path(t), t.TempDir())...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	tb := &tab{t: t, ctx: ctx, base: base}
	messages := chromedp.Console(ctx)
	var reading sync.WaitGroup
	reading.Add(1)
	go func() {
		defer reading.Done()
		for m, err := range messages {
			if err != nil {
				return // the tab closed
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m)
			tb.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
		reading.Wait()
	})
	return tb
}

// stepTimeout bounds one step, so a selector that matches nothing fails
// the test with the step's name instead of waiting for the whole test's
// deadline.
const stepTimeout = 30 * time.Second

// do runs browser actions, failing the test with what was being done.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// at asserts the tab shows path with heading h1.
func (tb *tab) at(path, h1 string) {
	tb.t.Helper()
	tb.do("wait for "+path, chromedp.WaitVisible(chromedp.CSS("h1")))
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	heading, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		tb.t.Fatal(err)
	}
	if strings.TrimPrefix(loc, tb.base) != path || strings.TrimSpace(heading) != h1 {
		tb.t.Fatalf("the browser is at %s with heading %q, want %s with %q", loc, heading, path, h1)
	}
}

// sees asserts the page's visible text holds each of want.
func (tb *tab) sees(want ...string) {
	tb.t.Helper()
	body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			tb.t.Errorf("the page does not show %q: %s", w, body)
		}
	}
}

// clickAndLoad clicks the element css selects and waits for the page the
// click loads.
func (tb *tab) clickAndLoad(what, css string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// noConsoleErrors asserts no page wrote an error or threw: a script the
// policy refused, a resource that failed, an exception.
func (tb *tab) noConsoleErrors() {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, m := range tb.console {
		if m.Type == chromedp.ConsoleError || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
			tb.t.Errorf("console: %s (%s)", m, m.URL)
		}
	}
}

// A new user, start to finish: the front door, sign up, the dashboard's
// first step, a campaign made with the form, the list, a draft edited with
// the script's live word count, and logging out.
func TestInChromiumSignUpCreateACampaignAndLogOut(t *testing.T) {
	path := browsertest.Path(t)
	t.Logf("browser: %s", path)
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{})
	tb := openTab(t, srv.URL)

	tb.do("open the front door", chromedp.Navigate(srv.URL+"/"))
	tb.at("/login", "Log in")
	tb.clickAndLoad("go to sign up", `a[href="/signup"]`)
	tb.at("/signup", "Create your account")
	tb.do("fill the sign-up form",
		chromedp.SendKeys(chromedp.ID("f-email"), "ada@example.test"),
		chromedp.SendKeys(chromedp.ID("f-password"), "correct horse battery"),
		chromedp.SendKeys(chromedp.ID("f-full-name"), "Ada Lovelace"))
	tb.clickAndLoad("sign up", `form[action="/signup"] button[type="submit"]`)
	tb.at("/app", "Dashboard")
	tb.sees("Welcome to Prospector!", "Create your first campaign", "Credits left", "ada@example.test")

	tb.clickAndLoad("follow the first step", `section.empty a[href="/app/campaigns/new"]`)
	tb.at("/app/campaigns/new", "New campaign")
	// The form is a wizard here: one step at a time, then a review.
	next := chromedp.Click(chromedp.CSS(`.wizard-nav button:not(.secondary)`))
	tb.sees("Step 1 of 5")
	tb.do("fill the target and go on",
		chromedp.SendKeys(chromedp.ID("f-name"), "Roofers in Denver"),
		chromedp.SendKeys(chromedp.ID("f-business-type"), "roofer"),
		chromedp.SendKeys(chromedp.ID("f-target-location"), "Denver, CO"),
		next, next)
	tb.sees("Step 3 of 5", "Tiers to write to")
	tb.do("write to tier C too and go to the review",
		chromedp.Click(chromedp.CSS(`input[name="tiers"][value="C"]`)), next, next)
	tb.sees("Step 5 of 5", "Review", "Roofers in Denver", "Tier A, Tier B, Tier C", "Monday, Tuesday")
	tb.clickAndLoad("create the campaign", `form[action="/app/campaigns/new"] button[type="submit"]`)
	tb.sees("Campaign created.", "Roofer in Denver, CO", "Start campaign", "A, B, C")
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	campaignID := loc[strings.LastIndex(loc, "/")+1:]
	if !store.ValidID(campaignID) {
		t.Fatalf("after creating, the browser is at %s", loc)
	}

	tb.clickAndLoad("open the list", `nav a[href="/app/campaigns"]`)
	tb.at("/app/campaigns", "Campaigns")
	tb.sees("Roofers in Denver", "Draft", "Nothing found yet")

	// A draft of the campaign's, as the pipeline would write it: its page
	// counts the words of each email as they are typed (our script, run
	// under the policy).
	var userID string
	err = srv.App.Store.Read(tb.ctx, "", func(tx *store.Tx) error {
		c, err := tx.CredentialsByEmail(tb.ctx, "ada@example.test")
		userID = c.UserID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	seqID := seedDraft(t, srv, userID, campaignID, "Peak Roofing")
	tb.clickAndLoad("open the queue", `nav a[href="/app/emails"]`)
	tb.at("/app/emails", "Emails")
	tb.sees("Peak Roofing", "Passed", "Select every draft on this page")
	tb.clickAndLoad("open the draft", `a[href="/app/emails/`+seqID+`"]`)
	tb.at("/app/emails/"+seqID, "Email to Peak Roofing")
	tb.do("type into the first email",
		chromedp.Clear(chromedp.ID("f-emails-0--body")),
		chromedp.SendKeys(chromedp.ID("f-emails-0--body"), "Three short words"))
	count, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.ID("words-1")))
	if err != nil || count != "3 words" {
		t.Errorf("the live word count says %q (%v), want 3 words", count, err)
	}
	tb.clickAndLoad("save the draft", `form[action="/app/emails/`+seqID+`"] button[type="submit"]`)
	tb.sees("Draft saved")

	tb.clickAndLoad("log out", `form[action="/logout"] button`)
	tb.at("/login", "Log in")
	tb.sees("You are logged out.")
	tb.do("try the dashboard again", chromedp.Navigate(srv.URL+"/app"))
	tb.at("/login?next=%2Fapp", "Log in")

	tb.noConsoleErrors()
}
