package contacts

import (
	"net/url"
	"regexp"
	"strings"
)

// Phone numbers are kept as the page writes them (a tel: link's number, or
// the text), trimmed: reading them needs the business's country, which the
// caller knows and this package does not. discovery.NormalizePhone turns
// them into E.164 with the campaign's region.

const (
	minPhoneDigits = 8 // shorter runs are extensions, years, zip codes
	maxPhoneDigits = 15
)

// phoneText matches a phone-looking run of digits and separators:
// "(512) 555-0142", "+49 30 1234567", "512.555.0142".
var phoneText = regexp.MustCompile(`(?:\+\d{1,3}[\s.\-/]*)?(?:\(\d{1,5}\)[\s.\-/]*)?\d[\d\s.\-/]{4,20}\d`)

// phoneCue words say a number next to them is a phone number; fax numbers
// are not a way to reach a person.
var (
	phoneCue = regexp.MustCompile(`(?i)(?:\b(?:phone|telephone|tel|call|cell|mobile|direct|office|ph|telefon|telefono|handy|mob|whatsapp|text)\b|\btél\b|téléphone|teléfono|móvil|\b[ptmc]\s*:)`)
	faxCue   = regexp.MustCompile(`(?i)\b(?:fax|telefax)\b|télécopie|\bf\s*:`)
)

// notPhone matches number runs that are something else: a span of years
// ("1998-2024"), a ZIP+4 code, an ISO date.
var notPhone = regexp.MustCompile(`^(?:(?:19|20)\d\d\s*[-–/]\s*(?:19|20)\d\d|\d{5}-\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$`)

// parseTel reads a tel: link: its number without parameters (";ext=…")
// and percent-encoding.
func parseTel(href string) (string, bool) {
	if len(href) < 4 || !strings.EqualFold(href[:4], "tel:") {
		return "", false
	}
	s := href[4:]
	if i := strings.IndexAny(s, ";?"); i >= 0 {
		s = s[:i]
	}
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return cleanPhone(s)
}

// cleanPhone trims a number and checks that it has a phone's digit count.
func cleanPhone(s string) (string, bool) {
	s = strings.Trim(strings.Join(strings.Fields(s), " "), " .-/")
	if notPhone.MatchString(s) {
		return "", false
	}
	n := len(phoneDigits(s))
	if n < minPhoneDigits || n > maxPhoneDigits {
		return "", false
	}
	return s, true
}

// textPhones finds the phone numbers in one line of text that sit next to
// a phone word: in the line before the number, or, when prevLine is only
// a label ("Phone"), in the line before. A number whose nearest label says
// fax is skipped.
func textPhones(text, prevLine string) []string {
	if len(phoneDigits(text)) < minPhoneDigits {
		return nil
	}
	var out []string
	for _, loc := range phoneText.FindAllStringIndex(text, -1) {
		num, ok := cleanPhone(text[loc[0]:loc[1]])
		if !ok {
			continue
		}
		before := text[:loc[0]]
		phone := lastMatch(phoneCue, before)
		fax := lastMatch(faxCue, before)
		switch {
		case fax > phone:
			continue
		case phone >= 0:
		case len(prevLine) <= 24 && phoneCue.MatchString(prevLine) && !faxCue.MatchString(prevLine):
		case phoneCue.MatchString(text[loc[1]:]) && !faxCue.MatchString(text):
		default:
			continue
		}
		out = append(out, num)
	}
	return out
}

// lastMatch returns where the last match of re in s starts, or -1.
func lastMatch(re *regexp.Regexp, s string) int {
	all := re.FindAllStringIndex(s, -1)
	if len(all) == 0 {
		return -1
	}
	return all[len(all)-1][0]
}

func phoneDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// samePhone reports whether two numbers are one, allowing one of them to
// carry a country code the other leaves out ("+1 512 555 0142" and
// "(512) 555-0142").
func samePhone(a, b string) bool {
	return sameDigits(phoneDigits(a), phoneDigits(b))
}

// sameDigits is samePhone on numbers already reduced to their digits.
func sameDigits(da, db string) bool {
	if len(da) < len(db) {
		da, db = db, da
	}
	if len(db) < minPhoneDigits-1 {
		return false
	}
	return da == db || len(da)-len(db) <= 3 && strings.HasSuffix(da, db)
}
