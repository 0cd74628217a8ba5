// Package sandbox serves wire-accurate fakes of the external services
// Prospector calls, over real HTTP on the loopback interface. Tests point the
// real clients at it; `prospector demo` runs the whole product against it.
//
// Every answer carries "X-Sandbox: fictional" (and says so in the body where
// the format has room: Nominatim's licence, Overpass's copyright, an OSM
// "note" tag), and all data comes from the fictional-town generator
// (package town). Faults (bad keys, rate limits, server errors, empty
// results, slow answers) are switched on per service with SetFault or
// Options.Faults, so tests and demos can show every failure mode.
//
// Conventions a demo or a test can rely on:
//   - the accepted keys are Sandbox.GoogleAPIKey, YelpAPIKey, HunterAPIKey,
//     PageSpeedAPIKey, InstantlyAPIKey and AnthropicAPIKey; any other key
//     is refused the way each service refuses it (Google: 400
//     API_KEY_INVALID, 403 when missing; Yelp: 401
//     TOKEN_INVALID/TOKEN_MISSING; Hunter: 401 authentication_failed;
//     PageSpeed: 400 API_KEY_INVALID, 429 when missing; Instantly: 401;
//     Anthropic: 401 authentication_error);
//   - QuotaExhaustedKey is accepted but always told its quota is spent
//     (Instantly: 402, no active paid plan);
//   - a location containing "nowhere" does not exist anywhere;
//   - a location containing the word "village" geocodes to a node, not a
//     boundary relation, so Overpass must be queried by bounding box;
//   - Google caps a query at 60 places, Yelp refuses limit > 50 and
//     offset + limit > 1000, Overpass and Nominatim refuse stock User-Agents;
//   - Hunter's Domain Search refuses limit + offset > 10 (the free plan);
//     one person per town asked not to be processed (Person.Claimed) and
//     gets 451 claimed_email; some verifications answer 202 once first;
//   - Business.Site is the ground truth behind each website, mailbox and
//     Hunter record (town/site.go), for tests to compare findings with.
//
// Base URLs: GooglePlacesURL, YelpURL, NominatimURL, OverpassURL, HunterURL,
// PageSpeedURL and InstantlyURL are the values for GOOGLE_PLACES_BASE_URL,
// YELP_BASE_URL, NOMINATIM_URL, OVERPASS_URL, HUNTER_BASE_URL,
// PAGESPEED_BASE_URL and INSTANTLY_BASE_URL; they share one server. AnthropicURL, the ANTHROPIC_BASE_URL, is a listener of
// its own: the SDK wants a host root, to which it appends /v1/messages.
// Env returns them all, with the keys.
//
// Besides the APIs, Start runs what the enrichment stage reaches without an
// API:
//   - a web host serving every fictional business's website on two loopback
//     listeners, WebHTTPAddr and WebHTTPSAddr, routing by Host header; its
//     certificates come from a CA generated at Start (CACertPEM, CertPool,
//     WriteCA);
//   - a DNS server, DNSAddr (UDP and TCP), answering A and MX records for
//     the businesses' domains and NXDOMAIN for every other name;
//   - the mail servers: SMTP (package smtp), which receives what mailboxes
//     send to the businesses, and IMAP (package imap), the mailboxes'
//     inboxes, where their answers arrive (IMAP.AddUser per mailbox,
//     IMAP.Deliver per answer); its certificate chains to the same CA as
//     the websites'. Env's SEND_ALLOWLIST names their listeners.
//
// Both only know the towns this sandbox has generated: a discovery fake's
// answer (or a call to Sandbox.Town) registers the town's domains.
//
// To let Prospector fetch the websites: start with Options.WebsitePorts, so
// that listings show https://<domain>:<port>/ addresses; call WriteCA; then
// Env carries DNS_RESOLVER (resolve the .example names here), FETCH_ALLOWLIST
// (the web host's two 127.0.0.1 listeners, which the names resolve to) and
// FETCH_CA_FILE (the CA the sites' certificates chain to). Slow sites take
// Options.SlowSiteDelay (3 s by default): tests should shorten it.
//
// # Layout
//
// This package only composes; each fake lives in a package of its own:
//
//	town          the fictional towns: businesses, their listings, websites,
//	              mailboxes and people; pure, no network
//	world         the towns this sandbox has shown, cached, and the lookup of
//	              a business by domain or company name that every fake shares
//	fake          what every fake shares: Fault (read with fake.FaultOf),
//	              QuotaExhaustedKey, WriteJSON
//	googleapi     the error conventions of Google's APIs (Places, PageSpeed)
//	googleplaces  Places API (New) Text Search
//	yelp          Yelp Fusion business search
//	osm           Nominatim and Overpass, which share the areas they know
//	hunter        Hunter v2: domain search, email finder, email verifier
//	pagespeed     PageSpeed Insights v5 (simulated Lighthouse runs)
//	instantly     Instantly API v2: campaigns, leads, webhooks, in memory
//	              (Sandbox.Instantly shows them)
//	anthropic     the Anthropic Messages API (also usable on its own)
//	stripe        Stripe: checkout and portal sessions, subscriptions, and the
//	              sandbox payment and portal pages that deliver signed
//	              webhooks (Sandbox.Stripe().SetWebhook); on a listener of
//	              its own, StripeURL, since stripe-go wants a host root
//	webhost       the businesses' websites and the CA of their certificates
//	dns           the DNS server of the businesses' domains
//	smtp          the SMTP server mailboxes send through
//	imap          the IMAP server holding the mailboxes' inboxes
//	sandboxtest   helpers for the fakes' tests
//
// An HTTP fake is an http.Handler over the world (if it needs businesses)
// that reads the request's fault with fake.FaultOf; it knows nothing of
// where it is mounted, of the request log or of latency: the sandbox
// records each request, delays it and picks its Fault before the handler
// runs (record.go). A fake that is not HTTP (dns) gets a Record function
// that does the same for each query.
//
// # Adding a service
//
// Adding a fake (Stripe, …) is one new package plus one line in
// Start:
//   - write internal/sandbox/<name> exposing New(Options) http.Handler,
//     with its key and the *world.World in its Options, and its tests next
//     to it (sandboxtest starts a sandbox and makes requests);
//   - add its Service name below and one httpFake line to Sandbox.apis
//     (start.go): the base path it is served under on the shared API
//     listener, the endpoint it answers, the handler, and the environment
//     variables of its base URL and key; Env and BaseURL then report it.
//
// A fake that listens on its own (an SMTP or an IMAP server) is likewise a
// package with a Start(addr, Options) and a Close, given a Record function
// like dns's, plus one step in Start (launch) that starts it and one Close
// in Sandbox.Close.
package sandbox
