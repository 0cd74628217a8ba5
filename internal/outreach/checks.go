package outreach

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/agent"
)

// Checks is what Check found in a sequence; stored as JSON in
// outreach_sequences.checks.
type Checks struct {
	// SpamWords are the trigger words and phrases found in the subjects and
	// bodies (spamwords.txt; case-insensitive, whole words), sorted.
	SpamWords []string    `json:"spam_words"`
	Steps     []StepCheck `json:"steps"`
	// Passed: there is at least one email, no spam word, every body under
	// MaxWords words and no link anywhere.
	Passed bool `json:"passed"`
	// Problems say in plain words why Passed is false.
	Problems []string `json:"problems,omitempty"`
}

// StepCheck is what Check measured in one email.
type StepCheck struct {
	Step       int  `json:"step"`
	Words      int  `json:"words"`       // words of the body (CountWords)
	UnderLimit bool `json:"under_limit"` // Words < MaxWords
	// Readability is the body's Flesch reading ease (higher is easier;
	// 60–70 is plain English) and Grade its Flesch–Kincaid grade level,
	// both rounded to one decimal; see readability for the syllable
	// heuristic.
	Readability float64 `json:"readability"`
	Grade       float64 `json:"grade"`
	// Links: the subject or body holds a URL ("http://", "https://") or a
	// "www." address.
	Links bool `json:"links"`
}

// linkRE finds what mail clients turn into links: URLs with a scheme and
// "www." addresses.
var linkRE = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S`)

// hasLink reports whether s holds a link.
func hasLink(s string) bool { return linkRE.MatchString(s) }

//go:embed spamwords.txt
var spamWordsFile string

// spamWords parses spamwords.txt once: one lower-cased phrase per line,
// comments and blank lines skipped.
var spamWords = sync.OnceValue(func() []string {
	var out []string
	for line := range strings.Lines(spamWordsFile) {
		line = strings.ToLower(agent.OneLine(line))
		if line == "" || strings.HasPrefix(line, "#") || slices.Contains(out, line) {
			continue
		}
		out = append(out, line)
	}
	return out
})

// SpamWords returns the spam trigger phrases found in text, in list order:
// matched case-insensitively as whole words or phrases, so "free" matches
// "Free!" and "feel free" but not "freedom", and a phrase may span a line
// break. Curly apostrophes match straight ones.
func SpamWords(text string) []string {
	t := strings.ToLower(agent.OneLine(strings.NewReplacer("’", "'", "‘", "'").Replace(text)))
	var found []string
	for _, p := range spamWords() {
		if containsPhrase(t, p) {
			found = append(found, p)
		}
	}
	return found
}

// containsPhrase reports whether phrase occurs in t with no letter or digit
// directly before it (when it starts with one) or after it (when it ends
// with one).
func containsPhrase(t, phrase string) bool {
	first, _ := utf8.DecodeRuneInString(phrase)
	last, _ := utf8.DecodeLastRuneInString(phrase)
	for off := 0; off <= len(t); {
		i := strings.Index(t[off:], phrase)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(phrase)
		before, _ := utf8.DecodeLastRuneInString(t[:i])
		after, _ := utf8.DecodeRuneInString(t[j:])
		if (i == 0 || !isWordRune(first) || !isWordRune(before)) &&
			(j == len(t) || !isWordRune(last) || !isWordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(t[i:])
		off = i + size
	}
	return false
}

// Check measures a sequence, generated or edited: spam words across all
// subjects and bodies, and per email the word count against MaxWords,
// readability and links. It never fails; Problems explain a false Passed.
// A step without a number is reported under its position (1-based).
func Check(steps []Step) Checks {
	c := Checks{SpamWords: []string{}, Steps: make([]StepCheck, 0, len(steps))}
	if len(steps) == 0 {
		c.Problems = append(c.Problems, "no emails")
	}
	found := map[string]bool{}
	for i, s := range steps {
		n := s.Step
		if n == 0 {
			n = i + 1
		}
		sc := StepCheck{Step: n, Words: CountWords(s.Body), Links: hasLink(s.Subject) || hasLink(s.Body)}
		sc.UnderLimit = sc.Words < MaxWords
		sc.Readability, sc.Grade = readability(s.Body)
		c.Steps = append(c.Steps, sc)
		if !sc.UnderLimit {
			c.Problems = append(c.Problems, fmt.Sprintf("step %d: %d words (limit %d)", n, sc.Words, MaxWords-1))
		}
		if sc.Links {
			c.Problems = append(c.Problems, fmt.Sprintf("step %d: contains a link", n))
		}
		// Subject and body apart, so no phrase is made of the end of one
		// and the start of the other.
		for _, w := range append(SpamWords(s.Subject), SpamWords(s.Body)...) {
			found[w] = true
		}
	}
	for w := range found {
		c.SpamWords = append(c.SpamWords, w)
	}
	slices.Sort(c.SpamWords)
	if len(c.SpamWords) > 0 {
		c.Problems = append(c.Problems, "spam words: "+strings.Join(c.SpamWords, ", "))
	}
	c.Passed = len(c.Problems) == 0
	return c
}
