package discovery

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// fodorsZagatsDir is a copy of the shared benchmark data
// (shared/data/fodors_zagats, its README says where it comes from), kept in
// testdata so the measure runs wherever the repository is checked out.
const fodorsZagatsDir = "testdata/fodors_zagats"

// TestDedupFodorsZagats runs the Deduper on the Fodors–Zagat restaurant
// benchmark: every Fodors listing is seeded, every Zagat listing added, and
// a Zagat listing merged into a Fodors one is a predicted pair. The pairs
// are scored against matches.csv in both directions (which guide is seeded
// matters to the Deduper, which keeps the best candidate).
func TestDedupFodorsZagats(t *testing.T) {
	fodors := loadRestaurants(t, "fodors.csv", "fodors")
	zagats := loadRestaurants(t, "zagats.csv", "zagats")
	truth := loadMatches(t)

	for _, tc := range []struct {
		name         string
		seed, add    []Business
		fodorsSeeded bool
	}{
		{name: "fodors seeded, zagats added", seed: fodors, add: zagats, fodorsSeeded: true},
		{name: "zagats seeded, fodors added", seed: zagats, add: fodors},
	} {
		t.Run(tc.name, func(t *testing.T) {
			predicted := map[restaurantPair]bool{}
			d := NewDeduper()
			for _, b := range tc.seed {
				d.Seed(b)
			}
			for _, b := range tc.add {
				i, merged := d.Add(b)
				if !merged || i >= len(tc.seed) {
					continue
				}
				p := restaurantPair{fodors: tc.seed[i].SourceID, zagats: b.SourceID}
				if !tc.fodorsSeeded {
					p = restaurantPair{fodors: b.SourceID, zagats: tc.seed[i].SourceID}
				}
				predicted[p] = true
			}

			tp := 0
			for p := range predicted {
				if truth[p] {
					tp++
				} else {
					t.Logf("false match: %s", describePair(p, fodors, zagats))
				}
			}
			for p := range truth {
				if !predicted[p] {
					t.Logf("missed match: %s", describePair(p, fodors, zagats))
				}
			}
			precision := float64(tp) / float64(len(predicted))
			recall := float64(tp) / float64(len(truth))
			f1 := 2 * precision * recall / (precision + recall)
			t.Logf("pairs predicted %d, true %d, correct %d: precision %.4f recall %.4f F1 %.4f",
				len(predicted), len(truth), tp, precision, recall, f1)
			if f1 < 0.95 {
				t.Errorf("F1 %.4f is below 0.95", f1)
			}
		})
	}
}

type restaurantPair struct{ fodors, zagats string }

// loadRestaurants maps one guide's rows (id,name,addr,city,phone,type) to
// normalized businesses, as a discovery source adapter would.
func loadRestaurants(t *testing.T, file, source string) []Business {
	t.Helper()
	rows := readCSV(t, filepath.Join(fodorsZagatsDir, file))
	var out []Business
	for _, r := range rows {
		b := Business{
			Name:       r["name"],
			Address:    r["addr"],
			City:       r["city"],
			Phone:      r["phone"],
			Categories: []string{r["type"]},
			Source:     source,
			SourceID:   r["id"],
		}
		b.Normalize("US")
		out = append(out, b)
	}
	return out
}

func loadMatches(t *testing.T) map[restaurantPair]bool {
	t.Helper()
	out := map[restaurantPair]bool{}
	for _, r := range readCSV(t, filepath.Join(fodorsZagatsDir, "matches.csv")) {
		out[restaurantPair{fodors: r["fodors_id"], zagats: r["zagats_id"]}] = true
	}
	if len(out) == 0 {
		t.Fatal("matches.csv holds no pairs")
	}
	return out
}

// readCSV reads a CSV file with a header into one map per row.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(records) < 2 {
		t.Fatalf("%s: no data rows", path)
	}
	var out []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, col := range records[0] {
			if i < len(rec) {
				row[col] = rec[i]
			}
		}
		out = append(out, row)
	}
	return out
}

func describePair(p restaurantPair, fodors, zagats []Business) string {
	find := func(list []Business, id string) string {
		for _, b := range list {
			if b.SourceID == id {
				return b.Name + " / " + b.Address + " / " + b.Phone
			}
		}
		return id + "?"
	}
	return "fodors " + find(fodors, p.fodors) + "  ~  zagats " + find(zagats, p.zagats)
}
