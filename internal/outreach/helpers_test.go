package outreach

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// render writes steps as a reviewer reads them.
func render(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString("=== step " + strconv.Itoa(s.Step) + ", day " + strconv.Itoa(s.DelayDays) + " (" + strconv.Itoa(CountWords(s.Body)) + " words)\n")
		b.WriteString("Subject: " + s.Subject + "\n\n")
		b.WriteString(s.Body + "\n\n")
	}
	return b.String()
}

var digitsRE = regexp.MustCompile(`\d+`)

// allowedNumbers lists the digit sequences the facts and delays hold.
func allowedNumbers(f Facts, delays []int) map[string]bool {
	ok := map[string]bool{}
	addText := func(s string) {
		for _, d := range digitsRE.FindAllString(s, -1) {
			ok[d] = true
		}
	}
	for _, s := range factStrings(f) {
		addText(s)
	}
	for _, p := range []*int{f.WebsiteScore, f.MobileScore, f.GoogleReviews, f.YelpReviews, f.YearFounded} {
		if p != nil {
			addText(strconv.Itoa(*p))
		}
	}
	for _, p := range []*float64{f.PageSpeed, f.GoogleRating, f.YelpRating} {
		if p != nil {
			addText(strconv.FormatFloat(*p, 'f', -1, 64))
		}
	}
	for i, d := range delays {
		addText(strconv.Itoa(d))
		addText(strconv.Itoa(i + 1))
	}
	return ok
}

// assertNoInventedNumbers fails when a digit sequence of the steps is not
// in the facts (or a step number or delay).
func assertNoInventedNumbers(t *testing.T, f Facts, delays []int, steps []Step) {
	t.Helper()
	ok := allowedNumbers(f, delays)
	for _, s := range steps {
		for _, d := range digitsRE.FindAllString(s.Subject+"\n"+s.Body, -1) {
			if !ok[d] {
				t.Errorf("step %d states %q, which the facts do not hold:\n%s", s.Step, d, s.Body)
			}
		}
	}
}

// assertSendable fails when steps break a rule every generated draft keeps.
func assertSendable(t *testing.T, steps []Step) {
	t.Helper()
	if p := ValidateSteps(steps); len(p) != 0 {
		t.Errorf("ValidateSteps: %v", p)
	}
	for _, s := range steps {
		if n := CountWords(s.Body); n >= MaxWords {
			t.Errorf("step %d: %d words", s.Step, n)
		}
		if hasLink(s.Subject) || hasLink(s.Body) {
			t.Errorf("step %d has a link: %q", s.Step, s.Body)
		}
		if strings.ContainsAny(s.Subject+s.Body, "{}[]") {
			t.Errorf("step %d has a placeholder-like bracket: %q", s.Step, s.Body)
		}
	}
}
