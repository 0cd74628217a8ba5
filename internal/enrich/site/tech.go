package site

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
)

// Tech is one technology a page shows it uses.
type Tech struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	Version  string `json:"version,omitempty"` // only when the page shows it
}

// fingerprints.json is the technology table: data, not code, so adding a
// technology is a reviewed one-entry change. It is a list of entries:
//
//	name        display name, unique ("jQuery", "Google Analytics")
//	category    one of Categories()
//	headers     response header name → pattern on each of its values;
//	            "" means the header being present is enough
//	cookies     patterns on the names the response sets (Set-Cookie)
//	meta        <meta name> (lowercase) → pattern on its content
//	scripts     patterns on <script src> URLs
//	links       patterns on <link href> URLs
//	iframes     patterns on <iframe src> URLs
//	html        patterns on the raw HTML, inline scripts and styles included
//	implies     names of technologies this one runs on (WooCommerce → WordPress)
//	responsive  pages built with it reflow to a phone's width (builders,
//	            CSS frameworks): the mobile rubric takes that as evidence
//	dated       why a site still built with it looks its age, e.g.
//	            "Microsoft FrontPage, discontinued in 2006"
//
// Patterns are RE2 regular expressions, matched case-insensitively. The
// first capture group, when it matched something, is the version; a
// pattern may instead end in `\;version:TEXT`, TEXT being the version
// (`\1` in it is the first group). Patterns on URLs and HTML must contain a
// literal of at least three characters outside any alternation: the
// detector only runs a pattern where that literal occurs (found for all
// patterns in one pass), on the URL holding it, or in the HTML within
// htmlWindow bytes of it. So an html pattern matches a local construct
// (a tag, an attribute, a comment, a call), never a whole document.
//
//go:embed fingerprints.json
var fingerprintsJSON []byte

// categories are the fingerprint categories.
var categories = []string{
	"advertising", "analytics", "booking", "builder", "cdn", "chat", "cms",
	"css-framework", "ecommerce", "fonts", "forms", "framework", "hosting",
	"js-library", "language", "marketing", "payments", "security", "seo",
	"server", "widgets",
}

// Categories lists the categories a Tech can have.
func Categories() []string { return slices.Clone(categories) }

// htmlWindow is how far around its literal an html pattern may reach.
const htmlWindow = 256

type fingerprintJSON struct {
	Name       string            `json:"name"`
	Category   string            `json:"category"`
	Headers    map[string]string `json:"headers"`
	Cookies    []string          `json:"cookies"`
	Meta       map[string]string `json:"meta"`
	Scripts    []string          `json:"scripts"`
	Links      []string          `json:"links"`
	Iframes    []string          `json:"iframes"`
	HTML       []string          `json:"html"`
	Implies    []string          `json:"implies"`
	Responsive bool              `json:"responsive"`
	Dated      string            `json:"dated"`
}

type pattern struct {
	re         *regexp.Regexp
	version    string // template; "" means the first group
	lit        int    // gate literal id; -1 for patterns run directly
	canVersion bool   // it has a group or a template: a match may show a version
	// need is the lowercase literal every match contains ("" when none):
	// header and meta values without it are not worth a regex run.
	need string
}

type keyed struct {
	key string
	pat pattern
}

type fingerprint struct {
	name, category string
	headers        []keyed // canonical header name
	meta           []keyed // lowercase meta name
	cookies        []pattern
	// Gated patterns, per haystack.
	scripts, links, iframes, html []pattern
	implies                       []string
	responsive                    bool
	dated                         string
}

type fingerprintSet struct {
	list  []fingerprint
	index map[string]int
	ac    *acMatcher
	lits  []string
}

// loadFingerprints compiles the embedded table on first use rather than
// in init(): a broken table fails TestFingerprints, not every program that
// imports the package.
var loadFingerprints = sync.OnceValues(func() (*fingerprintSet, error) {
	return compileFingerprints(fingerprintsJSON)
})

func mustFingerprints() *fingerprintSet {
	fs, err := loadFingerprints()
	if err != nil {
		panic(err) // the table is part of the binary; TestFingerprints guards it
	}
	return fs
}

func compileFingerprints(data []byte) (*fingerprintSet, error) {
	var raw []fingerprintJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("site: fingerprints.json: %w", err)
	}
	fs := &fingerprintSet{index: map[string]int{}}
	litIDs := map[string]int{}
	gate := func(name, src string) (pattern, error) {
		p, err := compilePattern(src)
		if err != nil {
			return p, fmt.Errorf("site: fingerprints.json: %s: %w", name, err)
		}
		lit := p.need
		if len(lit) < 3 {
			return p, fmt.Errorf("site: fingerprints.json: %s: pattern %q has no literal of 3+ characters to gate on", name, src)
		}
		id, ok := litIDs[lit]
		if !ok {
			id = len(fs.lits)
			litIDs[lit] = id
			fs.lits = append(fs.lits, lit)
		}
		p.lit = id
		return p, nil
	}
	gateAll := func(name string, srcs []string) ([]pattern, error) {
		var out []pattern
		for _, s := range srcs {
			p, err := gate(name, s)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		return out, nil
	}
	direct := func(name string, m map[string]string, canon func(string) string) ([]keyed, error) {
		var out []keyed
		for k, src := range m {
			p, err := compilePattern(src)
			if err != nil {
				return nil, fmt.Errorf("site: fingerprints.json: %s: %w", name, err)
			}
			out = append(out, keyed{canon(k), p})
		}
		// Map order is random; a fixed order keeps the chosen version stable.
		slices.SortFunc(out, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
		return out, nil
	}
	var errs []error
	for _, r := range raw {
		if r.Name == "" {
			errs = append(errs, errors.New("site: fingerprints.json: an entry has no name"))
			continue
		}
		if _, dup := fs.index[r.Name]; dup {
			errs = append(errs, fmt.Errorf("site: fingerprints.json: %s is listed twice", r.Name))
			continue
		}
		if !slices.Contains(categories, r.Category) {
			errs = append(errs, fmt.Errorf("site: fingerprints.json: %s: unknown category %q", r.Name, r.Category))
		}
		f := fingerprint{name: r.Name, category: r.Category, implies: r.Implies, responsive: r.Responsive, dated: r.Dated}
		var bad []error
		keep := func(err error) {
			if err != nil {
				bad = append(bad, err)
			}
		}
		var err error
		f.headers, err = direct(r.Name, r.Headers, http.CanonicalHeaderKey)
		keep(err)
		f.meta, err = direct(r.Name, r.Meta, strings.ToLower)
		keep(err)
		for _, src := range r.Cookies {
			p, err := compilePattern(src)
			if err != nil {
				keep(fmt.Errorf("site: fingerprints.json: %s: %w", r.Name, err))
				continue
			}
			f.cookies = append(f.cookies, p)
		}
		f.scripts, err = gateAll(r.Name, r.Scripts)
		keep(err)
		f.links, err = gateAll(r.Name, r.Links)
		keep(err)
		f.iframes, err = gateAll(r.Name, r.Iframes)
		keep(err)
		f.html, err = gateAll(r.Name, r.HTML)
		keep(err)
		if len(bad) > 0 {
			errs = append(errs, bad...)
			continue
		}
		if len(f.headers)+len(f.meta)+len(f.cookies)+len(f.scripts)+len(f.links)+len(f.iframes)+len(f.html) == 0 {
			errs = append(errs, fmt.Errorf("site: fingerprints.json: %s has no pattern", r.Name))
		}
		fs.index[r.Name] = len(fs.list)
		fs.list = append(fs.list, f)
	}
	for _, f := range fs.list {
		for _, imp := range f.implies {
			if _, ok := fs.index[imp]; !ok {
				errs = append(errs, fmt.Errorf("site: fingerprints.json: %s implies unknown %q", f.name, imp))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	fs.ac = newACMatcher(fs.lits)
	return fs, nil
}

const versionMarker = `\;version:`

func compilePattern(src string) (pattern, error) {
	expr, tmpl, hasTmpl := strings.Cut(src, versionMarker)
	re, err := regexp.Compile("(?i)" + expr)
	if err != nil {
		return pattern{}, err
	}
	if hasTmpl && tmpl == "" {
		return pattern{}, fmt.Errorf("pattern %q has an empty version", src)
	}
	p := pattern{re: re, version: tmpl, lit: -1, canVersion: tmpl != "" || re.NumSubexp() > 0}
	if tree, err := syntax.Parse("(?i)"+expr, syntax.Perl); err == nil {
		p.need = requiredLiteral(tree.Simplify())
	}
	return p, nil
}

// worth says whether a lowercased value could match p at all.
func (p pattern) worth(lower string) bool {
	return p.need == "" || strings.Contains(lower, p.need)
}

// versionOf returns the version a match shows, "" when none.
func (p pattern) versionOf(m [][]byte) string {
	v := ""
	switch {
	case p.version != "":
		v = p.version
		if len(m) > 1 {
			v = strings.ReplaceAll(v, `\1`, string(m[1]))
		}
	case len(m) > 1:
		v = string(m[1])
	}
	v = strings.Trim(v, ". ")
	if len(v) > 32 {
		v = v[:32]
	}
	return v
}

// haystack is one text the gated patterns run on, with where each gate
// literal occurs in it.
type haystack struct {
	text  []byte
	hits  [][]int32
	lines bool // a list of URLs, one a line: a pattern sees one line
}

func newHaystack(fs *fingerprintSet, text []byte, lines bool) haystack {
	return haystack{text: text, hits: fs.ac.scan(text), lines: lines}
}

// joinLines makes one haystack of a URL list, a URL a line; a newline
// inside an attribute value becomes a space so that lines stay URLs.
func joinLines(ss []string) []byte {
	var b bytes.Buffer
	for _, s := range ss {
		if strings.ContainsAny(s, "\r\n") {
			s = strings.Map(func(r rune) rune {
				if r == '\r' || r == '\n' {
					return ' '
				}
				return r
			}, s)
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// match runs p where its literal occurs; found says it matched at least
// once, version is the first version it showed.
func (h *haystack) match(p pattern, litLen int) (found bool, version string) {
	lastHi := -1
	for _, at := range h.hits[p.lit] {
		start := int(at)
		var lo, hi int
		if h.lines {
			lo = bytes.LastIndexByte(h.text[:start], '\n') + 1
			hi = start + bytes.IndexByte(h.text[start:], '\n')
			if hi < start {
				hi = len(h.text)
			}
		} else {
			lo = max(0, start-htmlWindow)
			hi = min(len(h.text), start+litLen+htmlWindow)
		}
		if hi <= lastHi {
			continue // this occurrence sits in a window already searched
		}
		lastHi = hi
		if !p.canVersion {
			if p.re.Match(h.text[lo:hi]) {
				return true, ""
			}
			continue
		}
		m := p.re.FindSubmatch(h.text[lo:hi])
		if m == nil {
			continue
		}
		found = true
		if v := p.versionOf(m); v != "" {
			return true, v
		}
	}
	return found, ""
}

// detected is a Tech with what the rubric needs from its fingerprint.
type detected struct {
	Tech
	responsive bool
	dated      string
}

// Tech returns the technologies the page shows, sorted by name, each once.
func (d *Doc) Tech() []Tech {
	det := d.detect()
	out := make([]Tech, len(det))
	for i, t := range det {
		out[i] = t.Tech
	}
	return out
}

// DetectTech parses the page and returns its technologies; callers that
// also want Analyze should Parse once and use Doc.Tech.
func DetectTech(p Page) []Tech { return Parse(p).Tech() }

// Technologies lists every technology the fingerprints know, sorted by
// name, without versions.
func Technologies() []Tech {
	fs := mustFingerprints()
	out := make([]Tech, len(fs.list))
	for i, f := range fs.list {
		out[i] = Tech{Name: f.name, Category: f.category}
	}
	slices.SortFunc(out, func(a, b Tech) int { return compareNames(a.Name, b.Name) })
	return out
}

func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func (d *Doc) detect() []detected {
	d.techOnce.Do(func() { d.tech = d.runFingerprints() })
	return d.tech
}

func (d *Doc) runFingerprints() []detected {
	fs := mustFingerprints()
	var html, scripts, links, iframes haystack
	if d.kind == kindHTML {
		html = newHaystack(fs, d.html, false)
		scripts = newHaystack(fs, joinLines(d.scripts), true)
		links = newHaystack(fs, joinLines(d.links), true)
		iframes = newHaystack(fs, joinLines(d.iframes), true)
	}
	headers := map[string][]string{} // canonical name → lowercased values
	for k, vs := range d.page.Header {
		for _, v := range vs {
			headers[http.CanonicalHeaderKey(k)] = append(headers[http.CanonicalHeaderKey(k)], strings.ToLower(v))
		}
	}
	meta := map[string][]string{}
	for k, vs := range d.meta {
		for _, v := range vs {
			meta[k] = append(meta[k], strings.ToLower(v))
		}
	}
	cookies := make([]string, len(d.cookies))
	for i, c := range d.cookies {
		cookies[i] = strings.ToLower(c)
	}
	found := map[string]string{} // name → version
	for _, f := range fs.list {
		ok, v := matchFingerprint(fs, &f, headers, meta, cookies, []*haystack{&scripts, &links, &iframes, &html})
		if ok {
			found[f.name] = v
		}
	}
	// Implied technologies, transitively; a detected version stays.
	queue := make([]string, 0, len(found))
	for name := range found {
		queue = append(queue, name)
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		for _, imp := range fs.list[fs.index[name]].implies {
			if _, ok := found[imp]; !ok {
				found[imp] = ""
				queue = append(queue, imp)
			}
		}
	}
	out := make([]detected, 0, len(found))
	for name, v := range found {
		f := &fs.list[fs.index[name]]
		out = append(out, detected{Tech: Tech{Name: name, Category: f.category, Version: v}, responsive: f.responsive, dated: f.dated})
	}
	slices.SortFunc(out, func(a, b detected) int { return compareNames(a.Name, b.Name) })
	return out
}

// matchFingerprint tries a fingerprint's patterns, the sources that state
// versions most reliably first (generator tags, then asset URLs, then the
// HTML, then headers), and keeps the first version seen.
func matchFingerprint(fs *fingerprintSet, f *fingerprint, headers, meta map[string][]string, cookies []string, hay []*haystack) (bool, string) {
	found, version := false, ""
	note := func(ok bool, v string) bool {
		if ok {
			found = true
			if version == "" {
				version = v
			}
		}
		return found && version != ""
	}
	for _, k := range f.meta {
		for _, content := range meta[k.key] {
			if !k.pat.worth(content) {
				continue
			}
			if m := k.pat.re.FindStringSubmatch(content); m != nil && note(true, k.pat.versionOf(toBytes(m))) {
				return true, version
			}
		}
	}
	for i, pats := range [][]pattern{f.scripts, f.links, f.iframes, f.html} {
		if hay[i].text == nil {
			continue
		}
		for _, p := range pats {
			if len(hay[i].hits[p.lit]) == 0 || (found && !p.canVersion) {
				continue // absent, or it could only repeat what is known
			}
			if note(hay[i].match(p, len(fs.lits[p.lit]))) {
				return true, version
			}
		}
	}
	for _, k := range f.headers {
		if found && !k.pat.canVersion {
			continue
		}
		for _, v := range headers[k.key] {
			if !k.pat.worth(v) {
				continue
			}
			if m := k.pat.re.FindStringSubmatch(v); m != nil && note(true, k.pat.versionOf(toBytes(m))) {
				return true, version
			}
		}
	}
	for _, p := range f.cookies {
		if found {
			break // cookie names carry no versions
		}
		for _, name := range cookies {
			if p.worth(name) && p.re.MatchString(name) {
				found = true
			}
		}
	}
	return found, version
}

func toBytes(m []string) [][]byte {
	out := make([][]byte, len(m))
	for i, s := range m {
		out[i] = []byte(s)
	}
	return out
}
