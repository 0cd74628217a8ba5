package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want string // part of the error; "" means valid
	}{
		{"minimal", Config{UserAgent: testUA}, ""},
		{"everything", Config{UserAgent: testUA, Allowlist: []string{"127.0.0.1:8080", "[::1]:80", "Sandbox.test:443"},
			Resolver: "127.0.0.1:53", Timeout: time.Second, MaxBody: 10, MaxRedirects: -1}, ""},
		{"no user agent", Config{}, "UserAgent is required"},
		{"header injection", Config{UserAgent: "Prospector\r\nX-Evil: 1"}, "UserAgent"},
		{"allowlist without port", Config{UserAgent: testUA, Allowlist: []string{"127.0.0.1"}}, "Allowlist"},
		{"allowlist bad port", Config{UserAgent: testUA, Allowlist: []string{"127.0.0.1:http"}}, "Allowlist"},
		{"allowlist empty host", Config{UserAgent: testUA, Allowlist: []string{":80"}}, "Allowlist"},
		{"resolver without port", Config{UserAgent: testUA, Resolver: "8.8.8.8"}, "Resolver"},
		{"negative timeout", Config{UserAgent: testUA, Timeout: -time.Second}, "negative"},
		{"negative body cap", Config{UserAgent: testUA, MaxBody: -1}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := New(tt.cfg)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("New: error %v, want one about %q", err, tt.want)
			}
			if f != nil {
				f.Close()
			}
		})
	}

	f, err := New(Config{UserAgent: testUA})
	if err != nil {
		t.Fatal(err)
	}
	if f.timeout != DefaultTimeout || f.maxBody != DefaultMaxBody || f.maxRedirects != DefaultMaxRedirects {
		t.Errorf("defaults: timeout %s, max body %d, max redirects %d", f.timeout, f.maxBody, f.maxRedirects)
	}
	if f.Resolver() == nil {
		t.Error("Resolver() is nil")
	}
}

func TestResult(t *testing.T) {
	t.Parallel()
	var (
		mu  sync.Mutex
		got http.Header
	)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, "/home", http.StatusFound)
			return
		}
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("X-Powered-By", "PHP/5.6")
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprint(w, "<html>home</html>")
	}))
	dns := startDNS(t, zone{"shop.test": {{"127.0.0.1"}}})
	f, _ := newFetcher(t, Config{Resolver: dns.addr, Allowlist: []string{srv.addr()}})
	url := "http://Shop.Test:" + srv.port()
	res := mustGet(t, f, url)

	base := "http://shop.test:" + srv.port()
	want := Result{
		URL: base, FinalURL: base + "/home", Status: http.StatusTeapot, Body: []byte("<html>home</html>"),
		Redirects: []string{base + "/home"}, RemoteIP: "127.0.0.1", Bytes: int64(len("<html>home</html>")),
	}
	if res.URL != want.URL || res.FinalURL != want.FinalURL || res.Status != want.Status ||
		string(res.Body) != string(want.Body) || fmt.Sprint(res.Redirects) != fmt.Sprint(want.Redirects) ||
		res.RemoteIP != want.RemoteIP || res.Bytes != want.Bytes || res.Truncated || res.TLS != nil || res.HTTPSRedirect {
		t.Errorf("result\n%+v\nwant\n%+v", *res, want)
	}
	if res.Header.Get("X-Powered-By") != "PHP/5.6" {
		t.Errorf("response headers %v lack X-Powered-By", res.Header)
	}
	mu.Lock()
	defer mu.Unlock()
	if got.Get("User-Agent") != testUA || got.Get("Accept-Encoding") != "gzip" {
		t.Errorf("request headers %v", got)
	}
}

func TestReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
		kind Kind
	}{
		{nil, "", KindUnknown},
		{&Error{Kind: KindBlocked, Msg: "refused: the site's address is a private address"},
			"Refused: the site's address is a private address", KindBlocked},
		{fmt.Errorf("enrich: %w", &Error{Kind: KindDNS, Msg: "no such host: x.test"}), "No such host: x.test", KindDNS},
		{context.Canceled, "The fetch was canceled", KindCanceled},
		{errors.New("boom"), "The page could not be fetched", KindUnknown},
	}
	for _, tt := range tests {
		if got := Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
		if got := KindOf(tt.err); got != tt.kind {
			t.Errorf("KindOf(%v) = %s, want %s", tt.err, got, tt.kind)
		}
	}
	for k := KindUnknown; k <= KindCanceled; k++ {
		if strings.HasPrefix(k.String(), "kind(") {
			t.Errorf("Kind %d has no name", k)
		}
	}
}
