package webhost_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

type webFixture struct {
	sb     *sandbox.Sandbox
	town   *town.Town
	client *http.Client
}

func startWeb(t *testing.T, o sandbox.Options) webFixture {
	t.Helper()
	o.WebsitePorts = true
	if o.SlowSiteDelay == 0 {
		o.SlowSiteDelay = time.Millisecond
	}
	sb := sandboxtest.Start(t, o)
	dialer := &net.Dialer{Resolver: sandboxtest.Resolver(sb, ""), Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSClientConfig: &tls.Config{RootCAs: sb.CertPool()}}
	t.Cleanup(tr.CloseIdleConnections)
	return webFixture{
		sb:   sb,
		town: sb.Town("plumber", "Austin, TX"),
		client: &http.Client{Transport: tr, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

func (f webFixture) site(t *testing.T, match func(*town.Site) bool) *town.Business {
	t.Helper()
	for i := range f.town.Businesses {
		if b := &f.town.Businesses[i]; b.Site != nil && match(b.Site) {
			return b
		}
	}
	t.Fatal("no business in the town has such a site")
	return nil
}

func variant(v town.SiteVariant) func(*town.Site) bool {
	return func(s *town.Site) bool { return s.Variant == v }
}

type page struct {
	resp *http.Response
	body string
	err  error
}

func (f webFixture) get(target string, header map[string]string) page {
	req, err := http.NewRequest("GET", target, nil)
	if err != nil {
		return page{err: err}
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		}
		req.Header.Set(k, v)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return page{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return page{resp: resp, body: string(b), err: err}
}

func TestWebHostVariants(t *testing.T) {
	t.Parallel()
	f := startWeb(t, sandbox.Options{SlowSiteDelay: 150 * time.Millisecond})
	_, httpsPort, _ := net.SplitHostPort(f.sb.WebHTTPSAddr)
	_, httpPort, _ := net.SplitHostPort(f.sb.WebHTTPAddr)
	asHTTP := func(b *town.Business) string {
		return "http://" + net.JoinHostPort(b.Site.Host, httpPort) + "/"
	}
	asHTTPS := func(b *town.Business) string {
		return "https://" + net.JoinHostPort(b.Site.Host, httpsPort) + "/"
	}
	tests := []struct {
		name   string
		match  func(*town.Site) bool
		url    func(*town.Business) string // default: Business.Website
		status int                         // 0: the request must fail
		check  func(t *testing.T, b *town.Business, p page)
	}{
		{name: "modern over https", match: variant(town.SiteModern), status: 200,
			check: func(t *testing.T, b *town.Business, p page) {
				if p.resp.TLS == nil || !strings.HasPrefix(b.Website, "https://") {
					t.Error("a modern site is not served over https")
				}
				wantIn(t, p.body, `name="viewport"`, "&copy; 202", "Fictional business — Prospector sandbox", html.EscapeString(b.BaseName))
				if p.resp.Header.Get("Strict-Transport-Security") == "" {
					t.Error("no HSTS header")
				}
			}},
		{name: "modern over http redirects to https", match: variant(town.SiteModern), url: asHTTP, status: 301,
			check: func(t *testing.T, b *town.Business, p page) {
				if loc := p.resp.Header.Get("Location"); loc != asHTTPS(b) {
					t.Errorf("Location %q, want %q", loc, asHTTPS(b))
				}
			}},
		{name: "dated over http", match: variant(town.SiteDated), status: 200,
			check: func(t *testing.T, b *town.Business, p page) {
				if !strings.HasPrefix(b.Website, "http://") {
					t.Errorf("dated website %q is not http", b.Website)
				}
				wantIn(t, p.body, "<table", "<font", "jquery", "1.8.", "HTML 4.01 Transitional", "Fictional business &mdash; Prospector sandbox")
				if strings.Contains(p.body, "viewport") {
					t.Error("a dated site has a viewport")
				}
				if m := regexp.MustCompile(`&copy; (\d{4})`).FindStringSubmatch(p.body); m == nil || m[1] < "2009" || m[1] > "2016" {
					t.Errorf("copyright %v, want 2009–2016", m)
				}
			}},
		{name: "dated over https fails the handshake", match: variant(town.SiteDated), url: asHTTPS,
			check: func(t *testing.T, b *town.Business, p page) {
				if !strings.Contains(p.err.Error(), "tls") {
					t.Errorf("error %v is not a TLS failure", p.err)
				}
			}},
		{name: "certificate for another name", match: func(s *town.Site) bool { return s.BadCert == "wrong_name" },
			check: func(t *testing.T, b *town.Business, p page) {
				var hostErr x509.HostnameError
				if !errors.As(p.err, &hostErr) {
					t.Errorf("error %v is not a name mismatch", p.err)
				}
			}},
		{name: "expired certificate", match: func(s *town.Site) bool { return s.BadCert == "expired" },
			check: func(t *testing.T, b *town.Business, p page) {
				var invalid x509.CertificateInvalidError
				if !errors.As(p.err, &invalid) || invalid.Reason != x509.Expired {
					t.Errorf("error %v is not an expired certificate", p.err)
				}
			}},
		{name: "broken TLS site over http", match: variant(town.SiteBrokenTLS), url: asHTTP, status: 200,
			check: func(t *testing.T, b *town.Business, p page) { wantIn(t, p.body, html.EscapeString(b.BaseName)) }},
		{name: "slow site", match: variant(town.SiteSlow), status: 200,
			check: func(t *testing.T, b *town.Business, p page) { wantIn(t, p.body, html.EscapeString(b.BaseName)) }},
		{name: "server error", match: variant(town.SiteServerError), status: 500,
			check: func(t *testing.T, b *town.Business, p page) { wantIn(t, p.body, "Prospector sandbox") }},
		{name: "parked", match: variant(town.SiteParked), status: 200,
			check: func(t *testing.T, b *town.Business, p page) {
				wantIn(t, p.body, "parked", "Buy this domain", b.Domain)
			}},
		{name: "dead domain does not resolve", match: variant(town.SiteDead),
			check: func(t *testing.T, b *town.Business, p page) {
				var dnsErr *net.DNSError
				if !errors.As(p.err, &dnsErr) || !dnsErr.IsNotFound {
					t.Errorf("error %v is not a not-found DNS error", p.err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := f.site(t, tt.match)
			target := b.Website
			if tt.url != nil {
				target = tt.url(b)
			}
			began := time.Now()
			p := f.get(target, nil)
			if tt.status == 0 {
				if p.err == nil {
					t.Fatalf("GET %s: %d, want an error", target, p.resp.StatusCode)
				}
			} else {
				if p.err != nil {
					t.Fatalf("GET %s: %v", target, p.err)
				}
				if p.resp.StatusCode != tt.status {
					t.Fatalf("GET %s: %d, want %d", target, p.resp.StatusCode, tt.status)
				}
				if p.resp.Header.Get("X-Sandbox") != "fictional" {
					t.Error("no X-Sandbox label")
				}
			}
			if b.Site.Variant == town.SiteSlow && time.Since(began) < 150*time.Millisecond {
				t.Errorf("slow site answered in %v", time.Since(began))
			}
			tt.check(t, b, p)
		})
	}
}

func wantIn(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

func TestWebHostPlatformSignals(t *testing.T) {
	t.Parallel()
	f := startWeb(t, sandbox.Options{})
	tests := []struct {
		platform string
		body     []string
		header   [2]string
	}{
		{"WordPress", []string{`<meta name="generator" content="WordPress 6.`, "/wp-content/themes/", "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"}, [2]string{"X-Powered-By", "PHP/8.2.18"}},
		{"Wix", []string{`content="Wix.com Website Builder"`, "static.parastorage.com"}, [2]string{"Server", "Pepyaka"}},
		{"Squarespace", []string{"<!-- This is Squarespace. -->", "static1.squarespace.com"}, [2]string{"Server", "Squarespace"}},
		{"Webflow", []string{`<meta content="Webflow" name="generator"/>`, "data-wf-site=", "cdn.prod.website-files.com"}, [2]string{"Server", "cloudflare"}},
		{"Shopify", []string{"cdn.shopify.com", "Shopify.shop ="}, [2]string{"Powered-By", "Shopify"}},
	}
	for _, tt := range tests {
		t.Run(tt.platform, func(t *testing.T) {
			b := f.site(t, func(s *town.Site) bool { return s.Variant == town.SiteModern && s.Platform == tt.platform })
			p := f.get(b.Website, nil)
			if p.err != nil || p.resp.StatusCode != 200 {
				t.Fatalf("GET %s: %v %v", b.Website, p.err, p.resp)
			}
			wantIn(t, p.body, tt.body...)
			if got := p.resp.Header.Get(tt.header[0]); got != tt.header[1] {
				t.Errorf("%s: %q, want %q", tt.header[0], got, tt.header[1])
			}
		})
	}
}

func TestWebHostShowsContacts(t *testing.T) {
	t.Parallel()
	f := startWeb(t, sandbox.Options{})
	checked := map[town.ContactStyle]int{}
	for i := range f.town.Businesses {
		b := &f.town.Businesses[i]
		s := b.Site
		if s == nil || !s.Serves() {
			continue
		}
		scheme := s.Scheme
		if s.Variant == town.SiteBrokenTLS {
			scheme = "http"
		}
		pageURL := func(path string) string {
			u, _ := url.Parse(b.Website)
			u.Scheme = scheme
			if scheme == "http" {
				_, port, _ := net.SplitHostPort(f.sb.WebHTTPAddr)
				u.Host = net.JoinHostPort(s.Host, port)
			}
			u.Path, u.RawQuery = path, ""
			return u.String()
		}
		fetch := func(path string) string {
			p := f.get(pageURL(path), nil)
			if p.err != nil || p.resp.StatusCode != 200 {
				t.Fatalf("%s %s: %v %v", b.Domain, path, p.err, p.resp)
			}
			if !strings.Contains(p.body, "Fictional business") {
				t.Errorf("%s%s lacks the fictional label", b.Domain, path)
			}
			return p.body
		}
		home := fetch("/")
		for _, path := range []string{s.ContactPath, s.AboutPath, s.TeamPath} {
			if path != "" && !strings.Contains(home, `href="`+path+`"`) && !strings.Contains(home, `href="`+strings.TrimPrefix(path, "/")+`"`) {
				t.Errorf("%s: home page does not link %s", b.Domain, path)
			}
		}
		people := fetch(s.PeoplePage())
		for _, person := range s.People {
			if person.Shown == "" {
				if person.Email != "" && strings.Contains(people, person.Email) {
					t.Errorf("%s: %s is not shown but their address is", b.Domain, person.Name())
				}
				continue
			}
			checked[person.Shown]++
			if !strings.Contains(people, html.EscapeString(person.Name())) {
				t.Errorf("%s: %s missing from %s", b.Domain, person.Name(), s.PeoplePage())
			}
			local, domain, _ := strings.Cut(person.Email, "@")
			want := ""
			switch person.Shown {
			case town.ShownMailto:
				want = `href="mailto:` + person.Email + `"`
			case town.ShownPlain:
				want = person.Email
			case town.ShownObfuscated:
				want = local + " [at] " + strings.ReplaceAll(domain, ".", " [dot] ")
				if !strings.Contains(people, want) {
					want = local + " (at) " + strings.ReplaceAll(domain, ".", " (dot) ")
				}
			case town.ShownEntities:
				for _, r := range person.Email {
					want += "&#" + strconv.Itoa(int(r)) + ";"
				}
			case town.ShownJSONLD:
				want = `"jobTitle":"` + person.Position + `"` // JSON, not HTML
				if person.Email != "" && !strings.Contains(people, `"email":"`+person.Email+`"`) {
					t.Errorf("%s: JSON-LD Person lacks %s", b.Domain, person.Email)
				}
			case town.ShownCard:
				want = html.EscapeString(person.Name() + " — " + person.Position)
				if s.Dated {
					want = html.EscapeString(person.Name()) + " &ndash; " + html.EscapeString(person.Position)
				}
				if person.Email != "" && strings.Contains(people, person.Email) {
					t.Errorf("%s: a card shows %s", b.Domain, person.Email)
				}
			}
			if !strings.Contains(people, want) {
				t.Errorf("%s: %s shown as %s: page lacks %q", b.Domain, person.Name(), person.Shown, want)
			}
		}
		if len(s.RoleEmails) > 0 {
			roles := fetch(s.RolesPage())
			for _, e := range s.RoleEmails {
				local, _, _ := strings.Cut(e, "@")
				if !strings.Contains(roles, e) && !strings.Contains(roles, local+" [at] ") && !strings.Contains(roles, local+" (at) ") {
					t.Errorf("%s: %s missing from %s", b.Domain, e, s.RolesPage())
				}
			}
		}
		story := fetch(s.StoryPage())
		for _, phrase := range []string{s.FoundingPhrase, s.TeamPhrase} {
			if phrase != "" && !strings.Contains(story, phrase) {
				t.Errorf("%s: %q missing from %s", b.Domain, phrase, s.StoryPage())
			}
		}
	}
	if len(checked) < 6 {
		t.Errorf("contact styles met: %v, want all six", checked)
	}
}

func TestWebHostRoutesByHost(t *testing.T) {
	t.Parallel()
	f := startWeb(t, sandbox.Options{})
	var dated []*town.Business
	for i := range f.town.Businesses {
		if b := &f.town.Businesses[i]; b.Site != nil && b.Site.Variant == town.SiteDated && len(dated) < 2 {
			dated = append(dated, b)
		}
	}
	modern := f.site(t, variant(town.SiteModern))
	raw := "http://" + f.sb.WebHTTPAddr + "/"
	other := func(host string) string {
		if bare, ok := strings.CutPrefix(host, "www."); ok {
			return bare
		}
		return "www." + host
	}
	tests := []struct {
		name     string
		target   string
		host     string
		status   int
		body     string
		location string
	}{
		{"first site", raw, dated[0].Site.Host, 200, html.EscapeString(dated[0].BaseName), ""},
		{"second site", raw, dated[1].Site.Host, 200, html.EscapeString(dated[1].BaseName), ""},
		{"host with port and upper case", raw, strings.ToUpper(dated[0].Site.Host) + ":80", 200, html.EscapeString(dated[0].BaseName), ""},
		{"unknown host", raw, "nosuchbusiness.example", 404, "No website is configured", ""},
		{"other spelling of the host", raw + "contact", other(dated[0].Site.Host), 301, "",
			"http://" + net.JoinHostPort(dated[0].Site.Host, sandboxtest.Port(f.sb.WebHTTPAddr)) + "/contact"},
		{"modern site by SNI", "https://" + net.JoinHostPort(modern.Site.Host, sandboxtest.Port(f.sb.WebHTTPSAddr)) + "/", "", 200, html.EscapeString(modern.BaseName), ""},
		{"unknown path", strings.TrimSuffix(modern.Website, "/") + "/no-such-page", "", 404, "Page not found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.host != "" {
				h["Host"] = tt.host
			}
			p := f.get(tt.target, h)
			if p.err != nil {
				t.Fatal(p.err)
			}
			if p.resp.StatusCode != tt.status || !strings.Contains(p.body, tt.body) {
				t.Errorf("%d %q, want %d with %q", p.resp.StatusCode, p.body, tt.status, tt.body)
			}
			if loc := p.resp.Header.Get("Location"); loc != tt.location {
				t.Errorf("Location %q, want %q", loc, tt.location)
			}
			if second := html.EscapeString(dated[1].BaseName); tt.status == 200 && strings.Contains(p.body, second) != (tt.body == second) {
				t.Error("the page mixes two sites")
			}
		})
	}
}

func TestWebHostIsDeterministic(t *testing.T) {
	t.Parallel()
	f1, f2 := startWeb(t, sandbox.Options{}), startWeb(t, sandbox.Options{})
	for _, v := range []town.SiteVariant{town.SiteModern, town.SiteDated, town.SiteParked} {
		b1, b2 := f1.site(t, variant(v)), f2.site(t, variant(v))
		p1, p2 := f1.get(b1.Website, nil), f2.get(b2.Website, nil)
		if p1.err != nil || p2.err != nil {
			t.Fatal(p1.err, p2.err)
		}
		strip := func(s string, sb *sandbox.Sandbox) string {
			return strings.NewReplacer(":"+sandboxtest.Port(sb.WebHTTPSAddr), ":PORT", ":"+sandboxtest.Port(sb.WebHTTPAddr), ":PORT").Replace(s)
		}
		if strip(p1.body, f1.sb) != strip(p2.body, f2.sb) {
			t.Errorf("%s: two sandboxes serve %s differently", v, b1.Domain)
		}
	}
}

func TestWebsitesFault(t *testing.T) {
	t.Parallel()
	f := startWeb(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Websites: {Status: 503, RetryAfter: "9", Times: 1}}})
	b := f.site(t, variant(town.SiteModern))
	if p := f.get(b.Website, nil); p.err != nil || p.resp.StatusCode != 503 || p.resp.Header.Get("Retry-After") != "9" {
		t.Errorf("fault: %v %v", p.err, p.resp)
	}
	if p := f.get(b.Website, nil); p.err != nil || p.resp.StatusCode != 200 {
		t.Errorf("after the fault: %v %v", p.err, p.resp)
	}
	reqs := f.sb.Requests(sandbox.Websites)
	if len(reqs) != 2 || reqs[0].Header.Get("Host") == "" {
		t.Errorf("logged website requests: %+v", reqs)
	}
}
