package verify

import (
	"fmt"
	"net/netip"
	"syscall"
)

// Ranges that IsGlobalUnicast and IsPrivate let through but that are
// internal all the same.
var internalRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network" (RFC 791)
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT (RFC 6598)
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking (RFC 2544)
}

// refuseInternal is the default probe dialer's check, run on the address
// about to be connected to (after resolution, so no second lookup can
// answer differently). Mail hosts come from a stranger's DNS: a domain
// whose MX names 127.0.0.1, 10.0.0.5 or the cloud metadata address would
// otherwise point our probe into our own network. Only public unicast
// addresses are allowed.
func refuseInternal(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("verify: refusing to dial %q: not an IP address", address)
	}
	ip := ap.Addr().Unmap()
	internal := !ip.IsGlobalUnicast() || ip.IsPrivate()
	for _, p := range internalRanges {
		internal = internal || p.Contains(ip)
	}
	if internal {
		return fmt.Errorf("verify: refusing to dial internal address %s", ip)
	}
	return nil
}
