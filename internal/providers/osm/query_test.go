package osm_test

import (
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/golden"
	"github.com/prospectorhq/prospector/internal/providers/osm"
)

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
		golden.Check(t, tt.golden, got)
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
