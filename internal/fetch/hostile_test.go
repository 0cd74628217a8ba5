package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// binaryData returns n bytes that look random and are the same every run.
func binaryData(n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	sum := sha256.Sum256([]byte("seed"))
	for len(out) < n {
		out = append(out, sum[:]...)
		sum = sha256.Sum256(sum[:])
	}
	return out[:n]
}

// writeN writes n bytes of b in chunks, giving up when the client hangs up.
func writeN(w io.Writer, n int, b byte) {
	chunk := bytes.Repeat([]byte{b}, 32<<10)
	for n > 0 {
		c := chunk[:min(n, len(chunk))]
		if _, err := w.Write(c); err != nil {
			return
		}
		n -= len(c)
	}
}

func TestHostileBodies(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	page := []byte(strings.Repeat("<p>Plumbing in Austin since 1987.</p>\n", 200))
	pageGz := gzipped(t, page)
	bomb := gzipped(t, make([]byte, 10*mib))
	emptyMember := gzipped(t, nil)
	binary := binaryData(64 << 10)

	routes := map[string]http.HandlerFunc{
		"/huge": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			writeN(w, 20*mib, 'a')
		},
		"/huge-with-length": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(20*mib))
			writeN(w, 20*mib, 'a')
		},
		"/exact": func(w http.ResponseWriter, r *http.Request) { writeN(w, DefaultMaxBody, 'b') },
		"/binary": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(binary)
		},
		"/gzip": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(pageGz)
		},
		"/bomb": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		},
		// A stream of empty gzip members decodes to nothing, forever.
		"/empty-members": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			for range 4 * mib / len(emptyMember) {
				if _, err := w.Write(emptyMember); err != nil {
					return
				}
			}
		},
		"/not-gzip": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(page)
		},
		"/gzip-cut": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(pageGz[:len(pageGz)/2])
		},
		"/gzip-bad-checksum": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			bad := bytes.Clone(pageGz)
			bad[len(bad)-5] ^= 0xff
			w.Write(bad)
		},
		"/gzip-empty": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusNoContent)
		},
		"/brotli": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "br")
			w.Write(binary[:100])
		},
		"/short": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.Write(page[:10])
		},
		"/not-found": func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
	}
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := routes[r.URL.Path]; ok {
			h(w, r)
		}
	}))
	f, _ := newFetcher(t, Config{Allowlist: []string{srv.addr()}})

	tests := []struct {
		path      string
		kind      Kind   // KindUnknown: success
		body      []byte // expected body, when not nil
		len       int
		truncated bool
		status    int
	}{
		{path: "/huge", len: DefaultMaxBody, truncated: true},
		{path: "/huge-with-length", len: DefaultMaxBody, truncated: true},
		{path: "/exact", len: DefaultMaxBody},
		{path: "/binary", body: binary, len: len(binary)},
		{path: "/gzip", body: page, len: len(page)},
		{path: "/bomb", body: make([]byte, DefaultMaxBody), len: DefaultMaxBody, truncated: true},
		{path: "/empty-members", len: 0, truncated: true},
		{path: "/not-gzip", kind: KindProtocol},
		{path: "/gzip-cut", kind: KindProtocol},
		{path: "/gzip-bad-checksum", kind: KindProtocol},
		{path: "/gzip-empty", len: 0, status: http.StatusNoContent},
		{path: "/brotli", body: binary[:100], len: 100},
		{path: "/short", kind: KindNetwork},
		{path: "/not-found", len: len("404 page not found\n"), status: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			res, err := f.Get(t.Context(), "http://"+srv.addr()+tt.path)
			if tt.kind != KindUnknown {
				wantErr(t, res, err, tt.kind)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Body) != tt.len || res.Truncated != tt.truncated {
				t.Errorf("%d bytes, truncated %v; want %d, %v", len(res.Body), res.Truncated, tt.len, tt.truncated)
			}
			if tt.body != nil && !bytes.Equal(res.Body, tt.body) {
				t.Error("body differs from what was served")
			}
			if want := max(tt.status, http.StatusOK); res.Status != want {
				t.Errorf("status %d, want %d", res.Status, want)
			}
			if res.Bytes > DefaultMaxBody+1 {
				t.Errorf("read %d bytes off the wire, more than the cap", res.Bytes)
			}
			if cap(res.Body) > DefaultMaxBody {
				t.Errorf("body buffer grew to %d bytes, past the cap", cap(res.Body))
			}
		})
	}

	t.Run("compressed size is what was received", func(t *testing.T) {
		t.Parallel()
		res := mustGet(t, f, "http://"+srv.addr()+"/gzip")
		if res.Bytes != int64(len(pageGz)) {
			t.Errorf("Bytes = %d, want the %d compressed bytes", res.Bytes, len(pageGz))
		}
	})
	t.Run("configured cap", func(t *testing.T) {
		t.Parallel()
		small, _ := newFetcher(t, Config{Allowlist: []string{srv.addr()}, MaxBody: 1000})
		for _, path := range []string{"/huge", "/bomb"} {
			res := mustGet(t, small, "http://"+srv.addr()+path)
			if len(res.Body) != 1000 || !res.Truncated {
				t.Errorf("%s: %d bytes, truncated %v; want 1000, true", path, len(res.Body), res.Truncated)
			}
		}
	})
}

// listen returns a loopback listener that fn serves, one connection at a time.
func listen(t *testing.T, fn func(net.Conn)) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fn(c)
			c.Close()
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return ln
}

func TestNetworkFailures(t *testing.T) {
	t.Parallel()
	// A port nothing listens on: bind one, then let it go.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := ln.Addr().String()
	ln.Close()

	garbage := listen(t, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Read(make([]byte, 4096))
		c.Write([]byte("\x00\x01\x02 this is not HTTP\r\n\r\n"))
	})
	hangup := listen(t, func(c net.Conn) {})
	hugeHeaders := listen(t, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Read(make([]byte, 4096))
		c.Write([]byte("HTTP/1.1 200 OK\r\nX-Filler: "))
		writeN(c, 1<<20, 'f')
	})

	// Slow handlers wait for the client to give up, or for the end of the
	// test, whichever comes first.
	release := make(chan struct{})
	slow := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Write([]byte("<html>"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // runs before slow is closed

	allow := []string{closedAddr, garbage.Addr().String(), hangup.Addr().String(), hugeHeaders.Addr().String(), slow.addr()}
	f, _ := newFetcher(t, Config{Allowlist: allow, Timeout: 300 * time.Millisecond})
	canceled, cancel := context.WithCancel(t.Context())
	cancel()

	tests := []struct {
		name string
		ctx  context.Context
		url  string
		kind Kind
		msg  string
	}{
		{"connection refused", t.Context(), "http://" + closedAddr + "/", KindRefused, "refused the connection"},
		{"not http", t.Context(), "http://" + garbage.Addr().String() + "/", KindProtocol, ""},
		{"hangs up", t.Context(), "http://" + hangup.Addr().String() + "/", KindNetwork, "closed the connection"},
		{"endless header", t.Context(), "http://" + hugeHeaders.Addr().String() + "/", KindProtocol, "not valid HTTP"},
		{"slow headers", t.Context(), slow.URL + "/slow-headers", KindTimeout, ""},
		{"slow body", t.Context(), slow.URL + "/slow-body", KindTimeout, ""},
		{"canceled by the caller", canceled, slow.URL + "/", KindCanceled, "canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := f.Get(tt.ctx, tt.url)
			wantErr(t, res, err, tt.kind, tt.msg)
		})
	}
}

func TestConcurrentFetches(t *testing.T) {
	t.Parallel()
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			writeN(w, 3<<20, 'x')
			return
		}
		fmt.Fprint(w, r.URL.Path)
	}))
	f, _ := newFetcher(t, Config{Allowlist: []string{srv.addr()}})
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			path := fmt.Sprintf("/page/%d", i)
			if i%4 == 0 {
				path = "/big"
			}
			res, err := f.Get(t.Context(), "http://"+srv.addr()+path)
			switch {
			case err != nil:
				t.Errorf("%s: %v", path, err)
			case path == "/big" && !res.Truncated:
				t.Errorf("%s: not truncated", path)
			case path != "/big" && string(res.Body) != path:
				t.Errorf("%s: body %q", path, res.Body)
			}
		})
	}
	wg.Wait()
}
