package textfold

import (
	"strings"
	"unicode"
)

// Phrase folds a phrase as people type it (a business type, a location) for
// comparison: lowercase, "&" as "and", every character but letters and
// digits a space, single spaces. "Heating & Cooling " is "heating and
// cooling".
func Phrase(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Singular strips an English plural from the end of a folded phrase: enough
// for "plumbers", "bakeries", "businesses"; irregular plurals ("people")
// need a table of their own.
func Singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "ses"), strings.HasSuffix(s, "shes"), strings.HasSuffix(s, "ches"):
		return strings.TrimSuffix(s, "es")
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}
