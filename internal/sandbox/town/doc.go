// Package town is the fictional-town generator. For any business type and
// any location it produces the same few hundred businesses every time, with
// the same business showing up on Google, Yelp and OpenStreetMap under
// slightly different names, address spellings and phone formats, as real
// listings do; each business with a domain has a website, a mailbox and
// people (site.go), which the sandbox's web host, DNS server and Hunter fake
// serve.
//
// Everything is plainly fictional: websites live under the reserved
// ".example" top-level domain, phone numbers are in the 555-0100…555-0199
// range that North American numbering keeps for fiction, and the sandbox
// servers label every answer with "X-Sandbox: fictional".
//
// Determinism: each town is seeded from FNV-64a(type|location) and each
// business draws from its own PCG stream (town seed, index). To give
// businesses new attributes (websites' pages, e-mail staff…), draw from a new
// stream seeded from Business.ID; drawing more numbers from the existing
// streams would change every business already generated.
//
// The package is pure: no network, no clock, no shared state. The sandbox's
// world package caches towns and finds a business again from its domain.
package town
