package outreach

import (
	"slices"
	"strings"
	"testing"
)

func TestValidateSteps(t *testing.T) {
	t.Parallel()
	good := func() []Step {
		return []Step{
			{Step: 1, DelayDays: 0, Subject: "your website on phones", Body: "Hi Ann,\n\nShort note.\n\nBest regards"},
			{Step: 2, DelayDays: 3, Subject: "a quick follow-up", Body: "Hi Ann,\n\nFollowing up.\n\nBest regards"},
			{Step: 3, DelayDays: 7, Subject: "closing the loop", Body: "Hi Ann,\n\nLast note.\n\nBest regards"},
		}
	}
	edit := func(f func(s []Step) []Step) []Step { return f(good()) }
	tests := []struct {
		name  string
		steps []Step
		want  []string
	}{
		{"valid", good(), []string{}},
		{"valid with a long body and a spam word", edit(func(s []Step) []Step {
			s[0].Body = strings.Repeat("free word ", 200)
			return s
		}), []string{}},
		{"same day allowed", edit(func(s []Step) []Step { s[2].DelayDays = 3; return s }), []string{}},
		{"none", nil, []string{"emails: at least 1 email is required"}},
		{"too many", append(good(), good()...), []string{"emails: at most 5 emails are allowed, got 6"}},
		{"step numbers", edit(func(s []Step) []Step { s[1].Step = 3; s[2].Step = 0; return s }),
			[]string{"emails[1].step: must be 2, got 3", "emails[2].step: must be 3, got 0"}},
		{"first delay", edit(func(s []Step) []Step { s[0].DelayDays = 2; return s }),
			[]string{"emails[0].delay_days: must be 0 for the first email, got 2"}},
		{"delay range", edit(func(s []Step) []Step { s[1].DelayDays = -1; s[2].DelayDays = 61; return s }),
			[]string{"emails[1].delay_days: must be from 0 to 60, got -1", "emails[2].delay_days: must be from 0 to 60, got 61"}},
		{"delay goes back", edit(func(s []Step) []Step { s[2].DelayDays = 2; return s }),
			[]string{"emails[2].delay_days: must not be less than the previous email's (3), got 2"}},
		{"subject required", edit(func(s []Step) []Step { s[1].Subject = "  \t"; return s }),
			[]string{"emails[1].subject: required"}},
		{"subject too long", edit(func(s []Step) []Step { s[0].Subject = strings.Repeat("é", 151); return s }),
			[]string{"emails[0].subject: at most 150 characters, got 151"}},
		{"subject 150 characters", edit(func(s []Step) []Step { s[0].Subject = strings.Repeat("é", 150); return s }), []string{}},
		{"subject two lines", edit(func(s []Step) []Step { s[0].Subject = "hello\nBcc: x@y.example"; return s }),
			[]string{"emails[0].subject: must be one line"}},
		{"subject control", edit(func(s []Step) []Step { s[0].Subject = "hello\x00"; return s }),
			[]string{"emails[0].subject: contains control characters"}},
		{"body required", edit(func(s []Step) []Step { s[2].Body = "\n\n"; return s }),
			[]string{"emails[2].body: required"}},
		{"body too long", edit(func(s []Step) []Step { s[2].Body = strings.Repeat("a", 5001); return s }),
			[]string{"emails[2].body: at most 5000 characters, got 5001"}},
		{"body control", edit(func(s []Step) []Step { s[2].Body = "Hi\x1b[31m"; return s }),
			[]string{"emails[2].body: contains control characters"}},
		{"body invalid utf-8", edit(func(s []Step) []Step { s[2].Body = "Hi \xff"; return s }),
			[]string{"emails[2].body: contains control characters"}},
		{"several at once", []Step{{Step: 2, DelayDays: 1}},
			[]string{"emails[0].step: must be 1, got 2", "emails[0].delay_days: must be 0 for the first email, got 1",
				"emails[0].subject: required", "emails[0].body: required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ValidateSteps(tt.steps)
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("ValidateSteps =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
