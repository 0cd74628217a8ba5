package sandbox

// Env is the configuration that points Prospector's real clients at this
// sandbox, in the environment variables' names (see DESIGN.md).
func (s *Sandbox) Env() map[string]string {
	return map[string]string{
		"GOOGLE_PLACES_BASE_URL": s.GooglePlacesURL,
		"GOOGLE_MAPS_API_KEY":    s.GoogleAPIKey,
		"YELP_BASE_URL":          s.YelpURL,
		"YELP_API_KEY":           s.YelpAPIKey,
		"NOMINATIM_URL":          s.NominatimURL,
		"OVERPASS_URL":           s.OverpassURL,
	}
}
