package site

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Founding years and team sizes are read only where the site states them;
// when no phrase below matches, the answer is nil, never a guess. The
// phrases are matched on the page's visible text, title and meta
// description, lowercased.
//
// Phrases that give a founding year, strongest first (a stronger kind wins;
// among one kind the earliest year wins, since a business is as old as its
// oldest claim):
//
//  1. "founded in 1975", "founded 1975", "founded: 1975", "founded by Joe
//     Smith in 1964", "established in 1987", "established 1987",
//     "incorporated in 1990", "est. 2001", "est 2001", "estd. 2001".
//  2. "since 1998", "serving Austin since 1992", "in business since 1990",
//     "opened our doors in 1995", "started the business in 1988" — but not
//     when the "since" belongs to something else within a few words before
//     it: "BBB member since 2005", "accredited since", "partner since",
//     "certified since", "award winner since", "customers since".
//  3. "family owned for 25 years", "locally owned and operated for 25
//     years", "in business for 25 years", "serving Austin for 25 years",
//     "25 years in business", "celebrating 25 years": FetchedAt's year
//     minus 25.
//
// Phrases that do NOT give one: "30 years of experience" and "over 30
// years of combined experience" (the people's experience, not the
// business's age); any count qualified as approximate ("for over 25
// years", "more than 25 years in business", "25+ years"), which bounds the
// year without stating it; copyright notices ("© 1998–2024"); numbers that
// merely look like years (phone numbers, prices). A year before 1800 or
// after FetchedAt is rejected as implausible.
//
// Team size comes from "our team of 12", "a team of 40 technicians",
// "staff of 25", "crew of 8", "12 employees", "12 full-time employees",
// "40 certified technicians", "25 team members", "team of twelve". "Over
// 50" and "more than 50" count as 51; "50+" and "nearly 50" as 50; the
// largest stated figure wins. Not team sizes: "team of experts" (no
// number), "500 happy customers", "24/7 staff", "10 trucks", "3
// locations", "20 years". The figure is reported as a bucket: "1-10",
// "11-50", "51-200", "201-500" or "500+".

const (
	yearRe = `(1[89]\d\d|20\d\d)`
	// approxRe makes a count approximate: a founding-year phrase carrying
	// it is refused; a team size is taken as stated, or one more for
	// "over" and "more than".
	approxRe = `(?:(over|more than|nearly|almost|about|around|approximately|close to|roughly|some)\s+)?`
	numWords = `one hundred|a hundred|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety`
)

type yearRule struct {
	re    *regexp.Regexp
	rank  int      // higher is stronger
	words []string // one of these must be in the window for re to match
	reach int      // how far before the year a match can start
}

// founded* are matched against lowercased text windows around a four-digit
// number; the year is the last submatch, a refusal word the first one.
var (
	foundedStrong = regexp.MustCompile(`\b(?:founded|established|incorporated)(?:\s+(?:by|as)\s+[^.!?\n]{1,60}?)?\s*[:,]?\s+(?:(?:back\s+)?in\s+)?(?:the\s+year\s+)?` + yearRe + `\b`)
	foundedEst    = regexp.MustCompile(`\b(?:est|estd|est'd)\.?\s*` + yearRe + `\b`)
	foundedSince  = regexp.MustCompile(`(?:\b(member|accredited|partner|partners|certified|winner|award|rated|customers?|clients?|dealer|affiliate|sponsor)\b[^.!?\n]{0,40}?)?\bsince\s+` + yearRe + `\b`)
	foundedOpened = regexp.MustCompile(`\b(?:opened\s+(?:our|its|the|their)\s+doors|(?:started|began|launched)\s+(?:(?:our|the|this|their)\s+)?(?:business|company|firm))\s+in\s+` + yearRe + `\b`)

	// age* are matched around "year"; submatches: approx word, count, plus.
	ageOwned = regexp.MustCompile(`\b(?:family[- ]owned|locally[- ]owned|owned|in business|serving(?:\s+[^.!?\n]{1,40}?)?)(?:\s+(?:and|&)\s+operated)?\s+for\s+` + approxRe + `(\d{1,3})(\+)?\s+years\b`)
	ageInBiz = regexp.MustCompile(approxRe + `\b(\d{1,3})(\+)?\s+years\s+in\s+business\b`)
	ageCeleb = regexp.MustCompile(`\bcelebrating\s+(?:our\s+)?` + approxRe + `(\d{1,3})(\+)?\s+years\b`)

	// teamOf runs on the text from an anchor word on, teamNoun on the text
	// up to a noun: anchored at one end, each costs a short scan.
	teamOf   = regexp.MustCompile(`^(?:team|staff|crew|workforce)\s+of\s+` + approxRe + `(\d{1,3}(?:,\d{3})+|\d{1,7}|` + numWords + `)(\+)?\b`)
	teamNoun = regexp.MustCompile(`(?:^|[\s(])` + approxRe + `(\d{1,3}(?:,\d{3})+|\d{1,7}|` + numWords + `)(\+)?\s+(?:(?:full[- ]time|part[- ]time|dedicated|skilled|experienced|professional|licensed|certified|trained|friendly|talented|local|expert|qualified|highly[- ]trained|in[- ]house|factory[- ]trained|courteous|knowledgeable|uniformed)\s+){0,3}(?:employees|staff|team\s+members|technicians|techs|workers|professionals)$`)

	copyrightRe = regexp.MustCompile(`(?:©|copyright|\(c\))[^0-9\n]{0,24}?` + yearRe + `(?:\s*(?:-|–|—|to|through|,)\s*(\d{4}|\d{2})\b)?`)
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// foundingRules gate each regex on a cheap substring test: most windows
// hold a price, a part number or an address, not a founding phrase.
var foundingRules = []yearRule{
	{foundedStrong, 3, []string{"founded", "established", "incorporated"}, 120},
	{foundedEst, 3, []string{"est"}, 16},
	{foundedSince, 2, []string{"since"}, 70},
	{foundedOpened, 2, []string{"opened", "started", "began", "launched"}, 60},
}

const maxAnchors = 256 // windows examined per anchor word

// asciiLower lowercases ASCII letters only, so that byte offsets in the
// result are offsets in the original.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// eachIndex calls fn with the offset of each of the first maxAnchors
// occurrences of needle. The phrase regexes run on short windows around
// these anchors only, so that a 2 MiB page costs a few substring scans,
// not a regex scan per phrase.
func eachIndex(text, needle string, fn func(at int)) {
	for i, n := 0, 0; n < maxAnchors; n++ {
		j := strings.Index(text[i:], needle)
		if j < 0 {
			return
		}
		fn(i + j)
		i += j + len(needle)
	}
}

// eachWindow calls fn with the text around each anchor, starting on a word.
func eachWindow(text, needle string, before, after int, fn func(w string)) {
	eachIndex(text, needle, func(at int) {
		lo := min(wordStart(text, max(0, at-before)), at)
		fn(text[lo:min(len(text), at+len(needle)+after)])
	})
}

// eachYearWindow calls fn with the text before each plausible four-digit
// year that stands alone (not part of a longer number).
func eachYearWindow(text string, fn func(w string)) {
	n := 0
	for i := 0; i+4 <= len(text) && n < 4*maxAnchors; i++ {
		c := text[i]
		if c != '1' && c != '2' {
			continue
		}
		if i > 0 && isDigit(text[i-1]) {
			continue
		}
		if !isDigit(text[i+1]) || !isDigit(text[i+2]) || !isDigit(text[i+3]) || (i+4 < len(text) && isDigit(text[i+4])) {
			continue
		}
		if y := text[i : i+2]; y != "18" && y != "19" && y != "20" {
			continue
		}
		n++
		fn(text[max(0, i-120) : i+4])
		i += 3
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// foundingYear returns the year the text says the business was founded.
func foundingYear(lower string, now time.Time) (int, bool) {
	best, bestRank := 0, 0
	consider := func(year, rank int) {
		if year < 1800 || year > now.Year() {
			return
		}
		if rank > bestRank || (rank == bestRank && year < best) {
			best, bestRank = year, rank
		}
	}
	eachYearWindow(lower, func(w string) {
		for _, r := range foundingRules {
			rw := w[wordStart(w, len(w)-r.reach):]
			if !containsAny(rw, r.words) {
				continue
			}
			for _, m := range r.re.FindAllStringSubmatch(rw, -1) {
				if r.re == foundedSince && m[1] != "" {
					continue // "member since 2005" dates the membership
				}
				y, _ := strconv.Atoi(m[len(m)-1])
				consider(y, r.rank)
			}
		}
	})
	eachWindow(lower, "year", 140, 20, func(w string) {
		for _, re := range []*regexp.Regexp{ageOwned, ageInBiz, ageCeleb} {
			for _, m := range re.FindAllStringSubmatch(w, -1) {
				if m[1] != "" || m[3] != "" {
					continue // "over 25 years" bounds the year, it does not state it
				}
				if n, err := strconv.Atoi(m[2]); err == nil && n > 0 {
					consider(now.Year()-n, 1)
				}
			}
		}
	})
	return best, bestRank > 0
}

var wordNumbers = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "one hundred": 100,
	"a hundred": 100,
}

// teamOfWords start a "team of 12" phrase; teamNouns end a "12
// employees" phrase.
var (
	teamOfWords = []string{"team", "staff", "crew", "workforce"}
	teamNouns   = []string{"employees", "staff", "team members", "technicians", "techs", "workers", "professionals"}
)

// teamSize returns the largest headcount the text states.
func teamSize(lower string) (int, bool) {
	best := 0
	consider := func(w string, loc []int) {
		if end := loc[1]; end < len(w) && strings.IndexByte("-%/", w[end]) >= 0 {
			return // "team of 5-star plumbers"
		}
		if n := headcount(w, loc); n > best && n <= 1_000_000 {
			best = n
		}
	}
	for _, word := range teamOfWords {
		eachIndex(lower, word, func(at int) {
			if at > 0 && isLetter(lower[at-1]) {
				return // "steam of"
			}
			w := lower[at:min(len(lower), at+80)]
			if loc := teamOf.FindStringSubmatchIndex(w); loc != nil {
				consider(w, loc)
			}
		})
	}
	for _, noun := range teamNouns {
		eachIndex(lower, noun, func(at int) {
			end := at + len(noun)
			if end < len(lower) && isLetter(lower[end]) {
				return // "staffed", "employees'" is fine, "techsupport" is not
			}
			w := lower[wordStart(lower, at-90):end]
			if !hasNumber(w) {
				return
			}
			if loc := teamNoun.FindStringSubmatchIndex(w); loc != nil {
				consider(w, loc)
			}
		})
	}
	return best, best > 0
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// wordStart moves i forward to the start of a word, so that "^" in a
// pattern never meets the tail of a number or word a window cut.
func wordStart(text string, i int) int {
	if i <= 0 {
		return 0
	}
	if k := strings.IndexByte(text[i:], ' '); k >= 0 {
		return i + k + 1
	}
	return len(text)
}

func hasNumber(w string) bool {
	if strings.ContainsAny(w, "0123456789") {
		return true
	}
	for word := range wordNumbers {
		if strings.Contains(w, word) {
			return true
		}
	}
	return false
}

// headcount reads the approx word, count and plus submatches.
func headcount(w string, loc []int) int {
	sub := func(i int) string {
		if loc[2*i] < 0 {
			return ""
		}
		return w[loc[2*i]:loc[2*i+1]]
	}
	approx, count := sub(1), sub(2)
	n, ok := wordNumbers[count]
	if !ok {
		var err error
		if n, err = strconv.Atoi(strings.ReplaceAll(count, ",", "")); err != nil {
			return 0
		}
	}
	if approx == "over" || approx == "more than" {
		n++
	}
	return n
}

// employeeBucket turns a headcount into the spec's estimate buckets.
func employeeBucket(n int) string {
	switch {
	case n <= 10:
		return "1-10"
	case n <= 50:
		return "11-50"
	case n <= 200:
		return "51-200"
	case n <= 500:
		return "201-500"
	}
	return "500+"
}

// newestCopyright returns the latest year named in a copyright notice.
func newestCopyright(lower string, now time.Time) (int, bool) {
	newest := 0
	consider := func(y int) {
		// A year past next year is a typo, not a sign of freshness.
		if y >= 1800 && y <= now.Year()+1 && y > newest {
			newest = y
		}
	}
	for _, anchor := range []string{"©", "copyright", "(c)"} {
		eachWindow(lower, anchor, 0, 64, func(w string) {
			for _, m := range copyrightRe.FindAllStringSubmatch(w, -1) {
				from, _ := strconv.Atoi(m[1])
				consider(from)
				switch len(m[2]) {
				case 4:
					to, _ := strconv.Atoi(m[2])
					consider(to)
				case 2: // "2009-13"
					to, _ := strconv.Atoi(m[2])
					consider(from/100*100 + to)
				}
			}
		})
	}
	return newest, newest > 0
}
