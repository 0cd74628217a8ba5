// Package discovery turns what the discovery sources return (Google Places,
// Yelp, OpenStreetMap, a user's CSV file) into normalized businesses, and
// finds the listings that are one business so a campaign holds each
// business once and spends one lead credit on it.
//
// Its core is pure domain code, with no database and no network of its
// own: Business and Normalize, ParseImport (an uploaded CSV file read row by
// row), and the Deduper, which, seeded with the campaign's existing
// prospects, merges each new listing into the business it duplicates or
// keeps it as a new one.
//
// Two files sit around that core. sources.go adapts the provider clients
// (googleplaces, yelp, osm), which do the network calls, to Source: each
// maps its listings to Business. stage.go is the discover stage, the one
// part that uses the database: Runner asks each source the campaign wants,
// filters and de-duplicates what they return, saves the new prospects with
// their lead credits and hands them on to enrichment.
//
// Normalization makes spellings comparable. Websites become one canonical
// URL (NormalizeWebsite) and a domain key (DomainKey): the registrable
// domain, the full host for a site on a website builder, nothing for a page
// on a social network or directory, whose domain is shared by thousands of
// businesses. Phones become E.164 (NormalizePhone), read in the region of
// the campaign's target location (RegionFromLocation). Names and street
// lines are folded to keys (NameKey, StreetKey) that ignore case, accents,
// punctuation, legal suffixes, abbreviations and units.
//
// Two listings are one business (Same) when any of these holds:
//
//	the same source and source id: the same listing seen again;
//	the same domain key: one website is one business, branches included;
//	the same phone, or the same house number on the same street (and no
//	conflicting zip code), and names at least half alike: one name is all
//	of the other's words ("Katsu", "Restaurant Katsu"), or at least half
//	of their distinct words match, allowing for small spelling drift and
//	abbreviations ("Grill"/"Grille", "Deli"/"Delicatessen").
//
// Two listings from one source under different ids are never one business:
// the source knows its own listings apart. A phone alone is not enough,
// because the restaurants and shops of one hotel or mall share its
// switchboard and its address; a name alone is not enough, because chains
// have many branches. When a listing matches several businesses, the
// Deduper merges it into the best match: a shared website first, then the
// most alike name with the most agreeing phone and address.
package discovery
