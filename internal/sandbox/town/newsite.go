package town

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// newSite draws the website of b, which has a domain, from b's own stream.
// The steps run in a fixed order, each drawing from the same stream: moving
// a draw from one step to another, or skipping one, changes every site
// generated after it.
func newSite(b *Business, city City) *Site {
	r := rand.New(rand.NewPCG(Hash(b.ID), 0x73697465)) // "site"
	host := strings.TrimSuffix(b.Website[strings.Index(b.Website, "://")+3:], "/")
	s := &Site{Host: host}
	drawVariant(r, s)
	drawLook(r, s, b)
	drawMail(r, s)
	drawPeople(r, s, b)
	drawRoleEmails(r, s, b)
	if s.Serves() {
		drawPages(r, s)
		drawStory(r, s, b, city)
	}
	return s
}

// variantShares are the site variants' shares among the businesses that
// list a website, as cumulative bounds of one draw from [0, 1): modern 35 %,
// dated 35 %, broken TLS, slow 10 % each, server error 4 %, parked 3 %, and
// dead the remaining 3 %.
var variantShares = []struct {
	below   float64
	variant SiteVariant
}{
	{0.35, SiteModern}, {0.70, SiteDated}, {0.80, SiteBrokenTLS}, {0.90, SiteSlow},
	{0.94, SiteServerError}, {0.97, SiteParked},
}

// drawVariant picks how the site behaves, whether it looks dated, the
// scheme the listings show and, for a broken-TLS site, what is wrong with
// its certificate.
func drawVariant(r *rand.Rand, s *Site) {
	x := r.Float64()
	s.Variant = SiteDead
	for _, v := range variantShares {
		if x < v.below {
			s.Variant = v.variant
			break
		}
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
}

// drawLook picks the copyright year and the markup's technology: jQuery 1.8
// and maybe Flash for a dated look, a site builder for a modern one.
func drawLook(r *rand.Rand, s *Site, b *Business) {
	if s.Dated {
		s.CopyrightYear = 2009 + r.IntN(8)
		s.JQuery = fmt.Sprintf("1.8.%d", r.IntN(4))
		s.Flash = r.Float64() < 0.3
		return
	}
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
		id := strings.ToUpper(idString(Hash(b.ID), 0x6761, 10))
		s.Analytics = "G-" + strings.NewReplacer("-", "X", "_", "Y").Replace(id)
	}
}

// drawMail decides whether the domain receives mail, whether its server
// accepts every address, and the pattern its addresses follow.
func drawMail(r *rand.Rand, s *Site) {
	s.MX = s.Variant != SiteParked && s.Variant != SiteDead && r.Float64() < 0.92
	s.AcceptAll = s.MX && r.Float64() < 0.2
	if !s.MX {
		return
	}
	n := r.IntN(100)
	for _, p := range emailPatterns {
		if n < p.weight {
			s.Pattern = p.pattern
			break
		}
		n -= p.weight
	}
}

// drawPeople staffs the business: the owner, sometimes a co-owner, and up
// to four staff, with their addresses, how the website shows them and what
// Hunter knows of them.
func drawPeople(r *rand.Rand, s *Site, b *Business) {
	used := map[string]bool{}
	for i, ro := range drawRoles(r) {
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
			p.Email = ApplyPattern(s.Pattern, first, last) + "@" + b.Domain
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
			drawHunterRecord(r, s, &p)
		}
		s.People = append(s.People, p)
	}
}

// drawRoles picks the positions: an owner's title, sometimes a co-owner,
// and up to four distinct staff roles.
func drawRoles(r *rand.Rand) []role {
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
	return append(roles, staff[:nStaff]...)
}

// drawHunterRecord lists p on Hunter, with a confidence and, usually, a
// verification.
func drawHunterRecord(r *rand.Rand, s *Site, p *Person) {
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

// drawRoleEmails picks the role addresses the website shows and those
// Hunter knows, which overlap.
func drawRoleEmails(r *rand.Rand, s *Site, b *Business) {
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
	if !s.MX {
		return
	}
	for _, e := range s.RoleEmails {
		if r.Float64() < 0.7 {
			s.HunterRoles = append(s.HunterRoles, e)
		}
	}
	if r.Float64() < 0.15 && !slices.Contains(s.RoleEmails, "sales@"+b.Domain) {
		s.HunterRoles = append(s.HunterRoles, "sales@"+b.Domain)
	}
}

// drawPages picks which of the contact, about and team pages a serving
// site has; a team page needs at least two people to show.
func drawPages(r *rand.Rand, s *Site) {
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
}

// drawStory picks the founding phrase (and year) and the team-size phrase a
// serving site states, if any.
func drawStory(r *rand.Rand, s *Site, b *Business, city City) {
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

// ApplyPattern makes an address's local part from Hunter's pattern notation.
func ApplyPattern(pattern, first, last string) string {
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
