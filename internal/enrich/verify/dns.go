package verify

import (
	"context"
	"errors"
	"net"
	"sort"
	"strings"
)

// lookupMailHosts fills r.MX with the hosts that receive mail for domain,
// following RFC 5321 §5.1: the MX records by preference, or, when the
// domain has no MX records, the domain itself if it has an address. It sets
// r.Status to invalid when the domain cannot receive mail (no MX and no
// address, or the RFC 7505 null MX), and leaves it unknown when DNS could
// not answer, since a timeout says nothing about the domain.
func (v *Verifier) lookupMailHosts(ctx context.Context, domain string, r *Result) {
	// A trailing dot makes the name absolute, so the resolver never tries
	// it under the machine's search domains: a mail domain is always a
	// full name.
	fqdn := domain + "."

	mxs, err := v.lookupMX(ctx, fqdn)
	switch {
	case err == nil && len(mxs) > 0:
		hosts, null := mxHosts(mxs)
		if len(hosts) == 0 && null {
			r.Status = StatusInvalid
			r.reason("null MX: the domain accepts no mail")
			return
		}
		if len(hosts) > 0 {
			r.MX = hosts
			r.reason("MX: %s", strings.Join(hosts, ", "))
			return
		}
	case err != nil && !isNotFound(err):
		r.reason("DNS: MX lookup %s", dnsFailure(ctx, err))
		return
	}

	// No MX records: mail goes to the domain's own address, if it has one.
	has, err := v.hasAddress(ctx, fqdn)
	switch {
	case err != nil && !isNotFound(err):
		r.reason("DNS: address lookup %s", dnsFailure(ctx, err))
	case has:
		r.MX = []string{domain}
		r.reason("no MX: mail goes to the domain's own address (implicit MX)")
	default:
		r.Status = StatusInvalid
		r.reason("domain has no MX and no address: it receives no mail")
	}
}

func (v *Verifier) lookupMX(ctx context.Context, fqdn string) ([]*net.MX, error) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	mxs, err := v.resolver.LookupMX(ctx, fqdn)
	if err != nil && len(mxs) > 0 {
		// LookupMX drops malformed records and reports them alongside the
		// good ones; the good ones still receive mail.
		return mxs, nil
	}
	return mxs, err
}

func (v *Verifier) hasAddress(ctx context.Context, fqdn string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	ips, err := v.resolver.LookupNetIP(ctx, "ip", fqdn)
	return len(ips) > 0, err
}

// mxHosts returns the mail hosts of an MX answer, most preferred first,
// without trailing dots or duplicates, and whether the answer held the null
// MX ("."). A null MX is meant to be the only record; when a domain also
// lists real hosts, the real hosts win.
func mxHosts(mxs []*net.MX) (hosts []string, null bool) {
	sorted := append([]*net.MX(nil), mxs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Pref < sorted[j].Pref })
	seen := map[string]bool{}
	for _, mx := range sorted {
		h := strings.ToLower(strings.TrimSuffix(mx.Host, "."))
		if h == "" {
			null = true
			continue
		}
		if !seen[h] {
			seen[h] = true
			hosts = append(hosts, h)
		}
	}
	return hosts, null
}

// isNotFound reports whether a lookup found that the name or the record does
// not exist (NXDOMAIN or an empty answer), as opposed to failing to find out.
func isNotFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// dnsFailure describes a lookup that did not get an answer, without the
// resolver's text (which names servers and addresses).
func dnsFailure(ctx context.Context, err error) string {
	var dnsErr *net.DNSError
	switch {
	case ctx.Err() != nil:
		return "cancelled"
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout:
		return "timed out"
	case errors.As(err, &dnsErr) && dnsErr.IsTemporary:
		return "failed temporarily"
	default:
		return "failed"
	}
}
