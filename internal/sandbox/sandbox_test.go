package sandbox_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox"
)

const agent = "ProspectorTest/1.0 (+https://prospector.test)"

func start(t *testing.T, o sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Start(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sb.Close(); err != nil {
			t.Error(err)
		}
	})
	return sb
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("body %q: %v", a.body, err)
	}
	return m
}

func do(t *testing.T, method, target string, header map[string]string, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("X-Sandbox") != "fictional" {
		t.Errorf("%s %s: no X-Sandbox label", method, target)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

func googleHeaders(sb *sandbox.Sandbox, mask string) map[string]string {
	h := map[string]string{"Content-Type": "application/json", "X-Goog-Api-Key": sb.GoogleAPIKey, "User-Agent": agent}
	if mask != "" {
		h["X-Goog-FieldMask"] = mask
	}
	return h
}

func TestGoogleErrors(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	u := sb.GooglePlacesURL + "/v1/places:searchText"
	body := `{"textQuery":"plumbers in Austin, TX"}`
	tests := []struct {
		name       string
		header     map[string]string
		body       string
		wantStatus int
		wantCode   string
		wantInMsg  string
	}{
		{"missing key", map[string]string{"X-Goog-FieldMask": "places.id"}, body, 403, "PERMISSION_DENIED", "missing a valid API key"},
		{"invalid key", map[string]string{"X-Goog-Api-Key": "nope", "X-Goog-FieldMask": "places.id"}, body, 400, "INVALID_ARGUMENT", "API key not valid"},
		{"quota key", map[string]string{"X-Goog-Api-Key": sandbox.QuotaExhaustedKey, "X-Goog-FieldMask": "places.id"}, body, 429, "RESOURCE_EXHAUSTED", "per day"},
		{"missing mask", googleHeaders(sb, ""), body, 400, "INVALID_ARGUMENT", "FieldMask is a required parameter"},
		{"unknown mask field", googleHeaders(sb, "places.id,places.emailAddress"), body, 400, "INVALID_ARGUMENT", "places.emailAddress"},
		{"unknown body field", googleHeaders(sb, "places.id"), `{"textQuery":"x","query":"y"}`, 400, "INVALID_ARGUMENT", `Unknown name "query"`},
		{"missing textQuery", googleHeaders(sb, "places.id"), `{}`, 400, "INVALID_ARGUMENT", "text_query"},
		{"negative pageSize", googleHeaders(sb, "places.id"), `{"textQuery":"x","pageSize":-1}`, 400, "INVALID_ARGUMENT", "pageSize"},
		{"bad page token", googleHeaders(sb, "places.id"), `{"textQuery":"x","pageToken":"garbage"}`, 400, "INVALID_ARGUMENT", "page_token"},
	}
	for _, tt := range tests {
		a := do(t, "POST", u, tt.header, tt.body)
		if a.status != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.name, a.status, tt.wantStatus)
			continue
		}
		e, _ := a.json(t)["error"].(map[string]any)
		if e["status"] != tt.wantCode || e["code"] != float64(tt.wantStatus) || !strings.Contains(e["message"].(string), tt.wantInMsg) {
			t.Errorf("%s: error = %v", tt.name, e)
		}
	}
}

func TestGoogleReturnsOnlyMaskedFields(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	u := sb.GooglePlacesURL + "/v1/places:searchText"
	a := do(t, "POST", u, googleHeaders(sb, "places.id,places.displayName"), `{"textQuery":"plumbers in Austin, TX","pageSize":5}`)
	m := a.json(t)
	if _, ok := m["nextPageToken"]; ok {
		t.Error("nextPageToken returned although the mask did not ask for it")
	}
	places := m["places"].([]any)
	if len(places) != 5 {
		t.Fatalf("%d places, want 5", len(places))
	}
	for _, p := range places {
		keys := slices.Sorted(maps.Keys(p.(map[string]any)))
		if strings.Join(keys, ",") != "displayName,id" {
			t.Errorf("place fields = %v", keys)
		}
	}
}

func TestGooglePagingRules(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	u := sb.GooglePlacesURL + "/v1/places:searchText"
	h := googleHeaders(sb, "places.id,nextPageToken")
	first := `{"textQuery":"plumbers in Austin, TX","regionCode":"us"}`
	seen := map[string]bool{}
	token := ""
	for page := 0; ; page++ {
		body := first
		if token != "" {
			// pageSize may change between pages; nothing else may.
			body = `{"textQuery":"plumbers in Austin, TX","regionCode":"us","pageSize":20,"pageToken":"` + token + `"}`
		}
		m := do(t, "POST", u, h, body).json(t)
		for _, p := range m["places"].([]any) {
			seen[p.(map[string]any)["id"].(string)] = true
		}
		token, _ = m["nextPageToken"].(string)
		if token == "" {
			if page != 2 {
				t.Errorf("last page was page %d, want 2 (60 results)", page)
			}
			break
		}
		if page == 0 {
			changed := `{"textQuery":"plumbers in Austin, TX","regionCode":"ca","pageToken":"` + token + `"}`
			a := do(t, "POST", u, h, changed)
			if a.status != 400 || !strings.Contains(string(a.body), "must match") {
				t.Errorf("changed parameters: %d %s", a.status, a.body)
			}
		}
	}
	if len(seen) != 60 {
		t.Errorf("%d distinct places over all pages, want 60", len(seen))
	}
}

func TestYelpValidation(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	auth := map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}
	tests := []struct {
		name       string
		query      string
		header     map[string]string
		wantStatus int
		wantCode   string
	}{
		{"no token", "term=plumbers&location=Austin", nil, 401, "TOKEN_MISSING"},
		{"wrong token", "term=plumbers&location=Austin", map[string]string{"Authorization": "Bearer nope"}, 401, "TOKEN_INVALID"},
		{"key in the URL", "term=plumbers&location=Austin&api_key=" + sb.YelpAPIKey, nil, 401, "TOKEN_MISSING"},
		{"limit over 50", "term=plumbers&location=Austin&limit=51", auth, 400, "VALIDATION_ERROR"},
		{"window over 1000", "term=plumbers&location=Austin&limit=20&offset=990", auth, 400, "VALIDATION_ERROR"},
		{"no location", "term=plumbers", auth, 400, "VALIDATION_ERROR"},
		{"unknown location", "term=plumbers&location=" + url.QueryEscape(sandbox.UnknownLocation), auth, 400, "LOCATION_NOT_FOUND"},
		{"quota key", "term=plumbers&location=Austin", map[string]string{"Authorization": "Bearer " + sandbox.QuotaExhaustedKey}, 429, "ACCESS_LIMIT_REACHED"},
	}
	for _, tt := range tests {
		a := do(t, "GET", sb.YelpURL+"/businesses/search?"+tt.query, tt.header, "")
		e, _ := a.json(t)["error"].(map[string]any)
		if a.status != tt.wantStatus || e["code"] != tt.wantCode || e["description"] == "" {
			t.Errorf("%s: %d %s", tt.name, a.status, a.body)
		}
	}
}

func TestYelpBusinessShape(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	a := do(t, "GET", sb.YelpURL+"/businesses/search?term=plumbers&location=Austin,+TX&limit=50",
		map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}, "")
	if a.header.Get("RateLimit-DailyLimit") == "" || a.header.Get("RateLimit-ResetTime") == "" {
		t.Error("rate-limit headers missing")
	}
	m := a.json(t)
	if m["total"].(float64) < 100 {
		t.Errorf("total = %v", m["total"])
	}
	nulls := 0
	for _, raw := range m["businesses"].([]any) {
		b := raw.(map[string]any)
		if _, ok := b["website"]; ok {
			t.Error("Yelp does not return the business's website")
		}
		loc := b["location"].(map[string]any)
		if loc["address2"] == nil {
			nulls++
		}
		if _, ok := loc["address3"]; !ok {
			t.Error("address3 missing: Yelp sends it, often as null")
		}
	}
	if nulls == 0 {
		t.Error("no null address2: clients must meet Yelp's nulls")
	}
}

func TestYelpGenericEnvelopeFault(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Yelp: {Status: 500, GenericEnvelope: true, Times: 1}}})
	u := sb.YelpURL + "/businesses/search?term=plumbers&location=Austin"
	h := map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}
	a := do(t, "GET", u, h, "")
	errs, _ := a.json(t)["errors"].([]any)
	if a.status != 500 || len(errs) != 1 || errs[0].(map[string]any)["error_code"] != "INTERNAL_SERVER_ERROR" {
		t.Errorf("fault answer: %d %s", a.status, a.body)
	}
	if a := do(t, "GET", u, h, ""); a.status != 200 {
		t.Errorf("after the single fault: %d", a.status)
	}
	if n := sb.RequestCount(sandbox.Yelp); n != 2 {
		t.Errorf("request count = %d", n)
	}
}

func TestNominatim(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	ua := map[string]string{"User-Agent": agent}
	a := do(t, "GET", sb.NominatimURL+"/search?q=Austin,+TX&format=jsonv2&limit=1&addressdetails=1", ua, "")
	var places []map[string]any
	if err := json.Unmarshal(a.body, &places); err != nil || len(places) != 1 {
		t.Fatalf("%s: %v", a.body, err)
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
	v1 := do(t, "GET", sb.NominatimURL+"/search?q=Austin,+TX&format=json", ua, "")
	if !strings.Contains(string(v1.body), `"class":"boundary"`) || strings.Contains(string(v1.body), `"category"`) {
		t.Errorf("format=json: %s", v1.body)
	}
	if a := do(t, "GET", sb.NominatimURL+"/search?q="+url.QueryEscape(sandbox.UnknownLocation)+"&format=jsonv2", ua, ""); strings.TrimSpace(string(a.body)) != "[]" {
		t.Errorf("unknown place: %s", a.body)
	}
	if a := do(t, "GET", sb.NominatimURL+"/search?q=Austin&format=jsonv2", map[string]string{"User-Agent": "Go-http-client/1.1"}, ""); a.status != 403 {
		t.Errorf("stock User-Agent: %d", a.status)
	}
}

func TestOverpass(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	ua := map[string]string{"User-Agent": agent, "Content-Type": "application/x-www-form-urlencoded"}
	var places []struct {
		OSMID int64 `json:"osm_id"`
	}
	a := do(t, "GET", sb.NominatimURL+"/search?q=Austin,+TX&format=jsonv2", ua, "")
	if err := json.Unmarshal(a.body, &places); err != nil {
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
			a := do(t, tt.method, tt.target, tt.header, tt.body)
			if a.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", a.status, tt.wantStatus, a.body)
			}
			if tt.wantHTML {
				if !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") || !strings.Contains(string(a.body), "<strong") {
					t.Errorf("error page is not Overpass's HTML: %s", a.body)
				}
				return
			}
			m := a.json(t)
			if osm3s, _ := m["osm3s"].(map[string]any); !strings.Contains(osm3s["copyright"].(string), "Fictional") {
				t.Errorf("osm3s = %v", m["osm3s"])
			}
			tt.check(t, m)
		})
	}
}

func TestOverpassRemarkFault(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Overpass: {Remark: true}}})
	a := do(t, "POST", sb.OverpassURL, map[string]string{"User-Agent": agent, "Content-Type": "application/x-www-form-urlencoded"},
		url.Values{"data": {`[out:json][timeout:25];area(id:3600000001)->.a;nwr["craft"="plumber"](area.a);out center tags;`}}.Encode())
	m := a.json(t)
	if a.status != 200 || !strings.HasPrefix(m["remark"].(string), "runtime error") || len(m["elements"].([]any)) != 0 {
		t.Errorf("%d %s", a.status, a.body)
	}
}

// The same business shows up on Google and Yelp, recognisable by its phone
// number, with different spellings of its name and address.
func TestSameBusinessAcrossSources(t *testing.T) {
	t.Parallel()
	sb := start(t, sandbox.Options{})
	g := do(t, "POST", sb.GooglePlacesURL+"/v1/places:searchText", googleHeaders(sb, "places.displayName,places.internationalPhoneNumber,places.formattedAddress"),
		`{"textQuery":"plumbers in Austin, TX"}`).json(t)
	y := do(t, "GET", sb.YelpURL+"/businesses/search?term=plumbing&location=austin,+tx&limit=50",
		map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}, "").json(t)
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
	sb := start(t, sandbox.Options{})
	u := sb.YelpURL + "/businesses/search?term=plumbers&location=Austin"
	h := map[string]string{"Authorization": "Bearer " + sb.YelpAPIKey}
	sb.SetFault(sandbox.Yelp, sandbox.Fault{Status: 429, RetryAfter: "7"})
	for range 2 {
		a := do(t, "GET", u, h, "")
		if a.status != 429 || a.header.Get("Retry-After") != "7" {
			t.Errorf("fault: %d Retry-After %q", a.status, a.header.Get("Retry-After"))
		}
	}
	sb.ClearFault(sandbox.Yelp)
	if a := do(t, "GET", u, h, ""); a.status != 200 {
		t.Errorf("after ClearFault: %d", a.status)
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
