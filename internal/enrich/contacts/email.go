package contacts

import (
	"encoding/hex"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/prospectorhq/prospector/internal/enrich/verify"
)

// plainEmail matches an address written out in text. It is deliberately
// looser than the syntax check that follows (cleanEmail): it only has to
// find candidates.
var plainEmail = regexp.MustCompile(`(?i)[a-z0-9][a-z0-9._%+'-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}`)

// The obfuscated forms sites use to keep harvesters off:
// "maria [at] example [dot] com", "maria(at)example(dot)com",
// "maria {at} example {dot} com", "maria @ example . com" …
const (
	obLabel = `[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`
	obAt    = `\s*(?:\[\s*(?:at|@)\s*\]|\(\s*(?:at|@)\s*\)|\{\s*(?:at|@)\s*\}|<\s*at\s*>)\s*|\s@\s`
	obDot   = `\s*(?:\[\s*(?:dot|\.)\s*\]|\(\s*(?:dot|\.)\s*\)|\{\s*(?:dot|\.)\s*\})\s*|\s+dot\s+`
)

var (
	bracketedEmail = regexp.MustCompile(`(?i)([a-z0-9][a-z0-9_%+-]*(?:(?:` + obDot + `|\.)[a-z0-9_%+-]+)*)(?:` + obAt + `)(` + obLabel + `(?:(?:` + obDot + `|\.)` + obLabel + `)+)`)
	// spelledEmail is "maria at example dot com": plain words, so it is
	// only believed when unambiguous (see findObfuscated).
	spelledEmail = regexp.MustCompile(`(?i)\b([a-z0-9][a-z0-9._%+-]*)\s+at\s+(` + obLabel + `(?:(?:\s+dot\s+|\.)` + obLabel + `)+)\b`)
	dotToken     = regexp.MustCompile(`(?i)` + obDot)
)

// emailCue words say that the address-like words next to them are one.
var emailCue = regexp.MustCompile(`(?i)\b(e-?mail|mail|courriel|correo|write|schreiben)\b`)

// notLocal words read as the start of "… at example.com" in ordinary
// sentences ("find us at", "book online at").
var notLocal = set("us", "me", "you", "him", "her", "them", "it", "we", "or", "and", "is", "be",
	"meet", "find", "visit", "online", "call", "located", "based", "available", "open", "here",
	"there", "today", "now", "home", "work", "look", "stop", "shop", "order", "book", "apply")

// placeholderDomains appear in form hints and templates ("you@example.com",
// "name@domain.com", "email@website.com"), never as someone's mailbox. The
// reserved documentation and testing names (RFC 2606/6761) are included;
// a page on such a domain keeps its own addresses (the sandbox's fictional
// sites live under .example).
var placeholderDomains = set(
	"example.com", "example.org", "example.net", "domain.com", "yourdomain.com", "mydomain.com",
	"website.com", "yourwebsite.com", "mywebsite.com", "yoursite.com", "mysite.com", "site.com",
	"company.com", "yourcompany.com", "mycompany.com", "yourbusiness.com", "address.com",
	"emailaddress.com", "sample.com", "test.com", "domain.tld", "email.tld",
)

var reservedTLDs = set("example", "test", "invalid", "localhost", "local")

// placeholderLocals are template local parts, at any domain.
var placeholderLocals = set(
	"you", "your", "yourname", "youremail", "your.name", "your.email", "yourmail", "name", "email",
	"emailaddress", "email.address", "username", "user", "firstname", "lastname", "first.last",
	"firstname.lastname", "first_last", "firstlast", "john.doe", "jane.doe", "johndoe", "janedoe",
	"someone", "somebody", "example", "sample", "test", "xxx", "abc",
)

// thirdPartyHosts receive mail for the services a website embeds or is
// built on, not for the business. Their addresses reach pages through
// error-tracker settings (Sentry's DSN reads like an address:
// "1a2b…@o123.ingest.sentry.io"), site-builder internals (Wix's
// "…@sentry-next.wixpress.com", GoDaddy's builder filler), domain privacy
// proxies in footers, and embedded calendars, whose ids are addresses
// ("…@group.calendar.google.com"). A host matches itself and its
// subdomains.
var thirdPartyHosts = []string{
	// Error tracking and monitoring.
	"sentry.io", "sentry-next.wixpress.com", "sentry.wixpress.com", "bugsnag.com", "rollbar.com",
	// Site builders and hosts.
	"wixpress.com", "wix.com", "godaddy.com", "secureserver.net", "squarespace.com",
	"weebly.com", "shopify.com", "webflow.io", "webflow.com", "jimdo.com", "duda.co",
	"strikingly.com", "wordpress.com", "wpengine.com", "cloudflare.com",
	// Domain privacy proxies.
	"domainsbyproxy.com", "whoisprivacyprotect.com", "privacyguardian.org", "contactprivacy.com",
	"withheldforprivacy.com",
	// Calendar and resource ids.
	"group.calendar.google.com", "resource.calendar.google.com", "import.calendar.google.com",
}

// fileExtensions are "top-level domains" of file names that look like
// addresses: retina images ("logo@2x.png") and asset names.
var fileExtensions = set("png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "tif", "tiff",
	"avif", "heic", "css", "js", "json", "xml", "pdf", "mp4", "webm", "mov", "mp3", "zip", "woff", "woff2")

// retinaLabel is the "2x" of "logo@2x.png".
var retinaLabel = regexp.MustCompile(`^\d+(\.\d+)?x$`)

// hashLocal is a long hexadecimal local part: a key or tracking id, not a
// mailbox someone reads.
var hashLocal = regexp.MustCompile(`^[0-9a-f]{20,}$`)

// cleanEmail turns a candidate into an address worth keeping, or reports
// false. site is the registrable domain of the page it was found on.
func cleanEmail(s, site string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "<([{'\"“‘:")
	s = strings.TrimRight(s, ".,;:!?)]}>'\"”’")
	addr, err := verify.Normalize(s)
	if err != nil {
		return "", false
	}
	local, domain, _ := strings.Cut(addr, "@")
	labels := strings.Split(domain, ".")
	tld := labels[len(labels)-1]
	own := site != "" && registrable(domain) == site
	switch {
	case fileExtensions[tld], retinaLabel.MatchString(labels[0]):
		return "", false
	case placeholderLocals[local]:
		return "", false
	case !own && (placeholderDomains[domain] || reservedTLDs[tld]):
		return "", false
	case !own && !knownSuffix(domain):
		return "", false
	case thirdParty(domain), hashLocal.MatchString(local):
		return "", false
	case verify.IsNoReply(addr):
		// Nobody reads it; it is not a way to reach anyone.
		return "", false
	}
	return addr, true
}

// knownSuffix reports whether domain ends in a public suffix the Public
// Suffix List knows (so "x.png" or "x.local" are not mail domains).
func knownSuffix(domain string) bool {
	suffix, icann := publicsuffix.PublicSuffix(domain)
	return icann || strings.Contains(suffix, ".")
}

func thirdParty(domain string) bool {
	for _, h := range thirdPartyHosts {
		if domain == h || strings.HasSuffix(domain, "."+h) {
			return true
		}
	}
	return false
}

// registrable returns the registrable domain (eTLD+1) of host, or host
// itself when it has none (an IP address, a single label).
func registrable(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// mailtoAddress is one recipient of a mailto: link.
type mailtoAddress struct {
	addr string
	name string // the display name, as in mailto:Maria%20Gonzalez%20%3Cmaria@x.com%3E
}

// parseMailto reads the recipients of a mailto: URL, dropping its subject
// and other parameters and undoing its percent-encoding.
func parseMailto(href string) []mailtoAddress {
	if len(href) < 7 || !strings.EqualFold(href[:7], "mailto:") {
		return nil
	}
	rest := href[7:]
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	if u, err := url.PathUnescape(rest); err == nil {
		rest = u
	}
	var out []mailtoAddress
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ';' }) {
		part = strings.TrimSpace(part)
		m := mailtoAddress{addr: part}
		if strings.Contains(part, "<") {
			if a, err := mail.ParseAddress(part); err == nil {
				m = mailtoAddress{addr: a.Address, name: a.Name}
			}
		}
		out = append(out, m)
	}
	return out
}

// decodeCloudflare undoes Cloudflare's email protection: the first byte of
// the hex string is a key XORed into every following byte.
func decodeCloudflare(h string) (string, bool) {
	b, err := hex.DecodeString(strings.TrimSpace(h))
	if err != nil || len(b) < 2 {
		return "", false
	}
	out := make([]byte, len(b)-1)
	for i := 1; i < len(b); i++ {
		out[i-1] = b[i] ^ b[0]
	}
	s := string(out)
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return s, true
}

// textEmails finds the addresses written in one line of text. spaced and
// joined are the line with and without spaces at inline element
// boundaries; an address only the joined form shows was split across
// elements, unless it merely glues a label onto an address the spaced form
// shows ("Email" + "maria@x.com").
func textEmails(spaced, joined string) []string {
	if !strings.Contains(joined, "@") {
		return nil
	}
	found := plainEmail.FindAllString(spaced, -1)
	for _, j := range plainEmail.FindAllString(joined, -1) {
		glued := false
		for _, s := range found {
			if strings.Contains(strings.ToLower(j), strings.ToLower(s)) {
				glued = true
				break
			}
		}
		if !glued {
			found = append(found, j)
		}
	}
	return found
}

// obfuscatedEmails finds addresses written to fool harvesters in one line
// of text: bracketed at/dot forms always, and the spelled-out form
// ("maria at example dot com") only when unambiguous: the dot is spelled
// out too, or the line says it is an email address, and the word before
// "at" is not an ordinary one ("find us at example.com").
func obfuscatedEmails(text string) []string {
	// The patterns are costly to run on every line of a page; the strings
	// they need are cheap to look for first.
	lower := strings.ToLower(text)
	var out []string
	if strings.Contains(lower, " @ ") || bracketedAt(lower) {
		for _, m := range bracketedEmail.FindAllStringSubmatch(text, -1) {
			out = append(out, deobfuscate(m[1])+"@"+deobfuscate(m[2]))
		}
	}
	if !strings.Contains(lower, " at ") {
		return out
	}
	for _, m := range spelledEmail.FindAllStringSubmatch(text, -1) {
		local, domain := m[1], m[2]
		if notLocal[strings.ToLower(local)] {
			continue
		}
		if !dotToken.MatchString(domain) && !emailCue.MatchString(text) {
			continue
		}
		out = append(out, deobfuscate(local)+"@"+deobfuscate(domain))
	}
	return out
}

// bracketedAt reports whether lower holds an opening bracket followed by
// "at" or "@": "[at]", "( at )", "{@}", "<at>".
func bracketedAt(lower string) bool {
	for i := 0; i < len(lower); i++ {
		switch lower[i] {
		case '[', '(', '{', '<':
			rest := strings.TrimLeft(lower[i+1:], " \t")
			if strings.HasPrefix(rest, "at") || strings.HasPrefix(rest, "@") {
				return true
			}
		}
	}
	return false
}

func deobfuscate(s string) string {
	s = dotToken.ReplaceAllString(s, ".")
	return strings.Join(strings.Fields(s), "")
}
