package providers_test

import (
	"testing"

	"github.com/prospectorhq/prospector/internal/providers"
)

func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		ok        bool
	}{
		{"", "https://api.example.com/v2", true}, // the default
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080", true},
		{"https://api.example.com/v2//", "https://api.example.com/v2", true},
		{"ftp://api.example.com", "", false},
		{"api.example.com/v2", "", false},
		{"https://", "", false},
		{"https://api.example.com/v2?key=1", "", false},
		{"https://api.example.com/v2?", "", false},
		{"https://api.example.com/v2#x", "", false},
		{"https://user:pass@api.example.com/v2", "", false},
		{"://bad", "", false},
	} {
		got, err := providers.BaseURL("svc", tc.raw, "https://api.example.com/v2")
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q, ok=%v", tc.raw, got, err, tc.want, tc.ok)
		}
	}
}
