package site

import (
	"net/http"
	"testing"

	"github.com/prospectorhq/prospector/internal/golden"
)

// FuzzAnalyze feeds arbitrary bodies through the whole analysis: whatever
// a website serves, the analysis must not panic and the scores must stay
// in range.
func FuzzAnalyze(f *testing.F) {
	for _, name := range []string{"dated.html", "wix.html", "modern_wordpress.html"} {
		f.Add(golden.Read(f, name), "text/html")
	}
	f.Add([]byte("<table><table><font size=-1><a href=tel:>x</font></table>"), "")
	f.Add([]byte("\xa9 2010 <script>/*! jQuery v1"), "text/plain")
	f.Add(pngBody(), "image/png")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		p := htmlPage("")
		p.Body = body
		p.Header = http.Header{"Content-Type": {ctype}}
		a := Analyze(p)
		for _, s := range []int{a.WebsiteScore, a.MobileScore, a.PageSpeed} {
			if s < 0 || s > 100 {
				t.Fatalf("score %d out of range", s)
			}
		}
		checkTechSorted(t, a.Tech)
	})
}
