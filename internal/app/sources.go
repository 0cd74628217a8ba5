package app

import (
	"fmt"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/googleplaces"
	"github.com/prospectorhq/prospector/internal/providers/osm"
	"github.com/prospectorhq/prospector/internal/providers/yelp"
)

// discoverySources builds a client for each discovery source this instance
// can use. A keyed service without its key is off, with the reason users see.
func discoverySources(cfg *config.Config, ps providers.Settings) (map[string]discovery.Source, map[string]string, error) {
	sources := map[string]discovery.Source{}
	off := map[string]string{}

	if cfg.Keys.GoogleMaps != "" {
		c, err := googleplaces.New(googleplaces.Config{APIKey: cfg.Keys.GoogleMaps, BaseURL: cfg.BaseURLs.GooglePlaces, Settings: ps})
		if err != nil {
			return nil, nil, fmt.Errorf("google places client: %w", err)
		}
		sources[settings.SourceGoogleMaps] = discovery.GoogleSource{Client: c}
	} else {
		off[settings.SourceGoogleMaps] = "Google Maps is off: no GOOGLE_MAPS_API_KEY is set on the server."
	}

	if cfg.Keys.Yelp != "" {
		c, err := yelp.New(yelp.Config{APIKey: cfg.Keys.Yelp, BaseURL: cfg.BaseURLs.Yelp, Settings: ps})
		if err != nil {
			return nil, nil, fmt.Errorf("yelp client: %w", err)
		}
		sources[settings.SourceYelp] = discovery.YelpSource{Client: c}
	} else {
		off[settings.SourceYelp] = "Yelp is off: no YELP_API_KEY is set on the server."
	}

	// OpenStreetMap needs no key. The one client owns the process-wide
	// Nominatim and Overpass rate limits.
	c, err := osm.New(osm.Config{NominatimURL: cfg.BaseURLs.Nominatim, OverpassURL: cfg.BaseURLs.Overpass, Settings: ps})
	if err != nil {
		return nil, nil, fmt.Errorf("openstreetmap client: %w", err)
	}
	sources[settings.SourceOSM] = discovery.OSMSource{Client: c}
	return sources, off, nil
}
