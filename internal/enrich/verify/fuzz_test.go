package verify

import (
	"net/mail"
	"strings"
	"testing"
)

// FuzzNormalize checks that Normalize's output is stable (normalizing it
// again changes nothing), within the length limits, and an address the
// standard library reads back unchanged.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"maria@example.com", " Maria.Gonzalez@Example.COM ", "x@münchen.de", "a@b@c", "o'brien+x@shop.co.uk", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := Normalize(s)
		if err != nil {
			return
		}
		again, err := Normalize(addr)
		if err != nil || again != addr {
			t.Fatalf("Normalize(%q) = %q, but Normalize of that = %q, %v", s, addr, again, err)
		}
		if len(addr) > maxAddressLen || addr != strings.ToLower(addr) {
			t.Fatalf("Normalize(%q) = %q: too long or not lowercase", s, addr)
		}
		if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr {
			t.Fatalf("Normalize(%q) = %q, which net/mail reads as %v, %v", s, addr, a, err)
		}
	})
}
