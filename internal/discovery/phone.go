package discovery

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone returns raw in E.164 form ("+15125550142") when it reads as
// a valid or at least possible number, national numbers being read in region
// (ISO 3166, "" means US). An extension is dropped: E.164 has none, and the
// main number is what identifies a business across listings. Numbers written
// with the "00" international prefix are understood in every region. A
// number that cannot be read gives ok=false; a local number without its area
// code counts as unreadable, since it cannot be dialled or compared.
func NormalizePhone(raw, region string) (e164 string, ok bool) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", false
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region == "" {
		region = "US"
	}
	if e, ok := nanpPhone(s, region); ok {
		return e, true
	}
	// The general parser spends most of its time looking for an extension
	// with a large pattern over the whole text; a number written with
	// digits and separators only has none, and its separators mean nothing
	// to the parser, so it is given the bare digits.
	if d, ok := phoneDigits(s); ok {
		s = d
	}
	if e, ok := parsePhone(s, region); ok {
		return e, true
	}
	if rest, found := strings.CutPrefix(s, "00"); found {
		return parsePhone("+"+rest, region)
	}
	return "", false
}

// phoneDigits returns s without its separators, keeping a leading "+",
// when s holds nothing but digits and the separators " ()-./".
func phoneDigits(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '+' && i == 0:
			b = append(b, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
		default:
			return "", false
		}
	}
	return string(b), true
}

func parsePhone(s, region string) (string, bool) {
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", false
	}
	if phonenumbers.IsPossibleNumberWithReason(n) != phonenumbers.IS_POSSIBLE && !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// nanpPhone reads the plain North American numbers that make up nearly every
// US and Canadian listing ("(512) 555-0142", "512.555.0142", "+1 512 555
// 0142") without the general parser, which costs tens of microseconds a
// number and would dominate a 50,000-row import. It only ever accepts what
// parsePhone would accept with the same result (a ten-digit number whose
// area code and exchange start with 2-9 is always "possible"); anything else
// falls through to the general parser.
func nanpPhone(s, region string) (string, bool) {
	if phonenumbers.GetCountryCodeForRegion(region) != 1 {
		return "", false
	}
	var digits [11]byte
	n := 0
	plus := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(digits) {
				return "", false
			}
			digits[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
		default:
			return "", false
		}
	}
	d := digits[:n]
	switch {
	case n == 11 && d[0] == '1':
		d = d[1:]
	case n == 10 && !plus:
	default:
		return "", false
	}
	if d[0] < '2' || d[3] < '2' {
		return "", false
	}
	return "+1" + string(d), true
}
