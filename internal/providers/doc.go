// Package providers is the plumbing every external API client shares: one
// HTTP doer with timeouts, retries, Retry-After handling and a per-service
// rate limiter; one typed error the discovery and enrichment jobs can turn
// into a human sentence; and one hook (Recorder) through which every request
// sent to a paid or rate-limited service is reported for the api_usage table.
//
// Each external service has its own package beside this one
// (googleplaces, yelp, osm, …); nothing else speaks a service's wire format.
//
// Ownership: a client package builds one Doer, and the Doer owns the rate
// limiter. The application therefore builds exactly one client per service
// and shares it between all users and jobs (per-user API keys go through the
// client's WithKey, which keeps the shared limiter). Building a second client
// for the same service would double the request rate the service sees.
package providers
