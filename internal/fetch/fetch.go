package fetch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Defaults for the zero fields of Config.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultMaxBody      = 2 << 20
	DefaultMaxRedirects = 5
)

// Transport limits. They are not configurable because nothing has needed it:
// the per-fetch deadline bounds everything anyway.
const (
	dialTimeout         = 5 * time.Second
	tlsHandshakeTimeout = 5 * time.Second
	idleConnTimeout     = 30 * time.Second
	maxIdleConns        = 64
	maxIdleConnsPerHost = 2
	maxHeaderBytes      = 128 << 10
)

// Config is what the application decides once, from its configuration.
type Config struct {
	// UserAgent is sent on every request (OUTBOUND_USER_AGENT). Required.
	UserAgent string
	// Allowlist holds "host:port" pairs that may be reached although they
	// are loopback or private (FETCH_ALLOWLIST): the sandbox in tests and
	// the demo. A pair matches the URL's host as written (a name or an IP)
	// or an address the name resolves to.
	Allowlist []string
	// Resolver is the "host:port" of the DNS server to ask (DNS_RESOLVER);
	// empty means the system resolver.
	Resolver string
	// RootCAs verifies certificates; nil means the system roots.
	RootCAs *x509.CertPool
	// Timeout bounds a whole fetch: lookups, connections, redirects and
	// body. Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxBody is the most body bytes kept, after decompression. Zero means
	// DefaultMaxBody.
	MaxBody int64
	// MaxRedirects is how many redirects a fetch follows. Zero means
	// DefaultMaxRedirects; a negative number follows none (a redirect is
	// then a KindTooManyRedirects error).
	MaxRedirects int
}

// Fetcher fetches URLs for users. It is safe for concurrent use; build one
// for the application and share it, so that its connection pool is shared.
type Fetcher struct {
	userAgent    string
	allow        map[string]bool // normalized "host:port"
	resolver     *net.Resolver
	roots        *x509.CertPool
	timeout      time.Duration
	maxBody      int64
	maxRedirects int
	transport    *http.Transport

	// dialTCP connects to an address that has already been checked. Tests
	// replace it to prove what is dialed and that nothing but loopback is.
	dialTCP func(ctx context.Context, network, addr string) (net.Conn, error)
}

// New validates cfg and builds a Fetcher.
func New(cfg Config) (*Fetcher, error) {
	if cfg.UserAgent == "" {
		return nil, errors.New("fetch: UserAgent is required")
	}
	if !httpguts.ValidHeaderFieldValue(cfg.UserAgent) {
		return nil, errors.New("fetch: UserAgent is not a valid header value")
	}
	if cfg.Timeout < 0 || cfg.MaxBody < 0 {
		return nil, errors.New("fetch: Timeout and MaxBody cannot be negative")
	}
	if cfg.Resolver != "" {
		if _, err := hostPort(cfg.Resolver); err != nil {
			return nil, fmt.Errorf("fetch: Resolver: %w", err)
		}
	}
	f := &Fetcher{
		userAgent:    cfg.UserAgent,
		allow:        make(map[string]bool, len(cfg.Allowlist)),
		resolver:     NewResolver(cfg.Resolver),
		roots:        cfg.RootCAs,
		timeout:      orDefault(cfg.Timeout, DefaultTimeout),
		maxBody:      orDefault(cfg.MaxBody, DefaultMaxBody),
		maxRedirects: orDefault(cfg.MaxRedirects, DefaultMaxRedirects),
	}
	for _, pair := range cfg.Allowlist {
		key, err := hostPort(pair)
		if err != nil {
			return nil, fmt.Errorf("fetch: Allowlist: %w", err)
		}
		f.allow[key] = true
	}
	d := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	f.dialTCP = d.DialContext
	f.transport = &http.Transport{
		// No Proxy: a proxy would make the connection for us, past the
		// address check in dial.
		DialContext:    f.dial,
		DialTLSContext: f.dialTLS, // enforces tlsHandshakeTimeout itself
		// Compressed bodies are requested and decoded in readBody, where
		// the decoded size can be capped.
		DisableCompression:     true,
		MaxIdleConns:           maxIdleConns,
		MaxIdleConnsPerHost:    maxIdleConnsPerHost,
		IdleConnTimeout:        idleConnTimeout,
		ResponseHeaderTimeout:  f.timeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
	}
	return f, nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// hostPort normalizes "host:port" for allowlist matching: lower-case name
// without a trailing dot, or canonical IP; decimal port.
func hostPort(pair string) (string, error) {
	host, port, err := net.SplitHostPort(strings.TrimSpace(pair))
	if err != nil || host == "" {
		return "", fmt.Errorf("%q is not host:port", pair)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%q: the port is not a number from 1 to 65535", pair)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		host = ip.Unmap().String()
	} else {
		host = strings.TrimSuffix(strings.ToLower(host), ".")
	}
	return net.JoinHostPort(host, strconv.Itoa(n)), nil
}

// Resolver returns the resolver the fetcher looks names up with, for other
// lookups that must go through the same DNS server (MX records).
func (f *Fetcher) Resolver() *net.Resolver { return f.resolver }

// Close drops idle connections. Fetches still running are not affected.
func (f *Fetcher) Close() { f.transport.CloseIdleConnections() }

// Result is what a fetch found. All URLs in it are without credentials.
type Result struct {
	URL      string // the URL asked for, normalized
	FinalURL string // after redirects
	Status   int
	Header   http.Header // as received: Content-Encoding still says gzip when Body was decoded
	// Body is the response body, decoded from gzip, at most MaxBody bytes.
	Body []byte
	// Truncated says the server had more than MaxBody bytes to send.
	Truncated bool
	// Redirects lists the URLs redirected to, in order; the last one is
	// FinalURL. Empty when there was no redirect.
	Redirects []string
	// HTTPSRedirect says an http:// URL ended up on https://.
	HTTPSRedirect bool
	// TLS describes the connection that served the final response; nil for
	// plain HTTP.
	TLS *TLSInfo
	// TTFB runs from the start of Get to the first byte of the final
	// response, so it includes redirects, like a browser's navigation
	// timing. Total runs to the end of the body.
	TTFB, Total time.Duration
	// Bytes is the body size as received on the wire (compressed, when it
	// was), up to where reading stopped.
	Bytes int64
	// RemoteIP is the checked address the final connection was dialed to.
	RemoteIP string
}

// TLSInfo is the outcome of verifying a server's certificate. A failed
// verification does not stop the fetch; it is reported here.
type TLSInfo struct {
	Valid    bool
	Error    string // why not valid, a short phrase; empty when valid
	NotAfter time.Time
	Issuer   string
	Version  string // "TLS 1.3"
}

// trace collects, for one Get, what only the transport sees.
type trace struct {
	mu    sync.Mutex
	start time.Time
	ttfb  time.Duration
	conn  net.Conn
}

func (t *trace) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		// Both fire once per request, the last time for the final
		// response; readLoop goroutines call the second one.
		GotConn: func(info httptrace.GotConnInfo) {
			t.mu.Lock()
			t.conn = info.Conn
			t.mu.Unlock()
		},
		GotFirstResponseByte: func() {
			t.mu.Lock()
			t.ttfb = time.Since(t.start)
			t.mu.Unlock()
		},
	}
}

// Get fetches rawURL with GET, following redirects. Every error is an
// *Error; on error the Result is nil.
func (f *Fetcher) Get(parent context.Context, rawURL string) (*Result, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	tr := &trace{start: time.Now()}
	ctx, cancel := context.WithTimeout(parent, f.timeout)
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, tr.clientTrace())

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Msg: "not a valid web address", Err: err}
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	// Set by hand so the transport leaves decoding to readBody. The client
	// copies both headers onto every redirect.
	req.Header.Set("Accept-Encoding", "gzip")

	var hops []string
	client := &http.Client{
		Transport: f.transport,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			switch {
			case f.maxRedirects < 0:
				return &Error{Kind: KindTooManyRedirects, Msg: "the site redirects, and redirects are not followed"}
			case len(via) > f.maxRedirects:
				return &Error{Kind: KindTooManyRedirects, Msg: fmt.Sprintf("more than %d redirects", f.maxRedirects)}
			}
			if e := checkURL(next.URL); e != nil {
				return &Error{Kind: e.Kind, Msg: "the site redirected to an unusable address: " + strings.TrimPrefix(e.Msg, "not a web address: ")}
			}
			// Without a cookie jar nothing changes between two requests
			// for the same URL, so a repeat is a loop.
			target := next.URL.String()
			for _, r := range via {
				if r.URL.String() == target {
					return &Error{Kind: KindTooManyRedirects, Msg: "the site redirects in a loop"}
				}
			}
			hops = append(hops, target)
			return nil
		},
	}
	resp, err := client.Do(req)
	if err != nil {
		e := classify(parent, ctx, f.timeout, err)
		if len(hops) > 0 && !strings.Contains(e.Msg, "redirect") {
			// "the site's address is a loopback address" puzzles a user who
			// asked for a public site unless it says how it got there.
			e = &Error{Kind: e.Kind, Msg: e.Msg + " (after a redirect)", Err: e.Err}
		}
		return nil, e
	}
	defer resp.Body.Close()

	res := &Result{
		URL:       u.String(),
		FinalURL:  resp.Request.URL.String(),
		Status:    resp.StatusCode,
		Header:    resp.Header,
		Redirects: hops,
	}
	res.HTTPSRedirect = u.Scheme == "http" && resp.Request.URL.Scheme == "https"
	res.Body, res.Truncated, res.Bytes, err = readBody(resp, f.maxBody)
	if err != nil {
		if fe, ok := errors.AsType[*Error](err); ok {
			return nil, fe
		}
		return nil, classify(parent, ctx, f.timeout, err)
	}
	res.Total = time.Since(tr.start)

	tr.mu.Lock()
	res.TTFB = tr.ttfb
	conn := tr.conn
	tr.mu.Unlock()
	if cc := checkedConnOf(conn); cc != nil {
		res.RemoteIP = cc.ip.String()
		res.TLS = cc.tls
	}
	return res, nil
}
