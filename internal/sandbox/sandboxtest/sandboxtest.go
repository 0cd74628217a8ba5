// Package sandboxtest starts sandboxes and talks to their fakes, for the
// tests of the sandbox, of each fake and of the clients run against them.
package sandboxtest

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
)

// Agent is an identifying User-Agent, which OpenStreetMap's fakes require.
const Agent = "ProspectorTest/1.0 (+https://prospector.test)"

// Start starts a sandbox that is closed, and its Close error reported, when
// the test ends.
func Start(t *testing.T, o sandbox.Options) *sandbox.Sandbox {
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

// Answer is a fake's answer, read whole.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the answer as a JSON object, failing the test when it is
// not one.
func (a Answer) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.Body, &m); err != nil {
		t.Fatalf("body %q: %v", a.Body, err)
	}
	return m
}

// Do sends one request and reads the answer, reporting an answer without
// the sandbox's X-Sandbox label as an error.
func Do(t *testing.T, method, target string, header map[string]string, body string) Answer {
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
	return Answer{resp.StatusCode, resp.Header, b}
}

// GoogleHeaders are the headers of a Text Search request with the
// sandbox's key and field mask (none when mask is "").
func GoogleHeaders(sb *sandbox.Sandbox, mask string) map[string]string {
	h := map[string]string{"Content-Type": "application/json", "X-Goog-Api-Key": sb.GoogleAPIKey, "User-Agent": Agent}
	if mask != "" {
		h["X-Goog-FieldMask"] = mask
	}
	return h
}

// Resolver is a resolver asking only the sandbox's DNS server, over
// network ("udp", "tcp", or "" for the resolver's choice).
func Resolver(sb *sandbox.Sandbox, network string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, n, _ string) (net.Conn, error) {
		if network != "" {
			n = network
		}
		var d net.Dialer
		return d.DialContext(ctx, n, sb.DNSAddr)
	}}
}

// FindSite returns the first business of the town with a website that
// matches, failing the test when there is none.
func FindSite(t *testing.T, town *sandbox.Town, match func(*sandbox.Business) bool) *sandbox.Business {
	t.Helper()
	for i := range town.Businesses {
		if b := &town.Businesses[i]; b.Site != nil && match(b) {
			return b
		}
	}
	t.Fatal("no such business in the town")
	return nil
}

// Port is the port of a "host:port" address.
func Port(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}
