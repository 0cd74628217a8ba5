package verify

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Length limits from RFC 5321 §4.5.3.1: a path (the address between the
// angle brackets of RCPT TO) carries at most 254 characters, a local part
// 64 and a domain 253 (255 octets in wire form, minus the length bytes).
const (
	maxAddressLen = 254
	maxLocalLen   = 64
	maxDomainLen  = 253
	maxLabelLen   = 63
)

// ErrSyntax is wrapped by every error Normalize returns; the wrapping text
// says what is wrong, in words fit for a verification reason.
var ErrSyntax = errors.New("invalid address")

// Normalize returns email in the form Prospector stores and compares:
// trimmed, lowercased, the domain in its ASCII (punycode) form. It accepts
// the practical subset of RFC 5322 addresses that real mailboxes use:
//
//   - one "@"; a local part of atext characters and single dots, without a
//     leading or trailing dot: quoted local parts ("john doe"@x.com) and
//     comments are legal but no business mailbox uses them, and no sending
//     tool we feed handles them;
//   - an ASCII local part: internationalized local parts (RFC 6531) need
//     SMTPUTF8 end to end, which the sending services do not promise;
//   - a domain of at least two labels of letters, digits and inner hyphens,
//     whose top-level label is alphabetic (or punycode): an IP literal or a
//     dotless host is never a customer's mailbox;
//   - the RFC 5321 length limits.
//
// Lowercasing the local part is not what RFC 5321 says, but no provider a
// business uses treats case as significant, and two contacts differing only
// in case are one person.
func Normalize(email string) (string, error) {
	if !utf8.ValidString(email) {
		return "", syntaxErr("not valid UTF-8")
	}
	s := strings.ToLower(strings.TrimSpace(email))
	if s == "" {
		return "", syntaxErr("empty")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", syntaxErr("no @ sign")
	}
	local, domain := s[:at], s[at+1:]
	if strings.IndexByte(local, '@') >= 0 {
		return "", syntaxErr("more than one @ sign")
	}
	if err := checkLocal(local); err != nil {
		return "", err
	}
	domain, err := normalizeDomain(domain)
	if err != nil {
		return "", err
	}
	addr := local + "@" + domain
	if len(addr) > maxAddressLen {
		return "", syntaxErr(fmt.Sprintf("longer than %d characters", maxAddressLen))
	}
	return addr, nil
}

// Valid reports whether Normalize accepts email.
func Valid(email string) bool {
	_, err := Normalize(email)
	return err == nil
}

func syntaxErr(why string) error {
	return fmt.Errorf("%w: %s", ErrSyntax, why)
}

func checkLocal(local string) error {
	switch {
	case local == "":
		return syntaxErr("empty local part")
	case len(local) > maxLocalLen:
		return syntaxErr(fmt.Sprintf("local part longer than %d characters", maxLocalLen))
	case local[0] == '.' || local[len(local)-1] == '.':
		return syntaxErr("local part starts or ends with a dot")
	case strings.Contains(local, ".."):
		return syntaxErr("local part has two dots in a row")
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if c >= utf8.RuneSelf {
			return syntaxErr("local part is not ASCII")
		}
		if !isAtext(c) && c != '.' {
			return syntaxErr(fmt.Sprintf("local part contains %q", c))
		}
	}
	return nil
}

// isAtext reports whether c is an RFC 5322 atext character: what an
// unquoted local part may hold besides dots.
func isAtext(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// normalizeDomain checks the domain of an address and returns its ASCII form.
func normalizeDomain(domain string) (string, error) {
	if domain == "" {
		return "", syntaxErr("empty domain")
	}
	if domain[0] == '[' {
		return "", syntaxErr("IP-literal domain")
	}
	if !isASCII(domain) {
		a, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return "", syntaxErr("domain is not a valid internationalized name")
		}
		domain = a
	}
	if len(domain) > maxDomainLen {
		return "", syntaxErr(fmt.Sprintf("domain longer than %d characters", maxDomainLen))
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", syntaxErr("domain has no dot")
	}
	for _, l := range labels {
		if l == "" {
			return "", syntaxErr("domain has an empty label")
		}
		if len(l) > maxLabelLen {
			return "", syntaxErr(fmt.Sprintf("domain label longer than %d characters", maxLabelLen))
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "", syntaxErr("domain label starts or ends with a hyphen")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", syntaxErr(fmt.Sprintf("domain contains %q", c))
			}
		}
	}
	tld := labels[len(labels)-1]
	if !strings.HasPrefix(tld, "xn--") && (len(tld) < 2 || !isLetters(tld)) {
		return "", syntaxErr("top-level domain is not alphabetic")
	}
	return domain, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// splitAddress splits a normalized address at its last "@".
func splitAddress(addr string) (local, domain string) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr, ""
	}
	return addr[:at], addr[at+1:]
}
