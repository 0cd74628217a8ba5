// Package googleplaces is the client of Google Places API (New) Text Search:
// POST {base}/v1/places:searchText with the key in X-Goog-Api-Key and a
// field mask limited to what Prospector stores.
//
// Cost: the mask includes phone, website and rating fields, so every request
// is billed at the Text Search Enterprise SKU. CostPerRequestUSD is the list
// price of that SKU ($35 per 1,000 requests) before the monthly free
// allowance and volume discounts: an upper estimate, recorded per successful
// request (one page of up to 20 places).
package googleplaces

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/googleapi"
)

// DefaultBaseURL is GOOGLE_PLACES_BASE_URL's default.
const DefaultBaseURL = "https://places.googleapis.com"

const (
	// Endpoint labels Calls and logs.
	Endpoint = "places:searchText"
	// FieldMask names exactly what Prospector stores; each extra field can
	// raise the SKU, and nextPageToken must be named to get one.
	FieldMask = "places.id,places.displayName,places.formattedAddress,places.addressComponents," +
		"places.nationalPhoneNumber,places.internationalPhoneNumber,places.websiteUri,places.rating," +
		"places.userRatingCount,places.businessStatus,places.types,places.primaryType,places.location," +
		"nextPageToken"
	// PageSize is the largest page Google serves.
	PageSize = 20
	// MaxResults is Google's cap on the places one query returns, all pages together.
	MaxResults = 60
	// CostPerRequestUSD is the Text Search Enterprise SKU list price per request.
	CostPerRequestUSD = 0.035
)

// DefaultRate stays well under the usual 600 requests/minute project quota,
// which is shared with every other use of the key.
func DefaultRate() providers.Rate { return providers.Rate{PerSecond: 5, Burst: 5} }

// Config configures a Client.
type Config struct {
	APIKey   string // GOOGLE_MAPS_API_KEY; may be empty when only per-user keys are used
	BaseURL  string // GOOGLE_PLACES_BASE_URL; default DefaultBaseURL
	Settings providers.Settings
}

// Client searches places. Build one per process and share it (see package
// providers on ownership); use WithKey for a user's own key.
type Client struct {
	endpoint string
	key      string
	doer     *providers.Doer
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := providers.BaseURL("googleplaces", cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	return &Client{
		endpoint: base + "/v1/places:searchText",
		key:      cfg.APIKey,
		doer: providers.NewDoer(providers.Policy{
			Service:  providers.ServiceGooglePlaces,
			Rate:     DefaultRate(),
			Classify: classify,
		}, cfg.Settings),
	}, nil
}

// WithKey returns a client that uses key and shares c's rate limiter and
// recorder, for users who bring their own key.
func (c *Client) WithKey(key string) *Client {
	cp := *c
	cp.key = key
	return &cp
}

// Query is one search.
type Query struct {
	Text string // e.g. "plumbers in Austin, TX"
	// Max is how many places the caller wants; 0 or more than MaxResults
	// means MaxResults. Fewer pages are fetched for smaller values.
	Max          int
	LanguageCode string
	RegionCode   string
	IncludedType string
	LocationBias *LocationBias
	// IncludePureServiceAreaBusinesses returns trades without a storefront
	// (plumbers, cleaners…); such places have no location.
	IncludePureServiceAreaBusinesses bool
}

// Search runs q and calls fn with each page of places, in order, until Max
// places were delivered, Google has no further page, or fn returns an error
// (which Search returns; return providers.ErrStop to end early without one).
// Page requests differ only by pageToken, as Google requires.
func (c *Client) Search(ctx context.Context, q Query, fn func(page []Place) error) error {
	if c.key == "" {
		return &providers.Error{Service: providers.ServiceGooglePlaces, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey, Message: "no API key configured"}
	}
	if strings.TrimSpace(q.Text) == "" {
		return &providers.Error{Service: providers.ServiceGooglePlaces, Kind: providers.KindInvalid, Code: "empty_query", Message: "the text query is empty"}
	}
	want := q.Max
	if want <= 0 || want > MaxResults {
		want = MaxResults
	}
	req := SearchTextRequest{
		TextQuery:                        q.Text,
		PageSize:                         PageSize,
		LanguageCode:                     q.LanguageCode,
		RegionCode:                       q.RegionCode,
		IncludedType:                     q.IncludedType,
		LocationBias:                     q.LocationBias,
		IncludePureServiceAreaBusinesses: q.IncludePureServiceAreaBusinesses,
	}
	delivered := 0
	// Google stops at 60 places (3 pages); the bound also protects against
	// a server that keeps sending tokens with empty pages.
	for range MaxResults/PageSize + 1 {
		resp, err := c.page(ctx, req)
		if err != nil {
			return err
		}
		page := resp.Places
		if len(page) > want-delivered {
			page = page[:want-delivered]
		}
		if len(page) > 0 {
			delivered += len(page)
			if err := fn(page); err != nil {
				if errors.Is(err, providers.ErrStop) {
					return nil
				}
				return err
			}
		}
		if resp.NextPageToken == "" || delivered >= want {
			return nil
		}
		req.PageToken = resp.NextPageToken
	}
	return nil
}

func (c *Client) page(ctx context.Context, req SearchTextRequest) (*SearchTextResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("googleplaces: encoding request: %w", err)
	}
	resp, err := c.doer.Do(ctx, providers.Request{
		Method:   "POST",
		URL:      c.endpoint,
		Endpoint: Endpoint,
		Header: map[string][]string{
			"Content-Type":     {"application/json"},
			"X-Goog-Api-Key":   {c.key},
			"X-Goog-FieldMask": {FieldMask},
		},
		Body:    body,
		CostUSD: CostPerRequestUSD,
		Credits: 1,
	})
	if err != nil {
		return nil, err
	}
	var out SearchTextResponse
	if err := json.NewDecoder(bytes.NewReader(resp.Body)).Decode(&out); err != nil {
		return nil, &providers.Error{Service: providers.ServiceGooglePlaces, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "bad_response", Message: "the response is not the documented JSON", Err: err}
	}
	return &out, nil
}

// classify reads Google's error envelope. Google signals a bad key with 400
// INVALID_ARGUMENT and reason API_KEY_INVALID, not with 401/403, so the
// reason decides before the status does.
func classify(r *providers.Response) *providers.Error {
	e, b, reason := googleapi.Classify(r)
	if e == nil {
		return nil
	}
	switch {
	case strings.HasPrefix(reason, "API_KEY_") || strings.Contains(b.Message, "API key not valid"):
		e.Kind = providers.KindAuth
	case b.Status == "RESOURCE_EXHAUSTED":
		// A per-minute quota clears by itself; a per-day one does not,
		// and retrying it only burns time.
		e.Kind = providers.KindRateLimited
		if strings.Contains(strings.ToLower(b.Message), "per day") {
			e.Kind = providers.KindQuota
		}
	default:
		if k, ok := googleapi.StatusKind(b.Status); ok {
			e.Kind = k
		}
	}
	return e
}
