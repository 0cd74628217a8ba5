package mail

import (
	"bytes"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// maxLine is where header lines are folded (RFC 5322 §2.1.1: SHOULD be at
// most 78 characters); hardLine is the length no line may pass (998), which
// only a word that cannot be folded (a long URL) could reach.
const (
	maxLine  = 78
	hardLine = 998
)

// checkHeaderText refuses any text that is not one header line of UTF-8
// without control characters. A CR or LF in a header field is how a
// stranger's data (a name scraped from a website, a subject from the
// writer model) would add headers or a whole second body: it is an error,
// never silently stripped.
func checkHeaderText(step, field, s string) *Error {
	if !utf8.ValidString(s) {
		return invalid(step, "the %s is not valid UTF-8", field)
	}
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n':
			return invalid(step, "the %s contains a line break", field)
		case r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0:
			return invalid(step, "the %s contains a control character", field)
		}
	}
	return nil
}

// checkAddress accepts a bare ASCII address (local@domain), as SMTP's
// envelope and our headers need it: no display name, no angle brackets,
// no line break. Non-ASCII addresses would need SMTPUTF8, which submission
// servers do not all offer; they are refused with a plain reason.
func checkAddress(step, field, addr string) *Error {
	if err := checkHeaderText(step, field, addr); err != nil {
		return err
	}
	if addr == "" {
		return invalid(step, "the %s is missing", field)
	}
	for i := 0; i < len(addr); i++ {
		if addr[i] >= 0x80 {
			return invalid(step, "the %s %q is not an ASCII address", field, addr)
		}
		if addr[i] == ' ' || addr[i] == '\t' {
			return invalid(step, "the %s %q contains a space", field, addr)
		}
	}
	parsed, err := mail.ParseAddress(addr)
	if err != nil || parsed.Name != "" || parsed.Address != addr || !strings.Contains(addr, "@") {
		return invalid(step, "the %s %q is not an email address", field, addr)
	}
	return nil
}

// domainOf is the lower-case domain of a checked address.
func domainOf(addr string) string {
	return strings.ToLower(addr[strings.LastIndexByte(addr, '@')+1:])
}

// encodeText is an unstructured header value (Subject) as it goes on the
// wire after "name: ": as it is when it is printable ASCII, else RFC 2047
// Q-encoded words (readable in raw form for mostly-ASCII subjects), sized
// so that the first fits on the header's first line and each other on a
// line of its own. Text that merely looks like an encoded word is encoded
// too, so that a subject reading "=?x?" arrives as typed.
func encodeText(name, s string) string {
	plain := !strings.Contains(s, "=?") && !strings.HasPrefix(s, " ") && !strings.HasSuffix(s, " ") && !strings.Contains(s, "  ")
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] >= 0x20 && s[i] < 0x7f
	}
	if plain {
		// Runs of spaces are encoded above: folding would not keep them.
		return s
	}
	const prefix, suffix = "=?utf-8?q?", "?="
	room := min(maxWord, maxLine-len(name)-2)
	var words []string
	var w strings.Builder
	for _, r := range s {
		enc := qChar(r)
		if w.Len() > 0 && len(prefix)+w.Len()+len(enc)+len(suffix) > room {
			words = append(words, prefix+w.String()+suffix)
			w.Reset()
			room = maxWord
		}
		w.WriteString(enc)
	}
	words = append(words, prefix+w.String()+suffix)
	return strings.Join(words, " ")
}

// maxWord is the longest encoded word RFC 2047 allows.
const maxWord = 75

// qChar is one character in RFC 2047 "Q" encoding as allowed in any header
// text: letters and digits as they are, space as "_", the rest as =XX bytes
// (a character is never split across two words).
func qChar(r rune) string {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', strings.ContainsRune("!*+-/", r):
		return string(r)
	case r == ' ':
		return "_"
	}
	var b strings.Builder
	for _, c := range []byte(string(r)) {
		fmt.Fprintf(&b, "=%02X", c)
	}
	return b.String()
}

// formatAddress is `"Name" <addr>` with the name quoted, or encoded when it
// is not ASCII; the bare address without a name.
func formatAddress(name, addr string) string {
	if name == "" {
		return addr
	}
	return (&mail.Address{Name: name, Address: addr}).String()
}

// header collects header fields in order and writes them folded.
type header struct {
	buf bytes.Buffer
	// names lists the fields written, in order (for the DKIM signer).
	names []string
	err   *Error
}

// add writes "Name: value" folded at spaces to at most maxLine characters
// a line where the value allows it. Values are checked by the caller: no
// CR or LF reaches here.
func (h *header) add(name, value string) {
	h.names = append(h.names, name)
	line := name + ":"
	col := len(line)
	h.buf.WriteString(line)
	for i, word := range splitWords(value) {
		sep := " "
		if i == 0 || col+1+len(word) <= maxLine {
			h.buf.WriteString(sep + word)
			col += 1 + len(word)
		} else {
			h.buf.WriteString("\r\n " + word)
			col = 1 + len(word)
		}
		if col > hardLine && h.err == nil {
			h.err = invalid("build", "the %s header has a word too long for one line", name)
		}
	}
	h.buf.WriteString("\r\n")
}

// splitWords splits a value at single spaces between non-space runs: the
// places where a fold (CRLF before the space) changes nothing once
// unfolded. A value without such spaces is one word.
func splitWords(v string) []string {
	var words []string
	start := 0
	for i := 1; i < len(v)-1; i++ {
		if v[i] == ' ' && v[i-1] != ' ' && v[i+1] != ' ' {
			words = append(words, v[start:i])
			start = i + 1
		}
	}
	return append(words, v[start:])
}
