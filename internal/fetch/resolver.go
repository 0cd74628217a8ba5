package fetch

import (
	"context"
	"net"
	"time"
)

// NewResolver returns a resolver that sends every query to the DNS server at
// addr ("host:port", the DNS_RESOLVER setting), or the system resolver when
// addr is empty. The email verifier uses it for MX lookups so that they go
// where website lookups go.
func NewResolver(addr string) *net.Resolver {
	if addr == "" {
		return &net.Resolver{}
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	return &net.Resolver{
		// Only Go's own resolver calls Dial; the cgo one would ask the
		// system's servers instead.
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			// network is "udp", or "tcp" when an answer was too big.
			return d.DialContext(ctx, network, addr)
		},
	}
}
