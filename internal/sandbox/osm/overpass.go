package osm

import (
	"net/http"
	"sort"
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

func (o *OSM) overpassInterpreter(w http.ResponseWriter, r *http.Request) {
	f := fake.FaultOf(r)
	if refuseStockAgent(w, r, http.StatusNotAcceptable, "406 Not Acceptable", "Requests without an identifying User-Agent are not accepted.") {
		return
	}
	if f.Status != 0 {
		msg := "Sandbox fault."
		switch f.Status {
		case http.StatusTooManyRequests:
			msg = "rate_limited: Too many requests. Please wait before the next query (sandbox fault)."
		case http.StatusGatewayTimeout:
			msg = "runtime error: open64: 0 Success /osm3s_osm_base Dispatcher_Client::request_read_and_idx::timeout. The server is probably too busy to handle your request."
		}
		htmlFault(w, f, msg)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		htmlError(w, http.StatusMethodNotAllowed, "Method Not Allowed", "Use GET or POST.")
		return
	}
	if err := r.ParseForm(); err != nil {
		htmlError(w, http.StatusBadRequest, "Bad Request", "line 1: parse error: the request body is not form-encoded")
		return
	}
	data := r.Form.Get("data")
	if strings.TrimSpace(data) == "" {
		htmlError(w, http.StatusBadRequest, "Bad Request", "line 1: parse error: no query given in the 'data' parameter")
		return
	}
	q, err := parseOverpassQL(data)
	if err != nil {
		htmlError(w, http.StatusBadRequest, "Bad Request", err.Error())
		return
	}

	resp := map[string]any{
		"version":   0.6,
		"generator": "Overpass API 0.7.62 (Prospector sandbox)",
		"osm3s": map[string]string{
			"timestamp_osm_base":   "2026-01-01T00:00:00Z",
			"timestamp_areas_base": "2026-01-01T00:00:00Z",
			"copyright":            sandboxLicence,
		},
	}
	elements := []map[string]any{}
	if f.Remark {
		resp["remark"] = overpassRemarkTO
	} else if !f.Empty {
		if found := o.overpassElements(q); found != nil {
			elements = found
		}
	}
	resp["elements"] = elements
	fake.WriteJSON(w, http.StatusOK, resp)
}

// overpassQuery is the parsed subset of Overpass QL.
// categoryKeys are the tags that decide what kind of business an element is;
// a kind whose tags contradict such a filter cannot match it.
var categoryKeys = map[string]bool{
	"amenity": true, "shop": true, "craft": true, "office": true, "healthcare": true, "leisure": true,
	"tourism": true, "sport": true, "cuisine": true, "hairdresser": true, "healthcare:speciality": true,
}

// overpassElements answers the query from the fictional towns of every kind
// whose tags (or names) could match it.
func (o *OSM) overpassElements(q overpassQuery) []map[string]any {
	type elemKey struct {
		typ string
		id  int64
	}
	seen := map[elemKey]bool{}
	var out []map[string]any
	for _, st := range q.statements {
		var location string
		var ok bool
		switch {
		case st.areaSet != "":
			id, known := q.areas[st.areaSet]
			if !known {
				continue
			}
			location, ok = o.locationOfArea(id)
		case st.bbox != nil:
			b := st.bbox // Overpass order: south, west, north, east
			location, ok = o.locationOfBox([4]float64{b[0], b[2], b[1], b[3]})
		}
		if !ok {
			continue
		}
		for _, k := range candidateKinds(st.conds) {
			town := o.world.Town(k, location)
			for _, b := range town.OnOSMList() {
				if st.elementType != "nwr" && st.elementType != b.OSMType {
					continue
				}
				tags := osmTags(b)
				if !allMatch(st.conds, tags) {
					continue
				}
				key := elemKey{b.OSMType, b.OSMID}
				if seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, osmElement(b, tags, q.outCenter))
			}
		}
	}
	return out
}

func allMatch(conds []overpassCond, tags map[string]string) bool {
	for _, c := range conds {
		if !c.match(tags) {
			return false
		}
	}
	return true
}

// candidateKinds lists the canonical types whose towns may hold matches: the
// catalogue kinds not excluded by a category filter, plus unknown types
// named by a filter value or a plain-word name regex.
func candidateKinds(conds []overpassCond) []string {
	set := map[string]bool{}
	for _, k := range town.OSMKinds() {
		ok := true
		for _, c := range conds {
			if categoryKeys[c.key] && (c.op == "" || c.op == "=") && !c.match(k.Tags) {
				ok = false
				break
			}
		}
		if ok {
			set[k.Type] = true
		}
	}
	for _, c := range conds {
		switch {
		case c.op == "=" && categoryKeys[c.key]:
			set[town.Canonical(strings.ReplaceAll(c.value, "_", " "))] = true
		case c.op == "~" && c.key == "name":
			lit := strings.ReplaceAll(c.value, `\`, "")
			if plainWordsRE.MatchString(lit) {
				set[town.Canonical(lit)] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// osmTags renders how mappers tagged b: contact data spread over phone /
// contact:phone and website / contact:website, in several phone formats.
func osmTags(b *town.Business) map[string]string {
	t := map[string]string{
		"name": b.OSMName,
		"note": "Fictional business generated by the Prospector sandbox",
	}
	for k, v := range b.OSMTags {
		t[k] = v
	}
	if b.OSMHasAddress {
		t["addr:housenumber"] = b.HouseNumber
		t["addr:street"] = b.Street.Long()
		t["addr:city"] = b.City
		t["addr:state"] = b.State
		t["addr:postcode"] = b.Postcode
	}
	p := b.PhoneOn(town.SourceOSM)
	switch b.OSMPhoneStyle {
	case 0:
		t["contact:phone"] = p.Dotted()
	case 1:
		t["phone"] = p.International()
	case 2:
		t["phone"] = p.National()
	}
	if b.OSMHasWebsite {
		key := "website"
		if b.OSMContactKeys {
			key = "contact:website"
		}
		t[key] = strings.TrimSuffix(b.Website, "/")
	}
	if b.OSMEmail != "" {
		t["contact:email"] = b.OSMEmail
	}
	if b.OpeningHours != "" {
		t["opening_hours"] = b.OpeningHours
	}
	return t
}

func osmElement(b *town.Business, tags map[string]string, center bool) map[string]any {
	e := map[string]any{"type": b.OSMType, "id": b.OSMID, "tags": tags}
	if b.OSMType == "node" {
		e["lat"], e["lon"] = b.Lat, b.Lon
	} else if center {
		e["center"] = map[string]float64{"lat": b.Lat, "lon": b.Lon}
	}
	return e
}
