// Package yelp is the Yelp Fusion business search fake: GET /v3/businesses/search with
// "Authorization: Bearer <key>". It enforces limit ≤ 50 and
// offset + limit ≤ 1000 with VALIDATION_ERROR, never returns a business's own
// website (the real API does not), shows phones in E.164, and answers errors
// in the business endpoints' {"error":{code,description}} envelope, or in the
// generic {"errors":[…]} one when a fault asks for it.
package yelp

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

const (
	yelpMaxLimit  = 50
	yelpMaxWindow = 1000
	yelpDailyCap  = 5000
)

var yelpCodes = map[int]string{
	400: "VALIDATION_ERROR", 401: "TOKEN_INVALID", 403: "AUTHORIZATION_ERROR", 404: "NOT_FOUND",
	429: "TOO_MANY_REQUESTS_PER_SECOND", 500: "INTERNAL_ERROR", 503: "SERVICE_UNAVAILABLE",
}

var yelpDescriptions = map[string]string{
	"TOKEN_MISSING":                "An access token must be supplied in order to use this endpoint.",
	"TOKEN_INVALID":                "Invalid access token or authorization header.",
	"AUTHORIZATION_ERROR":          "Authorization error.",
	"TOO_MANY_REQUESTS_PER_SECOND": "You have exceeded the queries-per-second limit for this endpoint. Try reducing the rate at which you make queries.",
	"ACCESS_LIMIT_REACHED":         "You've reached the access limit for this client. See instructions for requesting a higher access limit at https://docs.developer.yelp.com/docs/fusion-rate-limiting",
	"INTERNAL_ERROR":               "Something went wrong internally, please try your request again",
	"SERVICE_UNAVAILABLE":          "The service is temporarily unavailable.",
	"NOT_FOUND":                    "Resource could not be found.",
	"LOCATION_NOT_FOUND":           "Could not execute search, try specifying a more exact location.",
}

// Options configures New.
type Options struct {
	// APIKey is the bearer token the fake accepts (besides
	// fake.QuotaExhaustedKey).
	APIKey string
	// World holds the towns whose businesses the searches find.
	World *world.World
	// RequestCount is how many requests the sandbox has logged for Yelp,
	// this one included: RateLimit-Remaining counts down from it.
	RequestCount func() int
}

type handler struct{ opts Options }

// New returns the business search fake. It answers every path it is
// mounted at as GET /businesses/search.
func New(opts Options) http.Handler { return &handler{opts: opts} }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := fake.FaultOf(r)
	generic := f.GenericEnvelope
	if r.Method != http.MethodGet {
		yelpError(w, http.StatusNotFound, "NOT_FOUND", "", generic)
		return
	}
	if f.Status != 0 {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		yelpError(w, f.Status, cmp.Or(f.Code, yelpCodes[f.Status]), "", generic)
		return
	}
	auth := r.Header.Get("Authorization")
	token, isBearer := strings.CutPrefix(auth, "Bearer ")
	switch {
	case auth == "":
		yelpError(w, http.StatusUnauthorized, "TOKEN_MISSING", "", generic)
		return
	case !isBearer || (token != h.opts.APIKey && token != fake.QuotaExhaustedKey):
		yelpError(w, http.StatusUnauthorized, "TOKEN_INVALID", "", generic)
		return
	case token == fake.QuotaExhaustedKey:
		w.Header().Set("RateLimit-DailyLimit", strconv.Itoa(yelpDailyCap))
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-ResetTime", nextMidnightUTC())
		yelpError(w, http.StatusTooManyRequests, "ACCESS_LIMIT_REACHED", "", generic)
		return
	}

	q := r.URL.Query()
	location := q.Get("location")
	if location == "" && (q.Get("latitude") == "" || q.Get("longitude") == "") {
		yelpError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Please specify a location or a latitude and longitude", generic)
		return
	}
	limit, err := yelpInt(q, "limit", 20)
	if err != nil || limit < 0 || limit > yelpMaxLimit {
		yelpError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("The supplied limit: %s is invalid.", q.Get("limit")), generic)
		return
	}
	offset, err := yelpInt(q, "offset", 0)
	if err != nil || offset < 0 {
		yelpError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("The supplied offset: %s is invalid.", q.Get("offset")), generic)
		return
	}
	if offset+limit > yelpMaxWindow {
		yelpError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Too many results requested, limit+offset must be <= 1000.", generic)
		return
	}
	if location == "" {
		location = "Sandbox City" // searches by coordinates land in one fictional town
	}
	city := town.CityOf(location)
	if !city.Known {
		yelpError(w, http.StatusBadRequest, "LOCATION_NOT_FOUND", "", generic)
		return
	}

	term := q.Get("term")
	if term == "" {
		term = "restaurants"
	}
	var list []*town.Business
	if !f.Empty {
		list = h.opts.World.Town(term, location).OnYelpList()
	}
	businesses := []map[string]any{}
	if offset < len(list) {
		for _, b := range list[offset:min(offset+limit, len(list))] {
			businesses = append(businesses, yelpBusiness(b, city))
		}
	}
	w.Header().Set("RateLimit-DailyLimit", strconv.Itoa(yelpDailyCap))
	w.Header().Set("RateLimit-Remaining", strconv.Itoa(max(0, yelpDailyCap-h.opts.RequestCount())))
	w.Header().Set("RateLimit-ResetTime", nextMidnightUTC())
	fake.WriteJSON(w, http.StatusOK, map[string]any{
		"businesses": businesses,
		"total":      len(list),
		"region":     map[string]any{"center": map[string]any{"longitude": city.Lon, "latitude": city.Lat}},
	})
}

func yelpBusiness(b *town.Business, city town.City) map[string]any {
	phone := b.PhoneOn(town.SourceYelp)
	e164, display := phone.E164(), phone.National()
	if b.YelpHidePhone {
		e164, display = "", ""
	}
	var address2 any // nil encodes as null, which Yelp sends too
	if b.YelpAddress2 != nil {
		address2 = *b.YelpAddress2
	}
	display2 := []string{b.YelpAddress1()}
	if b.Unit != "" {
		display2 = append(display2, b.Unit)
	}
	display2 = append(display2, fmt.Sprintf("%s, %s %s", b.City, b.State, b.Postcode))
	dist := float64(town.Hash(b.YelpID)%20000) + 0.41
	m := map[string]any{
		"id":           b.YelpID,
		"alias":        b.YelpAlias,
		"name":         b.YelpName,
		"image_url":    "https://images.sandbox.example/yelp/" + b.YelpID + "/o.jpg",
		"is_closed":    b.BusinessStatus == "CLOSED_PERMANENTLY",
		"url":          "https://yelp.sandbox.example/biz/" + b.YelpAlias + "?utm_campaign=yelp_api_v3&utm_medium=api_v3_business_search&utm_source=sandbox",
		"review_count": b.YelpReviews,
		"categories":   []map[string]string{{"alias": b.Categories[0], "title": b.Categories[1]}},
		"rating":       b.YelpRating,
		"coordinates":  map[string]float64{"latitude": b.Lat, "longitude": b.Lon},
		"transactions": []string{},
		"location": map[string]any{
			"address1":        b.YelpAddress1(),
			"address2":        address2,
			"address3":        nil,
			"city":            b.City,
			"zip_code":        b.Postcode,
			"country":         b.CountryCode,
			"state":           b.State,
			"display_address": display2,
		},
		"phone":         e164,
		"display_phone": display,
		"distance":      dist,
	}
	if b.YelpPrice != "" {
		m["price"] = b.YelpPrice
	}
	return m
}

func yelpInt(q map[string][]string, name string, def int) (int, error) {
	v := ""
	if vs := q[name]; len(vs) > 0 {
		v = vs[0]
	}
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}

func yelpError(w http.ResponseWriter, status int, code, description string, generic bool) {
	if code == "" {
		code = "INTERNAL_ERROR"
	}
	if description == "" {
		description = cmp.Or(yelpDescriptions[code], http.StatusText(status))
	}
	if generic {
		fake.WriteJSON(w, status, map[string]any{"errors": []map[string]any{{
			"error_code":    yelpGenericCode(code),
			"error_message": description,
			"more_info":     "https://docs.developer.yelp.com/docs/api-errors",
		}}})
		return
	}
	fake.WriteJSON(w, status, map[string]any{"error": map[string]string{"code": code, "description": description}})
}

// yelpGenericCode maps to the codes of Yelp's general error page, which
// differ from the business endpoints' codes.
func yelpGenericCode(code string) string {
	switch code {
	case "TOKEN_MISSING", "TOKEN_INVALID":
		return "UNAUTHORIZED"
	case "INTERNAL_ERROR":
		return "INTERNAL_SERVER_ERROR"
	}
	return code
}

func nextMidnightUTC() string {
	now := time.Now().UTC()
	return time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC).Format("2006-01-02T15:04:05+00:00")
}
