package contacts

import (
	"sort"
)

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
