package outreach

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/agent"
)

// isWordRune reports whether r can be part of a word.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// words returns the words of s: the whitespace-separated tokens that hold
// at least one letter or digit (a lone dash or bullet is not a word).
func words(s string) []string {
	var out []string
	for _, tok := range strings.Fields(s) {
		if strings.IndexFunc(tok, isWordRune) >= 0 {
			out = append(out, tok)
		}
	}
	return out
}

// CountWords counts the words of s as Check does: whitespace-separated
// tokens holding at least one letter or digit.
func CountWords(s string) int { return len(words(s)) }

// sentences splits s into sentences. A sentence ends at a run of '.', '!'
// or '?' (and any closing quotes or brackets) followed by whitespace or the
// end of the text, or at a line break; so "4.8 stars" and "www.x.com" stay
// whole, and a greeting ("Hi Maria,") or sign-off line counts as one
// sentence. Pieces without a word are dropped.
func sentences(s string) []string {
	var out []string
	flush := func(p string) {
		if p = strings.TrimSpace(p); p != "" && strings.IndexFunc(p, isWordRune) >= 0 {
			out = append(out, p)
		}
	}
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			flush(s[start:i])
			start = i + size
			i += size
		case r == '.' || r == '!' || r == '?':
			j := i + size
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !strings.ContainsRune(".!?\"')]”’", r2) {
					break
				}
				j += n
			}
			if r2, _ := utf8.DecodeRuneInString(s[j:]); j == len(s) || unicode.IsSpace(r2) {
				flush(s[start:j])
				start = j
			}
			i = j
		default:
			i += size
		}
	}
	flush(s[start:])
	return out
}

// syllables estimates the syllables of one word with a simple heuristic,
// good enough for a readability score: count the groups of vowels
// (a, e, i, o, u, y) in its letters; a final silent "e" (but not "-le",
// "-ee"), and a final "-es" or "-ed" that does not add a syllable ("makes",
// "looked", but not "wanted"), take one away; every word has at least one.
// A token without letters (a number) counts as one.
func syllables(word string) int {
	var b strings.Builder
	for _, r := range strings.ToLower(word) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	w := b.String()
	if w == "" {
		return 1
	}
	n, prevVowel := 0, false
	for _, r := range w {
		v := strings.ContainsRune("aeiouy", r)
		if v && !prevVowel {
			n++
		}
		prevVowel = v
	}
	if n > 1 {
		switch {
		case strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && !strings.HasSuffix(w, "ee"):
			n--
		case strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "ted") && !strings.HasSuffix(w, "ded"):
			n--
		case strings.HasSuffix(w, "es") && !hasAnySuffix(w, "ses", "xes", "zes", "ces", "ges", "shes", "ches"):
			n--
		}
	}
	return max(n, 1)
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// readability returns the Flesch reading ease (206.835 − 1.015·words per
// sentence − 84.6·syllables per word; higher is easier, 60–70 is plain
// English) and the Flesch–Kincaid grade level (0.39·words per sentence +
// 11.8·syllables per word − 15.59) of s, each rounded to one decimal. Both
// are 0 for a text without words.
func readability(s string) (ease, grade float64) {
	ws := words(s)
	if len(ws) == 0 {
		return 0, 0
	}
	sent := max(len(sentences(s)), 1)
	syl := 0
	for _, w := range ws {
		syl += syllables(w)
	}
	wps := float64(len(ws)) / float64(sent)
	spw := float64(syl) / float64(len(ws))
	return round1(206.835 - 1.015*wps - 84.6*spw), round1(0.39*wps + 11.8*spw - 15.59)
}

func round1(f float64) float64 {
	if f < 0 {
		return -float64(int64(-f*10+0.5)) / 10
	}
	return float64(int64(f*10+0.5)) / 10
}

// normalizeBody tidies a body's whitespace while keeping its paragraphs:
// line breaks become "\n", spaces and tabs inside a line collapse to one,
// lines are trimmed, at most one blank line separates paragraphs, and
// control and invisible format characters are dropped.
func normalizeBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = agent.OneLine(l)
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// paragraphs splits a normalized body at its blank lines.
func paragraphs(body string) []string {
	var out []string
	for p := range strings.SplitSeq(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// maxSignOffWords bounds what trimBody treats as a sign-off ("Best regards",
// "Thanks, and have a good week").
const maxSignOffWords = 6

// trimBody returns body (normalized) cut to fewer than limit words. It is
// the safe fallback for a model that ignored the word limit it was given:
// whole sentences are kept from the start for as long as they fit, so the
// greeting, the observation and usually the question survive; a short last
// paragraph (the sign-off) is kept too. Only when not even the first
// sentence fits is it cut inside, at a word, and closed with "…".
func trimBody(body string, limit int) string {
	if CountWords(body) < limit {
		return body
	}
	paras := paragraphs(body)
	signOff := ""
	if n := len(paras); n > 1 && CountWords(paras[n-1]) <= maxSignOffWords {
		signOff = paras[n-1]
		paras = paras[:n-1]
	}
	budget := max(limit-1-CountWords(signOff), 1)
	var kept []string // paragraphs
	used := 0
	full := false
	for _, p := range paras {
		var lines []string
		for line := range strings.SplitSeq(p, "\n") {
			var cur []string
			for _, s := range sentences(line) {
				n := CountWords(s)
				if used+n > budget {
					if used == 0 {
						cur = append(cur, strings.Join(words(s)[:budget], " ")+"…")
					}
					full = true
					break
				}
				used += n
				cur = append(cur, s)
			}
			if len(cur) > 0 {
				lines = append(lines, strings.Join(cur, " "))
			}
			if full {
				break
			}
		}
		if len(lines) > 0 {
			kept = append(kept, strings.Join(lines, "\n"))
		}
		if full {
			break
		}
	}
	if signOff != "" {
		kept = append(kept, signOff)
	}
	return strings.Join(kept, "\n\n")
}
