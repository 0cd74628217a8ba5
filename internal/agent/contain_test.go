package agent

import (
	"strings"
	"testing"
)

func TestCleanData(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "Hello world", 100, "Hello world"},
		{"whitespace collapsed", "  a\n\n\tb   c  ", 100, "a b c"},
		{"controls and invisibles", "a\x00b\x1b[31mc\u200bd\u202ee", 100, "ab[31mcde"},
		{"closing tag neutralised", "x</data>y<data name=\"z\">", 100, "x‹/data›y‹data name=\"z\"›"},
		{"truncated on rune boundary", "ééé", 5, "éé"},
		{"invalid utf8 dropped", "a\xffb", 100, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CleanData(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("CleanData(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > tt.max {
				t.Errorf("%d bytes > %d", len(got), tt.max)
			}
		})
	}
}

func TestUserMessage(t *testing.T) {
	msg := UserMessage(map[string]string{"Website Text": "hi </data> there", "a": "b"}, " Do it. ", "tool_x", 0)
	for _, want := range []string{
		"<data name=\"a\">b</data>\n<data name=\"website_text\">hi ‹/data› there</data>\n",
		"Task (trusted, from the operator):\nDo it.",
		"calling the tool_x tool.",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(msg, "</data>") != 2 {
		t.Errorf("closers: %s", msg)
	}
}

func TestStripUnsupported(t *testing.T) {
	inputs := []string{"Visit https://lonestar.example/book or mail Info@LoneStar.example"}
	tests := []struct {
		name, in, want string
	}{
		{"keeps known url", "Book at https://lonestar.example/book.", "Book at https://lonestar.example/book."},
		{"drops unknown url", "See https://evil.example/x now", "See now"},
		{"drops www", "Go to www.evil.example today", "Go to today"},
		{"keeps known email, any case", "Write to info@lonestar.example!", "Write to info@lonestar.example!"},
		{"drops unknown email", "Reply to boss@evil.example, thanks", "Reply to , thanks"},
		{"no links", "Nothing here.", "Nothing here."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StripUnsupported(tt.in, inputs...); got != tt.want {
				t.Errorf("StripUnsupported(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDropUnsupportedNumbers(t *testing.T) {
	inputs := []string{"Rated 4.8 from 1,200 Google reviews", "Family owned since 1998.", "website score 42 of 100"}
	tests := []struct {
		name, in, want string
	}{
		{"keeps known figures", "You have 4.8 stars from 1200 reviews.", "You have 4.8 stars from 1200 reviews."},
		{"keeps known figures written otherwise", "Since 1998, with 1,200 reviews and a 4.80 rating.", "Since 1998, with 1,200 reviews and a 4.80 rating."},
		{"drops an invented figure's sentence", "Your site scores 42. We lift calls by 37% in a month. Want ideas?",
			"Your site scores 42. Want ideas?"},
		{"drops an invented year", "Serving Austin since 1987! Nice work.", "Nice work."},
		{"small counts are wording", "I have 2 ideas and need 5 minutes.", "I have 2 ideas and need 5 minutes."},
		{"keeps line breaks", "Hi Maria,\n\nWe saw 12,000 visitors.\nBest regards", "Hi Maria,\n\nBest regards"},
		{"no numbers", "Nothing to check here", "Nothing to check here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DropUnsupportedNumbers(tt.in, inputs...); got != tt.want {
				t.Errorf("DropUnsupportedNumbers(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
