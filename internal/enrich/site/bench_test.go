package site

import "testing"

// BenchmarkAnalyze runs the whole analysis, tech detection included, on
// the largest fixture: a table-layout catalogue cut at the 2 MiB limit.
func BenchmarkAnalyze(b *testing.B) {
	p := fixturePages(b)["huge"]
	b.SetBytes(int64(len(p.Body)))
	b.ReportAllocs()
	for b.Loop() {
		Analyze(p)
	}
}

// BenchmarkAnalyzeModern is the common case: a 6 KB WordPress home page.
func BenchmarkAnalyzeModern(b *testing.B) {
	p := fixturePages(b)["modern"]
	b.SetBytes(int64(len(p.Body)))
	b.ReportAllocs()
	for b.Loop() {
		Analyze(p)
	}
}
