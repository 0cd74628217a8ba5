package contacts

import (
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxCandidatePages is how many pages CandidatePages returns at most: with
// the home page, a site costs at most five fetches, which finds the people
// on nearly every small-business site without crawling it.
const MaxCandidatePages = 4

// pageKind is what a page is for, as far as finding people goes.
type pageKind int

const (
	kindContact pageKind = iota // contact, kontakt, get in touch
	kindTeam                    // team, staff, our people, leadership, meet the owner
	kindAbout                   // about, who we are, our story, über uns
	kindLegal                   // impressum, imprint, mentions légales: names the managing director
	kindCount
)

// kindScore is each kind's worth: the contact page lists the addresses,
// the team page the people, the about page often the owner, the legal
// notice (required in German-speaking countries) the managing director
// and an address.
var kindScore = [kindCount]int{kindContact: 100, kindTeam: 95, kindAbout: 80, kindLegal: 70}

// Each kind is recognized by its URL path (one segment, lowercased, accents
// folded, separators removed: "/Über-uns/" reads "uberuns") or by its link
// text (folded words).
var (
	kindPath = [kindCount]*regexp.Regexp{
		kindContact: regexp.MustCompile(`contact|kontakt|contatti|contato|getintouch|reachus|findus`),
		kindTeam: regexp.MustCompile(`^(?:our|meet|meetthe|meetour|the|unser|unsere|notre|nuestro|nuestra)?` +
			`(?:team|teams|staff|people|equipe|equipo|mitarbeiter|leadership|management|attorneys|lawyers|` +
			`doctors|dentists|providers|agents|owner|owners|founder|founders)$`),
		kindAbout: regexp.MustCompile(`about|uberuns|ueberuns|apropos|quisommesnous|sobrenosotros|quienessomos|` +
			`chisiamo|overons|whoweare|ourstory|^history$|^nosotros$|^company$|^unternehmen$`),
		kindLegal: regexp.MustCompile(`impressum|imprint|legalnotice|mentionslegales|avisolegal|colofon|colophon`),
	}
	kindText = [kindCount]*regexp.Regexp{
		kindContact: regexp.MustCompile(`\b(contact|contact us|kontakt|contacto|contatti|contato|get in touch|reach us|nous contacter|contactez nous)\b`),
		kindTeam: regexp.MustCompile(`\b(team|our team|meet the team|staff|our staff|our people|people|leadership|` +
			`team members|equipe|equipo|mitarbeiter|meet the owner|our founder|founders|our attorneys|our doctors|providers)\b`),
		kindAbout: regexp.MustCompile(`\b(about|about us|who we are|our story|our history|uber uns|ueber uns|a propos|` +
			`qui sommes nous|sobre nosotros|quienes somos|chi siamo|over ons)\b`),
		kindLegal: regexp.MustCompile(`\b(impressum|imprint|legal notice|mentions legales|aviso legal)\b`),
	}
)

// skipSegment marks links that lead away from people even when their text
// matches: policies, accounts, shops, blogs, job boards, feeds and the
// platform's own paths.
var skipSegment = regexp.MustCompile(`^(privacy|privacypolicy|datenschutz|datenschutzerklarung|terms|termsofservice|` +
	`termsandconditions|termsofuse|agb|cookie|cookies|cookiepolicy|login|signin|signup|register|account|myaccount|` +
	`cart|checkout|basket|search|tag|tags|category|categories|feed|rss|wpcontent|wpjson|wpadmin|wploginphp|cdncgi|` +
	`careers|jobs|job|karriere|stellenangebote|blog|news|events|shop|products|product|gallery|portfolio|reviews|` +
	`testimonials|faq|sitemap|sitemapxml)$`)

// notPage are the extensions of links to files rather than pages.
var notPage = set(".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".zip", ".doc", ".docx",
	".xls", ".xlsx", ".ppt", ".pptx", ".mp3", ".mp4", ".mov", ".avi", ".css", ".js", ".json", ".xml", ".txt", ".vcf", ".ics")

// CandidatePages returns the pages of a site worth fetching to find its
// contacts, best first: links from the page at baseURL (usually the home
// page; body is its HTML) to its contact, team/staff/leadership, about
// and legal-notice pages, in English and the main European languages,
// recognized by their path or their link text. Links are resolved to
// absolute URLs (honouring <base href>), kept only on the same registrable
// domain (a shop subdomain is the same site; Facebook is not), stripped
// of fragments and de-duplicated, and the page itself is left out.
//
// At most MaxCandidatePages are returned: the best page of each kind
// first (so a multilingual site does not spend every fetch on its contact
// page in four languages), then the best remaining. Ties keep page order.
func CandidatePages(baseURL string, body []byte) []string {
	base, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Hostname() == "" {
		return []string{}
	}
	doc, err := parseHTML(body)
	if err != nil {
		return []string{}
	}
	if b := baseHref(doc); b != "" {
		if u, err := base.Parse(b); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			base = u
		}
	}
	site := registrable(base.Hostname())
	self := pageKey(base)

	type candidate struct {
		url   string
		key   string
		kind  pageKind
		score int
		order int
	}
	var cands []*candidate
	byKey := map[string]*candidate{}
	for i, a := range anchors(doc) {
		u, err := base.Parse(a.href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Hostname() == "" {
			continue
		}
		if registrable(u.Hostname()) != site {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		key := pageKey(u)
		if key == self {
			continue
		}
		kind, score, ok := scoreLink(u, a.text)
		if !ok {
			continue
		}
		if c, seen := byKey[key]; seen {
			if score > c.score {
				c.kind, c.score = kind, score
			}
			continue
		}
		c := &candidate{url: u.String(), key: key, kind: kind, score: score, order: i}
		byKey[key] = c
		cands = append(cands, c)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })

	// The best page of each kind, best first; then the best of the rest,
	// so a caller that stops early has seen every kind.
	var picked []*candidate
	taken := map[*candidate]bool{}
	for _, c := range cands {
		if len(picked) < MaxCandidatePages && !taken[c] && !slices.ContainsFunc(picked, func(p *candidate) bool { return p.kind == c.kind }) {
			picked, taken[c] = append(picked, c), true
		}
	}
	for _, c := range cands {
		if len(picked) < MaxCandidatePages && !taken[c] {
			picked, taken[c] = append(picked, c), true
		}
	}
	out := make([]string, len(picked))
	for i, c := range picked {
		out[i] = c.url
	}
	return out
}

// scoreLink says what kind of page a link leads to and how much it is
// worth fetching: the kind's worth, more when path and text agree, less
// for deep paths and query strings.
func scoreLink(u *url.URL, text string) (pageKind, int, bool) {
	if notPage[strings.ToLower(path.Ext(u.Path))] {
		return 0, 0, false
	}
	var segs []string
	for _, s := range strings.Split(u.Path, "/") {
		s = strings.TrimSuffix(s, path.Ext(s))
		if g := letters(s); g != "" {
			segs = append(segs, g)
		}
	}
	for _, s := range segs {
		if skipSegment.MatchString(s) {
			return 0, 0, false
		}
	}
	last := ""
	if len(segs) > 0 {
		last = segs[len(segs)-1]
	}
	label := strings.Join(words(text), " ")
	best, bestScore := pageKind(0), 0
	for k := pageKind(0); k < kindCount; k++ {
		inPath := last != "" && kindPath[k].MatchString(last)
		inText := label != "" && len(label) <= 40 && kindText[k].MatchString(label)
		if !inPath && !inText {
			continue
		}
		score := kindScore[k]
		if inPath && inText {
			score += 10
		}
		if score > bestScore {
			best, bestScore = k, score
		}
	}
	if bestScore == 0 {
		return 0, 0, false
	}
	if depth := len(segs); depth > 1 && segs[0] != "pages" {
		bestScore -= 5 * (depth - 1)
	}
	if u.RawQuery != "" {
		bestScore -= 10
	}
	return best, bestScore, true
}

// pageKey identifies a page for de-duplication: http and https, "www." or
// not, case and a trailing slash do not make another page.
func pageKey(u *url.URL) string {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p := strings.ToLower(strings.TrimSuffix(u.EscapedPath(), "/"))
	for _, index := range []string{"/index.html", "/index.htm", "/index.php"} {
		p = strings.TrimSuffix(p, index)
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return host + p
}

func parseHTML(src []byte) (*html.Node, error) {
	return html.Parse(strings.NewReader(string(src)))
}

// baseHref returns the document's <base href>, if any.
func baseHref(doc *html.Node) string {
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			return strings.TrimSpace(attr(n, "href"))
		}
	}
	return ""
}

type anchor struct{ href, text string }

// anchors lists a document's links with what a visitor reads on them: the
// link text, or its title or aria-label (icon links), or an image's alt.
func anchors(doc *html.Node) []anchor {
	var out []anchor
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.A && n.DataAtom != atom.Area {
			continue
		}
		href := strings.TrimSpace(attr(n, "href"))
		if href == "" || strings.HasPrefix(href, "#") {
			continue
		}
		text := collapse(nodeText(n))
		if text == "" {
			text = attr(n, "title") + " " + attr(n, "aria-label") + " " + attr(n, "alt")
			for c := range n.Descendants() {
				if c.Type == html.ElementNode && c.DataAtom == atom.Img {
					text += " " + attr(c, "alt")
				}
			}
		}
		out = append(out, anchor{href: href, text: collapse(text)})
	}
	return out
}
