package contacts

import (
	"strings"
	"unicode"

	"github.com/prospectorhq/prospector/internal/textfold"
)

// fold lowercases s and replaces accented Latin letters with plain ones, so
// that titles and names compare the way people type them.
func fold(s string) string { return textfold.Latin(s) }

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
