package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// ssrfSetup is an allowlisted server, a second loopback server standing for
// an internal service that must stay out of reach, and a DNS server.
type ssrfSetup struct {
	ok, secret *server
	dns        *dnsServer
	f          *Fetcher
	dials      *dialLog
}

func newSSRFSetup(t *testing.T) *ssrfSetup {
	t.Helper()
	s := &ssrfSetup{}
	s.secret = serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "internal secrets")
	}))
	s.ok = serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, strings.ReplaceAll(to, "SECRET", s.secret.port()), http.StatusFound)
			return
		}
		fmt.Fprint(w, "public page")
	}))
	s.dns = startDNS(t, zone{
		"shop.test":     {{"127.0.0.1"}},
		"private.test":  {{"10.0.0.1"}},
		"metadata.test": {{"169.254.169.254"}},
		"mapped.test":   {{"::ffff:127.0.0.1"}},
		"nat64.test":    {{"64:ff9b::a9fe:a9fe"}},
		"mixed.test":    {{"127.0.0.1", "10.0.0.1"}},
		"mixed6.test":   {{"127.0.0.1", "fd00::1"}},
		// Only used where /etc/hosts does not already answer it.
		"localhost": {{"127.0.0.1"}},
	})
	s.f, s.dials = newFetcher(t, Config{Resolver: s.dns.addr, Allowlist: []string{s.ok.addr()}})
	return s
}

func TestRefusedAddresses(t *testing.T) {
	t.Parallel()
	s := newSSRFSetup(t)
	q := s.secret.port()
	tests := []struct {
		name string
		url  string
		kind Kind
		msg  string
	}{
		{"loopback", "http://127.0.0.1:" + q + "/", KindBlocked, "the site's address is a loopback address"},
		{"other loopback", "http://127.0.0.2:" + q + "/", KindBlocked, "loopback"},
		{"localhost", "http://localhost:" + q + "/", KindBlocked, "the site's address is a loopback address"},
		{"ipv6 loopback", "http://[::1]:" + q + "/", KindBlocked, "the site's address is a loopback address"},
		{"ipv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + q + "/", KindBlocked, "loopback"},
		{"ipv4-mapped loopback in hex", "http://[::ffff:7f00:1]:" + q + "/", KindBlocked, "loopback"},
		{"ipv4-translated loopback", "http://[::ffff:0:7f00:1]:" + q + "/", KindBlocked, "loopback"},
		{"ipv4-compatible loopback", "http://[::127.0.0.1]:" + q + "/", KindBlocked, "reserved"},
		{"nat64 of private", "http://[64:ff9b::a00:1]/", KindBlocked, "private"},
		{"unspecified", "http://0.0.0.0:" + q + "/", KindBlocked, "unspecified"},
		{"unspecified ipv6", "http://[::]:" + q + "/", KindBlocked, "unspecified"},
		{"private", "http://192.168.1.1/", KindBlocked, "private"},
		{"ipv6 unique local", "http://[fc00::1]/", KindBlocked, "private"},
		{"link-local", "http://169.254.1.1/", KindBlocked, "link-local"},
		{"ipv6 link-local", "http://[fe80::1]/", KindBlocked, "link-local"},
		{"cgnat", "http://100.64.0.1/", KindBlocked, "carrier-grade NAT"},
		{"multicast", "http://224.0.0.1/", KindBlocked, "multicast"},
		{"broadcast", "http://255.255.255.255/", KindBlocked, "broadcast"},
		{"documentation", "http://192.0.2.1/", KindBlocked, "documentation"},
		{"metadata", "http://169.254.169.254/latest/meta-data/", KindBlocked, "cloud metadata"},
		{"metadata ipv6", "http://[fd00:ec2::254]/latest/meta-data/", KindBlocked, "cloud metadata"},
		{"metadata alibaba", "http://100.100.100.200/latest/meta-data/", KindBlocked, "cloud metadata"},
		{"metadata mapped", "http://[::ffff:169.254.169.254]/", KindBlocked, "cloud metadata"},
		{"decimal", "http://2130706433:" + q + "/", KindBadURL, "four decimal numbers"},
		{"hex", "http://0x7f000001:" + q + "/", KindBadURL, "four decimal numbers"},
		{"octal", "http://0177.0.0.1:" + q + "/", KindBadURL, "four decimal numbers"},
		{"short", "http://127.1:" + q + "/", KindBadURL, "four decimal numbers"},
		{"mixed radix", "http://0x7f.0.0.1:" + q + "/", KindBadURL, "four decimal numbers"},
		{"trailing dot", "http://127.0.0.1.:" + q + "/", KindBadURL, "four decimal numbers"},
		{"ipv6 zone", "http://[fe80::1%25lo]:" + q + "/", KindBadURL, "zone"},
		{"percent-encoded", "http://%31%32%37.0.0.1:" + q + "/", KindBadURL, ""},
		{"full-width digits", "http://１２７.０.０.１:" + q + "/", KindBlocked, "loopback"},
		{"name to private", "http://private.test:" + q + "/", KindBlocked, "the site's address is a private address"},
		{"name to metadata", "http://metadata.test/", KindBlocked, "cloud metadata"},
		{"name to mapped loopback", "http://mapped.test:" + q + "/", KindBlocked, "loopback"},
		{"name to nat64 metadata", "http://nat64.test/", KindBlocked, "cloud metadata"},
		// The allowlisted address does not carry a blocked one along.
		{"one private answer", "http://mixed.test:" + s.ok.port() + "/", KindBlocked, "private"},
		{"one ipv6 private answer", "http://mixed6.test:" + s.ok.port() + "/", KindBlocked, "private"},
		{"allowlisted ip, other port", "http://shop.test:" + q + "/", KindBlocked, "loopback"},
		{"unknown name", "http://nowhere.test/", KindDNS, "no such host"},
		{"ftp", "ftp://127.0.0.1/", KindBadURL, `"ftp"`},
		{"file", "file:///etc/passwd", KindBadURL, `"file"`},
		{"javascript", "javascript:alert(1)", KindBadURL, "javascript"},
		{"no scheme", "127.0.0.1/", KindBadURL, "http://"},
		{"scheme-relative", "//127.0.0.1/", KindBadURL, "http://"},
		{"no host", "http:///path", KindBadURL, "no host"},
		{"opaque", "http:127.0.0.1", KindBadURL, "no host"},
		{"port zero", "http://127.0.0.1:0/", KindBadURL, "port"},
		{"port too big", "http://127.0.0.1:70000/", KindBadURL, "port"},
		{"bad host characters", "http://exa$mple.test/", KindBadURL, ""},
		{"unparsable", "http://[::1/", KindBadURL, "not a valid web address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.f.Get(t.Context(), tt.url)
			wantErr(t, res, err, tt.kind, tt.msg)
		})
	}
	// Every refusal above happens before a connection is attempted.
	if d := s.dials.all(); len(d) != 0 {
		t.Errorf("dialed %v, want no dial at all", d)
	}
	if n := s.secret.hits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
}

// A refusal tells the tenant what kind of address was refused, never which
// one nor the name that led there: the analysis is shown to whoever imported
// the prospect, and "db.internal resolves to 127.0.0.1" maps our own DNS.
func TestRefusalsNameNoAddressOrHost(t *testing.T) {
	t.Parallel()
	s := newSSRFSetup(t)
	q := s.secret.port()
	redirect := "http://" + s.ok.addr() + "/?to="
	tests := []struct {
		name, url, kind string
		secrets         []string
	}{
		{"loopback literal", "http://127.0.0.1:" + q + "/", "a loopback address", []string{"127.0.0.1"}},
		{"ipv6 loopback literal", "http://[::1]:" + q + "/", "a loopback address", []string{"::1"}},
		{"metadata literal", "http://169.254.169.254/latest/meta-data/", "a cloud metadata address", []string{"169.254.169.254"}},
		{"name to loopback", "http://localhost:" + q + "/", "a loopback address", []string{"localhost", "127.0.0.1"}},
		{"name to private", "http://private.test:" + q + "/", "a private address", []string{"private.test", "10.0.0.1"}},
		{"name to mapped loopback", "http://mapped.test:" + q + "/", "a loopback address", []string{"mapped.test", "127.0.0.1", "::ffff"}},
		{"one private answer", "http://mixed.test:" + s.ok.port() + "/", "a private address", []string{"mixed.test", "10.0.0.1"}},
		{"one ipv6 private answer", "http://mixed6.test:" + s.ok.port() + "/", "a private address", []string{"mixed6.test", "fd00::1"}},
		{"redirect to a private name", redirect + "http://private.test/", "a private address", []string{"private.test", "10.0.0.1"}},
		{"redirect to loopback", redirect + "http://127.0.0.1:SECRET/", "a loopback address", []string{"127.0.0.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.f.Get(t.Context(), tt.url)
			wantErr(t, res, err, KindBlocked, "refused", tt.kind)
			// Everything a user or a log line could be shown: the
			// reason, the error text and its causes.
			shown := []string{Reason(err), err.Error(), fmt.Sprintf("%+v", err)}
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				shown = append(shown, e.Error())
			}
			for _, text := range shown {
				for _, secret := range tt.secrets {
					if strings.Contains(text, secret) {
						t.Errorf("refusal %q reveals %q", text, secret)
					}
				}
			}
		})
	}
}

func TestCredentialsNeverEchoed(t *testing.T) {
	t.Parallel()
	s := newSSRFSetup(t)
	tests := []struct {
		name string
		url  string
	}{
		{"refused", "http://admin:hunter2@127.0.0.1:" + s.secret.port() + "/"},
		{"unparsable", "http://admin:hunter2@[::1/"},
		{"bad scheme", "gopher://admin:hunter2@127.0.0.1/"},
		{"numeric host", "http://admin:hunter2@2130706433/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.f.Get(t.Context(), tt.url)
			if err == nil {
				t.Fatal("fetch succeeded")
			}
			for _, text := range []string{err.Error(), Reason(err), fmt.Sprintf("%+v", err)} {
				if strings.Contains(text, "hunter2") || strings.Contains(text, "admin") {
					t.Errorf("error text %q repeats the credentials", text)
				}
			}
		})
	}

	var (
		mu      sync.Mutex
		gotAuth []string
	)
	creds := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/" {
			http.Redirect(w, r, "http://admin:hunter2@"+r.Host+"/next", http.StatusFound)
		}
	}))
	f, _ := newFetcher(t, Config{Allowlist: []string{creds.addr()}})
	res := mustGet(t, f, "http://admin:hunter2@"+creds.addr()+"/")
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"", ""}; !slices.Equal(gotAuth, want) {
		t.Errorf("Authorization headers sent = %q, want none", gotAuth)
	}
	for _, u := range append([]string{res.URL, res.FinalURL}, res.Redirects...) {
		if strings.Contains(u, "hunter2") || strings.Contains(u, "admin") {
			t.Errorf("result URL %q keeps the credentials", u)
		}
	}
}

func TestAllowlist(t *testing.T) {
	t.Parallel()
	byIP := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "by ip") }))
	byName := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "by name") }))
	dns := startDNS(t, zone{"shop.test": {{"127.0.0.1"}}, "sandbox.test": {{"127.0.0.1"}}})
	f, _ := newFetcher(t, Config{
		Resolver:  dns.addr,
		Allowlist: []string{byIP.addr(), "SANDBOX.test.:" + byName.port()},
	})
	tests := []struct {
		name string
		url  string
		want string // body, or "" for a refusal
	}{
		{"ip as written", "http://" + byIP.addr() + "/", "by ip"},
		{"name resolving to an allowlisted ip", "http://shop.test:" + byIP.port() + "/", "by ip"},
		{"allowlisted name", "http://sandbox.test:" + byName.port() + "/", "by name"},
		{"allowlisted name, other case and trailing dot", "http://SandBox.Test.:" + byName.port() + "/", "by name"},
		{"ip of an allowlisted name", "http://127.0.0.1:" + byName.port() + "/", ""},
		{"other name to the same ip", "http://shop.test:" + byName.port() + "/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.Get(t.Context(), tt.url)
			if tt.want == "" {
				wantErr(t, res, err, KindBlocked, "loopback")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Body) != tt.want || res.RemoteIP != "127.0.0.1" {
				t.Errorf("body %q from %s, want %q from 127.0.0.1", res.Body, res.RemoteIP, tt.want)
			}
		})
	}
}

// TestDialsTheCheckedAddress shows there is no second lookup a rebinding
// DNS server could answer differently: each name is asked once, and the
// address dialed is the one that was checked.
func TestDialsTheCheckedAddress(t *testing.T) {
	t.Parallel()
	target := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "page") }))
	// 11.22.33.44 stands for a public address; the dial hook below takes
	// it to the loopback server, so nothing leaves this machine.
	const public = "11.22.33.44"
	dns := startDNS(t, zone{
		"rebind.test":       {{"127.0.0.1"}, {"10.0.0.1"}},
		"public-first.test": {{public}, {"127.0.0.1"}},
	})
	tests := []struct {
		name string
		host string
		ip   string
	}{
		{"allowlisted first answer, private second", "rebind.test", "127.0.0.1"},
		{"public first answer, loopback second", "public-first.test", public},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, dials := newFetcher(t, Config{Resolver: dns.addr, Allowlist: []string{target.addr()}})
			guarded := f.dialTCP
			f.dialTCP = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if host, port, _ := net.SplitHostPort(addr); host == public {
					dials.add(addr)
					return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
				}
				return guarded(ctx, network, addr)
			}
			res := mustGet(t, f, "http://"+tt.host+":"+target.port()+"/")
			want := []string{net.JoinHostPort(tt.ip, target.port())}
			if got := dials.all(); !slices.Equal(got, want) {
				t.Errorf("dialed %v, want %v", got, want)
			}
			if res.RemoteIP != tt.ip {
				t.Errorf("RemoteIP = %s, want %s", res.RemoteIP, tt.ip)
			}
			if n := dns.count(tt.host, "A"); n != 1 {
				t.Errorf("%s was looked up %d times, want once", tt.host, n)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	s := newSSRFSetup(t)
	var (
		mu  sync.Mutex
		uas []string
	)
	chain := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uas = append(uas, r.Header.Get("User-Agent")+"|"+r.Header.Get("Accept-Encoding"))
		mu.Unlock()
		var n int
		switch _, err := fmt.Sscanf(r.URL.Path, "/chain/%d", &n); {
		case err == nil && n > 0:
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusMovedPermanently)
		case r.URL.Path == "/loop-a":
			http.Redirect(w, r, "/loop-b", http.StatusFound)
		case r.URL.Path == "/loop-b":
			http.Redirect(w, r, "/loop-a", http.StatusTemporaryRedirect)
		case r.URL.Path == "/self":
			http.Redirect(w, r, "/self", http.StatusFound)
		default:
			fmt.Fprint(w, "end")
		}
	}))
	f, dials := newFetcher(t, Config{Resolver: s.dns.addr, Allowlist: []string{s.ok.addr(), chain.addr()}})
	base := "http://" + chain.addr()
	redirect := "http://" + s.ok.addr() + "/?to="
	tests := []struct {
		name  string
		url   string
		kind  Kind // KindUnknown: success
		msg   string
		final string
		hops  int
	}{
		{"five redirects", base + "/chain/5", KindUnknown, "", base + "/chain/0", 5},
		{"six redirects", base + "/chain/6", KindTooManyRedirects, "more than 5 redirects", "", 0},
		{"loop", base + "/loop-a", KindTooManyRedirects, "loop", "", 0},
		{"self loop", base + "/self", KindTooManyRedirects, "loop", "", 0},
		{"to a loopback port not allowlisted", redirect + "http://127.0.0.1:SECRET/", KindBlocked, "the site's address is a loopback address (after a redirect)", "", 0},
		{"to localhost", redirect + "http://localhost:SECRET/", KindBlocked, "loopback", "", 0},
		{"to ipv6 loopback", redirect + "http://[::1]:SECRET/", KindBlocked, "loopback", "", 0},
		{"to metadata", redirect + "http://169.254.169.254/latest/meta-data/", KindBlocked, "cloud metadata", "", 0},
		{"to a name resolving to private", redirect + "http://private.test/", KindBlocked, "private", "", 0},
		{"to a decimal ip", redirect + "http://2130706433:SECRET/", KindBadURL, "redirected", "", 0},
		{"to ftp", redirect + "ftp://127.0.0.1:SECRET/", KindBadURL, "redirected", "", 0},
		{"to file", redirect + "file:///etc/passwd", KindBadURL, `"file"`, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.Get(t.Context(), tt.url)
			if tt.kind != KindUnknown {
				wantErr(t, res, err, tt.kind, tt.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.FinalURL != tt.final || len(res.Redirects) != tt.hops || res.Redirects[len(res.Redirects)-1] != tt.final {
				t.Errorf("final %s after %v, want %s after %d hops", res.FinalURL, res.Redirects, tt.final, tt.hops)
			}
		})
	}
	for _, d := range dials.all() {
		if d != s.ok.addr() && d != chain.addr() {
			t.Errorf("dialed %s, which is not allowlisted", d)
		}
	}
	if n := s.secret.hits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
	mu.Lock()
	for _, ua := range uas {
		if ua != testUA+"|gzip" {
			t.Errorf("a hop was sent User-Agent|Accept-Encoding %q", ua)
		}
	}
	mu.Unlock()

	t.Run("none allowed", func(t *testing.T) {
		f, _ := newFetcher(t, Config{MaxRedirects: -1, Allowlist: []string{chain.addr()}})
		res, err := f.Get(t.Context(), base+"/chain/1")
		wantErr(t, res, err, KindTooManyRedirects, "not followed")
	})
}
