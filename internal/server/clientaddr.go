package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address of whoever sent r, as far as the server can
// vouch for it: the key for login and signup throttling.
//
// A peer that is not a trusted proxy is the client, whatever X-Forwarded-For
// it sends. A trusted proxy's request is traced back through
// X-Forwarded-For (every header line, in order, each a comma-separated
// list): from the right, since each proxy appends the address it received
// from, and only the entries our own proxies wrote can be believed. The
// first entry not in a trusted range is the client; the leftmost entries
// are whatever the client chose to send and are never read past it.
//
// The walk stops at an entry that is not an address, and the last trusted
// hop before it is the answer. The safe rule: anything left of a malformed
// entry was written by something we cannot vouch for, so the walk takes the
// nearest address we can, which groups such clients under their proxy's
// address (throttled together) rather than letting one choose its key. A
// chain whose entries are all trusted answers its leftmost.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok {
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			return host
		}
		return r.RemoteAddr
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := forwardedFor(r.Header)
	last := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		if !isTrusted(hop, trusted) {
			return hop.String()
		}
		last = hop
	}
	return last.String()
}

// forwardedFor lists the X-Forwarded-For entries of every header line, in
// the order the lines arrived.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, line := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(line, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// parseHop reads an address as a connection or a proxy gives it: bare
// (192.0.2.1, 2001:db8::1) or with a port (192.0.2.1:443, [2001:db8::1]:443).
// IPv4 addresses written as IPv6 are taken as IPv4, and zones are dropped,
// so one client has one key.
func parseHop(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
