// Package site judges a business's website from one fetched page: the
// enrichment columns the spec asks for (website_score, mobile_score,
// page_speed, ssl_valid, tech_stack, year_founded,
// employee_count_estimate), the dated signals a pitch can quote ("© 2011",
// "jQuery 1.8.3", "no mobile viewport"), and the technologies the page is
// built with.
//
// It is pure analysis: no network and no clock of its own. The enrich
// package fetches the page with its hardened fetcher and hands over a Page
// (body, headers, TLS and timing facts); Parse reads it once, and Analyze
// and Tech work from that one parse:
//
//	doc := site.Parse(page)
//	a := doc.Analyze() // scores, signals, facts; a.Tech is doc.Tech()
//
// Every score starts at 100 and loses named penalties, clamped to 0–100;
// each Analysis lists the penalties it applied with a sentence apiece, and
// rubric.md (beside this file) explains every number. PageSpeed is a
// heuristic from the fetch's own timings and the HTML's weight; the caller
// replaces it with Lighthouse's score when PageSpeed Insights is keyed.
//
// Founding year and team size are reported only when the site states them,
// in the phrases facts.go lists; otherwise they are nil, never guessed.
//
// Technologies come from fingerprints.json, an embedded table of patterns
// on headers, cookies, meta tags, script and stylesheet URLs, frames and
// the HTML (see tech.go for its format). It is compiled once, on first
// use. Work is bounded whatever the page: bodies are read up to MaxBody,
// the HTML is tokenized once, all fingerprint literals are found in one
// Aho–Corasick pass, and regular expressions (RE2, linear time) run only
// on short windows around those literals or around the anchor words of a
// phrase.
package site
