package site

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// rubricTables reads rubric.md's tables: section heading → code → points.
func rubricTables(t *testing.T) map[string]map[string][]int {
	t.Helper()
	doc, err := os.ReadFile("rubric.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\| ([0-9 /]+) \\|")
	out := map[string]map[string][]int{}
	section := ""
	for _, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = h
			out[section] = map[string][]int{}
			continue
		}
		m := row.FindStringSubmatch(line)
		if m == nil || section == "" {
			continue
		}
		var pts []int
		for _, f := range strings.Split(m[2], "/") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				t.Fatalf("rubric.md: %q: %v", line, err)
			}
			pts = append(pts, n)
		}
		out[section][m[1]] = pts
	}
	return out
}

// TestRubricDoc keeps rubric.md, the doc comment in rubric.go and the code
// saying the same numbers.
func TestRubricDoc(t *testing.T) {
	t.Parallel()
	tables := rubricTables(t)
	want := map[string]map[string][]int{
		"Website score": {},
		"Mobile score": {
			"failed": {mobileFailed}, "no_viewport": {mobileNoViewport}, "fixed_viewport": {mobileFixedViewport},
			"zoom_disabled": {mobileZoomDisabled}, "no_responsive_css": {mobileNoResponsiveCSS},
			"fixed_width": {mobileFixedWidth}, "flash": {mobileFlash}, "table_layout": {mobileTableLayout},
			"frames": {mobileFrames}, "small_fonts": {mobileSmallFonts}, "tap_targets": {mobileTapTargets},
			"page_weight": {mobileHeavy, mobileVeryHeavy}, "no_tel_link": {mobileNoTelLink},
		},
		"Page speed": {
			"failed": {speedFailed}, "ttfb": ttfbPoints, "load_time": loadPoints, "page_weight": weightPoints,
			"render_blocking": blockingPoints, "requests": requestPoints,
		},
	}
	for code, pts := range websitePoints {
		want["Website score"][code] = []int{pts}
	}
	for section, codes := range want {
		got := tables[section]
		for code, pts := range codes {
			if !slices.Equal(got[code], pts) {
				t.Errorf("rubric.md %q: %s = %v, code says %v", section, code, got[code], pts)
			}
		}
		for code := range got {
			if _, ok := codes[code]; !ok {
				t.Errorf("rubric.md %q documents %s, which the code does not have", section, code)
			}
		}
	}

	src, err := os.ReadFile("rubric.go")
	if err != nil {
		t.Fatal(err)
	}
	for code, pts := range websitePoints {
		if !strings.Contains(string(src), fmt.Sprintf("%s %d", code, pts)) {
			t.Errorf("rubric.go's doc comment does not say %q", fmt.Sprintf("%s %d", code, pts))
		}
	}

	// Every penalty the fixtures produce is documented in its section.
	pages := fixturePages(t)
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		a := Analyze(pages[name])
		for section, ps := range map[string][]Penalty{"Website score": a.WebsitePenalties, "Mobile score": a.MobilePenalties, "Page speed": a.SpeedPenalties} {
			for _, p := range ps {
				if !slices.Contains(tables[section][p.Code], p.Points) {
					t.Errorf("%s: %s penalty %s of %d points is not in rubric.md", name, section, p.Code, p.Points)
				}
			}
		}
	}
}
