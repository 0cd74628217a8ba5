package site

import "testing"

// BenchmarkAnalyze runs the whole analysis, tech detection included, on
// the largest fixture (huge: a table-layout catalogue cut at the 2 MiB
// limit) and on the common case (modern: a 6 KB WordPress home page).
func BenchmarkAnalyze(b *testing.B) {
	pages := fixturePages(b)
	for _, name := range []string{"huge", "modern"} {
		b.Run(name, func(b *testing.B) {
			p := pages[name]
			b.SetBytes(int64(len(p.Body)))
			b.ReportAllocs()
			for b.Loop() {
				Analyze(p)
			}
		})
	}
}
