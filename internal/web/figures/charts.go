package figures

import (
	"strings"
)

// Step is one stage of the funnel and how many reached it.
type Step struct {
	Label string
	Count int
}

// Funnel is a horizontal bar per stage, each as long as its count
// relative to the first (largest) stage.
type Funnel struct {
	Width, Height int
	// BarX and BarMax place every bar's track.
	BarX, BarMax int
	Rows         []FunnelRow
	// Summary says every stage's count in one sentence (the SVG's desc).
	Summary string
}

type FunnelRow struct {
	Label, Count string
	// Y is the bar's top, TextY the baseline of its label and count,
	// BarWidth its length and CountX where its count is written.
	Y, TextY, BarWidth, CountX int
}

const (
	funnelWidth  = 560
	funnelBarX   = 100 // labels to the left of it
	funnelBarMax = 380 // room for the count after the longest bar
	funnelRowH   = 40
	funnelBarH   = 26
)

func NewFunnel(steps []Step) Funnel {
	c := Funnel{Width: funnelWidth, Height: len(steps)*funnelRowH + 4, BarX: funnelBarX, BarMax: funnelBarMax}
	top := 0
	for _, s := range steps {
		top = max(top, s.Count)
	}
	words := make([]string, len(steps))
	for i, s := range steps {
		w := 0
		if top > 0 && s.Count > 0 {
			w = max(2, s.Count*funnelBarMax/top) // a non-zero count stays visible
		}
		y := i*funnelRowH + 2
		c.Rows = append(c.Rows, FunnelRow{Label: s.Label, Count: Number(s.Count), Y: y, TextY: y + funnelBarH/2 + 5,
			BarWidth: w, CountX: funnelBarX + w + 8})
		words[i] = s.Label + " " + Number(s.Count)
	}
	c.Summary = strings.Join(words, ", ") + "."
	return c
}

// TierSplit is one bar split by tier, with a legend that gives each tier's
// count and share in words.
type TierSplit struct {
	Total    int
	Width    int
	Segments []TierSegment
}

type TierSegment struct {
	Tier, Count, Share string
	// Class picks the colour; X and Width place the segment.
	Class    string
	X, Width int
}

const tierWidth = 600

func NewTierSplit(byTier map[string]int) TierSplit {
	t := TierSplit{Width: tierWidth}
	for _, tier := range []string{"A", "B", "C"} {
		t.Total += byTier[tier]
	}
	if t.Total == 0 {
		return t
	}
	x := 0
	for i, tier := range []string{"A", "B", "C"} {
		n := byTier[tier]
		w := n * tierWidth / t.Total
		if i == 2 {
			w = tierWidth - x // the last one takes the rounding
		}
		t.Segments = append(t.Segments, TierSegment{Tier: tier, Count: Number(n), Share: Rate(n, t.Total),
			Class: "tier-" + strings.ToLower(tier), X: x, Width: w})
		x += w
	}
	return t
}
