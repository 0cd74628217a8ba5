package auth

import (
	"errors"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// maxEmailLen is the longest address SMTP can carry (RFC 5321 path limit).
const maxEmailLen = 254

// ErrInvalidEmail is returned for anything that is not a single bare address.
// Its message is meant for the user.
var ErrInvalidEmail = errors.New("email must be a valid address, such as name@example.com")

// NormalizeEmail returns the form of an email address under which accounts
// are stored and looked up, so that "Ann@Example.com " and "ann@example.com"
// are one account.
//
// Local parts are case-sensitive in theory; in practice no provider treats
// them so, and two accounts differing only in case would be a support
// problem, not a feature.
func NormalizeEmail(s string) (string, error) {
	// Validity is checked before lowering because ToLower would quietly
	// turn invalid bytes into U+FFFD and accept them.
	if !utf8.ValidString(s) {
		return "", ErrInvalidEmail
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > maxEmailLen {
		return "", ErrInvalidEmail
	}
	// ParseAddress also accepts "Name <a@b.c>", "<a@b.c>", comments and
	// quoted local parts; insisting that it hands back exactly the input
	// leaves only the plain addr-spec people type into a login form.
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return "", ErrInvalidEmail
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	// A dotless domain (user@localhost) or an IP literal (user@[10.0.0.1])
	// is valid syntax but never a customer's real mailbox.
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, "[") {
		return "", ErrInvalidEmail
	}
	return s, nil
}
