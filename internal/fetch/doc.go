// Package fetch is the one way Prospector fetches a URL on a user's behalf
// (business websites during enrichment). Every such URL comes from outside —
// a places API, a CSV upload, a redirect chosen by a stranger's server — so
// the fetcher treats it as hostile: it refuses addresses inside our own
// network (loopback, private, link-local, CGNAT, cloud metadata and the other
// special-purpose ranges, in their IPv4, IPv6 and IPv4-in-IPv6 forms), checks
// every redirect hop the same way, and bounds time, size and decompression.
//
// The address check happens where the connection is made: the host is
// resolved once, every answer is checked, and the dialer connects to the
// checked IP itself. There is no second lookup for a DNS-rebinding server to
// answer differently. Hosts that look numeric but are not a canonical dotted
// quad ("2130706433", "0x7f000001", "0177.0.0.1", "127.1") are refused before
// that, so no resolver gets to interpret them in its own way.
//
// A broken TLS certificate does not stop a fetch: a site with an expired or
// mismatched certificate is itself a sales finding. The certificate is always
// verified, and the outcome is reported in Result.TLS.
//
// Config.Allowlist lets tests and the demo reach their loopback servers
// (FETCH_ALLOWLIST); nothing else opens a hole.
package fetch
