package contacts

import (
	"slices"
	"strings"
)

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
