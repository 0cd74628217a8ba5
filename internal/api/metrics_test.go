package api_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// scrape reads the metrics listener's exposition: series (name{labels}) →
// value.
func scrape(t *testing.T, addr string) (map[string]float64, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("scrape = %d %s", resp.StatusCode, body)
	}
	series := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err == nil {
			series[line[:i]] = v
		}
	}
	return series, string(body)
}

// waitSeries scrapes until every wanted series reaches its value (the
// counters move once each transaction commits, a moment after the API
// shows its effect).
func waitSeries(t *testing.T, addr string, want map[string]float64) (map[string]float64, string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, text := scrape(t, addr)
		missing := []string{}
		for k, v := range want {
			if got[k] < v {
				missing = append(missing, k)
			}
		}
		if len(missing) == 0 {
			return got, text
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s the metrics lack %v:\n%s", missing, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestMetricsAreServedOnTheirOwnListener drives requests, a discovery run
// and two sends, then scrapes METRICS_ADDR: requests by route pattern and
// status (never the raw path), jobs by kind and outcome, external calls by
// service and status, messages sent, mailbox states and credits charged.
// The public server does not serve /metrics.
func TestMetricsAreServedOnTheirOwnListener(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, map[string]string{"METRICS_ADDR": "127.0.0.1:0"})
		addr := srv.App.MetricsAddr()
		if addr == "" {
			t.Fatal("no metrics listener with METRICS_ADDR set")
		}
		c, _ := srv.SignUp(t)
		const missingID = "0190a0b0-0000-7000-8000-00000000abcd"
		if resp := c.Get("/api/campaigns/" + missingID); resp.Status != 404 {
			t.Fatalf("unknown campaign = %d", resp.Status)
		}
		if resp := srv.Client(t).Get("/metrics"); resp.Status != 404 {
			t.Errorf("the public server answers /metrics with %d, want 404", resp.Status)
		}

		discovered := createCampaign(t, c, map[string]any{"name": "OSM", "business_type": "plumber", "target_location": "Austin, TX",
			"target_criteria": map[string]any{"sources": []string{"osm"}, "max_results": 3}})["id"].(string)
		if resp := c.JSON("POST", "/api/campaigns/"+discovered+"/start", nil); resp.Status != http.StatusAccepted {
			t.Fatalf("start = %d %s", resp.Status, resp.Body)
		}
		st := waitStatus(t, c, discovered, "completed")

		campaignID, drafts := sendingCampaign(t, srv, c)
		if resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": drafts}); resp.Status != http.StatusOK {
			t.Fatalf("approve = %d %s", resp.Status, resp.Body)
		}
		msgs := waitMessages(t, c, campaignID, 2)
		mailbox := *msgs[0].MailboxID
		if resp := c.JSON("POST", "/api/mailboxes/"+mailbox+"/pause", nil); resp.Status != http.StatusOK {
			t.Fatalf("pause = %d %s", resp.Status, resp.Body)
		}

		got, text := waitSeries(t, addr, map[string]float64{
			`prospector_http_requests_total{method="GET",route="GET /api/campaigns/{id}",status="404"}`: 1,
			`prospector_http_requests_total{method="POST",route="POST /api/auth/signup",status="201"}`:  1,
			`prospector_jobs_total{kind="discovery",outcome="completed"}`:                               1,
			`prospector_jobs_total{kind="send",outcome="completed"}`:                                    2,
			`prospector_external_calls_total{service="overpass",status="200"}`:                          1,
			`prospector_message_events_total{machine="false",type="sent"}`:                              2,
			`prospector_mailbox_status_changes_total{status="paused"}`:                                  1,
			`prospector_lead_credits_charged_total`:                                                     float64(st.LeadsFound),
		})
		if got[`prospector_http_request_duration_seconds_count{method="GET",route="GET /api/campaigns/{id}"}`] < 1 {
			t.Errorf("no request duration for the route:\n%s", text)
		}
		if strings.Contains(text, missingID) || strings.Contains(text, campaignID) || strings.Contains(text, "@") {
			t.Errorf("an id or an address is in the metrics:\n%s", text)
		}
		if st.LeadsFound == 0 {
			t.Error("discovery found nothing: credits charged were not exercised")
		}
	})
}
