package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/ca"
)

// testCA issues certificates for test servers (package ca); pool trusts it.
type testCA struct {
	*ca.Authority
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	a, err := ca.New("Prospector Test CA", time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{Authority: a, pool: a.Pool()}
}

// issue returns a leaf for names (DNS names or IPs) valid from notBefore to
// notAfter, presented alone: without the root in the chain, a client that
// does not trust it sees an unknown authority, not a self-signed one.
func (c *testCA) issue(t *testing.T, notBefore, notAfter time.Time, names ...string) tls.Certificate {
	t.Helper()
	cert, err := c.Issue(names, notBefore, notAfter)
	if err != nil {
		t.Fatal(err)
	}
	cert.Certificate = cert.Certificate[:1]
	return cert
}

// serveTLS starts an HTTPS server on loopback presenting cert; tweak, when
// not nil, adjusts its TLS settings.
func serveTLS(t *testing.T, cert tls.Certificate, h http.Handler, tweak func(*tls.Config)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	if tweak != nil {
		tweak(srv.TLS)
	}
	// The server's own log of client hang-ups is noise here.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func port(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, p, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTLSVerification(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t)
	now := time.Now()
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secure page") })
	valid := serveTLS(t, ca.issue(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "shop.test", "127.0.0.1"), page, nil)
	expired := serveTLS(t, ca.issue(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour), "shop.test"), page, nil)
	early := serveTLS(t, ca.issue(t, now.Add(24*time.Hour), now.Add(48*time.Hour), "shop.test"), page, nil)
	old := serveTLS(t, ca.issue(t, now.Add(-time.Hour), now.Add(time.Hour), "shop.test"), page, func(c *tls.Config) {
		c.MinVersion, c.MaxVersion = tls.VersionTLS11, tls.VersionTLS11
	})
	selfSigned := httptest.NewTLSServer(page)
	t.Cleanup(selfSigned.Close)

	dns := startDNS(t, zone{"shop.test": {{"127.0.0.1"}}, "other.test": {{"127.0.0.1"}}})
	var allow []string
	for _, s := range []*httptest.Server{valid, expired, early, old, selfSigned} {
		allow = append(allow, s.Listener.Addr().String())
	}
	withCA, _ := newFetcher(t, Config{Resolver: dns.addr, Allowlist: allow, RootCAs: ca.pool})
	systemRoots, _ := newFetcher(t, Config{Resolver: dns.addr, Allowlist: allow})
	selfRoots := x509.NewCertPool()
	selfRoots.AddCert(selfSigned.Certificate())
	withSelf, _ := newFetcher(t, Config{Allowlist: allow, RootCAs: selfRoots})

	tests := []struct {
		name     string
		f        *Fetcher
		url      string
		valid    bool
		reason   string
		notAfter time.Time
		issuer   string
	}{
		{"valid", withCA, "https://shop.test:" + port(t, valid) + "/", true, "", valid.Certificate().NotAfter, "Prospector Test CA"},
		{"valid for the ip", withCA, "https://127.0.0.1:" + port(t, valid) + "/", true, "", valid.Certificate().NotAfter, "Prospector Test CA"},
		{"wrong name", withCA, "https://other.test:" + port(t, valid) + "/", false, "not valid for other.test", valid.Certificate().NotAfter, "Prospector Test CA"},
		{"unknown authority", systemRoots, "https://shop.test:" + port(t, valid) + "/", false, "not signed by a trusted authority", valid.Certificate().NotAfter, "Prospector Test CA"},
		{"expired", withCA, "https://shop.test:" + port(t, expired) + "/", false, "expired on", expired.Certificate().NotAfter, ""},
		{"not yet valid", withCA, "https://shop.test:" + port(t, early) + "/", false, "not valid before", early.Certificate().NotAfter, ""},
		{"obsolete protocol", withCA, "https://shop.test:" + port(t, old) + "/", false, "TLS 1.1", old.Certificate().NotAfter, ""},
		{"self-signed", systemRoots, selfSigned.URL + "/", false, "self-signed", selfSigned.Certificate().NotAfter, "Acme Co"},
		{"self-signed and trusted", withSelf, selfSigned.URL + "/", true, "", selfSigned.Certificate().NotAfter, "Acme Co"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := mustGet(t, tt.f, tt.url)
			if string(res.Body) != "secure page" {
				t.Errorf("body %q: a certificate problem must not stop the fetch", res.Body)
			}
			ti := res.TLS
			if ti == nil {
				t.Fatal("no TLS info for an https fetch")
			}
			if ti.Valid != tt.valid || !strings.Contains(ti.Error, tt.reason) || (tt.valid && ti.Error != "") {
				t.Errorf("Valid %v, Error %q; want %v, %q", ti.Valid, ti.Error, tt.valid, tt.reason)
			}
			if !ti.NotAfter.Equal(tt.notAfter) {
				t.Errorf("NotAfter %v, want %v", ti.NotAfter, tt.notAfter)
			}
			if !strings.Contains(ti.Issuer, tt.issuer) {
				t.Errorf("Issuer %q, want it to mention %q", ti.Issuer, tt.issuer)
			}
			if ti.Version == "" || res.RemoteIP != "127.0.0.1" {
				t.Errorf("Version %q, RemoteIP %q", ti.Version, res.RemoteIP)
			}
		})
	}
}

// TestTLSAfterRedirects checks that what is reported is the connection that
// served the final page, and the http→https upgrade.
func TestTLSAfterRedirects(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t)
	now := time.Now()
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "page") })
	good := serveTLS(t, ca.issue(t, now.Add(-time.Hour), now.Add(time.Hour), "127.0.0.1"), page, nil)
	bad := serveTLS(t, ca.issue(t, now.Add(-2*time.Hour), now.Add(-time.Hour), "127.0.0.1"), page, nil)
	to := func(target string) http.Handler { return http.RedirectHandler(target, http.StatusMovedPermanently) }
	badToGood := serveTLS(t, ca.issue(t, now.Add(-2*time.Hour), now.Add(-time.Hour), "127.0.0.1"), to(good.URL+"/"), nil)
	goodToBad := serveTLS(t, ca.issue(t, now.Add(-time.Hour), now.Add(time.Hour), "127.0.0.1"), to(bad.URL+"/"), nil)
	httpToGood := serve(t, to(good.URL+"/"))
	httpsToHTTP := serveTLS(t, ca.issue(t, now.Add(-time.Hour), now.Add(time.Hour), "127.0.0.1"), to(httpToGood.URL+"/plain"), nil)
	plain := serve(t, page)
	f, _ := newFetcher(t, Config{RootCAs: ca.pool, Allowlist: []string{
		good.Listener.Addr().String(), bad.Listener.Addr().String(), badToGood.Listener.Addr().String(),
		goodToBad.Listener.Addr().String(), httpToGood.addr(), httpsToHTTP.Listener.Addr().String(), plain.addr(),
	}})

	tests := []struct {
		name    string
		url     string
		tls     bool // TLS info expected
		valid   bool
		upgrade bool
	}{
		{"invalid then valid", badToGood.URL + "/", true, true, false},
		{"valid then invalid", goodToBad.URL + "/", true, false, false},
		{"http to https", httpToGood.URL + "/", true, true, true},
		{"plain http", plain.URL + "/", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustGet(t, f, tt.url)
			if (res.TLS != nil) != tt.tls || tt.tls && res.TLS.Valid != tt.valid {
				t.Errorf("TLS %+v, want present %v and valid %v", res.TLS, tt.tls, tt.valid)
			}
			if res.HTTPSRedirect != tt.upgrade {
				t.Errorf("HTTPSRedirect %v, want %v", res.HTTPSRedirect, tt.upgrade)
			}
		})
	}
}

func TestTLSHandshakeFailures(t *testing.T) {
	t.Parallel()
	plain := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "plain") }))
	hangup := listen(t, func(net.Conn) {})
	ca := newTestCA(t)
	now := time.Now()
	// A server limited to TLS 1.2 without a single cipher suite can agree
	// on nothing.
	noCommonVersion := serveTLS(t, ca.issue(t, now.Add(-time.Hour), now.Add(time.Hour), "127.0.0.1"),
		http.NotFoundHandler(), func(c *tls.Config) { c.CipherSuites = []uint16{}; c.MaxVersion = tls.VersionTLS12 })
	f, _ := newFetcher(t, Config{Allowlist: []string{plain.addr(), hangup.Addr().String(), noCommonVersion.Listener.Addr().String()}})

	tests := []struct {
		name string
		url  string
		msg  string
	}{
		{"plain http spoken to with https", "https://" + plain.addr() + "/", "does not speak TLS"},
		{"server hangs up", "https://" + hangup.Addr().String() + "/", "closed the connection"},
		{"no common cipher suite", noCommonVersion.URL + "/", "TLS handshake failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.Get(t.Context(), tt.url)
			wantErr(t, res, err, KindTLS, tt.msg)
		})
	}
}
