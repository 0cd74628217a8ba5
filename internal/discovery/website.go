package discovery

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ErrInvalidWebsite is wrapped by every website normalization failure, so a
// caller can tell "not a URL" apart from other errors without parsing text.
var ErrInvalidWebsite = errors.New("invalid website")

// NormalizeWebsite turns what a listing or a user calls a website into one
// canonical URL, so that two spellings of the same site compare equal and the
// crawler gets something it can fetch. It assumes https when no scheme is
// given, accepts only http and https, lowercases the host (IDNs become their
// ASCII form), strips a leading "www.", drops a default port, the fragment,
// any user information and a trailing slash, and keeps the path and query.
func NormalizeWebsite(raw string) (string, error) {
	w, _, err := normalizeWebsite(raw)
	return w, err
}

// normalizeWebsite is NormalizeWebsite, also returning the normalized host
// without port or brackets, which the domain key is made from.
func normalizeWebsite(raw string) (website, host string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", fmt.Errorf("%w: empty", ErrInvalidWebsite)
	}
	if !strings.Contains(s, "://") {
		s = "https://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", "", fmt.Errorf("%w: %q does not parse as a URL", ErrInvalidWebsite, raw)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", "", fmt.Errorf("%w: scheme %q is not http or https", ErrInvalidWebsite, u.Scheme)
	}
	if u.Opaque != "" {
		return "", "", fmt.Errorf("%w: %q has no host", ErrInvalidWebsite, raw)
	}
	if u.User != nil {
		// Credentials in a stored website would be shown to users and sent
		// by the crawler; no business website needs them.
		return "", "", fmt.Errorf("%w: %q contains credentials", ErrInvalidWebsite, raw)
	}
	host, err = normalizeHost(u.Hostname())
	if err != nil {
		return "", "", err
	}
	bare := strings.Trim(host, "[]")
	if port := u.Port(); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", "", fmt.Errorf("%w: port %q", ErrInvalidWebsite, port)
		}
		if !(scheme == "http" && n == 80) && !(scheme == "https" && n == 443) {
			host += ":" + strconv.Itoa(n)
		}
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(strings.TrimRight(u.EscapedPath(), "/"))
	if u.RawQuery != "" {
		b.WriteByte('?')
		b.WriteString(u.RawQuery)
	}
	return b.String(), bare, nil
}

// normalizeHost returns the canonical form of a URL host: an IP literal in
// its standard notation (bracketed for IPv6, as a URL needs), or a lowercase
// ASCII domain name without "www.".
func normalizeHost(host string) (string, error) {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", fmt.Errorf("%w: no host", ErrInvalidWebsite)
	}
	if ip, ok := parseIP(host); ok {
		if ip.Is6() && !ip.Is4In6() {
			return "[" + ip.String() + "]", nil
		}
		return ip.Unmap().String(), nil
	}
	ascii := strings.ToLower(host)
	if !isASCII(ascii) {
		var err error
		if ascii, err = idna.Lookup.ToASCII(host); err != nil {
			return "", fmt.Errorf("%w: host %q", ErrInvalidWebsite, host)
		}
	}
	if !validDomain(ascii) {
		return "", fmt.Errorf("%w: host %q", ErrInvalidWebsite, host)
	}
	if rest, ok := strings.CutPrefix(ascii, "www."); ok && strings.Contains(rest, ".") {
		ascii = rest
	}
	return ascii, nil
}

// validDomain reports whether s is a plausible public DNS name: at least two
// letter-digit-hyphen labels and a top-level label that is not a number.
// Single-label hosts ("localhost", "n/a" read as a host) are never a
// business's website.
func validDomain(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	_, err := strconv.Atoi(tld)
	return err != nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// parseIP reads an IP literal. Domain names never end in a digit (no
// top-level domain does), which spares most hosts the attempt.
func parseIP(host string) (netip.Addr, bool) {
	if host == "" || !strings.Contains(host, ":") && (host[len(host)-1] < '0' || host[len(host)-1] > '9') {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(host)
	return ip, err == nil
}

// RegistrableDomain returns the part of a website's host that its owner
// registered (eTLD+1 by the Public Suffix List): "https://shop.joes.co.uk/x"
// gives "joes.co.uk". An IP address is returned as is, because it has no
// registrable part and is its own identity.
//
// The list includes private suffixes, so a per-customer site on a platform
// that registered itself there ("joe.blogspot.com") keeps its full host.
func RegistrableDomain(websiteOrHost string) (string, error) {
	_, host, err := normalizeWebsite(websiteOrHost)
	if err != nil {
		return "", err
	}
	if _, ok := parseIP(host); ok {
		return host, nil
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", fmt.Errorf("%w: %q is a public suffix", ErrInvalidWebsite, host)
	}
	return d, nil
}

// pagePlatforms host pages for many businesses under one domain, each at a
// path (facebook.com/joesplumbing, sites.google.com/view/joes). Sharing one of
// these domains says nothing about being the same business, and the path is
// no reliable key either (/pages/…, /view/…, /biz/…, profile.php?id=…), so
// such a website gives no dedup key at all.
var pagePlatforms = []string{
	"facebook.com", "fb.com", "instagram.com", "yelp.com", "google.com",
	"g.page", "goo.gl", "linktr.ee", "twitter.com", "x.com", "linkedin.com",
	"youtube.com", "tiktok.com", "tripadvisor.com", "yellowpages.com",
	"nextdoor.com",
}

// sitePlatforms give each customer a subdomain (joes.wixsite.com,
// joes.wordpress.com). The full host names one site, so it is the dedup key;
// the platform's own domain is not.
var sitePlatforms = []string{
	"wixsite.com", "wordpress.com", "blogspot.com", "squarespace.com",
	"godaddysites.com", "weebly.com", "business.site", "webflow.io",
	"square.site", "carrd.co", "myshopify.com",
}

// platformBrands run the same platform under country domains
// (google.co.uk, yelp.de, blogspot.fr); matched on the label before the
// public suffix so every country site is covered without listing them.
var platformBrands = map[string]bool{
	"google": true, "yelp": true, "facebook": true, "tripadvisor": true,
	"blogspot": true,
}

// IsSharedHost reports whether domain (a host or registrable domain, with or
// without "www.") belongs to a platform that hosts many businesses: social
// networks, directories, Google, and free website builders. Such a domain
// must not make two listings the same business.
func IsSharedHost(domain string) bool {
	d := strings.TrimPrefix(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), "."), "www.")
	if d == "" {
		return false
	}
	if underAny(d, pagePlatforms) != "" || underAny(d, sitePlatforms) != "" {
		return true
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(d)
	return err == nil && isBrand(reg)
}

// underAny returns the entry of list that d equals or is a subdomain of.
func underAny(d string, list []string) string {
	for _, p := range list {
		if d == p || len(d) > len(p) && strings.HasSuffix(d, p) && d[len(d)-len(p)-1] == '.' {
			return p
		}
	}
	return ""
}

// isBrand reports whether a registrable domain is a platform brand's country
// site; its first label is the one before the public suffix.
func isBrand(registrable string) bool {
	label, _, _ := strings.Cut(registrable, ".")
	return platformBrands[label]
}

// DomainKey returns the value kept in Business.Domain: the key two listings
// must share to be the same business by website. It is the registrable
// domain, except on shared hosts: a subdomain of a website builder keeps its
// full host ("joes.wixsite.com"), and a page on a social network, directory
// or Google gives "" (no key). An invalid website gives "".
func DomainKey(website string) string {
	_, host, err := normalizeWebsite(website)
	if err != nil {
		return ""
	}
	return hostDomainKey(host)
}

// hostDomainKey is DomainKey for a normalized host.
func hostDomainKey(host string) string {
	if _, ok := parseIP(host); ok {
		return host
	}
	if underAny(host, pagePlatforms) != "" {
		return ""
	}
	if p := underAny(host, sitePlatforms); p != "" {
		if host == p {
			return ""
		}
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil || isBrand(d) {
		return ""
	}
	return d
}
