package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// parseTrustedProxies reads TRUSTED_PROXIES: comma-separated CIDR ranges of
// the reverse proxies in front of the server, a bare address meaning just
// itself (/32 or /128). Blank trusts none, so X-Forwarded-For is ignored.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		p, err := parseProxy(item)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not an IP address or CIDR range (e.g. 10.0.0.0/8, 192.0.2.7, fd00::/8)", truncate(item, 60))
		}
		out = append(out, p)
	}
	return out, nil
}

func parseProxy(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		// 10.1.2.3/8 means the range it lies in, as every CIDR reader takes it.
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("zoned address %q", s)
	}
	// An IPv4 address written as IPv6 (::ffff:192.0.2.7) is the IPv4 one:
	// the server compares peers in that form.
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}
