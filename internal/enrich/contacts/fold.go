package contacts

import (
	"strings"
	"unicode"
)

// latinFolds maps the accented Latin letters found in people's names to the
// ASCII letters a mail administrator types instead when making an address
// ("José Müller" → jose.muller). A table keeps us on the standard library;
// letters outside it are dropped by letters() and kept by fold().
var latinFolds = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'č': "c", 'ĉ': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g", 'ĝ': "g", 'ģ': "g", 'ĥ': "h", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'į': "i", 'ı': "i",
	'ĵ': "j", 'ķ': "k", 'ł': "l", 'ľ': "l", 'ĺ': "l", 'ļ': "l", 'ñ': "n", 'ń': "n", 'ň': "n", 'ņ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ŕ': "r", 'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ș': "s", 'ŝ': "s", 'ß': "ss",
	'ť': "t", 'ţ': "t", 'ț': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ŭ': "u",
	'ý': "y", 'ÿ': "y", 'ŷ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// fold lowercases s and replaces accented Latin letters with plain ones, so
// that titles and names compare the way people type them.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := latinFolds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// letters folds s and keeps only the letters a to z: the form a name takes
// inside an email address ("O'Brien-Smith" → obriensmith).
func letters(s string) string {
	f := fold(s)
	var b strings.Builder
	b.Grow(len(f))
	for i := 0; i < len(f); i++ {
		if c := f[i]; c >= 'a' && c <= 'z' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// words folds s and splits it into words of letters and digits, so that
// "Co-Founder & CEO" reads as [co founder ceo].
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// transcriptions are the German way of writing umlauts without them, which
// German addresses use as often as the plain letter (Müller → mueller).
var transcriptions = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "ae", "Ö", "oe", "Ü", "ue")

// lettersTranscribed is letters with umlauts transcribed rather than
// dropped.
func lettersTranscribed(s string) string {
	return letters(transcriptions.Replace(s))
}
