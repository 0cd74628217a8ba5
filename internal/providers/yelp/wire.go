package yelp

import "encoding/json"

// Wire types of Yelp Fusion business search, with Yelp's snake_case names.
// Yelp sends null for empty address lines (decoded as ""), may omit price,
// and sends phone "" when a business has none. The business's own website
// is not part of the response: URL is its Yelp page.

// SearchResponse is the body of GET /businesses/search.
type SearchResponse struct {
	Businesses []Business `json:"businesses"`
	Total      int        `json:"total"`
	Region     *Region    `json:"region,omitempty"`
}

// Business is one search result.
type Business struct {
	ID           string      `json:"id"`
	Alias        string      `json:"alias"`
	Name         string      `json:"name"`
	ImageURL     string      `json:"image_url"`
	IsClosed     bool        `json:"is_closed"` // permanently closed
	URL          string      `json:"url"`       // the Yelp page, not the business's website
	ReviewCount  int         `json:"review_count"`
	Categories   []Category  `json:"categories"`
	Rating       float64     `json:"rating"`
	Coordinates  Coordinates `json:"coordinates"`
	Transactions []string    `json:"transactions"`
	Price        string      `json:"price,omitempty"`
	Location     Location    `json:"location"`
	Phone        string      `json:"phone"`         // E.164, or ""
	DisplayPhone string      `json:"display_phone"` // national format
	Distance     float64     `json:"distance"`      // meters from the search center
}

// Category is a Yelp category.
type Category struct {
	Alias string `json:"alias"`
	Title string `json:"title"`
}

// Coordinates may be null for some businesses, hence the pointers.
type Coordinates struct {
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
}

// Location is a business address.
type Location struct {
	Address1       string   `json:"address1"`
	Address2       string   `json:"address2"`
	Address3       string   `json:"address3"`
	City           string   `json:"city"`
	ZipCode        string   `json:"zip_code"`
	Country        string   `json:"country"`
	State          string   `json:"state"`
	DisplayAddress []string `json:"display_address"`
}

// Region is the area Yelp searched.
type Region struct {
	Center Coordinates `json:"center"`
}

// ErrorResponse holds either envelope.
type ErrorResponse struct {
	Error  *ErrorBody     `json:"error,omitempty"`
	Errors []GenericError `json:"errors,omitempty"`
}

// ErrorBody is the business endpoints' error.
type ErrorBody struct {
	Code        string          `json:"code"`
	Description string          `json:"description"`
	Field       string          `json:"field,omitempty"`
	Instance    json.RawMessage `json:"instance,omitempty"`
}

// GenericError is an entry of the general {"errors":[…]} envelope.
type GenericError struct {
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
	MoreInfo     string `json:"more_info,omitempty"`
}
