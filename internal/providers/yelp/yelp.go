// Package yelp is the client of Yelp Fusion business search:
// GET {base}/businesses/search with "Authorization: Bearer <key>".
//
// Paging: limit ≤ 50 per page and offset + limit ≤ 1000, as Yelp enforces.
// Yelp's total overstates what can be reached, and reports agree that results
// past 240 are not served, so a search stops at the first of: the caller's
// Max, Config.MaxReachable (default 240), total, or a short/empty page.
//
// Cost: Yelp bills by plan, not per call, so calls are recorded at
// Config.CostPerCallUSD (default 0); set it to the plan's per-call price to
// have usage reflect it.
package yelp

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

// DefaultBaseURL is YELP_BASE_URL's default.
const DefaultBaseURL = "https://api.yelp.com/v3"

const (
	// Endpoint labels Calls and logs.
	Endpoint = "businesses/search"
	// MaxLimit is the largest page Yelp serves; more is a VALIDATION_ERROR.
	MaxLimit = 50
	// MaxWindow bounds offset + limit.
	MaxWindow = 1000
	// DefaultMaxReachable is how deep a search goes by default.
	DefaultMaxReachable = 240
)

// DefaultRate keeps under Yelp's undocumented per-second limit; a
// TOO_MANY_REQUESTS_PER_SECOND answer is retried after a back-off anyway.
func DefaultRate() providers.Rate { return providers.Rate{PerSecond: 4, Burst: 4} }

// Config configures a Client.
type Config struct {
	APIKey         string // YELP_API_KEY; may be empty when only per-user keys are used
	BaseURL        string // YELP_BASE_URL; default DefaultBaseURL
	MaxReachable   int    // default DefaultMaxReachable, at most MaxWindow
	CostPerCallUSD float64
	Settings       providers.Settings
}

// Client searches businesses. Build one per process and share it; use
// WithKey for a user's own key.
type Client struct {
	endpoint  string
	key       string
	reachable int
	cost      float64
	doer      *providers.Doer
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := providers.BaseURL("yelp", cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	reachable := cfg.MaxReachable
	if reachable <= 0 {
		reachable = DefaultMaxReachable
	}
	c := &Client{
		endpoint:  base + "/businesses/search",
		key:       cfg.APIKey,
		reachable: min(reachable, MaxWindow),
		cost:      cfg.CostPerCallUSD,
	}
	c.doer = providers.NewDoer(providers.Policy{
		Service:  providers.ServiceYelp,
		Rate:     DefaultRate(),
		Classify: classify,
	}, cfg.Settings)
	return c, nil
}

// WithKey returns a client that uses key and shares c's rate limiter and
// recorder.
func (c *Client) WithKey(key string) *Client {
	cp := *c
	cp.key = key
	return &cp
}

// Query is one search.
type Query struct {
	Term     string // e.g. "plumbers"
	Location string // e.g. "Austin, TX"; required unless Latitude and Longitude are set
	// Latitude and Longitude are used when Location is empty.
	Latitude, Longitude float64
	Radius              int    // meters, at most 40000; 0 = Yelp's default
	Categories          string // comma-separated category aliases
	SortBy              string // best_match (default), rating, review_count, distance
	Locale              string
	// Max is how many businesses the caller wants; 0 means as many as are
	// reachable.
	Max int
}

// Search runs q and calls fn with each page of businesses until Max were
// delivered, nothing more is reachable, or fn returns an error (which Search
// returns; providers.ErrStop ends early without one).
func (c *Client) Search(ctx context.Context, q Query, fn func(page []Business) error) error {
	if c.key == "" {
		return &providers.Error{Service: providers.ServiceYelp, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey, Message: "no API key configured"}
	}
	if strings.TrimSpace(q.Location) == "" && (q.Latitude == 0 || q.Longitude == 0) {
		return &providers.Error{Service: providers.ServiceYelp, Kind: providers.KindInvalid, Code: "no_location", Message: "a location or coordinates are required"}
	}
	want := c.reachable
	if q.Max > 0 && q.Max < want {
		want = q.Max
	}
	delivered, offset := 0, 0
	for delivered < want {
		limit := min(MaxLimit, want-delivered, MaxWindow-offset)
		if limit <= 0 {
			return nil
		}
		resp, err := c.page(ctx, q, offset, limit)
		if err != nil {
			return err
		}
		page := resp.Businesses
		if len(page) == 0 {
			return nil
		}
		offset += len(page)
		if len(page) > want-delivered {
			page = page[:want-delivered]
		}
		delivered += len(page)
		if err := fn(page); err != nil {
			if errors.Is(err, providers.ErrStop) {
				return nil
			}
			return err
		}
		if len(resp.Businesses) < limit || offset >= resp.Total {
			return nil
		}
	}
	return nil
}

func (c *Client) page(ctx context.Context, q Query, offset, limit int) (*SearchResponse, error) {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("term", q.Term)
	if q.Location != "" {
		v.Set("location", q.Location)
	} else {
		v.Set("latitude", strconv.FormatFloat(q.Latitude, 'f', -1, 64))
		v.Set("longitude", strconv.FormatFloat(q.Longitude, 'f', -1, 64))
	}
	if q.Radius > 0 {
		v.Set("radius", strconv.Itoa(min(q.Radius, 40000)))
	}
	set("categories", q.Categories)
	set("sort_by", q.SortBy)
	set("locale", q.Locale)
	v.Set("limit", strconv.Itoa(limit))
	v.Set("offset", strconv.Itoa(offset))

	resp, err := c.doer.Do(ctx, providers.Request{
		Method:   "GET",
		URL:      c.endpoint + "?" + v.Encode(),
		Endpoint: Endpoint,
		Header:   map[string][]string{"Authorization": {"Bearer " + c.key}},
		CostUSD:  c.cost,
		Credits:  1,
	})
	if err != nil {
		return nil, err
	}
	var out SearchResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, &providers.Error{Service: providers.ServiceYelp, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "bad_response", Message: "the response is not the documented JSON", Err: err}
	}
	return &out, nil
}

var codeKinds = map[string]providers.Kind{
	"TOKEN_MISSING":                providers.KindAuth,
	"TOKEN_INVALID":                providers.KindAuth,
	"UNAUTHORIZED":                 providers.KindAuth,
	"UNAUTHORIZED_ACCESS_TOKEN":    providers.KindAuth,
	"AUTHORIZATION_ERROR":          providers.KindAuth,
	"ACCESS_LIMIT_REACHED":         providers.KindQuota,
	"TOO_MANY_REQUESTS_PER_SECOND": providers.KindRateLimited,
	"VALIDATION_ERROR":             providers.KindInvalid,
	"FIELD_REQUIRED":               providers.KindInvalid,
	"LOCATION_NOT_FOUND":           providers.KindInvalid,
	"INTERNAL_ERROR":               providers.KindUnavailable,
	"INTERNAL_SERVER_ERROR":        providers.KindUnavailable,
	"SERVICE_UNAVAILABLE":          providers.KindUnavailable,
	"NOT_FOUND":                    providers.KindNotFound,
	"BUSINESS_NOT_FOUND":           providers.KindNotFound,
}

// classify reads both of Yelp's error envelopes: business endpoints send
// {"error":{code,description}}, Yelp's general error page documents
// {"errors":[{error_code,error_message}]}.
func classify(r *providers.Response) *providers.Error {
	var env ErrorResponse
	if err := json.Unmarshal(r.Body, &env); err != nil {
		return nil
	}
	e := &providers.Error{Kind: providers.ClassifyStatus(r.Status)}
	switch {
	case env.Error != nil && env.Error.Code != "":
		e.Code, e.Message = env.Error.Code, env.Error.Description
	case len(env.Errors) > 0:
		e.Code, e.Message = env.Errors[0].ErrorCode, env.Errors[0].ErrorMessage
	default:
		return nil
	}
	if k, ok := codeKinds[e.Code]; ok {
		e.Kind = k
	}
	if e.Kind == providers.KindQuota {
		// The daily allowance resets at RateLimit-ResetTime: tell the
		// caller when to try again rather than retrying now.
		if reset, err := time.Parse(time.RFC3339, r.Header.Get("RateLimit-ResetTime")); err == nil && reset.After(r.Received) {
			e.RetryAfter = reset.Sub(r.Received)
		}
	}
	return e
}
