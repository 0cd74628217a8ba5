package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// parseURL parses a URL given by a user or found in data and normalizes it
// with checkURL.
func parseURL(raw string) (*url.URL, error) {
	// url.Parse's error repeats the whole input, credentials included, so
	// it is never wrapped.
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Msg: "not a valid web address"}
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	return u, nil
}

// checkURL accepts http and https URLs whose host is a DNS name, a canonical
// dotted-quad IPv4 address or a bracketed IPv6 address without a zone, and
// rewrites the host in the form the dialer will see (ASCII, lower case). It
// drops any user:password: a page fetched for analysis needs none, and what
// is not sent cannot leak through a redirect or an error message.

// It is a first line only: the address a name or literal stands for is
// checked when dialing, for the first request and every redirect alike.
func checkURL(u *url.URL) *Error {
	u.User = nil
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	case "":
		return &Error{Kind: KindBadURL, Msg: "not a web address: it has no http:// or https://"}
	default:
		return &Error{Kind: KindBadURL, Msg: fmt.Sprintf("not a web address: the scheme %s is not http or https", strconv.Quote(u.Scheme))}
	}
	if u.Opaque != "" || u.Host == "" {
		return &Error{Kind: KindBadURL, Msg: "not a web address: it has no host"}
	}
	host, port := u.Hostname(), u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return &Error{Kind: KindBadURL, Msg: "not a web address: the port is not a number from 1 to 65535"}
		}
		port = strconv.Itoa(n)
	}
	if strings.HasPrefix(u.Host, "[") {
		ip, err := netip.ParseAddr(host)
		switch {
		case err != nil || !ip.Is6():
			return &Error{Kind: KindBadURL, Msg: "not a web address: the IPv6 address is malformed"}
		case ip.Zone() != "":
			// A zone only makes sense for link-local addresses, which
			// are refused anyway; rejecting it here keeps interface
			// names out of every later step.
			return &Error{Kind: KindBadURL, Msg: "not a web address: IPv6 zone identifiers are not allowed"}
		}
		host = ip.String()
	} else {
		h, err := asciiHost(host)
		if err != nil {
			return err
		}
		host = h
	}
	u.Host = host
	if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	return nil
}

// asciiHost returns a host name in lower-case ASCII, or an error for a name
// that is not one. A canonical dotted quad passes as it is; any other
// numeric-looking host is refused (see looksNumeric).
func asciiHost(host string) (string, *Error) {
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			// Map like a browser would: this is also what turns
			// full-width digits into ASCII ones, so the numeric
			// checks below see the real thing.
			a, err := idna.Lookup.ToASCII(host)
			if err != nil {
				return "", &Error{Kind: KindBadURL, Msg: "not a web address: the host name is not a valid international name"}
			}
			host = a
			break
		}
	}
	host = strings.ToLower(host)
	if ip, err := netip.ParseAddr(host); err == nil && ip.Is4() {
		return host, nil
	}
	if looksNumeric(host) {
		return "", &Error{Kind: KindBadURL, Msg: "not a web address: a numeric host must be written as four decimal numbers (like 192.0.2.1)"}
	}
	name := strings.TrimSuffix(host, ".")
	if name == "" || len(name) > 253 {
		return "", &Error{Kind: KindBadURL, Msg: "not a web address: the host name is malformed"}
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return "", &Error{Kind: KindBadURL, Msg: "not a web address: the host name is malformed"}
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return "", &Error{Kind: KindBadURL, Msg: "not a web address: the host name has characters a host name cannot have"}
			}
		}
	}
	return host, nil
}

// looksNumeric reports whether a host's last label is a number, decimal or
// 0x-hex: the WHATWG URL rule by which browsers, curl and inet_aton read
// "2130706433", "0x7f.1" or "127.1" as IPv4 addresses. No real top-level
// domain is numeric, so refusing them loses nothing and leaves no resolver
// room to read them its own way.
func looksNumeric(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	digits := last
	if len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') {
		digits = last[2:]
		for i := 0; i < len(digits); i++ {
			if !isHex(digits[i]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

type special struct {
	prefix netip.Prefix
	what   string // completes "the site's address is …"
}

// Special-purpose ranges (IANA IPv4/IPv6 special-purpose registries), most
// specific first: the first match names the address in error messages.
var (
	special4 = []special{
		{netip.MustParsePrefix("169.254.169.254/32"), "a cloud metadata address"}, // AWS, GCP, Azure, OCI, …
		{netip.MustParsePrefix("100.100.100.200/32"), "a cloud metadata address"}, // Alibaba Cloud
		{netip.MustParsePrefix("168.63.129.16/32"), "a cloud metadata address"},   // Azure WireServer: public-looking, host-local
		{netip.MustParsePrefix("255.255.255.255/32"), "the broadcast address"},
		{netip.MustParsePrefix("0.0.0.0/8"), "an unspecified address"}, // "this network"; Linux connects 0.0.0.0 to itself
		{netip.MustParsePrefix("10.0.0.0/8"), "a private address"},
		{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address"},
		{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address"},
		{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address"},
		{netip.MustParsePrefix("172.16.0.0/12"), "a private address"},
		{netip.MustParsePrefix("192.0.0.0/24"), "a reserved address"},      // IETF protocol assignments
		{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"}, // TEST-NET-1
		{netip.MustParsePrefix("192.88.99.0/24"), "a reserved address"},    // 6to4 relay anycast
		{netip.MustParsePrefix("192.168.0.0/16"), "a private address"},
		{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
		{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"}, // TEST-NET-2
		{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},  // TEST-NET-3
		{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
		{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	}
	special6 = []special{
		{netip.MustParsePrefix("fd00:ec2::254/128"), "a cloud metadata address"}, // AWS
		{netip.MustParsePrefix("fd20:ce::254/128"), "a cloud metadata address"},  // GCP
		{netip.MustParsePrefix("::/128"), "an unspecified address"},
		{netip.MustParsePrefix("::1/128"), "a loopback address"},
		{netip.MustParsePrefix("64:ff9b:1::/48"), "a private address"}, // local-use NAT64
		{netip.MustParsePrefix("fc00::/7"), "a private address"},       // unique local
		{netip.MustParsePrefix("fe80::/10"), "a link-local address"},
		{netip.MustParsePrefix("fec0::/10"), "a private address"}, // deprecated site-local
		{netip.MustParsePrefix("ff00::/8"), "a multicast address"},
		{netip.MustParsePrefix("2001:2::/48"), "a benchmarking address"},
		{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
		{netip.MustParsePrefix("3fff::/20"), "a documentation address"},
		{netip.MustParsePrefix("2001::/23"), "a reserved address"}, // Teredo, ORCHID, …: its IPv4 is hidden
		{netip.MustParsePrefix("2002::/16"), "a reserved address"}, // 6to4: an IPv4 address in disguise
	}
	// Prefixes whose last 32 bits are an IPv4 address the packet ends up at.
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	translate = netip.MustParsePrefix("::ffff:0:0:0/96") // SIIT "IPv4-translated"
	global6   = netip.MustParsePrefix("2000::/3")
)

// blockedAs returns what kind of non-public address ip is, e.g. "a private
// address", or "" when it is an ordinary public unicast address that the
// fetcher may connect to.
func blockedAs(ip netip.Addr) string {
	if !ip.IsValid() {
		return "an invalid address"
	}
	if ip.Zone() != "" {
		return "a scoped IPv6 address"
	}
	if ip.Is4In6() {
		return blockedAs(ip.Unmap())
	}
	if ip.Is6() {
		if nat64.Contains(ip) || translate.Contains(ip) {
			b := ip.As16()
			return blockedAs(netip.AddrFrom4([4]byte(b[12:])))
		}
		for _, s := range special6 {
			if s.prefix.Contains(ip) {
				return s.what
			}
		}
		if !global6.Contains(ip) {
			// Outside 2000::/3 nothing is allocated for the public
			// Internet (IPv4-compatible ::/96 and 100::/64 included).
			return "a reserved address"
		}
		return ""
	}
	for _, s := range special4 {
		if s.prefix.Contains(ip) {
			return s.what
		}
	}
	return ""
}
