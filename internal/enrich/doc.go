// Package enrich learns about a prospect's business: its website (quality,
// speed, SSL, tech stack, founding year, team size), the people to write to
// and whether their addresses work, and its reviews. A site that cannot be
// analysed is a finding, not a failure: the reason is recorded and the
// prospect moves on.
//
// Sub-packages hold the pure parts: site (page analysis and tech
// fingerprints), contacts (finding people on pages, email patterns) and
// verify (email verification). This package fetches, calls the services and
// saves.
package enrich
