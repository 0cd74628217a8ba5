package smtp

import (
	"crypto/tls"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/ca"
)

// authority is the server's own CA (package ca) and the one certificate it
// issued, made in memory at Start: nothing trusts it but the clients given
// CACertPEM or CertPool, which is what lets tests check real verification
// (a client without the pool fails; one dialing another name fails).
type authority struct {
	*ca.Authority
	leaf tls.Certificate
}

func newAuthority(names []string, now time.Time) (*authority, error) {
	a, err := ca.New("Prospector Sandbox SMTP CA (fictional)", now.Add(-time.Hour), now.Add(5*365*24*time.Hour))
	if err != nil {
		return nil, err
	}
	leaf, err := a.Issue(names, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	if err != nil {
		return nil, err
	}
	return &authority{Authority: a, leaf: leaf}, nil
}
