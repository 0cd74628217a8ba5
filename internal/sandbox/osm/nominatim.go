package osm

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

// nominatimPlace is a jsonv2 search result; the struct keeps Nominatim's key
// order, which a map would not.
type nominatimPlace struct {
	PlaceID     int64             `json:"place_id"`
	Licence     string            `json:"licence"`
	OSMType     string            `json:"osm_type"`
	OSMID       int64             `json:"osm_id"`
	Lat         string            `json:"lat"`
	Lon         string            `json:"lon"`
	Class       string            `json:"class,omitempty"`    // format=json
	Category    string            `json:"category,omitempty"` // format=jsonv2
	Type        string            `json:"type"`
	PlaceRank   int               `json:"place_rank,omitempty"`
	Importance  float64           `json:"importance"`
	AddressType string            `json:"addresstype,omitempty"`
	Name        string            `json:"name,omitempty"`
	DisplayName string            `json:"display_name"`
	Address     map[string]string `json:"address,omitempty"`
	BoundingBox []string          `json:"boundingbox"`
}

func (o *OSM) nominatimSearch(w http.ResponseWriter, r *http.Request) {
	f := fake.FaultOf(r)
	if refuseStockAgent(w, r, http.StatusForbidden, "Access blocked", "Access denied: please identify your application with a valid User-Agent, see the Nominatim usage policy.") {
		return
	}
	if f.Status != 0 {
		htmlFault(w, f, "Sandbox fault.")
		return
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "jsonv2"
	}
	if format != "json" && format != "jsonv2" {
		fake.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": 400,
			"message": "Parameter 'format': the sandbox only serves 'json' and 'jsonv2'."}})
		return
	}
	query := q.Get("q")
	if query == "" {
		query = strings.Join(nonEmptyValues(q.Get("city"), q.Get("state"), q.Get("country")), ", ")
	}
	if query == "" {
		fake.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": 400,
			"message": "Nothing to search for."}})
		return
	}
	city := town.CityOf(query)
	if f.Empty || !city.Known {
		fake.WriteJSON(w, http.StatusOK, []nominatimPlace{})
		return
	}
	o.rememberArea(areaIDOf(city), city.BBox, query)

	p := nominatimPlace{
		PlaceID: city.PlaceID, Licence: sandboxLicence, OSMType: city.OSMType, OSMID: city.OSMID,
		Lat: fmtCoord(city.Lat), Lon: fmtCoord(city.Lon),
		Type: "administrative", PlaceRank: 16, Importance: 0.62, AddressType: "city", Name: city.Name,
		DisplayName: fmt.Sprintf("%s, %s, %s, %s", city.Name, city.County, city.StateName, city.Country),
		BoundingBox: []string{fmtCoord(city.BBox[0]), fmtCoord(city.BBox[1]), fmtCoord(city.BBox[2]), fmtCoord(city.BBox[3])},
	}
	category := "boundary"
	placeKey := "city"
	if city.OSMType == "node" {
		category, p.Type, p.PlaceRank, p.AddressType, placeKey = "place", "village", 19, "village", "village"
	}
	if format == "json" {
		p.Class = category
		p.PlaceRank, p.AddressType, p.Name = 0, "", ""
	} else {
		p.Category = category
	}
	if q.Get("addressdetails") == "1" {
		p.Address = map[string]string{
			placeKey: city.Name, "county": city.County, "state": city.StateName,
			"ISO3166-2-lvl4": "US-" + city.State, "country": city.Country, "country_code": city.CountryCode,
		}
	}
	fake.WriteJSON(w, http.StatusOK, []nominatimPlace{p})
}

func areaIDOf(c town.City) int64 {
	if c.OSMType != "relation" {
		return 0
	}
	return c.AreaID()
}
