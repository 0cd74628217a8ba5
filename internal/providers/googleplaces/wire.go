package googleplaces

// Wire types of Places API (New) Text Search, with the documented camelCase
// JSON names. Fields Google leaves out (proto3 JSON omits empty values) stay
// at their zero value; Location is a pointer because service-area businesses
// come without one.

// SearchTextRequest is the request body.
type SearchTextRequest struct {
	TextQuery                        string        `json:"textQuery"`
	PageSize                         int           `json:"pageSize,omitempty"`
	PageToken                        string        `json:"pageToken,omitempty"`
	LanguageCode                     string        `json:"languageCode,omitempty"`
	RegionCode                       string        `json:"regionCode,omitempty"`
	IncludedType                     string        `json:"includedType,omitempty"`
	LocationBias                     *LocationBias `json:"locationBias,omitempty"`
	IncludePureServiceAreaBusinesses bool          `json:"includePureServiceAreaBusinesses,omitempty"`
}

// LocationBias is a oneof: set Circle or Rectangle.
type LocationBias struct {
	Circle    *Circle   `json:"circle,omitempty"`
	Rectangle *Viewport `json:"rectangle,omitempty"`
}

// Circle is a center and a radius in meters.
type Circle struct {
	Center LatLng  `json:"center"`
	Radius float64 `json:"radius"`
}

// Viewport is a rectangle between two corners.
type Viewport struct {
	Low  LatLng `json:"low"`
	High LatLng `json:"high"`
}

// LatLng is google.type.LatLng.
type LatLng struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// SearchTextResponse is the response body; Places is absent when nothing
// matched.
type SearchTextResponse struct {
	Places        []Place `json:"places,omitempty"`
	NextPageToken string  `json:"nextPageToken,omitempty"`
}

// Place holds the fields of FieldMask.
type Place struct {
	ID                       string             `json:"id"`
	DisplayName              *LocalizedText     `json:"displayName,omitempty"`
	FormattedAddress         string             `json:"formattedAddress,omitempty"`
	AddressComponents        []AddressComponent `json:"addressComponents,omitempty"`
	NationalPhoneNumber      string             `json:"nationalPhoneNumber,omitempty"`
	InternationalPhoneNumber string             `json:"internationalPhoneNumber,omitempty"`
	WebsiteURI               string             `json:"websiteUri,omitempty"`
	Rating                   float64            `json:"rating,omitempty"`
	UserRatingCount          int                `json:"userRatingCount,omitempty"`
	BusinessStatus           string             `json:"businessStatus,omitempty"`
	Types                    []string           `json:"types,omitempty"`
	PrimaryType              string             `json:"primaryType,omitempty"`
	Location                 *LatLng            `json:"location,omitempty"`
}

// Name returns the display name's text, "" when absent.
func (p Place) Name() string {
	if p.DisplayName == nil {
		return ""
	}
	return p.DisplayName.Text
}

// Component returns the long and short text of the first address component
// of the given type ("locality", "postal_code", …).
func (p Place) Component(typ string) (long, short string, ok bool) {
	for _, c := range p.AddressComponents {
		for _, t := range c.Types {
			if t == typ {
				return c.LongText, c.ShortText, true
			}
		}
	}
	return "", "", false
}

// LocalizedText is a text with its language.
type LocalizedText struct {
	Text         string `json:"text"`
	LanguageCode string `json:"languageCode,omitempty"`
}

// AddressComponent is one part of an address.
type AddressComponent struct {
	LongText     string   `json:"longText"`
	ShortText    string   `json:"shortText"`
	Types        []string `json:"types"`
	LanguageCode string   `json:"languageCode,omitempty"`
}

// Business statuses.
const (
	StatusOperational       = "OPERATIONAL"
	StatusClosedTemporarily = "CLOSED_TEMPORARILY"
	StatusClosedPermanently = "CLOSED_PERMANENTLY"
)
