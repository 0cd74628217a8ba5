package outreach

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// ValidateSteps checks a sequence sent by the edit API and returns one
// problem per bad field, named by its JSON path with 0-based indexes
// ("emails[1].subject: required"); an empty, non-nil slice when it is
// valid. The rules:
//
//   - 1 to settings.MaxSteps (5) emails;
//   - step numbers 1, 2, … n in order;
//   - delay_days from 0 to settings.MaxDelayDays (60), 0 for the first email and
//     never less than the previous email's (days count from the start of
//     the sequence, so two emails may share a day but not go back in time);
//   - subject: 1 to MaxSubjectChars (150) characters after trimming, one
//     line, no control characters;
//   - body: 1 to MaxBodyChars (5000) characters after trimming, no control
//     characters other than line breaks and tabs.
//
// Content is not judged here: a body over MaxWords words, a spam word or a
// link is allowed in an edit (the user decides) and reported by Check.
func ValidateSteps(steps []Step) []string {
	problems := []string{}
	bad := func(i int, field, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("emails[%d].%s: ", i, field)+fmt.Sprintf(format, args...))
	}
	// text checks one field of an email, trimmed: required, at most max
	// characters, one line when kind is textfield.Line, and clean.
	text := func(i int, field, value string, max int, kind textfield.Kind) {
		value = strings.TrimSpace(value)
		switch n := utf8.RuneCountInString(value); {
		case value == "":
			bad(i, field, "required")
		case n > max:
			bad(i, field, "at most %d characters, got %d", max, n)
		case kind == textfield.Line && strings.ContainsAny(value, "\r\n"):
			bad(i, field, "must be one line")
		case !textfield.Clean(value, kind):
			bad(i, field, "contains control characters")
		}
	}
	switch {
	case len(steps) == 0:
		return append(problems, "emails: at least 1 email is required")
	case len(steps) > settings.MaxSteps:
		return append(problems, fmt.Sprintf("emails: at most %d emails are allowed, got %d", settings.MaxSteps, len(steps)))
	}
	for i, s := range steps {
		if s.Step != i+1 {
			bad(i, "step", "must be %d, got %d", i+1, s.Step)
		}
		switch {
		case s.DelayDays < 0 || s.DelayDays > settings.MaxDelayDays:
			bad(i, "delay_days", "must be from 0 to %d, got %d", settings.MaxDelayDays, s.DelayDays)
		case i == 0 && s.DelayDays != 0:
			bad(i, "delay_days", "must be 0 for the first email, got %d", s.DelayDays)
		case i > 0 && s.DelayDays < steps[i-1].DelayDays:
			bad(i, "delay_days", "must not be less than the previous email's (%d), got %d", steps[i-1].DelayDays, s.DelayDays)
		}
		text(i, "subject", s.Subject, MaxSubjectChars, textfield.Line)
		text(i, "body", s.Body, MaxBodyChars, textfield.Lines)
	}
	return problems
}
