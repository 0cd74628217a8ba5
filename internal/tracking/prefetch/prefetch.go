// Package prefetch tells a fetch of a tracking link made by a machine (a
// mail provider's image proxy, a privacy relay, a security scanner) from
// one a person made, from what the request says of itself. An open or a
// click a machine made is still recorded, marked machine, but is not
// counted as the recipient's.
//
// What is matched, and why:
//
//   - Gmail: the User-Agent holds "GoogleImageProxy" (Gmail fetches every
//     image through ggpht.com, "… (via ggpht.com GoogleImageProxy)"),
//     often before the recipient looks.
//   - Yahoo and AOL: "YahooMailProxy" (Yahoo's image cache fetches on
//     arrival).
//   - Apple Mail Privacy Protection: the prefetch sends the bare
//     User-Agent "Mozilla/5.0" and nothing else, which no browser or mail
//     client sends, and it comes from Apple's network, 17.0.0.0/8: either
//     is enough.
//   - Outlook (desktop and Outlook.com) and most other clients load images
//     from the reader's own device when the message is shown: a real open,
//     nothing to match. Microsoft's Safe Links, Mimecast, Proofpoint and
//     Barracuda scan links as mail arrives: their User-Agents are matched
//     by name where they give one, and the send stage's 60-second rule
//     catches those that pass as browsers.
//   - Anything that names itself a bot, crawler, spider or link preview,
//     command-line and library clients (curl, Wget, python-requests,
//     Go-http-client, okhttp, Java), an empty User-Agent, and HEAD
//     requests (scanners check links with HEAD; people's browsers GET).
package prefetch

import (
	"net/netip"
	"strings"
)

// Request is what a tracking link's request says of whoever made it.
type Request struct {
	UserAgent string
	// Addr is the client's address as the server vouches for it; the zero
	// value when unknown.
	Addr netip.Addr
	// Head is true for a HEAD request.
	Head bool
}

// appleNetwork is Apple's own address block, where Mail Privacy
// Protection's relays fetch from.
var appleNetwork = netip.MustParsePrefix("17.0.0.0/8")

// byName are User-Agent fragments (lower case) of machines, with the name
// recorded for them.
var byName = []struct{ fragment, name string }{
	{"googleimageproxy", "Gmail image proxy"},
	{"yahoomailproxy", "Yahoo Mail image proxy"},
	{"safelinks", "Microsoft Safe Links"},
	{"mimecast", "Mimecast link scanner"},
	{"proofpoint", "Proofpoint link scanner"},
	{"barracuda", "Barracuda link scanner"},
	{"bot", "a bot"},
	{"crawler", "a crawler"},
	{"spider", "a crawler"},
	{"preview", "a link preview"},
	{"curl/", "a command-line client"},
	{"wget/", "a command-line client"},
	{"python-requests", "a script"},
	{"python-urllib", "a script"},
	{"go-http-client", "a script"},
	{"okhttp", "a script"},
	{"java/", "a script"},
}

// Machine reports whether r was made by a machine, and by which kind (a
// short phrase without anything of the request itself, fit for the
// event's detail).
func Machine(r Request) (string, bool) {
	ua := strings.TrimSpace(r.UserAgent)
	switch {
	case r.Head:
		return "a HEAD request (a link checker)", true
	case ua == "":
		return "no User-Agent", true
	case ua == "Mozilla/5.0":
		return "Apple Mail Privacy Protection", true
	case r.Addr.IsValid() && appleNetwork.Contains(r.Addr.Unmap()):
		return "Apple Mail Privacy Protection", true
	}
	lower := strings.ToLower(ua)
	for _, b := range byName {
		if strings.Contains(lower, b.fragment) {
			return b.name, true
		}
	}
	return "", false
}
