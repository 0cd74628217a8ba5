package sandbox_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

// webFixture is a sandbox serving websites and a client that reaches them

// the way Prospector's fetcher should: names resolved by the sandbox's DNS

// server, certificates checked against the sandbox CA, redirects not

// followed (so tests see them).

// resolverFor is a resolver asking only the sandbox's DNS server, over

// network ("udp", "tcp", or "" for the resolver's choice).

func TestWebsiteURLsCarryThePorts(t *testing.T) {
	t.Parallel()
	for _, ports := range []bool{true, false} {
		sb := sandboxtest.Start(t, sandbox.Options{WebsitePorts: ports})
		m := sandboxtest.Do(t, "POST", sb.GooglePlacesURL+"/v1/places:searchText", sandboxtest.GoogleHeaders(sb, "places.websiteUri"),
			`{"textQuery":"plumbers in Austin, TX"}`).JSON(t)
		n := 0
		for _, raw := range m["places"].([]any) {
			w, _ := raw.(map[string]any)["websiteUri"].(string)
			if w == "" {
				continue
			}
			n++
			u, err := url.Parse(w)
			if err != nil {
				t.Fatal(err)
			}
			b, ok := sb.LookupSite(u.Host)
			if !ok {
				t.Fatalf("websiteUri %q is no sandbox site", w)
			}
			wantPort := ""
			if ports {
				wantPort = sandboxtest.Port(sb.WebHTTPAddr)
				if b.Site.Scheme == "https" {
					wantPort = sandboxtest.Port(sb.WebHTTPSAddr)
				}
			}
			if u.Port() != wantPort || u.Scheme != b.Site.Scheme || u.Hostname() != b.Site.Host {
				t.Errorf("ports %v: websiteUri %q for a %s site on %s", ports, w, b.Site.Scheme, b.Site.Host)
			}
			if sb.WebsiteURL(b) != u.Scheme+"://"+net.JoinHostPort(u.Hostname(), sandboxtest.Port(map[bool]string{true: sb.WebHTTPSAddr, false: sb.WebHTTPAddr}[u.Scheme == "https"]))+"/" {
				t.Errorf("WebsiteURL %q does not match %q", sb.WebsiteURL(b), w)
			}
		}
		if n == 0 {
			t.Error("no place has a website")
		}
	}
}

func TestEnvAndCA(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	env := sb.Env()
	want := map[string]string{
		"HUNTER_BASE_URL": sb.HunterURL, "HUNTER_API_KEY": sandbox.DefaultHunterAPIKey,
		"PAGESPEED_BASE_URL": sb.PageSpeedURL, "PAGESPEED_API_KEY": sandbox.DefaultPageSpeedAPIKey,
		"DNS_RESOLVER": sb.DNSAddr, "FETCH_ALLOWLIST": sb.WebHTTPAddr + "," + sb.WebHTTPSAddr,
		"GOOGLE_PLACES_BASE_URL": sb.GooglePlacesURL, "YELP_API_KEY": sb.YelpAPIKey,
		"INSTANTLY_BASE_URL": sb.InstantlyURL, "INSTANTLY_API_KEY": sandbox.DefaultInstantlyAPIKey,
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	for _, pair := range strings.Split(env["FETCH_ALLOWLIST"], ",") {
		if host, _, err := net.SplitHostPort(pair); err != nil || host != "127.0.0.1" {
			t.Errorf("allowlist entry %q", pair)
		}
	}
	if _, ok := env["FETCH_CA_FILE"]; ok {
		t.Error("FETCH_CA_FILE set before WriteCA")
	}
	if _, err := sb.WriteCA(t.TempDir() + "/missing/dir"); err == nil {
		t.Error("WriteCA into a missing folder succeeded")
	}
	if _, ok := sb.Env()["FETCH_CA_FILE"]; ok {
		t.Error("FETCH_CA_FILE set after a failed WriteCA")
	}
	path, err := sb.WriteCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if sb.Env()["FETCH_CA_FILE"] != path {
		t.Errorf("FETCH_CA_FILE = %q, want %q", sb.Env()["FETCH_CA_FILE"], path)
	}
	raw, err := os.ReadFile(path)
	if err != nil || string(raw) != string(sb.CACertPEM()) {
		t.Fatalf("CA file: %v", err)
	}
	block, _ := pem.Decode(raw)
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil || !ca.IsCA || ca.PublicKeyAlgorithm != x509.ECDSA || !strings.Contains(ca.Subject.CommonName, "fictional") {
		t.Errorf("CA certificate: %v %+v", err, ca.Subject)
	}

	// A client trusting only that file reaches a modern site.
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(raw)
	b := func() *sandbox.Business {
		for _, b := range sb.Town("dentist", "Portland, OR").Businesses {
			if b.Site != nil && b.Site.Variant == sandbox.SiteModern {
				return &b
			}
		}
		return nil
	}()
	conn, err := tls.Dial("tcp", sb.WebHTTPSAddr, &tls.Config{ServerName: b.Site.Host, RootCAs: pool})
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
}

func TestStartRefusesNonLoopbackWebAndDNS(t *testing.T) {
	t.Parallel()
	for _, o := range []sandbox.Options{
		{WebHTTPAddr: "0.0.0.0:0"}, {WebHTTPSAddr: ":0"}, {DNSAddr: "192.0.2.1:0"},
		{WebHTTPAddr: "[::1]:0", WebHTTPSAddr: "[::1]:0"}, {WebHTTPAddr: "127.0.0.1:0", WebHTTPSAddr: "127.0.0.2:0"},
	} {
		if sb, err := sandbox.Start(context.Background(), o); err == nil {
			sb.Close()
			t.Errorf("Start accepted %+v", o)
		}
	}
}

func ExampleSandbox_WebsiteURL() {
	sb, err := sandbox.Start(context.Background(), sandbox.Options{WebsitePorts: true})
	if err != nil {
		panic(err)
	}
	defer sb.Close()
	for _, b := range sb.Town("plumber", "Austin, TX").Businesses {
		if b.Site != nil {
			fmt.Println(b.Website == sb.WebsiteURL(&b), strings.Contains(b.Website, ".example:"))
			break
		}
	}
	// Output: true true
}
