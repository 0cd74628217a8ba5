package osm_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers/osm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestBuildQueryGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		golden string
		area   osm.Area
		typ    string
	}{
		{"query_area_plumber.ql", osm.Area{ID: 3600113314}, "plumbers"},
		{"query_bbox_dentist.ql", osm.Area{BBox: &osm.BBox{South: 30.0985133, West: -97.9367663, North: 30.5166255, East: -97.5605288}}, "dentist"},
		{"query_area_unknown_type.ql", osm.Area{ID: 3600113314}, "kite repairs"},
	}
	for _, tt := range tests {
		got := osm.BuildQuery(tt.area, osm.Selectors(tt.typ), 90*time.Second)
		path := filepath.Join("testdata", tt.golden)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s:\n%s\nwant\n%s", tt.golden, got, want)
		}
	}
}

func TestAreaOf(t *testing.T) {
	t.Parallel()
	relation := osm.Place{OSMType: "relation", OSMID: 113314, BoundingBox: []string{"30.0985133", "30.5166255", "-97.9367663", "-97.5605288"}}
	if a, err := osm.AreaOf(relation); err != nil || a.ID != 3600113314 || a.BBox != nil {
		t.Errorf("relation: %+v, %v", a, err)
	}
	node := osm.Place{OSMType: "node", OSMID: 42, BoundingBox: []string{"44.1", "44.2", "-72.6", "-72.5"}}
	a, err := osm.AreaOf(node)
	if err != nil || a.BBox == nil || *a.BBox != (osm.BBox{South: 44.1, North: 44.2, West: -72.6, East: -72.5}) {
		t.Errorf("node: %+v, %v", a, err)
	}
	if _, err := osm.AreaOf(osm.Place{OSMType: "way", BoundingBox: []string{"x", "1", "2", "3"}}); err == nil {
		t.Error("a bad bounding box was accepted")
	}
}
