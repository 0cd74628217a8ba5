package classify

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// Bounds on what one message may cost. Anything past them is ignored, not
// an error: a reply or a bounce says what it is in its first kilobytes.
const (
	maxMessageBytes = 2 << 20 // read at most this much of the raw message
	maxParts        = 100     // MIME parts looked at, over the whole tree
	maxDepth        = 8       // multipart nesting
	maxFields       = 1000    // header fields per header block
	maxTextBytes    = 256 << 10
	maxAddressList  = 8 << 10 // of an address field, read for addresses
)

// field is one header field, unfolded, its value as written (not decoded).
type field struct{ name, value string }

// header is a header block in order. Lookups ignore the case of names.
type header []field

func (h header) get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

func (h header) has(name string) bool {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

func (h header) all(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// parseHeader reads a header block from the start of b and returns it with
// the rest of b after the blank line that ends it. It is lenient on
// purpose, because bounces and old clients write broken headers: a leading
// mbox "From " line is skipped, a line that is not a field is taken for a
// continuation its sender forgot to indent, and a block without a blank
// line is all header.
func parseHeader(b []byte) (header, []byte) {
	var h header
	// The field being read: its value grows in one buffer, so that a
	// long run of continuation lines costs linear time.
	var name string
	var value []byte
	open := false
	flush := func() {
		if open && len(h) < maxFields {
			h = append(h, field{name: name, value: string(bytes.TrimSpace(value))})
		}
		open = false
	}
	first := true
	for len(b) > 0 {
		line, rest := cutLine(b)
		b = rest
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			flush()
			return h, rest
		}
		if first && bytes.HasPrefix(line, []byte("From ")) {
			first = false
			continue
		}
		first = false
		n, v, ok := bytes.Cut(line, []byte(":"))
		n = bytes.TrimRight(n, " \t") // "Subject :" is obsolete syntax, still seen
		if line[0] == ' ' || line[0] == '\t' || !ok || len(n) == 0 || bytes.ContainsAny(n, " \t") {
			if open && len(value) < maxTextBytes {
				value = append(value, ' ')
				value = append(value, bytes.TrimSpace(line)...)
			}
			continue
		}
		flush()
		name, value, open = string(n), append(value[:0:0], bytes.TrimSpace(v)...), true
	}
	flush()
	return h, nil
}

// cutLine splits b after its first LF; the line keeps no LF.
func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:]
	}
	return b, nil
}

// entity is one MIME entity: the whole message or a part of it.
type entity struct {
	header    header
	mediaType string            // lowercased, "text/plain" when absent
	params    map[string]string // Content-Type parameters, names lowercased
	body      []byte            // transfer decoding undone; nil for multipart
	parts     []*entity
}

// parseEntity parses raw (header and body) into a tree of at most maxParts
// entities and maxDepth levels; *budget counts parts left.
func parseEntity(raw []byte, depth int, budget *int) *entity {
	h, body := parseHeader(raw)
	return newEntity(h, body, depth, budget)
}

func newEntity(h header, body []byte, depth int, budget *int) *entity {
	e := &entity{header: h}
	e.mediaType, e.params = contentType(h.get("Content-Type"))
	boundary := e.params["boundary"]
	if strings.HasPrefix(e.mediaType, "multipart/") && boundary != "" && depth < maxDepth {
		for _, raw := range splitMultipart(body, boundary) {
			if *budget <= 0 {
				break
			}
			*budget--
			e.parts = append(e.parts, parseEntity(raw, depth+1, budget))
		}
		if len(e.parts) > 0 {
			return e
		}
		// A multipart without a single boundary line: read it as text,
		// which is how a mail client would show it.
	}
	e.body = decodeTransfer(body, h.get("Content-Transfer-Encoding"))
	return e
}

// contentType parses a Content-Type value; a missing or broken one is
// text/plain (RFC 2045 §5.2), and a broken parameter list still yields the
// media type and, if it can be found, the boundary.
func contentType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "text/plain", map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(v)
	if err == nil && mt != "" {
		return mt, params
	}
	params = map[string]string{}
	mt, rest, _ := strings.Cut(v, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if !strings.Contains(mt, "/") {
		mt = "text/plain"
	}
	for _, p := range strings.Split(rest, ";") {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		val = strings.Trim(strings.TrimSpace(val), `"`)
		if k != "" && val != "" {
			params[k] = val
		}
	}
	return mt, params
}

// splitMultipart cuts body into the raw parts between "--boundary" lines,
// stopping at "--boundary--". A missing closing line keeps the last part.
func splitMultipart(body []byte, boundary string) [][]byte {
	delim := []byte("--" + boundary)
	var parts [][]byte
	var cur []byte
	in := false
	start := 0
	for pos := 0; pos <= len(body); {
		line, _ := cutLine(body[pos:])
		next := pos + len(line) + 1
		t := bytes.TrimRight(line, " \t\r")
		if bytes.HasPrefix(t, delim) {
			tail := t[len(delim):]
			closing := bytes.Equal(tail, []byte("--"))
			if closing || len(tail) == 0 {
				if in {
					cur = body[start:max(start, pos-1)]
					parts = append(parts, bytes.TrimSuffix(cur, []byte("\r")))
					if len(parts) >= maxParts {
						return parts
					}
				}
				if closing {
					return parts
				}
				in = true
				start = min(next, len(body))
			}
		}
		if next > len(body) {
			break
		}
		pos = next
	}
	if in && start < len(body) {
		parts = append(parts, body[start:])
	}
	return parts
}

// decodeTransfer undoes base64 and quoted-printable, forgiving what real
// senders get wrong (stray characters, missing padding, bad escapes).
func decodeTransfer(b []byte, cte string) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return decodeBase64(b)
	case "quoted-printable":
		return decodeQP(b)
	}
	return b
}

// decodeBase64 decodes up to the padding or the first character that is
// not base64, so that junk after the data does not become text.
func decodeBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
scan:
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == ' ', c == '\t', c == '\r', c == '\n':
		default:
			break scan
		}
	}
	if len(clean)%4 == 1 { // a lone trailing character carries no byte
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		rest := b[i+1:]
		// Soft line break, possibly with trailing whitespace before it.
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
			j++
		}
		if j < len(rest) && rest[j] == '\n' {
			i += j + 1
			continue
		}
		if j+1 < len(rest) && rest[j] == '\r' && rest[j+1] == '\n' {
			i += j + 2
			continue
		}
		if len(rest) >= 2 && isHex(rest[0]) && isHex(rest[1]) {
			out = append(out, unhex(rest[0])<<4|unhex(rest[1]))
			i += 2
			continue
		}
		out = append(out, '=')
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// decodeCharset turns b in the named charset into UTF-8. Labels are read
// as the WHATWG Encoding Standard reads them (ISO-8859-1 as windows-1252,
// as mail clients do); an unknown label or undeclared non-UTF-8 bytes fall
// back to windows-1252, the commonest legacy charset in mail.
func decodeCharset(b []byte, label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"`))
	if label == "" || label == "utf-8" || label == "utf8" || label == "us-ascii" {
		if utf8.Valid(b) {
			return string(b)
		}
		return legacy(b)
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		if utf8.Valid(b) {
			return string(b)
		}
		return legacy(b)
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

func legacy(b []byte) string {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// wordDecoder decodes RFC 2047 encoded words in any charset htmlindex
// knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxTextBytes))
	if err != nil {
		return nil, err
	}
	return strings.NewReader(decodeCharset(b, label)), nil
}}

// decodeHeaderText decodes encoded words and raw 8-bit bytes of an
// unstructured field (Subject) and collapses its whitespace.
func decodeHeaderText(v string) string {
	if !utf8.ValidString(v) {
		v = legacy([]byte(v))
	}
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	return strings.Join(strings.Fields(v), " ")
}

// address is the first address of an address-list field, lowercased; ""
// when there is none. A list net/mail rejects is searched for something
// that looks like an address.
func address(v string) string {
	if as := addresses(v); len(as) > 0 {
		return as[0]
	}
	return ""
}

func addresses(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if len(v) > maxAddressList {
		v = v[:maxAddressList]
	}
	p := mail.AddressParser{WordDecoder: wordDecoder}
	if list, err := p.ParseList(v); err == nil {
		out := make([]string, 0, len(list))
		for _, a := range list {
			out = append(out, strings.ToLower(a.Address))
		}
		return out
	}
	var out []string
	for _, m := range addrPattern.FindAllString(v, 20) {
		out = append(out, strings.ToLower(m))
	}
	return out
}

// maxIDs bounds the msg-ids read from one field.
const maxIDs = 1000

// messageIDs reads msg-ids ("<left@right>") from In-Reply-To, References
// or Message-ID, brackets stripped, in order. A value without brackets is
// split on whitespace, which is how some old clients write it.
func messageIDs(v string) []string {
	var out []string
	rest := v
	for len(out) < maxIDs {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '>')
		if j < 0 {
			break
		}
		if id := strings.TrimSpace(rest[i+1 : i+j]); id != "" && !strings.ContainsAny(id, " \t<") {
			out = append(out, id)
		}
		rest = rest[i+j+1:]
	}
	if len(out) == 0 && !strings.ContainsAny(v, "<>") {
		for _, f := range strings.Fields(v) {
			if strings.Contains(f, "@") && len(out) < maxIDs {
				out = append(out, f)
			}
		}
	}
	return out
}
