package figures_test

import (
	"testing"

	"github.com/prospectorhq/prospector/internal/web/figures"
)

func TestNumbersReadAsPeopleWriteThem(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{figures.Number(0), "0"},
		{figures.Number(999), "999"},
		{figures.Number(12345), "12,345"},
		{figures.Number(-1234567), "-1,234,567"},
		{figures.Rate(1, 3), "33.3%"},
		{figures.Rate(5, 0), "—"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestFunnelBarsAreRelativeToTheFirstStageAndSaidInWords(t *testing.T) {
	f := figures.NewFunnel([]figures.Step{{Label: "Found", Count: 1000}, {Label: "Qualified", Count: 250}, {Label: "Replied", Count: 1}, {Label: "Bounced", Count: 0}})
	if f.Rows[0].BarWidth != f.BarMax || f.Rows[1].BarWidth != f.BarMax/4 {
		t.Errorf("bar widths %d and %d, want %d and %d", f.Rows[0].BarWidth, f.Rows[1].BarWidth, f.BarMax, f.BarMax/4)
	}
	if f.Rows[2].BarWidth == 0 || f.Rows[3].BarWidth != 0 {
		t.Errorf("a count of 1 must stay visible and 0 must not: %d, %d", f.Rows[2].BarWidth, f.Rows[3].BarWidth)
	}
	if f.Summary != "Found 1,000, Qualified 250, Replied 1, Bounced 0." {
		t.Errorf("summary = %q", f.Summary)
	}
}

func TestTierSplitFillsTheBarAndGivesShares(t *testing.T) {
	s := figures.NewTierSplit(map[string]int{"A": 1, "B": 1, "C": 1})
	total := 0
	for _, seg := range s.Segments {
		total += seg.Width
	}
	if total != s.Width || s.Segments[0].Share != "33.3%" {
		t.Errorf("segments %+v fill %d of %d", s.Segments, total, s.Width)
	}
	if empty := figures.NewTierSplit(nil); len(empty.Segments) != 0 {
		t.Errorf("no tiers drew %d segments", len(empty.Segments))
	}
}
