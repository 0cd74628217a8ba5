package api_test

import (
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestTrackingLatency measures the open pixel and the click redirect at a
// steady 200 requests per second (DESIGN target: p99 < 5 ms), on each
// engine, through the real server on loopback, and logs p50 and p99. It
// runs only with TRACKING_LATENCY=1 (it takes TRACKING_LATENCY_SECONDS,
// default 20, per endpoint and engine):
//
//	TRACKING_LATENCY=1 go test -count=1 -v -run TestTrackingLatency ./internal/api/
//
// Every answer must be the pixel or the redirect; the times are reported,
// not asserted.
func TestTrackingLatency(t *testing.T) {
	if os.Getenv("TRACKING_LATENCY") == "" {
		t.Skip("a measurement: TRACKING_LATENCY=1 runs it")
	}
	seconds := 20
	if s := os.Getenv("TRACKING_LATENCY_SECONDS"); s != "" {
		d, err := time.ParseDuration(s + "s")
		if err != nil {
			t.Fatal(err)
		}
		seconds = int(d.Seconds())
	}
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		clk := &aheadClock{}
		srv := apptest.Start(t, e, apptest.Options{Env: withEnv(noKeys), Sandbox: &sandbox.Options{}, Now: clk.Now})
		c, _ := srv.SignUp(t)
		campaignID, drafts := sendingCampaign(t, srv, c)
		if resp := c.JSON("PATCH", "/api/campaigns/"+campaignID, map[string]any{"sending": map[string]any{
			"track_opens": true, "track_clicks": true}}); resp.Status != http.StatusOK {
			t.Fatalf("tracking settings = %d %s", resp.Status, resp.Body)
		}
		var seq sequence
		c.Get("/api/outreach/"+drafts[0]).JSON(t, &seq)
		seq.Emails[0].Body += "\n\nI made a mock-up: " + mockupURL
		if resp := c.JSON("PATCH", "/api/outreach/"+drafts[0]+"/edit", map[string]any{"emails": seq.Emails}); resp.Status != http.StatusOK {
			t.Fatalf("edit = %d %s", resp.Status, resp.Body)
		}
		if resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": drafts}); resp.Status != http.StatusOK {
			t.Fatalf("approve = %d %s", resp.Status, resp.Body)
		}
		waitMessages(t, c, campaignID, 2)
		if err := srv.Sandbox.SMTP.Wait(t.Context(), 2); err != nil {
			t.Fatal(err)
		}
		var linked sentMail
		for _, r := range srv.Sandbox.SMTP.Messages() {
			if s := readSent(t, r.Data); len(s.clicks) > 0 {
				linked = s
			}
		}
		if linked.open == "" || len(linked.clicks) != 1 {
			t.Fatalf("no tracked message: %+v", linked)
		}
		clk.Forward(3 * time.Minute) // a person's opens, not the first minute's machines
		anon := srv.Client(t)
		anon.Header.Set("User-Agent", browserUA)
		anon.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		for _, ep := range []struct {
			name, path string
			status     int
		}{{"open pixel", linked.open, http.StatusOK}, {"click redirect", linked.clicks[0], http.StatusFound}} {
			const perSecond = 200
			n := perSecond * seconds
			times := make([]time.Duration, 0, n)
			tick := time.NewTicker(time.Second / perSecond)
			for range n {
				<-tick.C
				start := time.Now()
				resp := anon.Do("GET", ep.path, "", nil)
				times = append(times, time.Since(start))
				if resp.Status != ep.status {
					tick.Stop()
					t.Fatalf("%s = %d, want %d", ep.name, resp.Status, ep.status)
				}
			}
			tick.Stop()
			slices.Sort(times)
			t.Logf("%s on %s, %d requests at %d/s: p50 %v, p99 %v, max %v (target p99 < 5 ms)",
				ep.name, e.Name, n, perSecond, times[n/2], times[n*99/100], times[n-1])
		}
	})
}
