package contacts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/enrich/verify"
)

// FuzzExtract feeds Extract and CandidatePages arbitrary pages: they must
// not panic, and what they return must keep their promises. The seeds are
// the pages in testdata.
func FuzzExtract(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<a href="mailto:%zz">x</a><a href="tel:%">y</a><script type="application/ld+json">[[[[[[</script>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		const url = "https://joesplumbing.com/contact"
		found := Extract(url, page)
		if found == nil {
			t.Fatal("Extract returned nil")
		}
		for _, x := range found {
			if x.Email != "" {
				if addr, err := verify.Normalize(x.Email); err != nil || addr != x.Email {
					t.Errorf("Extract returned address %q that is not normalized", x.Email)
				}
			}
			if x.Name == "" && x.Email == "" && x.Phone == "" {
				t.Errorf("Extract returned an empty entry %+v", x)
			}
			if x.Source != SourceWebsite || x.PageURL != url {
				t.Errorf("Found %+v without its source", x)
			}
		}
		primaries := 0
		for _, c := range Choose(found) {
			if c.IsPrimary {
				primaries++
			}
		}
		if len(found) > 0 && primaries != 1 {
			t.Errorf("Choose marked %d primary contacts", primaries)
		}
		for _, u := range CandidatePages(url, page) {
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				t.Errorf("CandidatePages returned %q", u)
			}
		}
	})
}
