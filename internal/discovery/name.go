package discovery

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameKey folds a business name to the form two listings of one business
// share however each source wrote it: lowercase ASCII, "&" as "and",
// apostrophes and dots dropped ("Joe's" = "Joes", "L.L.C." = "LLC"), other
// punctuation as spaces, a parenthesised qualifier dropped ("Spago (Beverly
// Hills)"), a leading or trailing "the" dropped ("The Palm" = "Palm, The"),
// trailing legal and company suffixes dropped ("Acme Plumbing Co., Inc." =
// "Acme Plumbing"), and the trade name kept after "dba".
func NameKey(name string) string {
	return strings.Join(nameTokens(name), " ")
}

// legalSuffixes end a name without telling businesses apart.
var legalSuffixes = map[string]bool{
	"llc": true, "inc": true, "incorporated": true, "co": true, "company": true,
	"corp": true, "corporation": true, "ltd": true, "limited": true, "llp": true,
	"pllc": true, "pc": true, "lp": true, "plc": true, "gmbh": true,
}

func nameTokens(name string) []string {
	s := fold(name)
	s = dropBracketed(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == '\'' || c == '.' || c == '`':
		case c == '&' || c == '+':
			b.WriteString(" and ")
		case c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			// Names in other scripts keep their letters; symbols such
			// as ® or • are punctuation.
			b.WriteRune(c)
		default:
			b.WriteByte(' ')
		}
	}
	tokens := strings.Fields(b.String())
	tokens = afterDBA(tokens)
	if len(tokens) > 1 && tokens[0] == "the" {
		tokens = tokens[1:]
	}
	for len(tokens) > 1 {
		last := tokens[len(tokens)-1]
		switch {
		case last == "the" || last == "and" || last == "of" || legalSuffixes[last]:
			tokens = tokens[:len(tokens)-1]
		case last == "c" && len(tokens) > 3 && tokens[len(tokens)-2] == "l" && tokens[len(tokens)-3] == "l":
			// "L. L. C." written with spaces.
			tokens = tokens[:len(tokens)-3]
		default:
			return tokens
		}
	}
	return tokens
}

// afterDBA keeps the trade name of "Smith Holdings LLC dba Joe's Plumbing":
// the public, and the other sources, know the business by it.
func afterDBA(tokens []string) []string {
	for i := 0; i < len(tokens); i++ {
		n := 0
		switch {
		case tokens[i] == "dba":
			n = 1
		case i+2 < len(tokens) && tokens[i] == "d" && tokens[i+1] == "b" && tokens[i+2] == "a":
			n = 3
		}
		if n > 0 && i > 0 && i+n < len(tokens) {
			return tokens[i+n:]
		}
	}
	return tokens
}

// dropBracketed removes "(…)" and "[…]" parts, which sources use for
// branch or city qualifiers, unless that would leave nothing.
func dropBracketed(s string) string {
	if !strings.ContainsAny(s, "([") {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(' || c == '[':
			depth++
			b.WriteByte(' ')
		case (c == ')' || c == ']') && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return s
	}
	return b.String()
}

// nameStopwords carry no identity when names are compared word by word.
var nameStopwords = map[string]bool{
	"the": true, "and": true, "of": true, "at": true, "on": true, "in": true,
	"a": true, "an": true, "by": true,
}

// nameWords are the distinctive words of a name, in order, plus the name
// with its spaces removed ("bel air" and "belair" are one spelling).
type nameWords struct {
	words []string
	glued string
}

func newNameWords(name string) nameWords {
	tokens := nameTokens(name)
	words := make([]string, 0, len(tokens))
	for _, t := range tokens {
		if !nameStopwords[t] {
			words = append(words, t)
		}
	}
	if len(words) == 0 {
		words = tokens
	}
	return nameWords{words: words, glued: strings.Join(words, "")}
}

// Name similarity thresholds. A name that is all of another's words
// ("Katsu", "Restaurant Katsu") scores subsetScore; otherwise the score is a
// Jaccard index over words that match loosely. sameNameScore, the least
// score for two listings that share a phone or a street address, was tuned on
// the Fodors–Zagat benchmark: two different restaurants in one hotel share
// the hotel's phone and address and one or two of its words ("Ritz-Carlton
// Café" and "Ritz-Carlton Dining Room": 2 of 5 distinct words), while one
// restaurant listed twice keeps at least half of its words.
const (
	subsetScore   = 0.9
	sameNameScore = 0.5
)

// nameSimilarity scores two names from 0 (nothing in common) to 1 (the same
// name, spelled the same or differently).
func nameSimilarity(a, b nameWords) float64 {
	if len(a.words) == 0 || len(b.words) == 0 {
		return 0
	}
	if a.glued == b.glued {
		return 1
	}
	short, long := a.words, b.words
	if len(short) > len(long) {
		short, long = long, short
	}
	// Exact matches are paired first so a loose match cannot take a word
	// that another word equals.
	matched := 0
	used := make([]bool, len(long))
	paired := make([]bool, len(short))
	for _, loose := range []bool{false, true} {
		for i, w := range short {
			if paired[i] {
				continue
			}
			for j, v := range long {
				if !used[j] && (w == v || loose && sameWord(w, v)) {
					used[j], paired[i] = true, true
					matched++
					break
				}
			}
		}
	}
	if matched == len(short) {
		if len(short) == len(long) {
			return 1
		}
		return subsetScore
	}
	return float64(matched) / float64(len(short)+len(long)-matched)
}

// sameWord accepts the spelling drift seen between listings: a dropped
// letter or possessive ("grill"/"grille", "philippe"/"philippes") and a
// shortened word ("deli"/"delicatessen"). Short words must match exactly,
// since one letter changes them ("bar"/"bay").
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 4 || len(b) < 4 {
		return false
	}
	if strings.HasPrefix(a, b) || strings.HasPrefix(b, a) {
		return true
	}
	return jaroWinkler(a, b) >= 0.92
}

// jaroWinkler is the Jaro–Winkler similarity of two byte strings, which
// favours strings that agree at the start, as spelling variants of one word
// usually do.
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var ma, mb [64]bool
	if la > len(ma) || lb > len(mb) {
		return 0
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb-1, i+window)
		for j := lo; j <= hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < min(4, la, lb) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
