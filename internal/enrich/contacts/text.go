package contacts

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A page is a parsed HTML document read the way a person sees it: lines of
// visible text, each remembering the block element it came from, plus the
// links and structured data that carry contacts.
type page struct {
	lines  []line
	links  []pageLink
	jsonLD []string

	// textLen is the visible text length under each element, the measure
	// of whether two things on a page sit in one small "card".
	textLen map[*html.Node]int

	buf    strings.Builder // the line being read
	blocks []*html.Node    // enclosing block elements, innermost last
}

// line is one line of visible text. A block element (div, p, li, td, h1 …)
// or a <br> ends a line; inline elements (span, a, b …) do not, which is
// how "name<span>@</span>domain.com" reads as one address.
//
// Inline element boundaries are kept as boundary runes in raw: joined reads
// the line as the browser shows it (boundaries removed), spaced reads it
// with a space at each boundary, so that "Email<span>maria@x.com</span>"
// does not become the address "emailmaria@x.com".
type line struct {
	raw  string
	node *html.Node
}

// boundary marks where an inline element starts or ends inside a line. It
// is a private-use character, which page text never contains.
const boundary = '\uE000'

func (l line) joined() string {
	return collapse(strings.ReplaceAll(l.raw, string(boundary), ""))
}

func (l line) spaced() string {
	return collapse(strings.ReplaceAll(l.raw, string(boundary), " "))
}

func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// pageLink is a link that may carry a contact: its href, its visible text,
// the element and the line it sits on.
type pageLink struct {
	href string
	text string
	node *html.Node
	line int
	// cfEmail is the hex of a Cloudflare-protected address
	// (data-cfemail, or an /cdn-cgi/l/email-protection# link).
	cfEmail string
}

// blockTags end a line where they start and where they end.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Body: true,
	atom.Br: true, atom.Button: true, atom.Caption: true, atom.Center: true, atom.Dd: true,
	atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Html: true, atom.Legend: true, atom.Li: true,
	atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Summary: true, atom.Table: true, atom.Tbody: true, atom.Td: true, atom.Tfoot: true,
	atom.Th: true, atom.Thead: true, atom.Tr: true, atom.Ul: true,
}

// skipTags hold no visible text (or only text a visitor never reads as
// content, such as a <select>'s options).
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Title: true, atom.Iframe: true, atom.Object: true, atom.Canvas: true, atom.Select: true,
	atom.Textarea: true, atom.Math: true,
}

// parsePage reads an HTML document. The parser is the browser's (it never
// fails on bad markup); only a reader error could fail it, and a byte
// slice has none.
func parsePage(src []byte) *page {
	doc, err := html.Parse(strings.NewReader(string(src)))
	if err != nil {
		return &page{textLen: map[*html.Node]int{}}
	}
	p := &page{textLen: map[*html.Node]int{}}
	p.blocks = []*html.Node{doc}
	p.walk(doc)
	p.flush()
	p.measure(doc)
	return p
}

func (p *page) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		p.buf.WriteString(visibleText(n.Data))
		return
	case html.ElementNode:
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			p.walk(c)
		}
		return
	default:
		return
	}

	if n.DataAtom == atom.Script {
		if isJSONLD(n) && n.FirstChild != nil {
			p.jsonLD = append(p.jsonLD, n.FirstChild.Data)
		}
		return
	}
	if skipTags[n.DataAtom] || hidden(n) {
		return
	}
	if cf := attr(n, "data-cfemail"); cf != "" {
		p.links = append(p.links, pageLink{node: n, line: len(p.lines), cfEmail: cf})
	}

	block := blockTags[n.DataAtom]
	if block {
		p.flush()
		p.blocks = append(p.blocks, n)
	} else {
		p.buf.WriteRune(boundary)
	}
	if n.DataAtom == atom.A {
		if href := strings.TrimSpace(attr(n, "href")); href != "" {
			l := pageLink{href: href, text: collapse(nodeText(n)), node: n, line: len(p.lines)}
			if hex, ok := strings.CutPrefix(href, "/cdn-cgi/l/email-protection#"); ok {
				l.cfEmail = hex
			}
			p.links = append(p.links, l)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.walk(c)
	}
	if block {
		p.flush()
		p.blocks = p.blocks[:len(p.blocks)-1]
	} else {
		p.buf.WriteRune(boundary)
	}
}

// flush ends the line being read, keeping it when it has any text.
func (p *page) flush() {
	raw := p.buf.String()
	p.buf.Reset()
	if strings.TrimSpace(strings.ReplaceAll(raw, string(boundary), "")) == "" {
		return
	}
	p.lines = append(p.lines, line{raw: raw, node: p.blocks[len(p.blocks)-1]})
}

// measure records the visible text length of every element under n.
func (p *page) measure(n *html.Node) int {
	total := 0
	switch {
	case n.Type == html.TextNode:
		return len(strings.TrimSpace(n.Data))
	case n.Type == html.ElementNode && (n.DataAtom == atom.Script || skipTags[n.DataAtom] || hidden(n)):
		return 0
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		total += p.measure(c)
	}
	p.textLen[n] = total
	return total
}

// visibleText drops the invisible characters pages use to break up
// addresses for harvesters (zero-width spaces and joiners, soft hyphens)
// and turns non-breaking spaces into spaces.
func visibleText(s string) string {
	if !strings.ContainsAny(s, "\u00a0\u00ad\u200b\u200c\u200d\u2060\ufeff") {
		return s
	}
	return strings.NewReplacer(
		"\u00a0", " ", "\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "",
	).Replace(s)
}

// hidden reports whether an element is not shown: the hidden attribute or
// an inline display:none / visibility:hidden, the usual way decoy text is
// slipped into an address ("maria<span style="display:none">x</span>@…").
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			s := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

func isJSONLD(n *html.Node) bool {
	t := strings.ToLower(strings.TrimSpace(attr(n, "type")))
	return strings.HasPrefix(t, "application/ld+json")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nodeText is the visible text under n, inline boundaries removed.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(visibleText(n.Data))
			return
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || skipTags[n.DataAtom] || hidden(n)):
			return
		case n.Type == html.ElementNode && blockTags[n.DataAtom]:
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// commonAncestor returns the nearest element containing both a and b.
func commonAncestor(a, b *html.Node) *html.Node {
	seen := map[*html.Node]bool{}
	for n := a; n != nil; n = n.Parent {
		seen[n] = true
	}
	for n := b; n != nil; n = n.Parent {
		if seen[n] {
			return n
		}
	}
	return nil
}
