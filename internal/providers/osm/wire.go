package osm

import (
	"fmt"
	"strconv"
)

// Place is one Nominatim search result in format=jsonv2. Nominatim sends
// coordinates and the bounding box as strings.
type Place struct {
	PlaceID     int64             `json:"place_id"`
	Licence     string            `json:"licence"`
	OSMType     string            `json:"osm_type"` // node, way, relation
	OSMID       int64             `json:"osm_id"`
	Lat         string            `json:"lat"`
	Lon         string            `json:"lon"`
	Category    string            `json:"category"` // "class" in format=json
	Type        string            `json:"type"`
	PlaceRank   int               `json:"place_rank"`
	Importance  float64           `json:"importance"`
	AddressType string            `json:"addresstype"`
	Name        string            `json:"name"`
	DisplayName string            `json:"display_name"`
	Address     map[string]string `json:"address,omitempty"`
	BoundingBox []string          `json:"boundingbox"` // min lat, max lat, min lon, max lon
}

// BBox is a bounding box in Overpass order.
type BBox struct {
	South, West, North, East float64
}

// Area is where an Overpass search looks: an area id when the place is a
// boundary relation, else its bounding box.
type Area struct {
	ID   int64
	BBox *BBox
}

// AreaOf turns a geocoded place into a search area. Overpass derives an
// area from every boundary relation with id 3600000000 + relation id; other
// places (a village node, a way) are searched within their bounding box.
func AreaOf(p Place) (Area, error) {
	if p.OSMType == "relation" && p.OSMID > 0 {
		return Area{ID: 3600000000 + p.OSMID}, nil
	}
	if len(p.BoundingBox) != 4 {
		return Area{}, fmt.Errorf("osm: %s %d has no bounding box", p.OSMType, p.OSMID)
	}
	var v [4]float64
	for i, s := range p.BoundingBox {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return Area{}, fmt.Errorf("osm: bounding box value %q: %w", s, err)
		}
		v[i] = f
	}
	return Area{BBox: &BBox{South: v[0], North: v[1], West: v[2], East: v[3]}}, nil
}

// OverpassResponse is the body of an [out:json] query.
type OverpassResponse struct {
	Version   float64   `json:"version"`
	Generator string    `json:"generator"`
	OSM3S     OSM3S     `json:"osm3s"`
	Elements  []Element `json:"elements"`
	// Remark is set when the query failed at run time ("runtime error: Query
	// timed out…"); Elements is then empty or partial.
	Remark string `json:"remark,omitempty"`
}

// OSM3S is the response's provenance block.
type OSM3S struct {
	TimestampOSMBase   string `json:"timestamp_osm_base"`
	TimestampAreasBase string `json:"timestamp_areas_base,omitempty"`
	Copyright          string `json:"copyright"`
}

// Element is a node, way or relation. Nodes have Lat/Lon; ways and
// relations have Center with "out center". Tags may be absent.
type Element struct {
	Type   string            `json:"type"`
	ID     int64             `json:"id"`
	Lat    *float64          `json:"lat,omitempty"`
	Lon    *float64          `json:"lon,omitempty"`
	Center *Center           `json:"center,omitempty"`
	Tags   map[string]string `json:"tags,omitempty"`
}

// Center is a way's or relation's center point.
type Center struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Coordinates returns the element's point.
func (e Element) Coordinates() (lat, lon float64, ok bool) {
	switch {
	case e.Lat != nil && e.Lon != nil:
		return *e.Lat, *e.Lon, true
	case e.Center != nil:
		return e.Center.Lat, e.Center.Lon, true
	}
	return 0, 0, false
}

// Tag returns the first non-empty value among keys: OSM spreads the same
// fact over several keys (website / contact:website).
func (e Element) Tag(keys ...string) string {
	for _, k := range keys {
		if v := e.Tags[k]; v != "" {
			return v
		}
	}
	return ""
}

// Name is the element's name.
func (e Element) Name() string { return e.Tag("name") }

// Website is website, contact:website or url.
func (e Element) Website() string { return e.Tag("website", "contact:website", "url") }

// Phone is phone, contact:phone or contact:mobile.
func (e Element) Phone() string { return e.Tag("phone", "contact:phone", "contact:mobile") }

// Email is email or contact:email.
func (e Element) Email() string { return e.Tag("email", "contact:email") }
