package contacts

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Found is one person, or one way of reaching the business, found on a
// web page, with where and how it was found.
type Found struct {
	Name      string // as the page shows it: "Dr. Jane A. Smith"
	FirstName string
	LastName  string
	Title     string // job title: "Owner", "Office Manager"
	Email     string // lowercase, syntax-checked
	Phone     string // as the page writes it; the caller, who knows the country, normalizes it
	// LinkedInURL is a personal LinkedIn profile linked from the person's
	// card or structured data.
	LinkedInURL string
	Source      string // SourceWebsite from Extract; other finders set their own ("hunter", "manual")
	Evidence    string // EvidenceMailto, EvidenceTel, EvidenceText, …
	PageURL     string
}

// SourceWebsite is the contacts table's source for what the business's own
// website shows.
const SourceWebsite = "website"

// How a Found was found. A person found with a title gets EvidenceTeam
// whatever carried their address.
const (
	EvidenceMailto     = "mailto"     // a mailto: link
	EvidenceTel        = "tel"        // a tel: link
	EvidenceText       = "text"       // written out in the visible text
	EvidenceObfuscated = "obfuscated" // "[at]"/"(dot)" forms, entities, split elements, Cloudflare protection
	EvidenceJSONLD     = "json-ld"    // schema.org structured data
	EvidenceTeam       = "team"       // a name with a title: a team card, "Maria Gonzalez, Owner"
)

// cardMaxText is the most visible text an element may hold and still be
// read as one person's card: a name, a title, an address, a phone and a
// line of bio fit; a whole team grid or page section does not.
const cardMaxText = 400

// maxCardLines is the most lines a card can span: cardMaxText characters
// rarely make more than a dozen.
const maxCardLines = 16

// Extract finds the people and addresses on one page of a business's
// website. pageURL is where the page was fetched from (after redirects);
// it decides which site the page belongs to. body is the page's HTML as
// fetched.
//
// It finds addresses in mailto: links (recipients only, decoded), in the
// visible text, and in the obfuscated forms sites use against harvesters:
// "[at]"/"(at)"/"{at}" with "[dot]" forms, "name at domain dot com" when
// unambiguous (see obfuscatedEmails), character references, addresses split
// across elements, and Cloudflare's email protection. It finds phones in
// tel: links and in text next to a phone word ("Phone:", "Call"), never
// fax numbers. It reads schema.org JSON-LD (Person, Organization,
// LocalBusiness and its subtypes: email, telephone, founder, employee,
// member, with name and jobTitle). And it finds people: a name with a job
// title ("Maria Gonzalez, Owner", "John Smith – President", "Inhaber: Hans
// Müller", or a card whose heading is the name and next line the title),
// joined to the address, phone and LinkedIn profile of their card, or to
// an address that is recognizably theirs (maria.gonzalez@ for Maria
// Gonzalez).
//
// An address is kept only when it passes the syntax check and is not:
// a file name (logo@2x.png), a placeholder (you@example.com,
// name@domain.com, email@website.com, see placeholderDomains and
// placeholderLocals), a mailbox of a third-party service the site embeds
// (see thirdPartyHosts), a long hexadecimal key, or a no-reply address.
// Role addresses (info@, office@) are kept but never attached to a person.
//
// The result holds each address and each person once, in page order, with
// the structured data's findings last.
func Extract(pageURL string, body []byte) []Found {
	x := &extraction{
		page: parsePage(body),
		site: siteOf(pageURL),
		raw:  strings.ToLower(string(body)),
	}
	x.collectLinks()
	x.collectText()
	x.findPeople()
	x.associate()
	out := x.found()
	out = append(out, jsonLDFound(x.page.jsonLD, x.site)...)
	for i := range out {
		out[i].Source = SourceWebsite
		out[i].PageURL = pageURL
	}
	return mergeFound(out)
}

// siteOf returns the registrable domain of a page's URL, "" when it has
// none.
func siteOf(pageURL string) string {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || u.Hostname() == "" {
		return ""
	}
	return registrable(u.Hostname())
}

type extraction struct {
	page *page
	site string
	raw  string // the page's source, lowercased: what an address looked like before decoding

	emails   []*emailItem
	phones   []*phoneItem
	profiles []*profileItem
	people   []*person
}

// occurrence is where on the page something was seen.
type occurrence struct {
	line int
	node *html.Node
}

type emailItem struct {
	addr     string
	evidence string
	occ      []occurrence
	owner    *person
}

type phoneItem struct {
	phone    string
	digits   string
	evidence string
	occ      []occurrence
	owner    *person
}

type profileItem struct {
	url   string
	occ   occurrence
	owner *person
}

type person struct {
	name, title string
	key         string // the name folded to letters, to find the person again
	forms       nameForms
	evidence    string
	occ         occurrence
	email       *emailItem
	phone       *phoneItem
	profile     *profileItem
}

// evidenceRank orders the ways an address can be seen: the most direct
// wins when one address is seen several ways.
var evidenceRank = map[string]int{EvidenceMailto: 0, EvidenceTel: 0, EvidenceText: 1, EvidenceObfuscated: 2}

func (x *extraction) addEmail(addr, evidence string, at occurrence) *emailItem {
	for _, e := range x.emails {
		if e.addr == addr {
			e.occ = append(e.occ, at)
			if evidenceRank[evidence] < evidenceRank[e.evidence] {
				e.evidence = evidence
			}
			return e
		}
	}
	e := &emailItem{addr: addr, evidence: evidence, occ: []occurrence{at}}
	x.emails = append(x.emails, e)
	return e
}

func (x *extraction) addPhone(num, evidence string, at occurrence) {
	digits := phoneDigits(num)
	for _, p := range x.phones {
		if sameDigits(p.digits, digits) {
			p.occ = append(p.occ, at)
			if evidence == EvidenceTel && p.evidence != EvidenceTel {
				// A tel: link's number is written for machines: keep it.
				p.phone, p.digits, p.evidence = num, digits, EvidenceTel
			}
			return
		}
	}
	x.phones = append(x.phones, &phoneItem{phone: num, digits: digits, evidence: evidence, occ: []occurrence{at}})
}

// addPerson records a person, merging them into one already seen under the
// same name.
func (x *extraction) addPerson(name, title, evidence string, at occurrence) *person {
	key := letters(name)
	for _, p := range x.people {
		if p.key == key {
			if p.title == "" && title != "" {
				p.title, p.evidence = title, EvidenceTeam
			}
			return p
		}
	}
	p := &person{name: name, title: title, evidence: evidence, occ: at, key: key, forms: newNameForms(name)}
	x.people = append(x.people, p)
	return p
}

func (x *extraction) collectLinks() {
	for _, l := range x.page.links {
		at := occurrence{line: l.line, node: l.node}
		if l.cfEmail != "" {
			if s, ok := decodeCloudflare(l.cfEmail); ok {
				if addr, ok := cleanEmail(s, x.site); ok {
					x.addEmail(addr, EvidenceObfuscated, at)
				}
			}
			continue
		}
		if num, ok := parseTel(l.href); ok {
			x.addPhone(num, EvidenceTel, at)
			continue
		}
		if u, ok := linkedInProfile(l.href); ok {
			x.profiles = append(x.profiles, &profileItem{url: u, occ: at})
			continue
		}
		for _, m := range parseMailto(l.href) {
			addr, ok := cleanEmail(m.addr, x.site)
			if !ok {
				continue
			}
			e := x.addEmail(addr, EvidenceMailto, at)
			if IsRoleAddress(addr) || e.owner != nil {
				continue
			}
			// A link whose text (or display name) is a name is that
			// person's address: <a href="mailto:maria@…">Maria Gonzalez</a>.
			for _, label := range []string{m.name, l.text} {
				if name, ok := parseName(label, false); ok {
					p := x.addPerson(name, "", EvidenceMailto, at)
					if p.email == nil {
						p.email, e.owner = e, p
					}
					break
				}
			}
		}
	}
}

func (x *extraction) collectText() {
	lines := x.page.lines
	for i, l := range lines {
		at := occurrence{line: i, node: l.node}
		spaced := l.spaced()
		for _, s := range textEmails(spaced, l.joined()) {
			addr, ok := cleanEmail(s, x.site)
			if !ok {
				continue
			}
			evidence := EvidenceText
			if !strings.Contains(x.raw, addr) {
				// The source never spells the address out: it was
				// written with character references or split across
				// elements.
				evidence = EvidenceObfuscated
			}
			x.addEmail(addr, evidence, at)
		}
		for _, s := range obfuscatedEmails(spaced) {
			if addr, ok := cleanEmail(s, x.site); ok {
				x.addEmail(addr, EvidenceObfuscated, at)
			}
		}
		prev := ""
		if i > 0 {
			prev = lines[i-1].spaced()
		}
		for _, num := range textPhones(spaced, prev) {
			x.addPhone(num, EvidenceText, at)
		}
	}
}

// chunkSeparators split a line into the parts a name and a title are
// written in: "Maria Gonzalez, Owner", "John Smith – President",
// "Inhaber: Hans Müller", "Jane Doe | Office Manager".
var chunkSeparators = regexp.MustCompile(`\s*(?:,|–|—|\s-\s|\||•|·|:)\s*`)

// findPeople finds names written with a job title: in one line, a name
// and a title side by side; or a line that is only a name followed, in the
// same card, by a line whose first part is a title.
func (x *extraction) findPeople() {
	lines := x.page.lines
	for i, l := range lines {
		if x.inTestimonial(l.node) {
			continue
		}
		at := occurrence{line: i, node: l.node}
		chunks := nameChunks(l.spaced())
		for k := 0; k+1 < len(chunks); k++ {
			if name, ok := parseName(chunks[k], true); ok {
				if title, ok := parseTitle(chunks[k+1]); ok {
					x.addPerson(name, title, EvidenceTeam, at)
					k++
					continue
				}
			}
			if title, ok := parseTitle(chunks[k]); ok {
				if name, ok := parseName(chunks[k+1], true); ok {
					x.addPerson(name, title, EvidenceTeam, at)
					k++
				}
			}
		}
		if i+1 == len(lines) || len(chunks) != 1 {
			continue
		}
		name, ok := parseName(chunks[0], false)
		if !ok {
			continue
		}
		next := lines[i+1]
		title, ok := parseTitle(chunkSeparators.Split(next.spaced(), 2)[0])
		if ok && x.card(commonAncestor(l.node, next.node)) {
			x.addPerson(name, title, EvidenceTeam, at)
		}
	}
}

// nameChunks splits a line at its separators, keeping a name's suffixes
// with it: "Dr. Wei Chen, DDS – Founder" is [Dr. Wei Chen, DDS] [Founder].
func nameChunks(text string) []string {
	var out []string
	for _, c := range chunkSeparators.Split(text, -1) {
		if len(out) > 0 && c != "" && allSuffixes(c) {
			out[len(out)-1] += ", " + c
			continue
		}
		out = append(out, c)
	}
	return out
}

// inTestimonial reports whether a line sits in a quotation or a review,
// where "Jane S., Property Manager" is a customer, not staff.
func (x *extraction) inTestimonial(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		if n.DataAtom == atom.Blockquote || n.DataAtom == atom.Q {
			return true
		}
		cls := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
		if strings.Contains(cls, "testimonial") || strings.Contains(cls, "review") || strings.Contains(cls, "quote") {
			return true
		}
	}
	return false
}

func (x *extraction) small(n *html.Node) bool {
	return n != nil && x.page.textLen[n] <= cardMaxText
}

// card reports whether n can be a person's card: small, and not the whole
// document, however short the page.
func (x *extraction) card(n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode || n.DataAtom == atom.Body || n.DataAtom == atom.Html {
		return false
	}
	return x.small(n)
}

// sameCard reports whether p and something at occurrence o share a card:
// a small element that holds no other person.
func (x *extraction) sameCard(p *person, o occurrence) bool {
	if abs(o.line-p.occ.line) > maxCardLines {
		// Too far apart to share a small element; saves the walk up the
		// tree on pages with hundreds of people.
		return false
	}
	lca := commonAncestor(p.occ.node, o.node)
	if !x.card(lca) {
		return false
	}
	for _, q := range x.people {
		if q != p && isUnder(q.occ.node, lca) {
			return false
		}
	}
	return true
}

func isUnder(n, ancestor *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == ancestor {
			return true
		}
	}
	return false
}

// associate gives people their address, phone and LinkedIn profile.
//
// An address goes to a person when it is recognizably theirs (its local
// part is made of their name) or sits next to them: in their card, or
// within two lines with no other person closer. An address that is
// recognizably someone else's is never given to a neighbour. Role
// addresses go to no one: "Maria Gonzalez, Owner — office@…" means the
// office reads Maria's mail, not that office@ is a decision maker.
//
// A phone or profile goes to a person only from their own card, and a phone
// the page also shows elsewhere is the business's line, not theirs.
func (x *extraction) associate() {
	type pair struct {
		p     *person
		e     *emailItem
		match bool
		dist  int
	}
	var pairs []pair
	for _, e := range x.emails {
		if e.owner != nil || IsRoleAddress(e.addr) {
			continue
		}
		local, _, _ := strings.Cut(e.addr, "@")
		// The people the address names most strongly: "patricia.gonzalez"
		// names Patricia Gonzalez, not her sister-in-law Maria.
		var matching []*person
		strongest := matchNone
		loc := letters(local)
		for _, p := range x.people {
			switch m := p.forms.match(loc); {
			case m == matchNone || m < strongest:
			case m > strongest:
				strongest, matching = m, []*person{p}
			default:
				matching = append(matching, p)
			}
		}
		for _, p := range x.people {
			if p.email != nil {
				continue
			}
			mine := slices.Contains(matching, p)
			if len(matching) > 0 && !mine {
				continue
			}
			match := mine && len(matching) == 1
			near, dist := x.near(p, e)
			if !near && !match {
				continue
			}
			if !near {
				dist = len(x.page.lines)
			}
			pairs = append(pairs, pair{p, e, match, dist})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].match != pairs[j].match {
			return pairs[i].match
		}
		return pairs[i].dist < pairs[j].dist
	})
	for _, pr := range pairs {
		if pr.p.email == nil && pr.e.owner == nil {
			pr.p.email, pr.e.owner = pr.e, pr.p
		}
	}

	for _, ph := range x.phones {
		var owner *person
		for _, p := range x.people {
			if p.phone == nil && x.allInCard(p, ph.occ) {
				owner = p
				break
			}
		}
		if owner != nil {
			owner.phone, ph.owner = ph, owner
		}
	}
	for _, pr := range x.profiles {
		for _, p := range x.people {
			if p.profile == nil && x.sameCard(p, pr.occ) {
				p.profile, pr.owner = pr, p
				break
			}
		}
	}
}

// near reports whether any of occs is next to p, and how many lines away
// the nearest is. Next to means in p's card, or, outside any card, on p's
// line or the line after or before it with no other person closer, and
// then only when the address could be p's: "priya.ramos@" under "Wei
// Chen, Founder" is Priya's, whoever she is.
func (x *extraction) near(p *person, e *emailItem) (bool, int) {
	best, ok := len(x.page.lines), false
	local, _, _ := strings.Cut(e.addr, "@")
	for _, o := range e.occ {
		d := abs(o.line - p.occ.line)
		if x.sameCard(p, o) {
			ok, best = true, min(best, d)
			continue
		}
		if d > 1 || nameLikeLocal(local) && p.forms.match(letters(local)) == matchNone {
			continue
		}
		closer := false
		for _, q := range x.people {
			if q != p && abs(o.line-q.occ.line) < d {
				closer = true
				break
			}
		}
		if !closer {
			ok, best = true, min(best, d)
		}
	}
	return ok, best
}

// nameLikeLocal reports whether a local part is written like a person's
// name in two parts: "priya.ramos", "john_smith", "dr-chen".
func nameLikeLocal(local string) bool {
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if len(p) < 2 || letters(p) != p {
			return false
		}
	}
	return true
}

func (x *extraction) allInCard(p *person, occs []occurrence) bool {
	for _, o := range occs {
		if !x.sameCard(p, o) {
			return false
		}
	}
	return len(occs) > 0
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// How strongly a local part names a person.
const (
	matchNone  = iota
	matchLast  // contains the last name: gonzalez, gonzalez.team
	matchFirst // is or contains the first name: maria, maria2
	matchFull  // made of both: maria.gonzalez, mgonzalez, mariag, gonzalez.m, mg
)

// nameMatch says how strongly an address's local part is made from a
// person's name (see nameForms.match).
func nameMatch(local, name string) int {
	return newNameForms(name).match(letters(local))
}

// nameForms are the spellings of a person's name an address may use,
// computed once per person: a page with hundreds of staff compares every
// address with every name.
type nameForms []nameSpelling

type nameSpelling struct {
	first string
	lasts []string // the whole last name, then each part of a double one
	full  []string // the local parts made of both: maria.gonzalez, mgonzalez …
}

// newNameForms folds a name for matching. German umlauts are tried both
// ways (Müller as muller and mueller), since addresses use either; each
// part of a double last name counts ("j.mueller" names Jürgen
// Müller-Lüdenscheidt).
func newNameForms(name string) nameForms {
	first, last := SplitName(name)
	parts := strings.FieldsFunc(last, func(r rune) bool { return r == '-' || r == ' ' })
	var forms nameForms
	for _, fold := range []func(string) string{letters, lettersTranscribed} {
		sp := nameSpelling{first: fold(first)}
		if sp.first == "" {
			continue
		}
		if l := fold(last); l != "" {
			sp.lasts = append(sp.lasts, l)
			for _, p := range parts {
				if fp := fold(p); fp != l && fp != "" {
					sp.lasts = append(sp.lasts, fp)
				}
			}
		}
		if len(forms) == 1 && forms[0].first == sp.first && slices.Equal(forms[0].lasts, sp.lasts) {
			break
		}
		f, fi := sp.first, sp.first[:1]
		for _, l := range sp.lasts {
			li := l[:1]
			sp.full = append(sp.full, f+l, l+f, fi+l, f+li, l+fi, li+f, fi+li)
		}
		forms = append(forms, sp)
	}
	return forms
}

// match says how strongly a local part, already reduced to letters, is
// made from the name.
func (forms nameForms) match(loc string) int {
	if loc == "" {
		return matchNone
	}
	best := matchNone
	for _, sp := range forms {
		f := sp.first
		if slices.Contains(sp.full, loc) {
			return matchFull
		}
		for _, l := range sp.lasts {
			if len(l) >= 3 && strings.Contains(loc, l) {
				if strings.Contains(loc, f) {
					return matchFull
				}
				best = max(best, matchLast)
			}
		}
		if loc == f || len(f) >= 3 && strings.Contains(loc, f) {
			best = max(best, matchFirst)
		}
	}
	return best
}

// found lists what the page showed, in page order: people with what was
// joined to them, then the addresses and phones no one claimed.
func (x *extraction) found() []Found {
	type placed struct {
		line int
		f    Found
	}
	var all []placed
	for _, p := range x.people {
		f := Found{Name: p.name, Title: p.title, Evidence: p.evidence}
		f.FirstName, f.LastName = SplitName(p.name)
		if p.email != nil {
			f.Email = p.email.addr
		}
		if p.phone != nil {
			f.Phone = p.phone.phone
		}
		if p.profile != nil {
			f.LinkedInURL = p.profile.url
		}
		all = append(all, placed{p.occ.line, f})
	}
	for _, e := range x.emails {
		if e.owner == nil {
			all = append(all, placed{e.occ[0].line, Found{Email: e.addr, Evidence: e.evidence}})
		}
	}
	for _, ph := range x.phones {
		if ph.owner == nil {
			all = append(all, placed{ph.occ[0].line, Found{Phone: ph.phone, Evidence: ph.evidence}})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].line < all[j].line })
	out := make([]Found, len(all))
	for i, p := range all {
		out[i] = p.f
	}
	return out
}

// mergeFound folds together the entries of one page that are one contact:
// the same address, or the same name without conflicting addresses; and
// drops a bare phone that a person's entry already carries.
func mergeFound(in []Found) []Found {
	var out []Found
	var keys []string // letters(out[i].Name)
	for _, f := range in {
		fk := letters(f.Name)
		merged := false
		for i := range out {
			o := &out[i]
			sameEmail := f.Email != "" && f.Email == o.Email
			sameName := fk != "" && fk == keys[i] && (f.Email == "" || o.Email == "" || f.Email == o.Email)
			// An entry with only an address joins the person who has it,
			// but two people never merge through a shared address.
			if sameEmail && fk != "" && keys[i] != "" && fk != keys[i] {
				continue
			}
			if sameEmail || sameName {
				fillFound(o, f)
				if keys[i] == "" {
					keys[i] = fk
				}
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, f)
			keys = append(keys, fk)
		}
	}
	// A bare phone that another entry already carries adds nothing.
	kept := make([]Found, 0, len(out))
	for i, f := range out {
		if f.Name == "" && f.Email == "" && f.Phone != "" && phoneElsewhere(out, i) {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// phoneElsewhere reports whether the phone of out[i] is on an entry with a
// name or address, or on an earlier bare-phone entry.
func phoneElsewhere(out []Found, i int) bool {
	for j, o := range out {
		if j == i || o.Phone == "" || !samePhone(o.Phone, out[i].Phone) {
			continue
		}
		if o.Name != "" || o.Email != "" || j < i {
			return true
		}
	}
	return false
}

// fillFound fills o's empty fields from f.
func fillFound(o *Found, f Found) {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	if o.Name == "" && f.Name != "" {
		o.Name, o.FirstName, o.LastName = f.Name, f.FirstName, f.LastName
		if f.Evidence == EvidenceTeam || o.Evidence == "" {
			o.Evidence = f.Evidence
		}
	}
	fill(&o.Title, f.Title)
	fill(&o.Email, f.Email)
	fill(&o.Phone, f.Phone)
	fill(&o.LinkedInURL, f.LinkedInURL)
	fill(&o.Evidence, f.Evidence)
}
