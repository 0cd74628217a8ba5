package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// browser is a person's browser against a running Prospector: its own
// cookie jar, and redirects reported rather than followed, so a test sees
// each answer.
type browser struct {
	t    testing.TB
	base string
	http *http.Client
}

func newBrowser(t testing.TB, srv *apptest.Server) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: srv.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// answer is one finished exchange.
type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) location() string { return a.header.Get("Location") }

// do sends one request; header holds extra header pairs.
func (b *browser) do(method, path string, form url.Values, header ...string) answer {
	b.t.Helper()
	if form == nil {
		return b.send(method, path, "", nil, header...)
	}
	return b.send(method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), header...)
}

// send makes one request of the browser's with body of contentType (none
// when ""), and reads the whole answer.
func (b *browser) send(method, path, contentType string, body io.Reader, header ...string) answer {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read: %v", method, path, err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// upload posts a file as a browser's multipart form does, in the field
// named field.
func (b *browser) upload(path, field, filename, content string) answer {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		b.t.Fatal(err)
	}
	io.WriteString(fw, content)
	mw.Close()
	return b.send("POST", path, mw.FormDataContentType(), &buf)
}

func (b *browser) get(path string, header ...string) answer {
	return b.do(http.MethodGet, path, nil, header...)
}

// post sends a form as a browser on the same site would (Sec-Fetch-Site),
// plus any extra header pairs.
func (b *browser) post(path string, form url.Values, header ...string) answer {
	return b.do(http.MethodPost, path, form, append([]string{"Sec-Fetch-Site", "same-origin"}, header...)...)
}

// page gets a page that must answer 200 and checks it as every page is
// checked (checkPage).
func (b *browser) page(path string) answer {
	b.t.Helper()
	a := b.get(path)
	if a.status != http.StatusOK {
		b.t.Fatalf("GET %s = %d, want 200: %s", path, a.status, a.body)
	}
	checkPage(b.t, path, a)
	return a
}

// signUp makes an account through the sign-up form; the browser is then
// signed in as it. It returns the user's id.
func (b *browser) signUp(email string) string {
	b.t.Helper()
	a := b.post("/signup", url.Values{"email": {email}, "password": {"correct horse battery"}})
	if a.status != http.StatusSeeOther || a.location() != "/app" {
		b.t.Fatalf("sign up = %d to %q: %s", a.status, a.location(), a.body)
	}
	me := b.get("/api/auth/me")
	var body struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal([]byte(me.body), &body); err != nil || body.User.ID == "" {
		b.t.Fatalf("me = %d %s", me.status, me.body)
	}
	return body.User.ID
}

// createCampaign sends the new-campaign form with form's fields over the
// defaults and returns the new campaign's id.
func (b *browser) createCampaign(form url.Values) string {
	b.t.Helper()
	full := url.Values{"name": {"Plumbers in Austin"}, "business_type": {"plumber"}, "target_location": {"Austin, TX"},
		"max_results": {"50"}, "tiers": {"A", "B"}}
	for k, v := range form {
		full[k] = v
	}
	a := b.post("/app/campaigns/new", full)
	id, ok := strings.CutPrefix(a.location(), "/app/campaigns/")
	if a.status != http.StatusSeeOther || !ok || !store.ValidID(id) {
		b.t.Fatalf("create campaign = %d to %q: %s", a.status, a.location(), a.body)
	}
	return id
}

// seedDraft stores a prospect of campaignID with a contact and a drafted
// two-email sequence for it, as the generate stage would, and returns the
// sequence's id.
func seedDraft(t testing.TB, srv *apptest.Server, userID, campaignID, company string) string {
	t.Helper()
	ctx := context.Background()
	steps := []outreach.Step{
		{Step: 1, DelayDays: 0, Subject: "A faster website for " + company, Body: "Hello,\n\nYour site loads slowly on phones.\n\nDana"},
		{Step: 2, DelayDays: 3, Subject: "Following up", Body: "Hello again,\n\nJust following up.\n\nDana"},
	}
	emails, _ := json.Marshal(steps)
	checks, _ := json.Marshal(outreach.Check(steps))
	var id string
	err := srv.App.Store.Write(ctx, userID, func(tx *store.Tx) error {
		email := "owner@" + strings.ToLower(strings.ReplaceAll(company, " ", "")) + ".test"
		ids, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: campaignID, CompanyName: company, Source: "manual",
			SourceID: store.NewID(), Contact: &store.NewContact{Email: &email, IsPrimary: true, Source: "manual"}}})
		if err != nil {
			return err
		}
		contacts, err := tx.ContactsOf(ctx, ids[0])
		if err != nil {
			return err
		}
		o, err := tx.SaveDraft(ctx, mailstore.NewDraft{CampaignID: campaignID, ProspectID: ids[0], ContactID: contacts[0].ID,
			SequenceType: "cold_email", Subject: steps[0].Subject, Emails: emails, GeneratedBy: "template",
			PromptVersion: "template@1", Checks: checks})
		id = o.ID
		return err
	})
	if err != nil {
		t.Fatalf("seed draft: %v", err)
	}
	return id
}

var nonceRE = regexp.MustCompile(`'nonce-([A-Za-z0-9+/_=-]+)'`)

// checkPage asserts what every dashboard page keeps: its security headers,
// a Content-Security-Policy whose nonce is on every script (and no inline
// script, handler or style), one h1, every input labelled and every button
// named.
func checkPage(t testing.TB, what string, a answer) {
	t.Helper()
	for k, want := range map[string]string{"Content-Type": "text/html; charset=utf-8", "X-Frame-Options": "DENY",
		"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if got := a.header.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	csp := a.header.Get("Content-Security-Policy")
	m := nonceRE.FindStringSubmatch(csp)
	if m == nil || !strings.Contains(csp, "script-src 'self' 'nonce-") || strings.Contains(csp, "unsafe-inline") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy = %q, want script-src 'self' with a nonce and nothing unsafe", what, csp)
		return
	}
	nonce := m[1]
	doc, err := html.Parse(strings.NewReader(a.body))
	if err != nil {
		t.Fatalf("%s: parse: %v", what, err)
	}
	labelled := map[string]bool{}
	var inputs, buttons []*html.Node
	h1, scripts := 0, 0
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			for _, at := range n.Attr {
				if strings.HasPrefix(at.Key, "on") || at.Key == "style" {
					t.Errorf("%s: <%s %s=…>: inline handlers and styles are refused by the policy", what, n.Data, at.Key)
				}
			}
			switch n.Data {
			case "h1":
				h1++
			case "script":
				scripts++
				if attr(n, "nonce") != nonce || attr(n, "src") == "" {
					t.Errorf("%s: a script with nonce %q and src %q; want the policy's nonce %q on a script from our origin",
						what, attr(n, "nonce"), attr(n, "src"), nonce)
				}
			case "style":
				t.Errorf("%s: an inline <style>", what)
			case "label":
				if f := attr(n, "for"); f != "" {
					labelled[f] = true
				}
				inLabel = true
			case "input", "select", "textarea":
				if typ := attr(n, "type"); typ != "hidden" && typ != "submit" && !inLabel {
					inputs = append(inputs, n)
				}
			case "button":
				buttons = append(buttons, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)
	if h1 != 1 {
		t.Errorf("%s: %d <h1> elements, want one", what, h1)
	}
	if scripts == 0 {
		t.Errorf("%s: no script: want our script, with the nonce", what)
	}
	for _, in := range inputs {
		if !labelled[attr(in, "id")] && attr(in, "aria-label") == "" {
			t.Errorf("%s: <%s name=%q id=%q> has no label", what, in.Data, attr(in, "name"), attr(in, "id"))
		}
	}
	for _, b := range buttons {
		if strings.TrimSpace(textOf(b)) == "" {
			t.Errorf("%s: a button with no visible name", what)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

// text is a page's visible text with its spaces folded, for asserting
// what a person reads.
func text(t *testing.T, a answer) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	var body *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "body" {
			body = n
		}
		for c := n.FirstChild; c != nil && body == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if body == nil {
		return ""
	}
	return strings.Join(strings.Fields(textOf(body)), " ")
}

// fieldValue is the value attribute of the input named name ("" when
// absent), or a textarea's text.
func fieldValue(t *testing.T, a answer, name string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	var out string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "name") == name {
			switch n.Data {
			case "input":
				out = attr(n, "value")
			case "textarea":
				out = textOf(n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// rows are the body rows of the table in the section headed heading, each
// as its cells' texts with spaces folded, joined by a space.
func rows(t *testing.T, a answer, heading string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	var section *html.Node
	var walk func(n *html.Node, in func(*html.Node))
	walk = func(n *html.Node, in func(*html.Node)) {
		in(n)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "h2" && strings.TrimSpace(textOf(n)) == heading && section == nil {
			section = n.Parent
		}
	})
	if section == nil {
		t.Fatalf("the page has no section headed %q", heading)
	}
	var out []string
	walk(section, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					cells = append(cells, strings.Join(strings.Fields(textOf(c)), " "))
				}
			}
			out = append(out, strings.Join(cells, " "))
		}
	})
	return out
}
