package auth

import (
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	local64 := strings.Repeat("a", 64)
	// 64 + 1 + 189 = 254 characters, the longest address allowed.
	domain189 := strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 63) + ".com"

	for _, tc := range []struct {
		in   string
		want string // empty means the input must be refused
	}{
		{"ann@example.com", "ann@example.com"},
		{"  Ann.Lee@Example.COM \n", "ann.lee@example.com"},
		{"ann+prospector@mail.example.co.uk", "ann+prospector@mail.example.co.uk"},
		{"o'brien@example.ie", "o'brien@example.ie"},
		{"ÉLODIE@exemple.fr", "élodie@exemple.fr"},
		{local64 + "@" + domain189, local64 + "@" + domain189},

		{"", ""},
		{"   ", ""},
		{"ann", ""},
		{"ann@", ""},
		{"@example.com", ""},
		{"ann@localhost", ""},
		{"ann@[192.168.0.1]", ""},
		{"Ann <ann@example.com>", ""},
		{"<ann@example.com>", ""},
		{"ann@example.com (Ann)", ""},
		{`"ann lee"@example.com`, ""},
		{"ann lee@example.com", ""},
		{"ann@exam ple.com", ""},
		{"ann@@example.com", ""},
		{"ann@example..com", ""},
		{"ann@.example.com", ""},
		{"ann@example.com.", ""},
		{".ann@example.com", ""},
		{"ann@example.com, bob@example.com", ""},
		{"ann@example.com\r\nBcc: eve@example.com", ""},
		{"ann\xff@example.com", ""},
		{local64 + "a@" + domain189, ""}, // 255 characters
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := NormalizeEmail(tc.in)
			if tc.want == "" {
				if err != ErrInvalidEmail || got != "" {
					t.Fatalf("NormalizeEmail(%q) = %q, %v; want ErrInvalidEmail", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			// Normalizing twice must change nothing, or lookups by the
			// stored form would miss.
			if again, err := NormalizeEmail(got); err != nil || again != got {
				t.Fatalf("NormalizeEmail is not idempotent: %q -> %q, %v", got, again, err)
			}
		})
	}
}
