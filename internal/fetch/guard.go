package fetch

import "net/netip"

// BlockedAs says what kind of non-public address ip is ("a private
// address", "a loopback address", …), or "" for an ordinary public unicast
// address. It is the fetcher's own rule, exported for the other places we
// connect to on a user's behalf (mail servers), so there is one list of what
// is refused.
func BlockedAs(ip netip.Addr) string { return blockedAs(ip) }
