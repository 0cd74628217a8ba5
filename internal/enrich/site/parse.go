package site

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	maxURLs     = 500       // script, link and iframe URLs kept per page
	maxCSS      = 256 << 10 // <style> bytes kept for the media-query check
	maxMetaVals = 16        // contents kept per meta name
	// fixedWidthPx is the width from which a fixed layout overflows a
	// phone, tablets in portrait included (768 CSS pixels).
	fixedWidthPx = 700
)

type attr struct{ key, val []byte }

type tableState struct{ hasTH, layoutAttr bool }

// walker is the single pass over a page's tokens. It uses the tokenizer,
// not the tree builder: nothing here needs the tree, and the tokenizer
// neither allocates nodes nor repairs markup, so a 2 MiB page costs one
// linear scan.
type walker struct {
	d      *Doc
	z      *html.Tokenizer
	attrs  []attr
	raw    atom.Atom // the raw-text element whose content is the next token
	skip   int       // depth inside <template>, whose content is not shown
	svg    int       // depth inside <svg>, whose <title> is not the page's
	inHead bool
	tables []tableState
	fonts  []bool // open <font> tags, and whether each made text small
	small  int    // how many of them did
	text   boundedText
}

func (d *Doc) walk() {
	w := &walker{d: d, z: html.NewTokenizer(bytes.NewReader(d.html)), inHead: true}
	for {
		switch w.z.Next() {
		case html.ErrorToken:
			// io.EOF, or the end of a truncated body: both end the page.
			for range w.tables {
				w.popTable()
			}
			d.text = w.text.String()
			return
		case html.TextToken:
			w.onText()
		case html.StartTagToken, html.SelfClosingTagToken:
			w.onStart()
		case html.EndTagToken:
			w.onEnd()
		case html.DoctypeToken:
			if !d.hasDoctype {
				d.hasDoctype = true
				d.doctype = strings.ToLower(strings.TrimSpace(string(w.z.Text())))
			}
		}
	}
}

// inline elements do not separate words: "<b>Est</b>. 1998" reads as one
// phrase. Every other tag does.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Big: true, atom.Blink: true, atom.Cite: true, atom.Code: true,
	atom.Data: true, atom.Dfn: true, atom.Em: true, atom.Font: true, atom.I: true,
	atom.Kbd: true, atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true,
	atom.Small: true, atom.Span: true, atom.Strike: true, atom.Strong: true,
	atom.Sub: true, atom.Sup: true, atom.Time: true, atom.Tt: true, atom.U: true,
	atom.Var: true, atom.Wbr: true,
}

// attrTags are the elements whose attributes the pass reads (besides
// style, read on any element).
var attrTags = map[atom.Atom]bool{
	atom.A: true, atom.Center: true, atom.Div: true, atom.Embed: true,
	atom.Font: true, atom.Iframe: true, atom.Img: true, atom.Link: true,
	atom.Meta: true, atom.Object: true, atom.Param: true, atom.Script: true,
	atom.Source: true, atom.Table: true, atom.Td: true, atom.Tr: true,
}

func (w *walker) onText() {
	raw := w.raw
	w.raw = 0
	d := w.d
	switch raw {
	case 0, atom.Textarea:
		if w.skip > 0 {
			return
		}
		t := w.z.Text()
		if w.inHead && len(bytes.TrimSpace(t)) > 0 {
			w.inHead = false
		}
		w.text.write(t)
	case atom.Title:
		if w.svg == 0 && !d.hasTitle {
			var t boundedText
			t.write(w.z.Text())
			d.title = truncateRunes(t.String(), 300)
			d.hasTitle = d.title != ""
		}
	case atom.Style:
		if room := maxCSS - len(d.css); room > 0 {
			t := w.z.Text()
			d.css = append(d.css, t[:min(len(t), room)]...)
			d.css = append(d.css, '\n')
		}
	case atom.Script:
		d.n.inlineScripts++
	}
}

func (w *walker) readAttrs() {
	for {
		k, v, more := w.z.TagAttr()
		if k == nil {
			return // no attributes at all
		}
		w.attrs = append(w.attrs, attr{k, v})
		if !more {
			return
		}
	}
}

// tagAtom reads a tag's name from its raw bytes ("<TD …>", "</td>")
// without the allocation TagName makes; names longer than any atom the
// pass uses are 0.
func tagAtom(raw []byte) atom.Atom {
	var buf [16]byte
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	n := 0
	for ; i < len(raw); i++ {
		c := raw[i]
		if c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			break
		}
		if n == len(buf) {
			return 0
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return atom.Lookup(buf[:n])
}

func (w *walker) get(key string) ([]byte, bool) {
	for _, a := range w.attrs {
		if string(a.key) == key {
			return a.val, true
		}
	}
	return nil, false
}

func (w *walker) str(key string) string {
	v, _ := w.get(key)
	return strings.TrimSpace(string(v))
}

func (w *walker) onStart() {
	raw := w.z.Raw()
	a := tagAtom(raw)
	// The tokenizer copies every tag name and attribute it returns; most
	// tags on a big page (cells, spans, list items) have nothing this pass
	// reads, so their names come from the raw bytes and their attributes
	// are left alone.
	w.attrs = w.attrs[:0]
	if attrTags[a] || indexFold(raw, "style") >= 0 {
		w.readAttrs()
	}
	if !inline[a] {
		w.text.gap()
	}
	d := w.d
	switch a {
	case atom.Head:
		w.inHead = true
	case atom.Body:
		w.inHead = false
	case atom.Meta:
		w.onMeta()
	case atom.Link:
		w.onLink()
	case atom.Script:
		w.onScript()
	case atom.Iframe:
		if src := w.str("src"); src != "" {
			d.n.requests++
			w.mixed(src)
			if len(d.iframes) < maxURLs {
				d.iframes = append(d.iframes, src)
			}
		}
	case atom.Frame, atom.Frameset:
		d.n.frames++
	case atom.Table:
		if len(w.tables) > 0 {
			d.n.nestedTables++
		}
		w.tables = append(w.tables, tableState{layoutAttr: w.layoutAttrs()})
		w.fixedWidthAttr()
	case atom.Th, atom.Thead, atom.Caption:
		if n := len(w.tables); n > 0 {
			w.tables[n-1].hasTH = true
		}
	case atom.Td, atom.Tr:
		if n := len(w.tables); n > 0 && w.layoutAttrs() {
			w.tables[n-1].layoutAttr = true
		}
		w.fixedWidthAttr()
	case atom.Div, atom.Center:
		w.fixedWidthAttr()
	case atom.Font:
		small := smallFontSize(w.str("size"))
		d.n.fontTags++
		if small {
			d.n.smallFontTags++
			w.small++
		}
		w.fonts = append(w.fonts, small)
	case atom.Marquee:
		d.n.marquee++
	case atom.Blink:
		d.n.blink++
	case atom.Object:
		if isSWF(w.str("data")) || isFlashType(w.str("type")) ||
			strings.Contains(strings.ToLower(w.str("classid")), "d27cdb6e-ae6d-11cf-96b8-444553540000") {
			d.n.flash++
		}
		if data := w.str("data"); data != "" {
			d.n.requests++
			w.mixed(data)
		}
	case atom.Embed:
		if isSWF(w.str("src")) || isFlashType(w.str("type")) {
			d.n.flash++
		}
		if src := w.str("src"); src != "" {
			d.n.requests++
			w.mixed(src)
		}
	case atom.Param:
		if n := strings.ToLower(w.str("name")); (n == "movie" || n == "src") && isSWF(w.str("value")) {
			d.n.flash++
		}
	case atom.Img:
		w.onImg()
	case atom.Source:
		if _, ok := w.get("srcset"); ok {
			d.n.srcsets++
		}
	case atom.A:
		d.n.anchors++
		if strings.HasPrefix(strings.ToLower(w.str("href")), "tel:") {
			d.n.telLinks++
		}
		if w.small > 0 {
			d.n.smallFontLinks++
		}
	case atom.Area:
		d.n.areas++
	case atom.Template:
		w.skip++
	case atom.Svg:
		w.svg++
	}
	if style, ok := w.get("style"); ok {
		w.inlineStyle(style)
	}
	switch a {
	case atom.Iframe, atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext,
		atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp:
		// The tokenizer reads these elements' content as one raw token,
		// even when the tag is written self-closing, as browsers do.
		w.raw = a
	}
}

func (w *walker) onEnd() {
	a := tagAtom(w.z.Raw())
	w.raw = 0
	if !inline[a] {
		w.text.gap()
	}
	switch a {
	case atom.Head:
		w.inHead = false
	case atom.Table:
		if len(w.tables) > 0 {
			w.popTable()
		}
	case atom.Font:
		if n := len(w.fonts); n > 0 {
			if w.fonts[n-1] {
				w.small--
			}
			w.fonts = w.fonts[:n-1]
		}
	case atom.Template:
		if w.skip > 0 {
			w.skip--
		}
	case atom.Svg:
		if w.svg > 0 {
			w.svg--
		}
	}
}

func (w *walker) popTable() {
	n := len(w.tables) - 1
	t := w.tables[n]
	w.tables = w.tables[:n]
	d := w.d
	d.n.tables++
	if !t.hasTH {
		d.n.tablesNoTH++
		if t.layoutAttr {
			d.n.layoutAttrTables++
		}
	}
}

// layoutAttrs reports the presentational attributes of table-era layouts.
func (w *walker) layoutAttrs() bool {
	for _, k := range []string{"width", "bgcolor", "background", "height"} {
		if _, ok := w.get(k); ok {
			return true
		}
	}
	return false
}

func (w *walker) fixedWidthAttr() {
	v, ok := w.get("width")
	if !ok {
		return
	}
	if px, ok := pixels(string(v)); ok && px >= fixedWidthPx {
		w.d.n.fixedWidth++
	}
}

func (w *walker) onMeta() {
	d := w.d
	name := strings.ToLower(w.str("name"))
	if name == "" {
		name = strings.ToLower(w.str("property"))
	}
	if name == "" {
		return
	}
	content := w.str("content")
	if len(d.meta[name]) < maxMetaVals {
		d.meta[name] = append(d.meta[name], truncateRunes(content, 500))
	}
	switch name {
	case "viewport":
		if !d.hasViewport {
			d.hasViewport = true
			d.viewport = strings.ToLower(content)
		}
	case "description":
		if d.metaDescription == "" {
			var t boundedText
			t.write([]byte(content))
			d.metaDescription = truncateRunes(t.String(), 500)
		}
	}
}

func (w *walker) onLink() {
	d := w.d
	href := w.str("href")
	if href == "" {
		return
	}
	if len(d.links) < maxURLs {
		d.links = append(d.links, href)
	}
	rel := strings.ToLower(w.str("rel"))
	if !strings.Contains(rel, "stylesheet") {
		return
	}
	d.n.requests++
	w.mixed(href)
	media := strings.ToLower(w.str("media"))
	if strings.Contains(media, "width") {
		d.n.mediaQueries++
	}
	if w.inHead && media != "print" {
		d.n.headBlocking++
	}
}

func (w *walker) onScript() {
	d := w.d
	src := w.str("src")
	if src == "" {
		return
	}
	d.n.requests++
	w.mixed(src)
	if len(d.scripts) < maxURLs {
		d.scripts = append(d.scripts, src)
	}
	_, async := w.get("async")
	_, deferred := w.get("defer")
	if w.inHead && !async && !deferred && !strings.EqualFold(w.str("type"), "module") {
		d.n.headBlocking++
	}
}

func (w *walker) onImg() {
	d := w.d
	d.n.images++
	if _, ok := w.get("srcset"); ok {
		d.n.srcsets++
	}
	src := w.str("src")
	if src == "" {
		return
	}
	d.n.requests++
	w.mixed(src)
	base := strings.ToLower(src)
	if i := strings.IndexAny(base, "?#"); i >= 0 {
		base = base[:i]
	}
	base = base[strings.LastIndexByte(base, '/')+1:]
	if isSpacer(base) {
		d.n.spacerGIFs++
	}
	if strings.Contains(base, "construction") {
		d.n.constructionImgs++
	}
}

// spacerNames are the transparent one-pixel GIFs table layouts were
// shimmed with; "pixel.gif" is left out because tracking pixels use it.
var spacerNames = map[string]bool{
	"spacer.gif": true, "spc.gif": true, "shim.gif": true, "clear.gif": true,
	"clearpixel.gif": true, "blank.gif": true, "trans.gif": true,
	"transparent.gif": true, "1x1.gif": true, "dot_clear.gif": true,
	"pixel_trans.gif": true, "space.gif": true,
}

func isSpacer(base string) bool {
	return spacerNames[base] || (strings.HasPrefix(base, "spacer") && strings.HasSuffix(base, ".gif"))
}

func isSWF(u string) bool {
	u = strings.ToLower(u)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.HasSuffix(u, ".swf")
}

func isFlashType(t string) bool {
	return strings.EqualFold(strings.TrimSpace(t), "application/x-shockwave-flash")
}

// mixed counts subresources an https page loads over plain http: browsers
// block them or flag the page as not fully secure.
func (w *walker) mixed(u string) {
	if w.d.https && len(u) > 7 && strings.EqualFold(u[:7], "http://") {
		w.d.n.mixedContent++
	}
}

// smallFontSize reads a <font size>: 1 and 2 are 10 and 13 pixels, and a
// relative size below zero is smaller than the default 16.
func smallFontSize(s string) bool {
	if s == "" || s[0] == '+' {
		return false
	}
	if s[0] == '-' {
		return true
	}
	n, err := strconv.Atoi(s)
	return err == nil && n <= 2
}

// pixels reads an HTML width attribute or a CSS length in pixels;
// percentages and other units are not fixed widths.
func pixels(s string) (int, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	s = strings.TrimSpace(strings.TrimSuffix(s, "px"))
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false // "100%", "auto": not a fixed width, and no error to allocate
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return int(n), true
}

// inlineStyle reads the two declarations of a style attribute the mobile
// rubric cares about. Only style attributes are read for these, not
// <style> blocks: an attribute applies to the element it sits on, while a
// rule in a stylesheet may be for a desktop media query or never match.
func (w *walker) inlineStyle(style []byte) {
	for _, decl := range bytes.Split(style, []byte{';'}) {
		prop, val, ok := bytes.Cut(decl, []byte{':'})
		if !ok {
			continue
		}
		p := strings.ToLower(string(bytes.TrimSpace(prop)))
		v := strings.ToLower(string(bytes.TrimSpace(val)))
		v = strings.TrimSpace(strings.TrimSuffix(v, "!important"))
		switch p {
		case "font-size":
			if smallCSSFont(v) {
				w.d.n.smallFontStyles++
			}
		case "width", "min-width":
			if strings.HasSuffix(v, "px") {
				if px, ok := pixels(v); ok && px >= fixedWidthPx {
					w.d.n.fixedWidth++
				}
			}
		}
	}
}

// smallCSSFont says whether a font-size is below 12 CSS pixels, the size
// under which Lighthouse's legibility audit calls text too small.
func smallCSSFont(v string) bool {
	switch v {
	case "xx-small", "x-small":
		return true
	}
	for _, u := range []struct {
		unit  string
		limit float64
	}{{"px", 12}, {"pt", 9}, {"rem", 0.75}, {"em", 0.75}} {
		if num, ok := strings.CutSuffix(v, u.unit); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			return err == nil && n > 0 && n < u.limit
		}
	}
	return false
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
