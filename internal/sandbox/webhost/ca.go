package webhost

import (
	"crypto/tls"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/ca"
)

// certAuthority is the web host's own CA (package ca), generated in memory
// by New, and the certificates it issued, one per site name, made on
// demand. Nothing outside the process trusts it unless given CACertPEM,
// CertPool or the file WriteCA writes.
type certAuthority struct {
	*ca.Authority

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// Certificate names the web host presents when it has no certificate of
// the site's own: for unknown names, and for the broken-TLS sites whose
// certificate is "for another name".
const (
	defaultCertName   = "web-host.sandbox.example"
	wrongNameCertName = "secure.sandbox-hosting.example"
)

func newCertAuthority(now time.Time) (*certAuthority, error) {
	a, err := ca.New("Prospector Sandbox CA (fictional)", now.Add(-2*365*24*time.Hour), now.Add(10*365*24*time.Hour))
	if err != nil {
		return nil, err
	}
	return &certAuthority{Authority: a, leaves: map[string]*tls.Certificate{}}, nil
}

// issue returns the certificate cached under id, issuing it for names and
// the validity window when it does not exist yet.
func (c *certAuthority) issue(id string, names []string, notBefore, notAfter time.Time) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cert, ok := c.leaves[id]; ok {
		return cert, nil
	}
	cert, err := c.Issue(names, notBefore, notAfter)
	if err != nil {
		return nil, err
	}
	if len(c.leaves) >= 20000 {
		clear(c.leaves) // a long demo touches far fewer sites
	}
	c.leaves[id] = &cert
	return &cert, nil
}
