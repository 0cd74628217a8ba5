package textfield_test

import (
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/textfield"
)

func TestProblem(t *testing.T) {
	tests := []struct {
		name string
		s    string
		kind textfield.Kind
		max  int
		want string // "" when accepted
	}{
		{"plain", "Joe's Plumbing", textfield.Line, 200, ""},
		{"accents count as one character each", strings.Repeat("é", 10), textfield.Line, 10, ""},
		{"one character too many", strings.Repeat("é", 11), textfield.Line, 10, "must be at most 10 characters"},
		{"tab in a line", "Joe\tPlumbing", textfield.Line, 200, ""},
		{"NUL", "Joe\x00", textfield.Line, 200, "must not contain control characters"},
		{"bell", "Joe\a", textfield.Lines, 200, "must not contain control characters"},
		{"escape", "\x1b[31mred", textfield.Line, 200, "must not contain control characters"},
		{"DEL", "Joe\x7f", textfield.Line, 200, "must not contain control characters"},
		{"C1 next line", "Joe\u0085", textfield.Lines, 200, "must not contain control characters"},
		{"line feed in a line", "Joe\nPlumbing", textfield.Line, 200, "must be one line: no line breaks or other control characters"},
		{"carriage return in a line", "Joe\rPlumbing", textfield.Line, 200, "must be one line: no line breaks or other control characters"},
		{"line breaks in lines", "Hi Joe,\r\n\r\nThanks.\n", textfield.Lines, 200, ""},
		{"invalid UTF-8", "Jo\xffe", textfield.Line, 200, "must be UTF-8 text"},
		{"cut UTF-8", "caf\xc3", textfield.Lines, 200, "must be UTF-8 text"},
		{"control checked before length", strings.Repeat("a", 300) + "\x00", textfield.Line, 200, "must not contain control characters"},
		{"empty is for the caller to judge", "", textfield.Line, 200, ""},
		{"format characters are text", "co\u00adop \u200d", textfield.Line, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textfield.Problem(tt.s, tt.kind, tt.max); got != tt.want {
				t.Errorf("Problem(%q) = %q, want %q", tt.s, got, tt.want)
			}
			if got, want := textfield.Clean(tt.s, tt.kind), !strings.Contains(tt.want, "UTF-8") && !strings.Contains(tt.want, "control"); got != want {
				t.Errorf("Clean(%q) = %v, want %v", tt.s, got, want)
			}
		})
	}
}

func TestCheckNamesTheField(t *testing.T) {
	fields := apperr.Fields{}
	if textfield.Check(fields, "city", "Austin", textfield.Line, 100) != true {
		t.Error("Check refused a plain city")
	}
	if textfield.Check(fields, "full_name", "Ann\x00", textfield.Line, 200) != false {
		t.Error("Check passed a NUL")
	}
	want := map[string]string{"full_name": "must not contain control characters"}
	if len(fields) != 1 || fields["full_name"] != want["full_name"] {
		t.Errorf("fields = %v, want %v", fields, want)
	}
}

func TestHostname(t *testing.T) {
	for _, tc := range []struct {
		host string
		want bool
	}{
		{"smtp.example.com", true},
		{"mx1.a-b.co", true},
		{"localhost", true},
		{"", false},
		{"example..com", false},
		{".example.com", false},
		{"-bad.example.com", false},
		{"bad-.example.com", false},
		{"Smtp.Example.com", false},
		{"smtp_1.example.com", false},
		{"exa mple.com", false},
		{strings.Repeat("a", 64) + ".com", false},
		{strings.Repeat("a", 63) + ".com", true},
	} {
		if got := textfield.Hostname(tc.host); got != tc.want {
			t.Errorf("Hostname(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
}
