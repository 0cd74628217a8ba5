package site

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MaxBody is the most of a body the analysis reads. The fetcher caps bodies
// at the same size; a longer one is cut here too, so that every pass over a
// page stays bounded whoever calls us.
const MaxBody = 2 << 20

// Page is one fetched page, as the hardened fetcher hands it over. The
// analysis never fetches anything itself: everything it knows about
// transport (TLS, redirects, timings) comes from these fields.
type Page struct {
	URL      string // the address the fetch started at
	FinalURL string // the address after redirects; URL when empty
	Status   int    // final HTTP status; 0 when no answer came
	Header   http.Header
	Body     []byte // at most MaxBody bytes of the final response
	// Truncated says Body is the first MaxBody bytes of a longer response.
	Truncated bool
	// HTTPSRedirect says an http:// start URL was redirected to https.
	HTTPSRedirect bool
	// TLSValid is nil when the final URL is not https; otherwise whether the
	// chain verified and named the host.
	TLSValid    *bool
	TLSError    string    // why the certificate failed, when it did
	TLSNotAfter time.Time // the leaf certificate's expiry; zero when unknown
	TTFB        time.Duration
	Total       time.Duration // until the last body byte
	// Bytes is the size of the response body on the wire, which can exceed
	// len(Body) when Truncated; len(Body) is used when it is zero.
	Bytes int64
	// FetchedAt dates the page: copyright and "for 25 years" phrases are
	// read against it. Parse uses the current time when it is zero.
	FetchedAt time.Time
}

type bodyKind int

const (
	kindEmpty  bodyKind = iota // no body, or only whitespace
	kindHTML                   // parsed as HTML
	kindOther                  // text, but a declared non-HTML type (JSON, CSS…)
	kindBinary                 // images, archives, anything with NUL bytes
)

// Doc is a page parsed once. Analyze and Tech share it, so a caller that
// wants both pays for one pass over the HTML. A Doc is safe for concurrent
// use once Parse has returned.
type Doc struct {
	page      Page
	final     *url.URL // nil when neither URL parses
	https     bool
	kind      bodyKind
	mediaType string // declared, or sniffed when undeclared
	html      []byte // the body as UTF-8, when kind is kindHTML

	title           string
	hasTitle        bool
	metaDescription string
	meta            map[string][]string // lowercased meta name → contents
	viewport        string
	hasViewport     bool
	doctype         string
	hasDoctype      bool
	scripts         []string // script src
	links           []string // link href
	iframes         []string // iframe src
	text            string   // visible text, whitespace collapsed, bounded
	css             []byte   // <style> contents, bounded
	cookies         []string // Set-Cookie names
	n               counts

	techOnce sync.Once
	tech     []detected
}

// counts are what the single HTML pass tallies for the rubric.
type counts struct {
	tables, nestedTables, tablesNoTH, layoutAttrTables int
	fontTags, smallFontTags                            int
	marquee, blink                                     int
	frames                                             int
	flash                                              int
	spacerGIFs, constructionImgs                       int
	images, srcsets                                    int
	anchors, telLinks, smallFontLinks, areas           int
	fixedWidth, smallFontStyles, mediaQueries          int
	headBlocking                                       int // sync scripts and stylesheets in <head>
	requests                                           int // subresources referenced
	inlineScripts                                      int
	mixedContent                                       int
}

// Parse reads a fetched page once: transport facts, the HTML structure the
// rubric looks at, the visible text the founding-year and team-size phrases
// are read from, and the URLs the fingerprints match. It never fails: an
// empty, binary or broken page is a finding, and Analyze reports it.
func Parse(p Page) *Doc {
	if p.FetchedAt.IsZero() {
		p.FetchedAt = time.Now()
	}
	d := &Doc{page: p, meta: map[string][]string{}}
	if d.page.FinalURL == "" {
		d.page.FinalURL = p.URL
	}
	if u, err := url.Parse(d.page.FinalURL); err == nil && u.Scheme != "" {
		d.final = u
		d.https = strings.EqualFold(u.Scheme, "https")
	}
	body := p.Body
	if len(body) > MaxBody {
		body = body[:MaxBody]
		d.page.Truncated = true
	}
	d.cookies = cookieNames(p.Header)
	declared := ""
	if ct := p.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			declared = mt
		}
	}
	d.kind, d.mediaType = classify(declared, body)
	if d.kind == kindHTML {
		d.html = toUTF8(body, d.page.Truncated)
		d.walk()
	}
	return d
}

// classify decides whether a body is HTML worth parsing. Servers mislabel
// pages (text/plain, octet-stream, nothing), so a body those labels cover
// is sniffed; a body declared as something else entirely (JSON, an image)
// is taken at its word.
func classify(declared string, body []byte) (bodyKind, string) {
	if len(bytes.TrimSpace(body)) == 0 {
		return kindEmpty, declared
	}
	sniffed := http.DetectContentType(body)
	if i := strings.IndexByte(sniffed, ';'); i >= 0 {
		sniffed = sniffed[:i]
	}
	// A NUL byte near the start is the surest sign of binary data; it also
	// catches UTF-16 pages, which small-business sites do not use.
	head := body[:min(len(body), 1024)]
	if bytes.IndexByte(head, 0) >= 0 || !strings.HasPrefix(sniffed, "text/") {
		mt := declared
		if mt == "" || mt == "application/octet-stream" || mt == "text/html" || mt == "text/plain" {
			mt = sniffed
		}
		return kindBinary, mt
	}
	switch declared {
	case "", "text/html", "application/xhtml+xml", "text/plain", "application/octet-stream":
		return kindHTML, "text/html"
	}
	return kindOther, declared
}

// cp1252 maps the bytes 0x80–0x9F of Windows-1252, the charset old pages
// declare as "iso-8859-1" and really use; 0xA0–0xFF are Latin-1 itself.
var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

// toUTF8 returns the body as UTF-8. Valid UTF-8 is returned as is; otherwise
// each byte that does not start a valid sequence is read as Windows-1252.
// Decoding byte by byte rather than trusting a declared charset handles the
// common cases alike: a Latin-1 page (its © is the lone byte 0xA9) and a
// UTF-8 page with a few stray bytes pasted in from a word processor.
func toUTF8(b []byte, truncated bool) []byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	check := b
	if truncated && len(check) > utf8.UTFMax {
		// The cut may have split the last character; that is not a reason
		// to re-decode the whole page.
		check = check[:len(check)-utf8.UTFMax]
	}
	if utf8.Valid(check) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/16)
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n > 1 {
			out = append(out, b[i:i+n]...)
			i += n
			continue
		}
		r := rune(c)
		if c < 0xA0 {
			r = cp1252[c-0x80]
		}
		out = utf8.AppendRune(out, r)
		i++
	}
	if len(out) > MaxBody {
		// Re-encoding grows high bytes to two or three; keep the bound.
		cut := MaxBody
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut]
	}
	return out
}

// cookieNames lists the names the response sets, for cookie fingerprints.
func cookieNames(h http.Header) []string {
	var names []string
	for _, line := range h.Values("Set-Cookie") {
		name, _, _ := strings.Cut(line, "=")
		if name = strings.TrimSpace(name); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// Title is the page's <title>, whitespace collapsed.
func (d *Doc) Title() string { return d.title }

// Text is the page's visible text (not scripts, styles, noscript or
// templates), whitespace collapsed. On a very long page it is the first
// 512 KiB and the last 128 KiB joined by a newline: the opening and the
// footer are where businesses say who they are.
func (d *Doc) Text() string { return d.text }
