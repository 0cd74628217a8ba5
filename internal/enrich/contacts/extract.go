package contacts

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
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
