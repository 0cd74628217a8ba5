package api_test

import (
	"bytes"
	"encoding/json"
	"image/gif"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

const (
	browserUA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"
	gmailUA   = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
	mockupURL = "https://reyes-growth.example/mockups/acme?from=mail"
)

// aheadClock is the server's clock: the real one, moved ahead when a test
// says so (a reader opening a message minutes after it arrived).
type aheadClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *aheadClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *aheadClock) Forward(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ahead += d
}

// sentMail is one message the sandbox's SMTP server received, as a
// recipient reads it.
type sentMail struct {
	to, html    string
	open        string   // the pixel's path
	clicks      []string // the tracked links' paths
	unsubscribe string   // the List-Unsubscribe https link's path
}

var trackedPath = regexp.MustCompile(`https?://[^/"]+(/t/[oc]/[^"]+)`)

func readSent(t *testing.T, data []byte) sentMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	s := sentMail{to: m.Header.Get("To")}
	if u, err := url.Parse(strings.Trim(strings.Split(m.Header.Get("List-Unsubscribe"), ",")[0], "<> ")); err == nil {
		s.unsubscribe = u.Path
	}
	mediaType, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if mediaType != "multipart/alternative" {
		t.Fatalf("message to %s is %s, want multipart/alternative", s.to, mediaType)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			s.html = string(b)
		}
	}
	for _, m := range trackedPath.FindAllStringSubmatch(s.html, -1) {
		if strings.HasPrefix(m[1], "/t/o/") {
			s.open = m[1]
		} else {
			s.clicks = append(s.clicks, m[1])
		}
	}
	return s
}

type eventView struct {
	ID         string    `json:"id"`
	CampaignID string    `json:"campaign_id"`
	MessageID  string    `json:"message_id"`
	Type       string    `json:"type"`
	OccurredAt time.Time `json:"occurred_at"`
	Machine    bool      `json:"machine"`
	Detail     *string   `json:"detail"`
	Snippet    *string   `json:"snippet"`
}

type eventList struct {
	Data       []eventView `json:"data"`
	NextCursor *string     `json:"next_cursor"`
}

type messageCounts struct {
	Scheduled, Sent, Opened, Clicked, Replied, Bounced, Unsubscribed, Uncertain int
}

type outreachStats struct {
	Outreach struct {
		Drafts, Approved, Scheduled, Sent, Opened, Clicked, Replied, Bounced, Unsubscribed, Uncertain int
		ByStep                                                                                        map[string]messageCounts `json:"by_step"`
		ByMailbox                                                                                     map[string]messageCounts `json:"by_mailbox"`
	} `json:"outreach"`
}

// A campaign that tracks: the pixel and the tracked link of a sent
// message record opens and clicks (a proxy's and a scanner's apart from a
// person's), GET /api/events lists them, and the campaign's stats count
// them per campaign, step and mailbox.
func TestTrackingOpensClicksEventsAndStats(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		clk := &aheadClock{}
		var logs bytes.Buffer
		srv := apptest.Start(t, e, apptest.Options{Env: withEnv(noKeys), Sandbox: &sandbox.Options{}, Now: clk.Now, LogTo: &logs})
		c, me := srv.SignUp(t)
		mallory, malloryUser := srv.SignUp(t)
		campaignID, drafts := sendingCampaign(t, srv, c)
		if resp := c.JSON("PATCH", "/api/campaigns/"+campaignID, map[string]any{"sending": map[string]any{
			"track_opens": true, "track_clicks": true}}); resp.Status != http.StatusOK {
			t.Fatalf("tracking settings = %d %s", resp.Status, resp.Body)
		}
		// The first draft links to a mock-up.
		var seq sequence
		c.Get("/api/outreach/"+drafts[0]).JSON(t, &seq)
		seq.Emails[0].Body += "\n\nI made a mock-up: " + mockupURL
		if resp := c.JSON("PATCH", "/api/outreach/"+drafts[0]+"/edit", map[string]any{"emails": seq.Emails}); resp.Status != http.StatusOK {
			t.Fatalf("edit = %d %s", resp.Status, resp.Body)
		}
		if resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": drafts}); resp.Status != http.StatusOK {
			t.Fatalf("approve = %d %s", resp.Status, resp.Body)
		}
		msgs := waitMessages(t, c, campaignID, 2)
		if err := srv.Sandbox.SMTP.Wait(t.Context(), 2); err != nil {
			t.Fatal(err)
		}
		var linked, plain sentMail
		for _, r := range srv.Sandbox.SMTP.Messages() {
			if s := readSent(t, r.Data); len(s.clicks) > 0 {
				linked = s
			} else {
				plain = s
			}
		}
		if linked.open == "" || len(linked.clicks) != 1 || plain.open == "" || len(plain.clicks) != 0 {
			t.Fatalf("tracked links: %+v and %+v, want a pixel in each and one tracked link in one", linked, plain)
		}
		var linkedID, plainID, mailboxID string
		for _, m := range msgs {
			switch {
			case m.Step == 1 && m.SequenceID == drafts[0]:
				linkedID, mailboxID = m.ID, *m.MailboxID
			case m.Step == 1:
				plainID = m.ID
			}
		}

		anon := srv.Client(t)
		anon.Header.Set("User-Agent", browserUA)
		anon.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		fetch := func(method, path, ua string) *apptest.Response {
			t.Helper()
			anon.Header.Set("User-Agent", ua)
			return anon.Do(method, path, "", nil)
		}
		message := func() messageView {
			t.Helper()
			var m messageView
			c.Get("/api/messages/"+linkedID).JSON(t, &m)
			return m
		}

		// Gmail's proxy fetches the pixel: a machine's open.
		resp := fetch("GET", linked.open, gmailUA)
		if resp.Status != http.StatusOK || resp.Header.Get("Content-Type") != "image/gif" ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "no-store") || resp.Header.Get("Pragma") != "no-cache" {
			t.Fatalf("pixel = %d %v", resp.Status, resp.Header)
		}
		if img, err := gif.Decode(bytes.NewReader(resp.Body)); err != nil || img.Bounds().Dx() != 1 || img.Bounds().Dy() != 1 {
			t.Errorf("pixel is not a 1×1 GIF: %v", err)
		}
		// Minutes later the reader opens it, twice, and clicks; a link
		// scanner's HEAD is a machine's.
		clk.Forward(3 * time.Minute)
		for range 2 {
			if resp := fetch("GET", linked.open, browserUA); resp.Status != http.StatusOK {
				t.Fatalf("pixel = %d", resp.Status)
			}
		}
		if resp := fetch("HEAD", linked.clicks[0], browserUA); resp.Status != http.StatusFound {
			t.Fatalf("HEAD click = %d", resp.Status)
		}
		resp = fetch("GET", linked.clicks[0], browserUA)
		if resp.Status != http.StatusFound || resp.Header.Get("Location") != mockupURL ||
			resp.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("click = %d %v, want 302 to %s", resp.Status, resp.Header, mockupURL)
		}
		if m := message(); m.Opens != 2 || m.Clicks != 1 || m.FirstOpenedAt == nil {
			t.Errorf("message opens %d, clicks %d, first opened %v; want 2, 1, set", m.Opens, m.Clicks, m.FirstOpenedAt)
		}
		var machine, human int
		for _, ev := range message().Events {
			if ev.Type == "opened" || ev.Type == "clicked" {
				if ev.Machine {
					machine++
				} else {
					human++
				}
			}
		}
		if machine != 2 || human != 3 {
			t.Errorf("message events: %d machine, %d human opens and clicks; want 2 (the proxy, the HEAD) and 3", machine, human)
		}

		// Forged and borrowed links are not found, and record nothing.
		openToken, _ := url.PathUnescape(strings.TrimPrefix(linked.open, "/t/o/"))
		clickToken, _ := url.PathUnescape(strings.TrimPrefix(linked.clicks[0], "/t/c/"))
		signer, err := signedlink.New([]byte(srv.Env["SECRET_KEY"]))
		if err != nil {
			t.Fatal(err)
		}
		sign := func(purpose string, fields ...string) string {
			tok, err := signer.Make(purpose, fields...)
			if err != nil {
				t.Fatal(err)
			}
			return url.PathEscape(tok)
		}
		for _, path := range []string{
			"/t/o/forged",
			"/t/o/" + url.PathEscape(openToken[:len(openToken)-3]+"abc"),
			"/t/c/" + url.PathEscape(openToken),
			"/t/o/" + url.PathEscape(clickToken),
			"/t/o/" + sign(signedlink.Unsubscribe, me.ID, linkedID),
			"/t/c/" + sign(signedlink.Click, me.ID, linkedID, "1"),
			"/t/c/" + sign(signedlink.Click, me.ID, plainID, "0"),
			"/t/o/" + sign(signedlink.Open, malloryUser.ID, linkedID),
			"/t/o/",
		} {
			if resp := fetch("GET", path, browserUA); resp.Status != http.StatusNotFound || resp.Header.Get("Location") != "" {
				t.Errorf("GET %s = %d %v, want 404", path, resp.Status, resp.Header.Get("Location"))
			}
		}
		if m := message(); m.Opens != 2 || m.Clicks != 1 {
			t.Errorf("after refused links: opens %d, clicks %d; want 2, 1", m.Opens, m.Clicks)
		}

		// The recipient of the other message unsubscribes.
		if resp := anon.Do("POST", plain.unsubscribe, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click")); resp.Status != http.StatusOK {
			t.Fatalf("unsubscribe = %d %s", resp.Status, resp.Body)
		}

		// GET /api/events: newest first, filtered, paged, the caller's only.
		var all eventList
		c.Get("/api/events?campaign_id="+campaignID).JSON(t, &all)
		count := map[string]int{}
		for i, ev := range all.Data {
			count[ev.Type]++
			if ev.CampaignID != campaignID || ev.MessageID == "" || ev.OccurredAt.IsZero() || ev.Snippet != nil {
				t.Errorf("event %+v, want the campaign's, with its message and time", ev)
			}
			if i > 0 && ev.ID > all.Data[i-1].ID {
				t.Errorf("events not newest first: %s after %s", ev.ID, all.Data[i-1].ID)
			}
		}
		if count["sent"] != 2 || count["opened"] != 3 || count["clicked"] != 2 || count["unsubscribed"] != 1 || all.NextCursor != nil {
			t.Errorf("events by type %v (next %v), want 2 sent, 3 opened, 2 clicked, 1 unsubscribed on one page", count, all.NextCursor)
		}
		var opened eventList
		c.Get("/api/events?type=opened&campaign_id="+campaignID).JSON(t, &opened)
		if len(opened.Data) != 3 || !opened.Data[2].Machine || opened.Data[2].Detail == nil || *opened.Data[2].Detail != "Gmail image proxy" {
			t.Errorf("opened events = %+v, want three, the oldest Gmail's proxy's", opened.Data)
		}
		var seen []string
		cursor := ""
		for range 10 {
			var page eventList
			c.Get("/api/events?limit=3&cursor="+url.QueryEscape(cursor)).JSON(t, &page)
			for _, ev := range page.Data {
				seen = append(seen, ev.ID)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		if len(seen) != len(all.Data) || seen[0] != all.Data[0].ID || seen[len(seen)-1] != all.Data[len(all.Data)-1].ID {
			t.Errorf("pages of 3 gave %d events, want the %d of one page in order", len(seen), len(all.Data))
		}
		var later eventList
		c.Get("/api/events?since="+url.QueryEscape(clk.Now().Add(time.Hour).UTC().Format(time.RFC3339))).JSON(t, &later)
		if later.Data == nil || len(later.Data) != 0 {
			t.Errorf("events since an hour ahead = %+v, want []", later.Data)
		}
		var recent eventList
		c.Get("/api/events?since="+url.QueryEscape(clk.Now().Add(-time.Minute).UTC().Format(time.RFC3339))).JSON(t, &recent)
		if len(recent.Data) != 5 {
			t.Errorf("events of the last minute = %d, want 5 (two opens, two clicks, the unsubscribe)", len(recent.Data))
		}
		var theirs eventList
		mallory.Get("/api/events").JSON(t, &theirs)
		if len(theirs.Data) != 0 {
			t.Errorf("another user lists %d events, want none", len(theirs.Data))
		}
		mallory.Get("/api/events?campaign_id="+campaignID).JSON(t, &theirs)
		if len(theirs.Data) != 0 {
			t.Errorf("another user lists %d events of the campaign, want none", len(theirs.Data))
		}
		if resp := mallory.Get("/api/messages/" + linkedID); resp.Status != http.StatusNotFound || resp.ErrorCode(t) != "not_found" {
			t.Errorf("another user's GET /api/messages/{id} = %d, want 404", resp.Status)
		}
		if resp := srv.Client(t).Get("/api/events"); resp.Status != http.StatusUnauthorized {
			t.Errorf("GET /api/events without auth = %d, want 401", resp.Status)
		}
		for _, tc := range []struct{ query, field string }{
			{"campaign_id=nope", "campaign_id"},
			{"type=delivered", "type"},
			{"since=yesterday", "since"},
			{"since=2026-12-01", "since"},
			{"limit=0", "limit"},
			{"limit=201", "limit"},
		} {
			resp := c.Get("/api/events?" + tc.query)
			var body struct {
				Error struct {
					Code   string            `json:"code"`
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			_ = json.Unmarshal(resp.Body, &body)
			if resp.Status != http.StatusBadRequest || body.Error.Code != "validation_failed" || body.Error.Fields[tc.field] == "" {
				t.Errorf("GET /api/events?%s = %d %s, want 400 validation_failed on %s", tc.query, resp.Status, resp.Body, tc.field)
			}
		}

		// The campaign's stats count human opens and clicks only.
		var st outreachStats
		c.Get("/api/campaigns/"+campaignID+"/stats").JSON(t, &st)
		o := st.Outreach
		if o.Sent != 2 || o.Opened != 1 || o.Clicked != 1 || o.Unsubscribed != 1 || o.Replied != 0 || o.Bounced != 0 || o.Uncertain != 0 {
			t.Errorf("outreach = %+v, want 2 sent, 1 opened, 1 clicked, 1 unsubscribed", o)
		}
		if want := (messageCounts{Sent: 2, Opened: 1, Clicked: 1, Unsubscribed: 1}); o.ByStep["1"] != want {
			t.Errorf("step 1 = %+v, want %+v", o.ByStep["1"], want)
		}
		if want := (messageCounts{Scheduled: 1}); o.ByStep["2"] != want {
			t.Errorf("step 2 = %+v, want %+v (the unsubscribed one's cancelled)", o.ByStep["2"], want)
		}
		if want := (messageCounts{Scheduled: 1, Sent: 2, Opened: 1, Clicked: 1, Unsubscribed: 1}); len(o.ByMailbox) != 1 || o.ByMailbox[mailboxID] != want {
			t.Errorf("by mailbox = %+v, want %s: %+v", o.ByMailbox, mailboxID, want)
		}

		// Nothing of the recipients or the links' tokens is logged.
		for _, secret := range []string{linked.to, plain.to, openToken, clickToken} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the log holds %q", secret)
			}
		}
	})
}
