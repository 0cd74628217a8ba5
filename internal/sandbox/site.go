package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// This file gives every fictional business with a domain its website, its
// mailbox and its people: what the web host serves, what the DNS server
// answers and what the Hunter fake knows. Everything is drawn from a stream
// seeded from Business.ID alone (see the comment at the top of town.go), so
// the attributes generated before websites existed do not change.

// SiteVariant is how a business's website behaves.
type SiteVariant string

// Site variants. Their shares among the businesses that list a website are
// set in newSite.
const (
	// SiteModern is served over https with a valid certificate, a viewport,
	// a recent copyright and a current site builder's markup and headers.
	SiteModern SiteVariant = "modern"
	// SiteDated is served over http only (the https port refuses the
	// handshake): table layout, font tags, jQuery 1.8, © 2009–2016, no
	// viewport, sometimes a Flash embed.
	SiteDated SiteVariant = "dated"
	// SiteBrokenTLS is listed as https but its certificate, issued by the
	// sandbox CA, is for another name or expired (Site.BadCert). The same
	// pages are served over plain http.
	SiteBrokenTLS SiteVariant = "broken_tls"
	// SiteSlow answers every request after the sandbox's slow-site delay
	// (3 s unless Options.SlowSiteDelay or SetSlowSiteDelay say otherwise).
	SiteSlow SiteVariant = "slow"
	// SiteServerError answers every page with a 500.
	SiteServerError SiteVariant = "server_error"
	// SiteParked answers every page with a registrar's parking page.
	SiteParked SiteVariant = "parked"
	// SiteDead is a listed domain without A or MX records: nothing answers.
	SiteDead SiteVariant = "dead"
)

// ContactStyle is how a website shows a person.
type ContactStyle string

// Contact styles.
const (
	ShownMailto     ContactStyle = "mailto"     // <a href="mailto:maria@x.example">
	ShownPlain      ContactStyle = "plain"      // maria@x.example as text
	ShownObfuscated ContactStyle = "obfuscated" // maria [at] x [dot] example
	ShownEntities   ContactStyle = "entities"   // the address as HTML character references
	ShownJSONLD     ContactStyle = "jsonld"     // a schema.org Person with jobTitle (and email when there is mail)
	ShownCard       ContactStyle = "card"       // "Maria Gonzalez — Owner", no address
)

// Site is a business's website, mailbox and people as the sandbox serves
// them. Tests read it as the ground truth the enrichment stage should find.
type Site struct {
	Variant SiteVariant
	// Scheme and Host are how the listings show the site: "https" or
	// "http", and "www.<domain>" or "<domain>".
	Scheme string
	Host   string
	// Dated is the look: table layout and 2000s markup rather than a site
	// builder's. Always false for SiteModern and true for SiteDated.
	Dated bool
	// Platform is the site builder of a modern look: "WordPress",
	// "Webflow", "Squarespace", "Wix" or "Shopify"; "" for a dated look.
	Platform string
	// PlatformVersion is WordPress's version ("6.6.2"), else "".
	PlatformVersion string
	// JQuery is the jQuery version the pages load ("1.8.3"), or "".
	JQuery string
	// Flash is true when the home page embeds a Flash movie.
	Flash bool
	// Analytics is the Google tag id the pages load, or "".
	Analytics string
	// BadCert is "wrong_name" or "expired" for SiteBrokenTLS, else "".
	BadCert       string
	CopyrightYear int

	// Paths of the pages linked from the home page; "" when the site has
	// no such page.
	ContactPath, AboutPath, TeamPath string

	// Founded is the year the founding phrase states, 0 when the site does
	// not say; FoundingPhrase is that phrase ("Family owned since 1987").
	Founded        int
	FoundingPhrase string
	// TeamSize is the head count TeamPhrase states ("our team of 12
	// technicians"), 0 when the site does not say.
	TeamSize   int
	TeamPhrase string

	// People work at the business; the first is the owner.
	People []Person
	// RoleEmails are the role addresses the website shows (info@, office@).
	RoleEmails []string
	// HunterRoles are the role addresses Hunter knows, some of them not on
	// the website.
	HunterRoles []string
	// Pattern is how the domain's addresses are made, in Hunter's notation
	// ("{first}.{last}"); "" when the domain has no mail.
	Pattern string
	// MX is true when the domain receives mail (an MX record exists).
	MX bool
	// AcceptAll is true when the mail server accepts every address.
	AcceptAll bool
}

// Person is one fictional person working at a business.
type Person struct {
	First, Last string
	Position    string
	Seniority   string // Hunter's: junior, senior, executive
	Department  string // Hunter's: executive, management, operations, …
	// Email follows the domain's pattern; "" when the domain has no mail.
	Email string
	// Shown is how the website shows the person, "" when it does not.
	Shown ContactStyle
	// OnHunter is true when Hunter's Domain Search lists the person.
	OnHunter bool
	// Claimed is true for the one person per town who asked not to be
	// processed: Hunter answers 451 claimed_email about them.
	Claimed bool
	// Verification is Hunter's last verification of the address: "valid",
	// "accept_all", "unknown", or "" when it never verified it.
	Verification string
	// Confidence is Hunter's confidence in the address, 0–100.
	Confidence int
}

// Name is "Maria Gonzalez".
func (p Person) Name() string { return p.First + " " + p.Last }

// ShowsEmail reports whether the website shows the person's address in a
// form a crawler can read (a card shows only name and role).
func (p Person) ShowsEmail() bool {
	return p.Email != "" && p.Shown != "" && p.Shown != ShownCard
}

// Serves reports whether the site answers with the business's own pages.
func (s *Site) Serves() bool {
	switch s.Variant {
	case SiteModern, SiteDated, SiteBrokenTLS, SiteSlow:
		return true
	}
	return false
}

// HTTPSOK reports whether the site completes a TLS handshake with a valid
// certificate for its name.
func (s *Site) HTTPSOK() bool {
	return s.Scheme == "https" && s.Variant != SiteBrokenTLS && s.Variant != SiteDead
}

// PeoplePage is the path of the page that shows the people: the team page,
// else the about page, else the contact page, else the home page.
func (s *Site) PeoplePage() string { return firstNonEmpty(s.TeamPath, s.AboutPath, s.ContactPath, "/") }

// RolesPage is the path of the page that shows the role addresses: the
// contact page, else the home page.
func (s *Site) RolesPage() string { return firstNonEmpty(s.ContactPath, "/") }

// StoryPage is the path of the page with the founding and team-size
// phrases: the about page, else the home page.
func (s *Site) StoryPage() string { return firstNonEmpty(s.AboutPath, "/") }

// Owner is the business's owner.
func (s *Site) Owner() *Person { return &s.People[0] }

// Domain is the site's host without "www.".
func (s *Site) Domain() string { return strings.TrimPrefix(s.Host, "www.") }

// The fictional people's names. The lists are fixed: appending to them is
// fine, reordering them changes every generated person.
var (
	firstNames = []string{
		"Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Elena", "William",
		"Susan", "Carlos", "Aisha", "Wei", "Priya", "Tomas", "Keisha", "Dmitri", "Hannah", "Omar",
		"Grace", "Luis", "Fatima", "Ethan", "Sofia", "Noah", "Olivia", "Marcus", "Yuki", "Andre",
		"Nadia", "Samuel", "Rosa", "Jamal", "Ingrid", "Rafael", "Mei", "Connor", "Leah", "Victor",
	}
	lastNames = []string{
		"Gonzalez", "Whitaker", "Okafor", "Lindqvist", "Brennan", "Castillo", "Nakamura", "Abernathy", "Delgado", "Fitzgerald",
		"Haverford", "Iverson", "Kowalski", "Marchetti", "Novak", "Oyelaran", "Pemberton", "Quintero", "Rasmussen", "Sandoval",
		"Thornbury", "Underhill", "Valdez", "Wexler", "Yamamoto", "Zeller", "Ashdown", "Blackwood", "Carrow", "Dunmore",
	}
)

type role struct{ title, seniority, department string }

var (
	ownerRoles = []role{
		{"Owner", "executive", "executive"}, {"Owner", "executive", "executive"}, {"Founder & Owner", "executive", "executive"},
		{"President", "executive", "executive"}, {"Owner & Operator", "executive", "executive"},
	}
	coOwnerRole = role{"Co-Owner", "executive", "executive"}
	staffRoles  = []role{
		{"General Manager", "executive", "management"}, {"Office Manager", "senior", "operations"},
		{"Operations Manager", "senior", "operations"}, {"Service Manager", "senior", "management"},
		{"Lead Technician", "senior", "operations"}, {"Bookkeeper", "junior", "finance"},
		{"Marketing Coordinator", "junior", "marketing"}, {"Customer Service Representative", "junior", "support"},
		{"Sales Manager", "senior", "sales"}, {"Front Desk Coordinator", "junior", "support"},
	}
	emailPatterns = []struct {
		pattern string
		weight  int
	}{{"{first}", 35}, {"{first}.{last}", 25}, {"{f}{last}", 20}, {"{first}{l}", 10}, {"{last}", 5}, {"{first}_{last}", 5}}
	otherRoleBoxes = []string{"contact", "hello", "service", "sales", "frontdesk"}
)

// teamNouns says what a business calls its staff, for team-size phrases.
var teamNouns = map[string]string{
	"plumber": "licensed plumbers", "electrician": "licensed electricians", "hvac": "certified technicians",
	"roofer": "roofing pros", "dentist": "dental professionals", "auto repair": "ASE-certified mechanics",
	"hair salon": "stylists", "barber": "barbers", "landscaper": "crew members", "cleaning service": "cleaners",
	"lawyer": "attorneys and staff", "accountant": "CPAs and bookkeepers", "veterinarian": "caring team members",
	"restaurant": "cooks and servers", "pest control": "technicians", "moving company": "movers",
}

// newSite draws the website of b, which has a domain, from b's own stream.
func newSite(b *Business, city City) *Site {
	r := rand.New(rand.NewPCG(hash64(b.ID), 0x73697465)) // "site"
	host := strings.TrimSuffix(b.Website[strings.Index(b.Website, "://")+3:], "/")
	s := &Site{Host: host}
	switch x := r.Float64(); {
	case x < 0.35:
		s.Variant = SiteModern
	case x < 0.70:
		s.Variant = SiteDated
	case x < 0.80:
		s.Variant = SiteBrokenTLS
	case x < 0.90:
		s.Variant = SiteSlow
	case x < 0.94:
		s.Variant = SiteServerError
	case x < 0.97:
		s.Variant = SiteParked
	default:
		s.Variant = SiteDead
	}
	switch s.Variant {
	case SiteModern:
	case SiteDated:
		s.Dated = true
	default:
		s.Dated = r.IntN(2) == 0
	}
	switch s.Variant {
	case SiteDated, SiteParked:
		s.Scheme = "http"
	case SiteSlow:
		s.Scheme = "https"
		if s.Dated {
			s.Scheme = "http"
		}
	case SiteServerError:
		s.Scheme = pick(r, []string{"https", "http"})
	default:
		s.Scheme = "https"
	}
	if s.Variant == SiteBrokenTLS {
		s.BadCert = pick(r, []string{"wrong_name", "expired"})
	}

	if s.Dated {
		s.CopyrightYear = 2009 + r.IntN(8)
		s.JQuery = fmt.Sprintf("1.8.%d", r.IntN(4))
		s.Flash = r.Float64() < 0.3
	} else {
		s.CopyrightYear = 2024 + r.IntN(3)
		switch x := r.IntN(100); {
		case x < 40:
			s.Platform = "WordPress"
			s.PlatformVersion = pick(r, []string{"6.4.3", "6.5.5", "6.6.2", "6.7.1"})
			s.JQuery = "3.7.1"
		case x < 60:
			s.Platform = "Wix"
		case x < 75:
			s.Platform = "Squarespace"
		case x < 85:
			s.Platform = "Webflow"
			s.JQuery = "3.5.1"
		default:
			s.Platform = "Shopify"
		}
		if r.IntN(2) == 0 {
			id := strings.ToUpper(idString(hash64(b.ID), 0x6761, 10))
			s.Analytics = "G-" + strings.NewReplacer("-", "X", "_", "Y").Replace(id)
		}
	}

	s.MX = s.Variant != SiteParked && s.Variant != SiteDead && r.Float64() < 0.92
	s.AcceptAll = s.MX && r.Float64() < 0.2
	if s.MX {
		n := r.IntN(100)
		for _, p := range emailPatterns {
			if n < p.weight {
				s.Pattern = p.pattern
				break
			}
			n -= p.weight
		}
	}

	// People: the owner, sometimes a co-owner, and up to four staff.
	nStaff := 0
	switch x := r.IntN(100); {
	case x < 30:
	case x < 60:
		nStaff = 1
	case x < 80:
		nStaff = 2
	case x < 92:
		nStaff = 3
	default:
		nStaff = 4
	}
	roles := []role{ownerRoles[r.IntN(len(ownerRoles))]}
	if r.Float64() < 0.2 {
		roles = append(roles, coOwnerRole)
	}
	staff := append([]role(nil), staffRoles...)
	r.Shuffle(len(staff), func(i, j int) { staff[i], staff[j] = staff[j], staff[i] })
	roles = append(roles, staff[:nStaff]...)
	used := map[string]bool{}
	for i, ro := range roles {
		var first, last string
		for {
			first, last = pick(r, firstNames), pick(r, lastNames)
			if i == 1 && ro == coOwnerRole && r.IntN(2) == 0 {
				last = s.People[0].Last // family business
			}
			if !used[first] {
				break
			}
		}
		used[first] = true
		p := Person{First: first, Last: last, Position: ro.title, Seniority: ro.seniority, Department: ro.department}
		if s.MX {
			p.Email = applyPattern(s.Pattern, first, last) + "@" + b.Domain
			for n := 2; slices.ContainsFunc(s.People, func(o Person) bool { return o.Email == p.Email }); n++ {
				// Two people the pattern gives the same address (a family
				// business on {last}): the second one gets another.
				p.Email = fmt.Sprintf("%s.%s%d@%s", strings.ToLower(first), strings.ToLower(last), n, b.Domain)
			}
		}
		shownRate, hunterRate := 0.5, 0.5
		if i == 0 {
			shownRate, hunterRate = 0.7, 0.6
		}
		if s.Serves() && r.Float64() < shownRate {
			p.Shown = contactStyle(r, s)
		}
		if s.MX && s.Variant != SiteParked && r.Float64() < hunterRate {
			p.OnHunter = true
			p.Confidence = 75 + r.IntN(25)
			switch x := r.Float64(); {
			case s.AcceptAll:
				p.Verification = "accept_all"
				p.Confidence = 55 + r.IntN(25)
			case x < 0.8:
				p.Verification = "valid"
			case x < 0.9:
				p.Verification = "unknown"
			}
		}
		s.People = append(s.People, p)
	}

	if s.MX && s.Serves() {
		if r.Float64() < 0.55 {
			s.RoleEmails = append(s.RoleEmails, "info@"+b.Domain)
		}
		if r.Float64() < 0.25 {
			s.RoleEmails = append(s.RoleEmails, "office@"+b.Domain)
		}
		if r.Float64() < 0.2 {
			s.RoleEmails = append(s.RoleEmails, pick(r, otherRoleBoxes)+"@"+b.Domain)
		}
	}
	if s.MX {
		for _, e := range s.RoleEmails {
			if r.Float64() < 0.7 {
				s.HunterRoles = append(s.HunterRoles, e)
			}
		}
		if r.Float64() < 0.15 && !slices.Contains(s.RoleEmails, "sales@"+b.Domain) {
			s.HunterRoles = append(s.HunterRoles, "sales@"+b.Domain)
		}
	}

	if s.Serves() {
		s.ContactPath, s.AboutPath, s.TeamPath = sitePaths(r, s)
		if r.Float64() >= 0.7 {
			s.ContactPath = ""
		}
		if r.Float64() >= 0.55 {
			s.AboutPath = ""
		}
		shown := 0
		for _, p := range s.People {
			if p.Shown != "" {
				shown++
			}
		}
		if shown < 2 || r.Float64() >= 0.6 {
			s.TeamPath = ""
		}

		if r.Float64() < 0.55 {
			latest := s.CopyrightYear - 3
			if s.Dated {
				latest = min(latest, 2008)
			}
			s.Founded = 1952 + r.IntN(latest-1952+1)
			switch r.IntN(5) {
			case 0:
				s.FoundingPhrase = fmt.Sprintf("Family owned since %d", s.Founded)
			case 1:
				s.FoundingPhrase = fmt.Sprintf("Serving %s since %d", city.Name, s.Founded)
			case 2:
				s.FoundingPhrase = fmt.Sprintf("Established in %d", s.Founded)
			case 3:
				s.FoundingPhrase = fmt.Sprintf("Founded in %d by %s", s.Founded, s.People[0].Name())
			default:
				s.FoundingPhrase = fmt.Sprintf("Proudly serving our neighbors since %d", s.Founded)
			}
		}
		if r.Float64() < 0.4 {
			s.TeamSize = len(s.People) + 1 + r.IntN(30)
			noun := teamNouns[b.Type]
			if noun == "" {
				noun = pick(r, []string{"professionals", "team members", "dedicated staff"})
			}
			switch r.IntN(3) {
			case 0:
				s.TeamPhrase = fmt.Sprintf("our team of %d %s", s.TeamSize, noun)
			case 1:
				s.TeamPhrase = fmt.Sprintf("a crew of %d %s", s.TeamSize, noun)
			default:
				s.TeamPhrase = fmt.Sprintf("%d %s ready to help", s.TeamSize, noun)
			}
		}
	}
	return s
}

// contactStyle picks how the site shows a person: the address in one of
// several forms, a JSON-LD Person, or a team card without an address.
func contactStyle(r *rand.Rand, s *Site) ContactStyle {
	if !s.MX {
		if !s.Dated && r.IntN(3) == 0 {
			return ShownJSONLD
		}
		return ShownCard
	}
	n := r.IntN(100)
	switch {
	case n < 25:
		return ShownMailto
	case n < 40:
		return ShownPlain
	case n < 55:
		return ShownObfuscated
	case n < 65:
		return ShownEntities
	case n < 80 && !s.Dated:
		return ShownJSONLD
	}
	return ShownCard
}

// sitePaths names the contact, about and team pages the way the site's
// builder (or its 2000s author) would.
func sitePaths(r *rand.Rand, s *Site) (contact, about, team string) {
	switch s.Platform {
	case "WordPress":
		return "/contact-us/", "/about-us/", "/our-team/"
	case "Webflow":
		return "/contact", "/about", "/team"
	case "Squarespace":
		return "/contact", "/about", "/meet-the-team"
	case "Wix":
		return "/contact", "/about-us", "/team"
	case "Shopify":
		return "/pages/contact", "/pages/about", "/pages/our-team"
	}
	if r.IntN(2) == 0 {
		return "/contact.html", "/about.html", "/staff.html"
	}
	return "/contactus.htm", "/aboutus.htm", "/ourstaff.htm"
}

// applyPattern makes an address's local part from Hunter's pattern notation.
func applyPattern(pattern, first, last string) string {
	f, l := strings.ToLower(first), strings.ToLower(last)
	return strings.NewReplacer("{first}", f, "{last}", l, "{f}", f[:1], "{l}", l[:1]).Replace(pattern)
}

// markClaimed picks the one person in the town who asked not to be
// processed: the owner of the first business whose site shows people and
// receives mail. The site shows their address, so a crawler finds it and the
// Hunter fake must be asked before it is kept.
func markClaimed(t *Town) {
	for i := range t.Businesses {
		s := t.Businesses[i].Site
		if s == nil || !s.Serves() || !s.MX {
			continue
		}
		o := s.Owner()
		o.Claimed, o.OnHunter = true, true
		if !o.ShowsEmail() {
			o.Shown = ShownMailto
		}
		if o.Verification == "" {
			o.Verification = "valid"
		}
		if o.Confidence == 0 {
			o.Confidence = 90
		}
		return
	}
}
