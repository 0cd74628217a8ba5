package osm_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

func TestNominatim(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	ua := map[string]string{"User-Agent": sandboxtest.Agent}
	a := sandboxtest.Do(t, "GET", sb.NominatimURL+"/search?q=Austin,+TX&format=jsonv2&limit=1&addressdetails=1", ua, "")
	var places []map[string]any
	if err := json.Unmarshal(a.Body, &places); err != nil || len(places) != 1 {
		t.Fatalf("%s: %v", a.Body, err)
	}
	p := places[0]
	for _, k := range []string{"lat", "lon"} {
		if _, ok := p[k].(string); !ok {
			t.Errorf("%s is not a string: %v", k, p[k])
		}
	}
	if p["category"] != "boundary" || p["osm_type"] != "relation" || p["address"] == nil || len(p["boundingbox"].([]any)) != 4 {
		t.Errorf("place = %v", p)
	}
	if !strings.Contains(p["licence"].(string), "Fictional") {
		t.Errorf("licence = %v", p["licence"])
	}
	v1 := sandboxtest.Do(t, "GET", sb.NominatimURL+"/search?q=Austin,+TX&format=json", ua, "")
	if !strings.Contains(string(v1.Body), `"class":"boundary"`) || strings.Contains(string(v1.Body), `"category"`) {
		t.Errorf("format=json: %s", v1.Body)
	}
	if a := sandboxtest.Do(t, "GET", sb.NominatimURL+"/search?q="+url.QueryEscape(town.UnknownLocation)+"&format=jsonv2", ua, ""); strings.TrimSpace(string(a.Body)) != "[]" {
		t.Errorf("unknown place: %s", a.Body)
	}
	if a := sandboxtest.Do(t, "GET", sb.NominatimURL+"/search?q=Austin&format=jsonv2", map[string]string{"User-Agent": "Go-http-client/1.1"}, ""); a.Status != 403 {
		t.Errorf("stock User-Agent: %d", a.Status)
	}
}

func TestOverpass(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	ua := map[string]string{"User-Agent": sandboxtest.Agent, "Content-Type": "application/x-www-form-urlencoded"}
	var places []struct {
		OSMID int64 `json:"osm_id"`
	}
	a := sandboxtest.Do(t, "GET", sb.NominatimURL+"/search?q=Austin,+TX&format=jsonv2", ua, "")
	if err := json.Unmarshal(a.Body, &places); err != nil {
		t.Fatal(err)
	}
	area := 3600000000 + places[0].OSMID
	ql := func(filter string) string {
		return "[out:json][timeout:25];\narea(id:" + strconv.FormatInt(area, 10) + ")->.a;\n(\n  nwr" + filter + "(area.a);\n);\nout center tags;"
	}
	form := func(q string) string { return url.Values{"data": {q}}.Encode() }

	tests := []struct {
		name       string
		method     string
		target     string
		header     map[string]string
		body       string
		wantStatus int
		wantHTML   bool
		check      func(t *testing.T, m map[string]any)
	}{
		{name: "tag query", method: "POST", target: sb.OverpassURL, header: ua, body: form(ql(`["craft"="plumber"]`)), wantStatus: 200,
			check: func(t *testing.T, m map[string]any) {
				els := m["elements"].([]any)
				if len(els) < 50 {
					t.Errorf("%d elements", len(els))
				}
				for _, raw := range els {
					e := raw.(map[string]any)
					tags := e["tags"].(map[string]any)
					if tags["craft"] != "plumber" {
						t.Errorf("tags = %v", tags)
					}
					if e["type"] == "way" && e["center"] == nil {
						t.Error("way without center despite out center")
					}
				}
			}},
		{name: "GET data", method: "GET", target: sb.OverpassURL + "?" + form(ql(`["shop"="bakery"]`)), header: ua, wantStatus: 200,
			check: func(t *testing.T, m map[string]any) {
				if len(m["elements"].([]any)) == 0 {
					t.Error("no bakeries")
				}
			}},
		{name: "name regex", method: "POST", target: sb.OverpassURL, header: ua, body: form(ql(`["name"~"kite repair",i]`)), wantStatus: 200,
			check: func(t *testing.T, m map[string]any) {
				if len(m["elements"].([]any)) == 0 {
					t.Error("no kite repair shops")
				}
			}},
		{name: "unknown area", method: "POST", target: sb.OverpassURL, header: ua,
			body: form("[out:json];area(id:3600000001)->.a;nwr[\"craft\"=\"plumber\"](area.a);out center tags;"), wantStatus: 200,
			check: func(t *testing.T, m map[string]any) {
				if len(m["elements"].([]any)) != 0 {
					t.Error("elements in an unknown area")
				}
			}},
		{name: "stock User-Agent", method: "POST", target: sb.OverpassURL, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Go-http-client/1.1"},
			body: form(ql(`["craft"="plumber"]`)), wantStatus: 406, wantHTML: true},
		{name: "no data", method: "POST", target: sb.OverpassURL, header: ua, body: "", wantStatus: 400, wantHTML: true},
		{name: "syntax error", method: "POST", target: sb.OverpassURL, header: ua, body: form("[out:json];nwr[\"craft\"=\"plumber\"(area.a);out;"), wantStatus: 400, wantHTML: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sandboxtest.Do(t, tt.method, tt.target, tt.header, tt.body)
			if a.Status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.wantStatus, a.Body)
			}
			if tt.wantHTML {
				if !strings.HasPrefix(a.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(a.Body), "<strong") {
					t.Errorf("error page is not Overpass's HTML: %s", a.Body)
				}
				return
			}
			m := a.JSON(t)
			if osm3s, _ := m["osm3s"].(map[string]any); !strings.Contains(osm3s["copyright"].(string), "Fictional") {
				t.Errorf("osm3s = %v", m["osm3s"])
			}
			tt.check(t, m)
		})
	}
}

func TestOverpassRemarkFault(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Overpass: {Remark: true}}})
	a := sandboxtest.Do(t, "POST", sb.OverpassURL, map[string]string{"User-Agent": sandboxtest.Agent, "Content-Type": "application/x-www-form-urlencoded"},
		url.Values{"data": {`[out:json][timeout:25];area(id:3600000001)->.a;nwr["craft"="plumber"](area.a);out center tags;`}}.Encode())
	m := a.JSON(t)
	if a.Status != 200 || !strings.HasPrefix(m["remark"].(string), "runtime error") || len(m["elements"].([]any)) != 0 {
		t.Errorf("%d %s", a.Status, a.Body)
	}
}

// The same business shows up on Google and Yelp, recognisable by its phone

// number, with different spellings of its name and address.
