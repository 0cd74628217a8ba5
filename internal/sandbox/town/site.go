package town

import (
	"cmp"
	"strings"
	"time"
)

// This file gives every fictional business with a domain its website, its
// mailbox and its people: what the web host serves, what the DNS server
// answers and what the Hunter fake knows. Everything is drawn from a stream
// seeded from Business.ID alone (see the package doc), so
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
	// (SlowSiteDelay unless the sandbox is told otherwise).
	SiteSlow SiteVariant = "slow"
	// SiteServerError answers every page with a 500.
	SiteServerError SiteVariant = "server_error"
	// SiteParked answers every page with a registrar's parking page.
	SiteParked SiteVariant = "parked"
	// SiteDead is a listed domain without A or MX records: nothing answers.
	SiteDead SiteVariant = "dead"
)

// SlowSiteDelay is how long a SiteSlow site takes to answer unless the
// sandbox is told otherwise; the PageSpeed fake's lab runs assume it.
const SlowSiteDelay = 3 * time.Second

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
func (s *Site) PeoplePage() string { return cmp.Or(s.TeamPath, s.AboutPath, s.ContactPath, "/") }

// RolesPage is the path of the page that shows the role addresses: the
// contact page, else the home page.
func (s *Site) RolesPage() string { return cmp.Or(s.ContactPath, "/") }

// StoryPage is the path of the page with the founding and team-size
// phrases: the about page, else the home page.
func (s *Site) StoryPage() string { return cmp.Or(s.AboutPath, "/") }

// Owner is the business's owner.
func (s *Site) Owner() *Person { return &s.People[0] }

// Domain is the site's host without "www.".
func (s *Site) Domain() string { return strings.TrimPrefix(s.Host, "www.") }
