package fetch

import (
	"net/netip"
	"testing"
)

func TestBlockedAs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ip   string
		want string // "" means public: may be dialed
	}{
		{"127.0.0.1", "a loopback address"},
		{"127.255.255.254", "a loopback address"},
		{"::1", "a loopback address"},
		{"::ffff:127.0.0.1", "a loopback address"},
		{"::ffff:0:127.0.0.1", "a loopback address"},
		{"0.0.0.0", "an unspecified address"},
		{"0.1.2.3", "an unspecified address"},
		{"::", "an unspecified address"},
		{"10.0.0.1", "a private address"},
		{"172.16.0.1", "a private address"},
		{"172.31.255.255", "a private address"},
		{"192.168.0.1", "a private address"},
		{"fc00::1", "a private address"},
		{"fd12:3456::1", "a private address"},
		{"fec0::1", "a private address"},
		{"64:ff9b:1::1", "a private address"},
		{"64:ff9b::10.0.0.1", "a private address"},
		{"64:ff9b::127.0.0.1", "a loopback address"},
		{"169.254.0.1", "a link-local address"},
		{"fe80::1", "a link-local address"},
		{"fe80::1%eth0", "a scoped IPv6 address"},
		{"100.64.0.1", "a carrier-grade NAT address"},
		{"100.127.255.255", "a carrier-grade NAT address"},
		{"224.0.0.1", "a multicast address"},
		{"239.255.255.250", "a multicast address"},
		{"ff02::1", "a multicast address"},
		{"255.255.255.255", "the broadcast address"},
		{"240.0.0.1", "a reserved address"},
		{"192.0.0.8", "a reserved address"},
		{"192.88.99.1", "a reserved address"},
		{"::127.0.0.1", "a reserved address"},
		{"100::1", "a reserved address"},
		{"2001::1", "a reserved address"},
		{"2002:7f00:1::1", "a reserved address"},
		{"5f00::1", "a reserved address"},
		{"192.0.2.1", "a documentation address"},
		{"198.51.100.1", "a documentation address"},
		{"203.0.113.1", "a documentation address"},
		{"2001:db8::1", "a documentation address"},
		{"3fff::1", "a documentation address"},
		{"198.18.0.1", "a benchmarking address"},
		{"198.19.255.255", "a benchmarking address"},
		{"2001:2::1", "a benchmarking address"},
		{"169.254.169.254", "a cloud metadata address"},
		{"::ffff:169.254.169.254", "a cloud metadata address"},
		{"64:ff9b::169.254.169.254", "a cloud metadata address"},
		{"100.100.100.200", "a cloud metadata address"},
		{"168.63.129.16", "a cloud metadata address"},
		{"fd00:ec2::254", "a cloud metadata address"},
		{"fd20:ce::254", "a cloud metadata address"},
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"100.63.255.255", ""},
		{"100.128.0.0", ""},
		{"172.15.255.255", ""},
		{"172.32.0.0", ""},
		{"169.253.255.255", ""},
		{"198.20.0.0", ""},
		{"223.255.255.255", ""},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::8.8.8.8", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4001::200e", ""},
		{"2001:200::1", ""},
	}
	for _, tt := range tests {
		if got := blockedAs(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("blockedAs(%s) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // normalized URL; "" means refused
	}{
		{"http://example.com/", "http://example.com/"},
		{"  HTTPS://Example.COM:443/a?b=c#d ", "https://example.com:443/a?b=c#d"},
		{"http://example.com:0080/", "http://example.com:80/"},
		{"http://user:pass@example.com/", "http://example.com/"},
		{"http://example.com./", "http://example.com./"},
		{"http://my_site.example.com/", "http://my_site.example.com/"},
		{"http://bücher.example/", "http://xn--bcher-kva.example/"},
		{"http://93.184.215.14/", "http://93.184.215.14/"},
		{"http://[2606:4700:0:0:0:0:0:1111]:8080/", "http://[2606:4700::1111]:8080/"},
		{"http://[::ffff:127.0.0.1]/", "http://[::ffff:127.0.0.1]/"},
		{"http://１２７.０.０.１/", "http://127.0.0.1/"},
		{"http://2130706433/", ""},
		{"http://0x7f000001/", ""},
		{"http://0X7F.1/", ""},
		{"http://0177.0.0.1/", ""},
		{"http://127.000.000.001/", ""},
		{"http://127.1/", ""},
		{"http://127.0.1/", ""},
		{"http://1.2.3.4.5/", ""},
		{"http://127.0.0.1./", ""},
		{"http://example.0x/", ""},
		{"http://example.123/", ""},
		{"http://[fe80::1%25eth0]/", ""},
		{"http://[127.0.0.1]/", ""},
		{"http://exa mple.com/", ""},
		{"http://a..b/", ""},
		{"ws://example.com/", ""},
		{"mailto:someone@example.com", ""},
		{"data:text/html,hi", ""},
		{"http://example.com:65536/", ""},
	}
	for _, tt := range tests {
		u, err := parseURL(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("parseURL(%q) = %s, want refused", tt.in, u)
		case tt.want != "" && err != nil:
			t.Errorf("parseURL(%q): %v", tt.in, err)
		case tt.want != "" && u.String() != tt.want:
			t.Errorf("parseURL(%q) = %s, want %s", tt.in, u, tt.want)
		}
	}
}
