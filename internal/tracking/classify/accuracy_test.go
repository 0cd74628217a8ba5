package classify_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/prospectorhq/prospector/internal/tracking/classify"
)

// BenchmarkClassifyAccuracy reports, per expected kind, the share of the
// corpus's fixtures read as that kind (go test -bench ClassifyAccuracy
// -run '^$' ./internal/tracking/classify/), and the messages confused.
// It reports; TestClassifyCorpus is what fails.
func BenchmarkClassifyAccuracy(b *testing.B) {
	type tally struct{ right, all int }
	per := map[classify.Kind]*tally{}
	var confused []string
	for b.Loop() {
		clear(per)
		confused = confused[:0]
		for _, tc := range corpus {
			got, _ := classify.Classify(readFixture(b, tc.file), isOurs, tc.unsubscribeTo...)
			t := per[tc.want.kind]
			if t == nil {
				t = &tally{}
				per[tc.want.kind] = t
			}
			t.all++
			if got.Kind == tc.want.kind {
				t.right++
			} else {
				confused = append(confused, fmt.Sprintf("%s: %s read as %s", tc.file, tc.want.kind, got.Kind))
			}
		}
	}
	kinds := make([]classify.Kind, 0, len(per))
	for k := range per {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	right, all := 0, 0
	for _, k := range kinds {
		t := per[k]
		right, all = right+t.right, all+t.all
		b.ReportMetric(100*float64(t.right)/float64(t.all), "%"+string(k))
		b.Logf("%-12s %d/%d", k, t.right, t.all)
	}
	b.ReportMetric(100*float64(right)/float64(all), "%all")
	for _, c := range confused {
		b.Log(c)
	}
}
