package fetch

import (
	"context"
	"net"
	"net/netip"
)

// BlockedAs says what kind of non-public address ip is ("a private
// address", "a loopback address", …), or "" for an ordinary public unicast
// address. It is the fetcher's own rule, exported for the other places we
// connect to on a user's behalf (mail servers), so there is one list of what
// is refused.
func BlockedAs(ip netip.Addr) string { return blockedAs(ip) }

// DialContext opens a TCP connection to addr under the fetcher's address
// rule (every resolved address allowed, or the pair allowlisted), for the
// other protocols we speak on a user's behalf: the mail package dials a
// mailbox's SMTP and IMAP servers through it.
func (f *Fetcher) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f.dial(ctx, network, addr)
}
