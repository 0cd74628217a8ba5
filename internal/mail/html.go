package mail

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

// Tracking asks for an HTML alternative after the text: a campaign that
// tracks opens gets a 1×1 pixel in it, one that tracks clicks gets the
// body's links pointing at its own redirects. The text/plain part is the
// same as without tracking: a reader of plain text is never tracked.
type Tracking struct {
	// OpenURL is the pixel's address (PUBLIC_URL/t/o/{token}); empty:
	// no pixel.
	OpenURL string
	// ClickURLs are the tracked addresses of the body's links, one for
	// each of Links(Body) in that order (PUBLIC_URL/t/c/{token}, the
	// token naming the link by its index); nil: links point where they
	// were written. Links in the signature are never rewritten, nor the
	// unsubscribe link.
	ClickURLs []string
}

// Links returns the web addresses written in an approved body, in order:
// what a tracked click's link index counts. The send stage and the click
// redirect both read a message's links here, so an index names the same
// link in both.
func Links(body string) []string {
	var out []string
	for _, l := range findLinks(lines(body)) {
		out = append(out, l.url)
	}
	return out
}

// link is one web address found in text, at text[start:end].
type link struct {
	start, end int
	url        string
}

// findLinks finds http and https addresses in text: from the scheme to the
// next space or angle bracket or quote, less the punctuation that ends a
// sentence ("see https://x.example/a."). A scheme inside a word is not a
// link; an address that does not parse, or has no host, is skipped.
func findLinks(text string) []link {
	var out []link
	lower := strings.ToLower(text)
	for i := 0; i < len(text); {
		j := nextScheme(lower, i)
		if j < 0 {
			break
		}
		end := j
		for end < len(text) && !strings.ContainsRune(" \t\n<>\"", rune(text[end])) {
			end++
		}
		end = j + len(trimTrailing(text[j:end]))
		raw := text[j:end]
		if j > 0 && isWordByte(text[j-1]) {
			i = end
			continue
		}
		if u, err := url.Parse(raw); err == nil && u.Host != "" && u.User == nil {
			out = append(out, link{start: j, end: end, url: raw})
		}
		i = max(end, j+1)
	}
	return out
}

// nextScheme is the index of the next "http://" or "https://" in lower at
// or after i, or -1.
func nextScheme(lower string, i int) int {
	best := -1
	for _, s := range []string{"http://", "https://"} {
		if k := strings.Index(lower[i:], s); k >= 0 && (best < 0 || i+k < best) {
			best = i + k
		}
	}
	return best
}

// trimTrailing drops what ends a sentence after an address: . , ; : ! ?
// and quotes, and a closing bracket that the address did not open.
func trimTrailing(s string) string {
	for len(s) > 0 {
		c := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?'", c) >= 0:
		case c == ')' && strings.Count(s, "(") < strings.Count(s, ")"),
			c == ']' && strings.Count(s, "[") < strings.Count(s, "]"):
		default:
			return s
		}
		s = s[:len(s)-1]
	}
	return s
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c >= 0x80
}

// HTML returns the HTML alternative of m under t: the same text as
// TextWithFooter, escaped, in paragraphs (a blank line) and lines (<br>),
// the body's links pointing at t.ClickURLs, the unsubscribe link and the
// signature's links as written, and the pixel last. It is as small as the
// text: no styles, no images but the pixel, nothing a filter reads as a
// newsletter.
func HTML(m Message, t Tracking) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"></head>\n<body>\n")
	writeParagraphs(&b, lines(m.Body), t.ClickURLs)
	writeParagraphs(&b, lines(m.Signature), nil)
	writeParagraphs(&b, lines(m.PostalAddress), nil)
	b.WriteString("<p>" + html.EscapeString(optOut) + anchor(m.UnsubscribeURL, m.UnsubscribeURL) + "</p>\n")
	if t.OpenURL != "" {
		b.WriteString(`<img src="` + html.EscapeString(t.OpenURL) + `" width="1" height="1" alt="">` + "\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

// writeParagraphs writes block (LF line ends, trimmed) as paragraphs, its
// links as anchors: to targets[i] for the i-th link when targets are
// given, else to the link itself.
func writeParagraphs(b *strings.Builder, block string, targets []string) {
	if block == "" {
		return
	}
	b.WriteString("<p>")
	pos := 0
	for i, l := range findLinks(block) {
		b.WriteString(textHTML(block[pos:l.start]))
		href := l.url
		if targets != nil {
			href = targets[i]
		}
		b.WriteString(anchor(href, l.url))
		pos = l.end
	}
	b.WriteString(textHTML(block[pos:]))
	b.WriteString("</p>\n")
}

// blankLines end a paragraph.
var blankLines = regexp.MustCompile(`\n\n+`)

// textHTML escapes text and marks its line ends: a blank line ends a
// paragraph, a single line end is a <br>.
func textHTML(s string) string {
	paras := blankLines.Split(html.EscapeString(s), -1)
	for i, p := range paras {
		paras[i] = strings.ReplaceAll(p, "\n", "<br>\n")
	}
	return strings.Join(paras, "</p>\n<p>")
}

func anchor(href, text string) string {
	return `<a href="` + html.EscapeString(href) + `">` + html.EscapeString(text) + `</a>`
}
