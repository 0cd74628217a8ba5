package prefetch_test

import (
	"net/netip"
	"testing"

	"github.com/prospectorhq/prospector/internal/tracking/prefetch"
)

func TestMachine(t *testing.T) {
	const (
		chrome  = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
		outlook = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)"
		iphone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
	)
	home := netip.MustParseAddr("203.0.113.7")
	for _, tc := range []struct {
		name    string
		r       prefetch.Request
		machine bool
		who     string
	}{
		{"a browser", prefetch.Request{UserAgent: chrome, Addr: home}, false, ""},
		{"Outlook desktop", prefetch.Request{UserAgent: outlook, Addr: home}, false, ""},
		{"iPhone Mail without privacy protection", prefetch.Request{UserAgent: iphone, Addr: home}, false, ""},
		{"an unknown address", prefetch.Request{UserAgent: chrome}, false, ""},
		{"Gmail", prefetch.Request{UserAgent: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"}, true, "Gmail image proxy"},
		{"Yahoo", prefetch.Request{UserAgent: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"}, true, "Yahoo Mail image proxy"},
		{"Apple MPP by its User-Agent", prefetch.Request{UserAgent: "Mozilla/5.0", Addr: home}, true, "Apple Mail Privacy Protection"},
		{"Apple MPP by its network", prefetch.Request{UserAgent: iphone, Addr: netip.MustParseAddr("17.58.101.3")}, true, "Apple Mail Privacy Protection"},
		{"Apple's network as IPv4-mapped IPv6", prefetch.Request{UserAgent: iphone, Addr: netip.MustParseAddr("::ffff:17.1.2.3")}, true, "Apple Mail Privacy Protection"},
		{"a scanner's HEAD", prefetch.Request{UserAgent: chrome, Addr: home, Head: true}, true, "a HEAD request (a link checker)"},
		{"no User-Agent", prefetch.Request{Addr: home}, true, "no User-Agent"},
		{"a bot", prefetch.Request{UserAgent: "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"}, true, "a bot"},
		{"a link preview", prefetch.Request{UserAgent: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"}, true, "a bot"},
		{"curl", prefetch.Request{UserAgent: "curl/8.5.0"}, true, "a command-line client"},
		{"Go's client", prefetch.Request{UserAgent: "Go-http-client/1.1"}, true, "a script"},
		{"Mimecast", prefetch.Request{UserAgent: "Mozilla/5.0 (compatible; Mimecast URL Protect)"}, true, "Mimecast link scanner"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			who, machine := prefetch.Machine(tc.r)
			if machine != tc.machine || who != tc.who {
				t.Errorf("Machine(%+v) = %q, %v; want %q, %v", tc.r, who, machine, tc.who, tc.machine)
			}
		})
	}
}
