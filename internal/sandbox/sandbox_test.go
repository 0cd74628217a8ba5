package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

func TestSameBusinessAcrossSources(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	g := sandboxtest.Do(t, "POST", sb.GooglePlacesURL+"/v1/places:searchText", sandboxtest.GoogleHeaders(sb, "places.displayName,places.internationalPhoneNumber,places.formattedAddress"),
		`{"textQuery":"plumbers in Austin, TX"}`).JSON(t)
	y := sandboxtest.Do(t, "GET", sb.YelpURL+"/businesses/search?term=plumbing&location=austin,+tx&limit=50",
		map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}, "").JSON(t)
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	yelpByPhone := map[string]map[string]any{}
	for _, raw := range y["businesses"].([]any) {
		b := raw.(map[string]any)
		yelpByPhone[digits(b["phone"].(string))] = b
	}
	matched, differentNames := 0, 0
	for _, raw := range g["places"].([]any) {
		p := raw.(map[string]any)
		yb, ok := yelpByPhone[digits(p["internationalPhoneNumber"].(string))]
		if !ok {
			continue
		}
		matched++
		gname := p["displayName"].(map[string]any)["text"].(string)
		if gname != yb["name"] {
			differentNames++
		}
		if !strings.HasPrefix(gname, yb["name"].(string)) {
			t.Errorf("Google %q and Yelp %q are not recognisably the same", gname, yb["name"])
		}
	}
	if matched < 5 || differentNames == 0 {
		t.Errorf("%d businesses matched by phone, %d with different names", matched, differentNames)
	}
}

func TestFaultsAndLatency(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	u := sb.YelpURL + "/businesses/search?term=plumbers&location=Austin"
	h := map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}
	sb.SetFault(sandbox.Yelp, sandbox.Fault{Status: 429, RetryAfter: "7"})
	for range 2 {
		a := sandboxtest.Do(t, "GET", u, h, "")
		if a.Status != 429 || a.Header.Get("Retry-After") != "7" {
			t.Errorf("fault: %d Retry-After %q", a.Status, a.Header.Get("Retry-After"))
		}
	}
	sb.ClearFault(sandbox.Yelp)
	if a := sandboxtest.Do(t, "GET", u, h, ""); a.Status != 200 {
		t.Errorf("after ClearFault: %d", a.Status)
	}

	sb.SetLatency(10 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+sb.YelpAPIKey)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("a slow answer arrived before the client's deadline")
	}
	sb.SetLatency(0)
}

func TestStartRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0"} {
		if sb, err := sandbox.Start(context.Background(), sandbox.Options{Addr: addr}); err == nil {
			sb.Close()
			t.Errorf("Start accepted %q", addr)
		}
	}
}

func TestContextEndStopsTheSandbox(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	sb, err := sandbox.Start(ctx, sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	sb.Close() // waits for the shutdown the cancellation started
	if _, err := http.Get(sb.YelpURL + "/businesses/search"); err == nil {
		t.Error("the sandbox still answers after its context ended")
	}
}
