package contacts

import (
	"slices"
	"sort"
	"strings"
)

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
