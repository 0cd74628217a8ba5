package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/api"
	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// stream is one open text/event-stream answer, read event by event.
type stream struct {
	t    *testing.T
	resp *http.Response
	read *bufio.Reader
}

// sse is one thing a stream said: an event with its data, or a comment.
type sse struct {
	event, data, comment string
}

func openStream(t *testing.T, ctx context.Context, srv *apptest.Server, c *apptest.Client, path string) *stream {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &stream{t: t, resp: resp, read: bufio.NewReader(resp.Body)}
}

// next reads up to the next blank line; ok is false when the stream ended.
func (s *stream) next() (sse, bool) {
	s.t.Helper()
	var m sse
	for {
		line, err := s.read.ReadString('\n')
		if err != nil {
			return m, false
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if m != (sse{}) {
				return m, true
			}
		case strings.HasPrefix(line, ":"):
			m.comment = strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, "event: "):
			m.event = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			m.data = line[len("data: "):]
		}
	}
}

type progress struct {
	Status   string `json:"status"`
	Found    int    `json:"found"`
	Enriched int    `json:"enriched"`
	Scored   int    `json:"scored"`
	Drafted  int    `json:"drafted"`
	Sent     int    `json:"sent"`
	Sources  map[string]struct {
		Status string `json:"status"`
	} `json:"sources"`
}

// progressUntil reads progress events until want says yes, and answers
// that one; heartbeats in between are counted.
func (s *stream) progressUntil(want func(progress) bool) (progress, int) {
	s.t.Helper()
	beats := 0
	for {
		m, ok := s.next()
		if !ok {
			s.t.Fatal("the stream ended before the progress wanted")
		}
		if m.comment == "heartbeat" {
			beats++
			continue
		}
		if m.event != "progress" {
			continue
		}
		var p progress
		if err := json.Unmarshal([]byte(m.data), &p); err != nil {
			s.t.Fatalf("progress data %q: %v", m.data, err)
		}
		if want(p) {
			return p, beats
		}
	}
}

func TestCampaignLiveProgress(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Live: api.LiveOptions{Every: 20 * time.Millisecond, Heartbeat: 50 * time.Millisecond}})
		c, _ := srv.SignUp(t)
		id := createCampaign(t, c, map[string]any{"name": "Live", "business_type": "plumber", "target_location": "Austin, TX",
			"target_criteria": map[string]any{"sources": []string{}}})["id"].(string)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()

		// Who may listen: the owner only; nobody without signing in.
		for _, tc := range []struct {
			name   string
			client *apptest.Client
			path   string
			status int
			code   string
		}{
			{"signed out", srv.Client(t), "/api/campaigns/" + id + "/events", http.StatusUnauthorized, "unauthorized"},
			{"another user's campaign", func() *apptest.Client { o, _ := srv.SignUp(t); return o }(), "/api/campaigns/" + id + "/events", http.StatusNotFound, "not_found"},
			{"not an id", c, "/api/campaigns/nope/events", http.StatusNotFound, "not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := openStream(t, ctx, srv, tc.client, tc.path)
				if s.resp.StatusCode != tc.status || !strings.HasPrefix(s.resp.Header.Get("Content-Type"), "application/json") {
					t.Fatalf("= %d %s, want %d in JSON", s.resp.StatusCode, s.resp.Header.Get("Content-Type"), tc.status)
				}
				var body struct {
					Error struct{ Code string } `json:"error"`
				}
				if err := json.NewDecoder(s.resp.Body).Decode(&body); err != nil || body.Error.Code != tc.code {
					t.Errorf("error = %+v (%v), want %s", body, err, tc.code)
				}
			})
		}

		s := openStream(t, ctx, srv, c, "/api/campaigns/"+id+"/events")
		for k, want := range map[string]string{"Content-Type": "text/event-stream", "X-Accel-Buffering": "no", "Cache-Control": "no-store"} {
			if got := s.resp.Header.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		first, _ := s.progressUntil(func(progress) bool { return true })
		if first.Status != "draft" || first.Found != 0 {
			t.Errorf("first event = %+v, want the draft campaign with nothing found", first)
		}
		// Silence is filled with heartbeats.
		if m, ok := s.next(); !ok || m.comment != "heartbeat" {
			t.Errorf("with nothing changed the stream said %+v (open %v), want a heartbeat", m, ok)
		}
		// Work on the campaign shows on the stream without asking again.
		if resp, res := importCSV(t, c, id, []byte("company_name,website\nAcme Plumbing,https://acme.example\nBest Drains,https://best.example\n")); res.Imported != 2 {
			t.Fatalf("import = %d %s", resp.Status, resp.Body)
		}
		if p, _ := s.progressUntil(func(p progress) bool { return p.Found == 2 }); p.Status != "draft" {
			t.Errorf("after the import = %+v", p)
		}
		if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusAccepted {
			t.Fatalf("start = %d %s", resp.Status, resp.Body)
		}
		s.progressUntil(func(p progress) bool { return p.Status == "running" })

		// Deleting the campaign ends its stream, saying so.
		if resp := c.JSON("DELETE", "/api/campaigns/"+id, nil); resp.Status != http.StatusNoContent {
			t.Fatalf("delete = %d", resp.Status)
		}
		for {
			m, ok := s.next()
			if !ok {
				t.Fatal("the stream ended without the gone event")
			}
			if m.event == "gone" {
				break
			}
		}
		if _, ok := s.next(); ok {
			t.Error("the stream goes on after its campaign is gone")
		}
	})
}

// A live stream does not hold up shutdown: it ends when the server begins
// to stop (apptest's grace is one second, and a stream still open then
// fails Run with the shutdown's deadline).
func TestLiveProgressEndsOnShutdown(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv, c, id := startWithCampaign(t, e)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		s := openStream(t, ctx, srv, c, "/api/campaigns/"+id+"/events")
		s.progressUntil(func(progress) bool { return true })
		srv.Stop()
		for {
			if _, ok := s.next(); !ok {
				break
			}
		}
	})
}
