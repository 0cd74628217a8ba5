package sending_test

import (
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
	"github.com/prospectorhq/prospector/internal/tracking"
)

const (
	browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	gmail   = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)

var linkedStep = []step{{Step: 1, Subject: "A faster site for Acme",
	Body: "Hi Ana,\n\nHere is the mock-up: https://reyes-growth.example/mockups/acme?v=2.\nAnd the speed report (https://reyes-growth.example/speed/acme).\n\nDana"}}

// parts reads a received message's alternatives: media type → decoded text.
func parts(t *testing.T, data []byte) (string, map[string]string) {
	t.Helper()
	m := parse(t, data)
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	if !strings.HasPrefix(mediaType, "multipart/") {
		b, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
		out[mediaType] = string(b)
		return mediaType, out
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			return mediaType, out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[pt] = string(b)
	}
}

var trackedLink = regexp.MustCompile(`https://prospector\.example/t/([oc])/([^"]+)`)

// tokens are the open token and the click tokens of an HTML part.
func tokens(t *testing.T, html string) (open string, clicks []string) {
	t.Helper()
	for _, m := range trackedLink.FindAllStringSubmatch(html, -1) {
		tok, err := url.PathUnescape(m[2])
		if err != nil {
			t.Fatal(err)
		}
		if m[1] == "o" {
			open = tok
		} else {
			clicks = append(clicks, tok)
		}
	}
	return open, clicks
}

func TestTrackingFlagsShapeTheMessage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		for _, tc := range []struct {
			name          string
			settings      string
			mediaType     string
			pixel, clicks bool
		}{
			{"no tracking", noGaps, "text/plain", false, false},
			{"opens", `{"min_gap_seconds": 0, "max_gap_seconds": 0, "track_opens": true}`, "multipart/alternative", true, false},
			{"clicks", `{"min_gap_seconds": 0, "max_gap_seconds": 0, "track_clicks": true}`, "multipart/alternative", false, true},
			{"both", `{"min_gap_seconds": 0, "max_gap_seconds": 0, "track_opens": true, "track_clicks": true}`, "multipart/alternative", true, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := newSendFixture(t, e, tc.settings)
				f.mailbox("dana@reyes-growth.example", 30, false)
				f.approved("ana@acme-plumbing.example", linkedStep)
				f.run()
				got := f.smtp.Messages()
				if len(got) != 1 {
					t.Fatalf("server received %d messages, want 1", len(got))
				}
				mediaType, ps := parts(t, got[0].Data)
				if mediaType != tc.mediaType {
					t.Fatalf("Content-Type = %s, want %s", mediaType, tc.mediaType)
				}
				text := ps["text/plain"]
				if !strings.Contains(text, "https://reyes-growth.example/mockups/acme?v=2.") || strings.Contains(text, "/t/") {
					t.Errorf("text part = %q, want the links as written and nothing tracked", text)
				}
				open, clicks := tokens(t, ps["text/html"])
				if (open != "") != tc.pixel || (len(clicks) == 2) != tc.clicks || !tc.clicks && len(clicks) != 0 {
					t.Errorf("HTML has pixel %v and %d tracked links, want %v and tracked %v:\n%s", open != "", len(clicks), tc.pixel, tc.clicks, ps["text/html"])
				}
			})
		}
	})
}

func TestOpensAndClicks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, `{"min_gap_seconds": 0, "max_gap_seconds": 0, "track_opens": true, "track_clicks": true}`)
		f.mailbox("dana@reyes-growth.example", 30, false)
		seq := f.approved("ana@acme-plumbing.example", linkedStep)
		f.run()
		_, ps := parts(t, f.smtp.Messages()[0].Data)
		open, clicks := tokens(t, ps["text/html"])
		msg := f.messages(seq.ID)[0]

		events := func() []mailstore.Event {
			t.Helper()
			var out []mailstore.Event
			if err := f.st.Read(f.ctx, f.user, func(tx *store.Tx) (err error) {
				out, err = tx.EventsOf(f.ctx, msg.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		last := func() mailstore.Event { evs := events(); return evs[len(evs)-1] }

		// At once after the send: a machine's (a scanner, a prefetch).
		if err := f.track.Opened(f.ctx, open, tracking.Visit{UserAgent: browser}); err != nil {
			t.Fatal(err)
		}
		if ev := last(); ev.Type != mailstore.EventOpened || !ev.Machine || ev.Detail == nil || *ev.Detail != "within a minute of sending" {
			t.Errorf("open at once = %+v, want a machine's", ev)
		}
		sentAt := *f.messages(seq.ID)[0].SentAt
		f.clock.Set(sentAt.Add(2 * time.Minute))
		if err := f.track.Opened(f.ctx, open, tracking.Visit{UserAgent: gmail}); err != nil {
			t.Fatal(err)
		}
		if ev := last(); !ev.Machine || *ev.Detail != "Gmail image proxy" {
			t.Errorf("Gmail's proxy open = %+v, want a machine's", ev)
		}
		if m := f.messages(seq.ID)[0]; m.Opens != 0 || m.FirstOpenedAt != nil {
			t.Errorf("after machine opens: opens %d, first opened %v; want none", m.Opens, m.FirstOpenedAt)
		}

		// A person, twice.
		firstOpen := f.clock.Now()
		for range 2 {
			if err := f.track.Opened(f.ctx, open, tracking.Visit{UserAgent: browser}); err != nil {
				t.Fatal(err)
			}
			f.clock.Set(f.clock.Now().Add(time.Hour))
		}
		if ev := last(); ev.Machine || ev.Detail != nil {
			t.Errorf("a person's open = %+v, want not a machine's", ev)
		}
		m := f.messages(seq.ID)[0]
		if m.Opens != 2 || m.FirstOpenedAt == nil || !m.FirstOpenedAt.Equal(firstOpen) {
			t.Errorf("opens %d, first opened %v; want 2, %s", m.Opens, m.FirstOpenedAt, firstOpen)
		}

		// Each tracked link leads to its own address, and counts.
		for i, want := range []string{"https://reyes-growth.example/mockups/acme?v=2", "https://reyes-growth.example/speed/acme"} {
			got, err := f.track.Clicked(f.ctx, clicks[i], tracking.Visit{UserAgent: browser})
			if err != nil || got != want {
				t.Errorf("click %d = %q, %v; want %q", i, got, err, want)
			}
			if ev := last(); ev.Type != mailstore.EventClicked || ev.Machine || ev.Detail == nil || *ev.Detail != want {
				t.Errorf("click event = %+v, want a person's naming %s", ev, want)
			}
		}
		if _, err := f.track.Clicked(f.ctx, clicks[0], tracking.Visit{UserAgent: browser, Head: true}); err != nil {
			t.Fatal(err)
		}
		if ev := last(); !ev.Machine {
			t.Errorf("a HEAD click = %+v, want a machine's", ev)
		}
		if m := f.messages(seq.ID)[0]; m.Clicks != 2 {
			t.Errorf("clicks = %d, want 2 (the HEAD not counted)", m.Clicks)
		}
		if s := f.sequence(seq.ID); s.Opens != 2 || s.Clicks != 2 {
			t.Errorf("sequence opens %d, clicks %d; want 2, 2", s.Opens, s.Clicks)
		}

		// Forged, borrowed, or unknown links are not found, and change
		// nothing.
		before := len(events())
		mustMake := func(purpose string, fields ...string) string {
			tok, err := f.links.Make(purpose, fields...)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		other := storetest.NewUser(t, f.st, storetest.UserParams{}).ID
		for _, tc := range []struct {
			name  string
			click bool
			token string
		}{
			{"a changed signature", false, open[:len(open)-2] + "xx"},
			{"an open token as a click", true, open},
			{"a click token as an open", false, clicks[0]},
			{"an unsubscribe token", false, mustMake(signedlink.Unsubscribe, f.user, msg.ID)},
			{"a link index the message lacks", true, mustMake(signedlink.Click, f.user, msg.ID, "2")},
			{"a negative index", true, mustMake(signedlink.Click, f.user, msg.ID, "-1")},
			{"another user's account", false, mustMake(signedlink.Open, other, msg.ID)},
			{"a message that does not exist", false, mustMake(signedlink.Open, f.user, store.NewID())},
			{"not an id", false, mustMake(signedlink.Open, f.user, "1 OR 1=1")},
			{"garbage", true, "not-a-token"},
		} {
			var err error
			if tc.click {
				_, err = f.track.Clicked(f.ctx, tc.token, tracking.Visit{UserAgent: browser})
			} else {
				err = f.track.Opened(f.ctx, tc.token, tracking.Visit{UserAgent: browser})
			}
			if apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("%s: %v, want not found", tc.name, err)
			}
		}
		if n := len(events()); n != before {
			t.Errorf("refused links recorded %d events", n-before)
		}
	})
}
