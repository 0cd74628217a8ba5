// Package googleplaces is the Google Places API (New) Text Search fake:
// POST /v1/places:searchText. It checks the key (X-Goog-Api-Key or
// ?key=), requires a field mask (X-Goog-FieldMask or ?fields=) and returns
// only the masked fields, pages with nextPageToken (only when the mask asks
// for it), refuses a page token whose other parameters differ from the
// first call, caps a query at 60 results, and answers errors in Google's
// {"error":{code,message,status}} envelope.
package googleplaces

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/googleapi"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

const (
	googlePageSize = 20
	googleMax      = 60
)

// googlePlaceFields are the Place fields the fake can return; a mask naming
// another Place field is refused as the real API refuses unknown fields.
var googlePlaceFields = map[string]bool{
	"id": true, "name": true, "displayName": true, "formattedAddress": true, "shortFormattedAddress": true,
	"addressComponents": true, "nationalPhoneNumber": true, "internationalPhoneNumber": true,
	"websiteUri": true, "rating": true, "userRatingCount": true, "businessStatus": true, "types": true,
	"primaryType": true, "primaryTypeDisplayName": true, "location": true, "googleMapsUri": true,
}

// googleRequestFields are the SearchTextRequest fields; others are refused.
var googleRequestFields = map[string]bool{
	"textQuery": true, "pageSize": true, "pageToken": true, "maxResultCount": true, "locationBias": true,
	"locationRestriction": true, "includedType": true, "strictTypeFiltering": true, "languageCode": true,
	"regionCode": true, "rankPreference": true, "openNow": true, "minRating": true, "priceLevels": true,
	"includePureServiceAreaBusinesses": true, "evOptions": true, "routingParameters": true,
	"searchAlongRouteParameters": true,
}

// Options configures New.
type Options struct {
	// APIKey is the key the fake accepts (besides fake.QuotaExhaustedKey).
	APIKey string
	// World holds the towns whose businesses the searches find.
	World *world.World
}

type handler struct{ opts Options }

// New returns the Text Search fake. It answers every path it is mounted
// at as POST /v1/places:searchText.
func New(opts Options) http.Handler { return &handler{opts: opts} }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := fake.FaultOf(r)
	if r.Method != http.MethodPost {
		googleError(w, http.StatusNotFound, "NOT_FOUND", "The requested method "+r.Method+" is not supported.", nil)
		return
	}
	if f.Status != 0 {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		status := cmp.Or(f.Code, googleapi.StatusName(f.Status))
		googleError(w, f.Status, cmp.Or(status, "UNKNOWN"), googleapi.FaultMessage(f.Status), nil)
		return
	}

	key := r.Header.Get("X-Goog-Api-Key")
	if key == "" {
		key = r.URL.Query().Get("key")
	}
	switch key {
	case "":
		googleError(w, http.StatusForbidden, "PERMISSION_DENIED",
			"The request is missing a valid API key.", googleapi.ErrorInfo("API_KEY_MISSING"))
		return
	case fake.QuotaExhaustedKey:
		googleError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
			"Quota exceeded for quota metric 'SearchTextRequest' and limit 'SearchTextRequest per day' of service 'places.googleapis.com' (sandbox: fictional quota).",
			googleapi.ErrorInfo("RATE_LIMIT_EXCEEDED"))
		return
	case h.opts.APIKey:
	default:
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT",
			"API key not valid. Please pass a valid API key.", googleapi.ErrorInfo("API_KEY_INVALID"))
		return
	}

	mask := r.Header.Get("X-Goog-FieldMask")
	if mask == "" {
		mask = r.URL.Query().Get("fields")
	}
	if mask == "" {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT",
			"FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to value 'places.displayName', 'places.id' to ask for the display name and the place ID of a place. You can also set the value to '*' in manual testing to get all the available response fields.", nil)
		return
	}
	sel, err := parseGoogleMask(mask)
	if err != nil {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", err.Error(), nil)
		return
	}

	var body map[string]any
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || body == nil {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. Expected a JSON object.", nil)
		return
	}
	for k := range body {
		if !googleRequestFields[k] {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT",
				fmt.Sprintf("Invalid JSON payload received. Unknown name %q: Cannot find field.", k), nil)
			return
		}
	}
	text, _ := body["textQuery"].(string)
	if strings.TrimSpace(text) == "" {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Empty text_query.", nil)
		return
	}
	pageSize := googlePageSize
	for _, field := range []string{"maxResultCount", "pageSize"} { // pageSize wins
		if v, ok := body[field]; ok {
			n, err := strconv.Atoi(fmt.Sprint(v))
			if err != nil || n < 0 {
				googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", fmt.Sprintf("Invalid %s: %v. It must be a non-negative integer.", field, v), nil)
				return
			}
			if n > 0 {
				pageSize = min(n, googlePageSize)
			}
		}
	}

	paramsHash := googleParamsHash(body)
	offset := 0
	if tok, _ := body["pageToken"].(string); tok != "" {
		o, h, ok := parseGooglePageToken(tok)
		if !ok {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid page_token.", nil)
			return
		}
		if h != paramsHash {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT",
				"Request parameters must match the request that returned the page_token; only page_token, page_size and max_result_count may change.", nil)
			return
		}
		offset = o
	}

	var places []map[string]any
	next := ""
	if !f.Empty {
		businessType, location := splitTextQuery(text)
		list := h.opts.World.Town(businessType, location).OnGoogleList()
		list = list[:min(len(list), googleMax)]
		end := min(offset+pageSize, len(list))
		for _, b := range list[min(offset, end):end] {
			places = append(places, sel.place(googlePlace(b)))
		}
		if end < len(list) {
			next = googlePageToken(end, paramsHash)
		}
	}
	out := map[string]any{}
	if len(places) > 0 {
		out["places"] = places
	}
	if next != "" && sel.nextPageToken {
		out["nextPageToken"] = next
	}
	fake.WriteJSON(w, http.StatusOK, out)
}

// googleSelection is a parsed field mask.
type googleSelection struct {
	all           bool
	fields        map[string]bool
	nextPageToken bool
}

func parseGoogleMask(mask string) (googleSelection, error) {
	sel := googleSelection{fields: map[string]bool{}}
	for _, p := range strings.Split(mask, ",") {
		p = strings.TrimSpace(p)
		switch {
		case p == "*":
			sel.all, sel.nextPageToken = true, true
		case p == "nextPageToken":
			sel.nextPageToken = true
		case p == "places" || p == "places.*":
			sel.all = true
		case strings.HasPrefix(p, "places."):
			// A sub-path such as places.displayName.text selects the whole
			// field here; the real API would trim it further.
			field, _, _ := strings.Cut(strings.TrimPrefix(p, "places."), ".")
			if !googlePlaceFields[field] {
				return sel, fmt.Errorf("Error expanding 'fields' parameter. Cannot find matching fields for path '%s'.", p)
			}
			sel.fields[field] = true
		case p == "routingSummaries" || p == "contextualContents" || p == "searchUri":
		default:
			return sel, fmt.Errorf("Error expanding 'fields' parameter. Cannot find matching fields for path '%s'.", p)
		}
	}
	return sel, nil
}

func (sel googleSelection) place(full map[string]any) map[string]any {
	if sel.all {
		return full
	}
	out := map[string]any{}
	for k, v := range full {
		if sel.fields[k] {
			out[k] = v
		}
	}
	return out
}

// googlePlace renders every field of a Place; fields without a value are
// left out, as proto3 JSON does.
func googlePlace(b *town.Business) map[string]any {
	phone := b.PhoneOn(town.SourceGoogle)
	comps := []map[string]any{
		{"longText": b.HouseNumber, "shortText": b.HouseNumber, "types": []string{"street_number"}, "languageCode": "en-US"},
		{"longText": b.Street.Long(), "shortText": b.Street.Short(), "types": []string{"route"}, "languageCode": "en"},
	}
	if b.Unit != "" {
		comps = append(comps, map[string]any{"longText": b.Unit, "shortText": b.Unit, "types": []string{"subpremise"}, "languageCode": "en-US"})
	}
	comps = append(comps,
		map[string]any{"longText": b.City, "shortText": b.City, "types": []string{"locality", "political"}, "languageCode": "en"},
		map[string]any{"longText": b.StateName, "shortText": b.State, "types": []string{"administrative_area_level_1", "political"}, "languageCode": "en"},
		map[string]any{"longText": "United States", "shortText": "US", "types": []string{"country", "political"}, "languageCode": "en"},
		map[string]any{"longText": b.Postcode, "shortText": b.Postcode, "types": []string{"postal_code"}, "languageCode": "en-US"},
	)
	p := map[string]any{
		"id":                       b.GoogleID,
		"name":                     "places/" + b.GoogleID,
		"displayName":              map[string]any{"text": b.GoogleName, "languageCode": "en"},
		"formattedAddress":         b.GoogleAddress(),
		"shortFormattedAddress":    b.HouseNumber + " " + b.Street.Short() + ", " + b.City,
		"addressComponents":        comps,
		"nationalPhoneNumber":      phone.National(),
		"internationalPhoneNumber": phone.International(),
		"businessStatus":           b.BusinessStatus,
		"types":                    []string{b.GoogleType, "point_of_interest", "establishment"},
		"primaryType":              b.GoogleType,
		"primaryTypeDisplayName":   map[string]any{"text": town.TitleCase(strings.ReplaceAll(b.GoogleType, "_", " ")), "languageCode": "en-US"},
		"location":                 map[string]any{"latitude": b.Lat, "longitude": b.Lon},
		"googleMapsUri":            "https://maps.sandbox.example/?cid=" + b.GoogleID,
	}
	if b.GoogleWebsite != "" {
		p["websiteUri"] = b.GoogleWebsite
	}
	if b.ReviewCount > 0 {
		p["rating"] = b.Rating
		p["userRatingCount"] = b.ReviewCount
	}
	return p
}

var textQueryRE = regexp.MustCompile(`(?i)^(.*?)\s+(?:in|near)\s+(.+)$`)

// splitTextQuery reads "plumbers in Austin, TX" as a type and a location.
func splitTextQuery(q string) (businessType, location string) {
	if m := textQueryRE.FindStringSubmatch(strings.TrimSpace(q)); m != nil {
		return m[1], m[2]
	}
	return q, "Sandbox City"
}

// googleParamsHash fingerprints every parameter that must stay the same
// across the pages of one search.
func googleParamsHash(body map[string]any) uint64 {
	rest := map[string]any{}
	for k, v := range body {
		if k != "pageToken" && k != "pageSize" && k != "maxResultCount" {
			rest[k] = v
		}
	}
	b, _ := json.Marshal(rest) // map keys are sorted: a stable encoding
	return town.Hash(string(b))
}

func googlePageToken(offset int, h uint64) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "sandbox:%d:%x", offset, h))
}

func parseGooglePageToken(tok string) (int, uint64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, 0, false
	}
	var off int
	var h uint64
	if _, err := fmt.Sscanf(string(raw), "sandbox:%d:%x", &off, &h); err != nil || off < 0 {
		return 0, 0, false
	}
	return off, h, true
}

func googleError(w http.ResponseWriter, status int, code, message string, details []any) {
	e := map[string]any{"code": status, "message": message, "status": code}
	if details != nil {
		e["details"] = details
	}
	fake.WriteJSON(w, status, map[string]any{"error": e})
}
