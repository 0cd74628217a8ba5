package contacts

import (
	"strings"

	"github.com/prospectorhq/prospector/internal/enrich/verify"
)

// Contact is one person or mailbox to reach at a business: the columns of
// the spec's contacts table that finding fills (verification and ids are
// the caller's).
type Contact struct {
	Name            string `json:"name"`
	FirstName       string `json:"first_name"`
	LastName        string `json:"last_name"`
	Title           string `json:"title"`
	Email           string `json:"email"`
	Phone           string `json:"phone"`
	LinkedInURL     string `json:"linkedin_url"`
	IsPrimary       bool   `json:"is_primary"`
	IsDecisionMaker bool   `json:"is_decision_maker"`
	Source          string `json:"source"`
}

// Choose turns what was found on a business's pages (and elsewhere: the
// Source of each Found is kept) into its contacts:
//
//   - entries for one person or mailbox merge: the same address, or the
//     same name; a bare phone merges into the contact that has it;
//   - a named person found with a role address ("Maria Gonzalez, Owner —
//     info@…") becomes two contacts, the person and the mailbox, so a role
//     address is never a decision maker and the person's own address can
//     still be found;
//   - IsDecisionMaker comes from the title (IsDecisionMaker);
//   - exactly one contact is primary when there are any: a decision maker
//     with a personal address, else a named person with one, else any
//     personal address, else a role address (general ones such as info@
//     before sales@ and support@, and those before jobs@ or billing@), else
//     a phone (a decision maker's first), else a name alone. Among equals
//     the stronger title wins (owner before general manager before
//     partner), then the one found first.
//
// The primary contact comes first; the others keep the order they were
// found in.
func Choose(found []Found) []Contact {
	var entries []Found
	for _, f := range found {
		entries = append(entries, prepare(f)...)
	}
	groups := groupEntries(entries)

	contacts := make([]Contact, 0, len(groups))
	used := map[string]bool{}
	for _, g := range groups {
		c := contactOf(g)
		// A prospect holds each address once (the contacts table has a
		// unique index on it): a later person listing an address already
		// taken keeps their name and loses the address.
		if c.Email != "" && used[c.Email] {
			c.Email = ""
			c.IsDecisionMaker = IsDecisionMaker(c.Title)
		}
		if c.Email != "" {
			used[c.Email] = true
		}
		contacts = append(contacts, c)
	}
	if len(contacts) == 0 {
		return []Contact{}
	}
	best := 0
	for i := 1; i < len(contacts); i++ {
		if primaryBefore(contacts[i], contacts[best]) {
			best = i
		}
	}
	contacts[best].IsPrimary = true
	out := make([]Contact, 0, len(contacts))
	out = append(out, contacts[best])
	out = append(out, contacts[:best]...)
	return append(out, contacts[best+1:]...)
}

// prepare cleans one entry and splits a named person from a role address.
// An entry with nothing to reach or name anyone by is dropped.
func prepare(f Found) []Found {
	f.Name = collapse(f.Name)
	f.Title = collapse(f.Title)
	f.Phone = collapse(f.Phone)
	f.FirstName, f.LastName = strings.TrimSpace(f.FirstName), strings.TrimSpace(f.LastName)
	if f.Name == "" && (f.FirstName != "" || f.LastName != "") {
		f.Name = strings.TrimSpace(f.FirstName + " " + f.LastName)
	}
	if f.Name != "" && f.FirstName == "" && f.LastName == "" {
		f.FirstName, f.LastName = SplitName(f.Name)
	}
	if f.Email != "" {
		addr, err := verify.Normalize(f.Email)
		if err != nil {
			addr = ""
		}
		f.Email = addr
	}
	if f.Name == "" && f.Email == "" && f.Phone == "" {
		return nil
	}
	if f.Name != "" && f.Email != "" && IsRoleAddress(f.Email) {
		mailbox := Found{Email: f.Email, Source: f.Source, Evidence: f.Evidence, PageURL: f.PageURL}
		f.Email = ""
		return []Found{f, mailbox}
	}
	return []Found{f}
}

// groupEntries puts entries for one contact together, in the order each
// contact was first found. Addresses and names join entries; a bare phone
// (no name, no address) joins the first contact with that number or other
// bare phones, but never joins two people who list the same switchboard.
func groupEntries(entries []Found) [][]Found {
	parent := make([]int, len(entries))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}
	bare := func(f Found) bool { return f.Name == "" && f.Email == "" }
	keys := make([]string, len(entries))
	for i, f := range entries {
		keys[i] = letters(f.Name)
	}
	for i := range entries {
		for j := 0; j < i; j++ {
			a, b := entries[i], entries[j]
			na, nb := keys[i], keys[j]
			sameName := na != "" && na == nb
			// Two differently named people who list one address stay two
			// contacts; the first keeps the address.
			sameEmail := a.Email != "" && a.Email == b.Email && (na == "" || nb == "" || na == nb)
			if sameName || sameEmail {
				union(i, j)
			}
		}
	}
	for i, f := range entries {
		if !bare(f) {
			continue
		}
		for j, o := range entries {
			if j != i && o.Phone != "" && samePhone(o.Phone, f.Phone) && (!bare(o) || j < i) {
				union(i, j)
				break
			}
		}
	}
	var order []int
	members := map[int][]Found{}
	for i, f := range entries {
		r := find(i)
		if _, ok := members[r]; !ok {
			order = append(order, r)
		}
		members[r] = append(members[r], f)
	}
	var groups [][]Found
	for _, r := range order {
		groups = append(groups, splitByName(members[r])...)
	}
	return groups
}

// splitByName separates the people an address-only entry chained together
// ("maria@…" on Maria's card and, by mistake, on Carlos's): each name is a
// group of its own, and unnamed entries join the first.
func splitByName(g []Found) [][]Found {
	var keys []string
	byName := map[string][]Found{}
	var unnamed []Found
	for _, f := range g {
		k := letters(f.Name)
		if k == "" {
			unnamed = append(unnamed, f)
			continue
		}
		if _, ok := byName[k]; !ok {
			keys = append(keys, k)
		}
		byName[k] = append(byName[k], f)
	}
	if len(keys) <= 1 {
		return [][]Found{g}
	}
	out := make([][]Found, len(keys))
	for i, k := range keys {
		out[i] = byName[k]
	}
	out[0] = append(out[0], unnamed...)
	return out
}

// contactOf merges a group of entries into one contact: the fullest name,
// the strongest title, a personal address before a role one, and the first
// of everything else.
func contactOf(g []Found) Contact {
	var c Contact
	level, nameWords := -1, 0
	for _, f := range g {
		if n := len(strings.Fields(f.Name)); n > nameWords {
			c.Name, c.FirstName, c.LastName, nameWords = f.Name, f.FirstName, f.LastName, n
		}
		if f.Title != "" {
			if l := decisionLevel(f.Title); l > level {
				c.Title, level = f.Title, l
			}
		}
		if f.Email != "" && (c.Email == "" || IsRoleAddress(c.Email) && !IsRoleAddress(f.Email)) {
			c.Email = f.Email
		}
		if c.Phone == "" {
			c.Phone = f.Phone
		}
		if c.LinkedInURL == "" {
			c.LinkedInURL = f.LinkedInURL
		}
		if c.Source == "" {
			c.Source = f.Source
		}
	}
	c.IsDecisionMaker = IsDecisionMaker(c.Title) && (c.Email == "" || !IsRoleAddress(c.Email))
	return c
}

// primaryTier ranks a contact as the one to write to; lower is better.
func primaryTier(c Contact) int {
	personal := c.Email != "" && !IsRoleAddress(c.Email)
	switch {
	case personal && c.IsDecisionMaker:
		return 0
	case personal && c.Name != "":
		return 1
	case personal:
		return 2
	case c.Email != "":
		return 3
	case c.Phone != "":
		return 4
	default:
		return 5
	}
}

// primaryBefore reports whether a is a better primary contact than b, b
// having been found first.
func primaryBefore(a, b Contact) bool {
	ta, tb := primaryTier(a), primaryTier(b)
	if ta != tb {
		return ta < tb
	}
	if ta == 3 {
		if ra, rb := roleRank(a.Email), roleRank(b.Email); ra != rb {
			return ra < rb
		}
	}
	la, lb := decisionLevel(a.Title), decisionLevel(b.Title)
	if la != lb {
		return la > lb
	}
	return a.Name != "" && b.Name == ""
}

// Role mailboxes by how likely a sales email is read by someone who passes
// it to the owner: the general inbox first, then sales and service desks,
// then the rest, and the back office (jobs, billing, legal, web) last.
var (
	generalRoles = set("info", "information", "contact", "contacts", "contactus", "hello", "hi", "hey",
		"office", "mail", "email", "enquiries", "enquiry", "inquiries", "inquiry", "admin", "team",
		"general", "main", "welcome", "kontakt", "contacto", "contato", "bonjour", "hola",
		"reception", "frontdesk", "desk", "anfrage", "buero")
	frontRoles = set("sales", "quote", "quotes", "estimate", "estimates", "booking", "bookings",
		"appointments", "reservations", "schedule", "scheduling", "service", "services",
		"customerservice", "customercare", "support", "help", "care", "orders", "order", "shop", "store",
		"studio", "ventas", "verkauf", "reservas")
	backRoles = set("jobs", "careers", "hiring", "recruiting", "recruitment", "hr", "humanresources",
		"talent", "billing", "accounts", "accounting", "accountspayable", "accountsreceivable", "ap",
		"ar", "invoice", "invoices", "payments", "payroll", "finance", "legal", "privacy", "abuse",
		"compliance", "security", "webmaster", "hostmaster", "dns", "domains", "root", "sysadmin", "it",
		"dev", "website", "press", "media", "newsletter", "news")
)

func roleRank(email string) int {
	local, _, _ := strings.Cut(email, "@")
	word := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '-' || r == '_' || r == '+' })
	w := local
	if len(word) > 0 {
		w = strings.TrimRight(word[0], "0123456789")
	}
	switch {
	case generalRoles[w]:
		return 0
	case frontRoles[w]:
		return 1
	case backRoles[w]:
		return 3
	default:
		return 2
	}
}
