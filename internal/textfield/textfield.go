// Package textfield is the one rule for text people send us, through the
// API, a form or an imported file: valid UTF-8, no control characters but
// tab (and line breaks in the fields that have lines), and at most a field's
// documented number of characters.
//
// The rule exists because PostgreSQL cannot store a NUL byte at all (a 500
// before this package), because a control character in a name ends up in
// an email header, a CSV export or a log line, and because a field with no
// upper bound lets one request hold the database's writer for seconds and
// grow an index past its key limit. Callers keep their own limits, named
// next to the field; the README's "Field limits" table lists them.
package textfield

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// Kind says which layout characters a field may hold.
type Kind int

const (
	// Line is one line of text: a name, a city, a subject. Tab is allowed
	// (pasted from a spreadsheet), line breaks are not.
	Line Kind = iota
	// Lines is text that may span lines: an email body. Tab, line feed and
	// carriage return are allowed.
	Lines
)

// Messages a Problem answers with, for callers that compare.
const (
	msgNotUTF8 = "must be UTF-8 text"
	msgControl = "must not contain control characters"
	msgBreak   = "must be one line: no line breaks or other control characters"
)

// Clean reports whether s is valid UTF-8 holding no control character that
// kind does not allow. Control characters are Unicode's (C0, DEL and C1).
func Clean(s string, kind Kind) bool {
	return problem(s, kind) == ""
}

// Problem says what is wrong with s as a field of at most maxChars
// characters, as a message to follow the field's name ("must be at most 200
// characters"), or "" when nothing is. The caller trims s first if the field
// ignores surrounding space.
func Problem(s string, kind Kind, maxChars int) string {
	if p := problem(s, kind); p != "" {
		return p
	}
	if utf8.RuneCountInString(s) > maxChars {
		return fmt.Sprintf("must be at most %d characters", maxChars)
	}
	return ""
}

// Check adds Problem's message for the field name to fields, and reports
// whether s passed.
func Check(fields apperr.Fields, name, s string, kind Kind, maxChars int) bool {
	if p := Problem(s, kind, maxChars); p != "" {
		fields.Add(name, "%s", p)
		return false
	}
	return true
}

func problem(s string, kind Kind) string {
	if !utf8.ValidString(s) {
		return msgNotUTF8
	}
	if kind == Line && strings.ContainsAny(s, "\r\n") {
		return msgBreak
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && !allowed(r, kind) }) {
		return msgControl
	}
	return ""
}

func allowed(r rune, kind Kind) bool {
	switch r {
	case '\t':
		return true
	case '\n', '\r':
		return kind == Lines
	}
	return false
}

// Hostname reports whether host, in lowercase ASCII, is a DNS name:
// dot-separated labels of letters, digits and inner hyphens, each 1 to 63
// long (the form mail hosts and suppressed domains must have).
func Hostname(host string) bool {
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
