package discovery

import (
	"strings"
)

// RegionFromLocation returns the ISO 3166 region to read national phone
// numbers in, from a campaign's target location as a user types it:
// "Austin, TX" gives "US", "Toronto, ON, Canada" "CA", "London, UK" "GB",
// "München, DE" "DE". Unknown places give "US", the default market.
//
// The location is read from its last comma-separated part backwards; the
// first part that names a country, a US state, a Canadian province or an
// Australian state decides. Postal codes are ignored ("Austin, TX 78701").
// Two-letter codes that are both a state and a country ("CA", "DE", "IN",
// "NL", "WA", "NT") are read as the state or province, as "City, ST" is by far
// the commoner way to write a location, unless the city before them is a
// well-known city of the other candidate ("Perth, WA", "Munich, DE").
// A location that is only a well-known city ("Paris") gives that city's
// country.
func RegionFromLocation(location string) string {
	parts := strings.FieldsFunc(fold(location), func(r rune) bool { return r == ',' || r == ';' })
	for i := len(parts) - 1; i >= 0; i-- {
		part := placeWords(parts[i])
		if part == "" {
			continue
		}
		city := ""
		if i > 0 {
			city = placeWords(parts[i-1])
		}
		if r := regionOfPart(part, city); r != "" {
			return r
		}
	}
	return "US"
}

// placeWords cleans one part of a location: no dots ("U.S.A."), no postal
// codes or other words holding digits, single spaces.
func placeWords(s string) string {
	s = strings.ReplaceAll(s, ".", "")
	words := strings.Fields(s)
	kept := words[:0]
	for _, w := range words {
		if !strings.ContainsAny(w, "0123456789") {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// regionOfPart reads one cleaned part: as a whole, then as a well-known city,
// then by its last words as a place, so "Austin TX" and "Berlin Germany"
// work without a comma. Last words are not tried as cities: too many city
// names are also words ("somewhere nice").
func regionOfPart(part, city string) string {
	if r := placeRegion(part, city); r != "" {
		return r
	}
	if r := cityRegions[part]; r != "" {
		return r
	}
	words := strings.Fields(part)
	for n := min(3, len(words)-1); n >= 1; n-- {
		rest := strings.Join(words[:len(words)-n], " ")
		tail := strings.Join(words[len(words)-n:], " ")
		if r := placeRegion(tail, rest); r != "" {
			return r
		}
	}
	return ""
}

// placeRegion resolves a country, state or province name or code; city
// breaks ties between the candidates of an ambiguous code.
func placeRegion(name, city string) string {
	if r := placeRegions[name]; r != "" {
		return r
	}
	candidates := ambiguousPlaces[name]
	if len(candidates) == 0 {
		return ""
	}
	if r := cityRegions[city]; r != "" {
		for _, c := range candidates {
			if c == r {
				return r
			}
		}
	}
	return candidates[0]
}

// ambiguousPlaces are codes with several readings, the usual one first.
var ambiguousPlaces = map[string][]string{
	"ca": {"US", "CA"}, // California, Canada
	"de": {"US", "DE"}, // Delaware, Germany
	"in": {"US", "IN"}, // Indiana, India
	"wa": {"US", "AU"}, // Washington, Western Australia
	"nl": {"CA", "NL"}, // Newfoundland and Labrador, Netherlands
	"nt": {"CA", "AU"}, // Northwest Territories, Northern Territory
}

// placeRegions maps country names and codes, US states, Canadian provinces and
// Australian states (folded, without dots) to a region.
var placeRegions = map[string]string{
	// Countries.
	"us": "US", "usa": "US", "united states": "US", "united states of america": "US", "america": "US",
	"canada": "CA", "can": "CA",
	"uk": "GB", "gb": "GB", "gbr": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
	"england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
	"germany": "DE", "deutschland": "DE", "deu": "DE",
	"australia": "AU", "au": "AU", "aus": "AU",
	"new zealand": "NZ", "nz": "NZ", "nzl": "NZ", "aotearoa": "NZ",
	"ireland": "IE", "republic of ireland": "IE", "eire": "IE", "ie": "IE", "irl": "IE",
	"france": "FR", "fr": "FR", "fra": "FR",
	"spain": "ES", "espana": "ES", "es": "ES", "esp": "ES",
	"italy": "IT", "italia": "IT", "it": "IT", "ita": "IT",
	"netherlands": "NL", "the netherlands": "NL", "holland": "NL", "nederland": "NL", "nld": "NL",
	"mexico": "MX", "mx": "MX", "mex": "MX",
	"india": "IN", "bharat": "IN", "ind": "IN",
	"puerto rico": "US", "pr": "US",

	// US states and DC.
	"al": "US", "alabama": "US", "ak": "US", "alaska": "US", "az": "US", "arizona": "US",
	"ar": "US", "arkansas": "US", "california": "US", "co": "US", "colorado": "US",
	"ct": "US", "connecticut": "US", "delaware": "US", "fl": "US", "florida": "US",
	"ga": "US", "georgia": "US", "hi": "US", "hawaii": "US", "id": "US", "idaho": "US",
	"il": "US", "illinois": "US", "indiana": "US", "ia": "US", "iowa": "US",
	"ks": "US", "kansas": "US", "ky": "US", "kentucky": "US", "la": "US", "louisiana": "US",
	"me": "US", "maine": "US", "md": "US", "maryland": "US", "ma": "US", "massachusetts": "US",
	"mi": "US", "michigan": "US", "mn": "US", "minnesota": "US", "ms": "US", "mississippi": "US",
	"mo": "US", "missouri": "US", "mt": "US", "montana": "US", "ne": "US", "nebraska": "US",
	"nv": "US", "nevada": "US", "nh": "US", "new hampshire": "US", "nj": "US", "new jersey": "US",
	"nm": "US", "new mexico": "US", "ny": "US", "new york": "US", "nc": "US", "north carolina": "US",
	"nd": "US", "north dakota": "US", "oh": "US", "ohio": "US", "ok": "US", "oklahoma": "US",
	"or": "US", "oregon": "US", "pa": "US", "pennsylvania": "US", "ri": "US", "rhode island": "US",
	"sc": "US", "south carolina": "US", "sd": "US", "south dakota": "US", "tn": "US", "tennessee": "US",
	"tx": "US", "texas": "US", "ut": "US", "utah": "US", "vt": "US", "vermont": "US",
	"va": "US", "virginia": "US", "washington": "US", "wv": "US", "west virginia": "US",
	"wi": "US", "wisconsin": "US", "wy": "US", "wyoming": "US",
	"dc": "US", "district of columbia": "US",

	// Canadian provinces and territories.
	"on": "CA", "ontario": "CA", "qc": "CA", "quebec": "CA", "bc": "CA", "british columbia": "CA",
	"ab": "CA", "alberta": "CA", "mb": "CA", "manitoba": "CA", "sk": "CA", "saskatchewan": "CA",
	"ns": "CA", "nova scotia": "CA", "nb": "CA", "new brunswick": "CA",
	"newfoundland": "CA", "newfoundland and labrador": "CA", "pe": "CA", "pei": "CA",
	"prince edward island": "CA", "yt": "CA", "yukon": "CA", "northwest territories": "CA",
	"nu": "CA", "nunavut": "CA",

	// Australian states and territories.
	"nsw": "AU", "new south wales": "AU", "vic": "AU", "victoria": "AU", "qld": "AU",
	"queensland": "AU", "western australia": "AU", "sa": "AU", "south australia": "AU",
	"tas": "AU", "tasmania": "AU", "act": "AU", "australian capital territory": "AU",
	"northern territory": "AU",
}

// cityRegions lists a few large cities per supported country outside the
// US, for locations given as a city alone and to break ties on ambiguous
// codes. It is deliberately short: a campaign location normally names its
// state or country, and the default is the US.
var cityRegions = map[string]string{
	"toronto": "CA", "montreal": "CA", "vancouver": "CA", "calgary": "CA", "edmonton": "CA",
	"ottawa": "CA", "winnipeg": "CA", "quebec city": "CA", "halifax": "CA", "st johns": "CA",
	"st john's": "CA", "saint john's": "CA", "yellowknife": "CA",
	"london": "GB", "manchester": "GB", "birmingham": "GB", "liverpool": "GB", "leeds": "GB",
	"glasgow": "GB", "edinburgh": "GB", "bristol": "GB", "cardiff": "GB", "belfast": "GB",
	"berlin": "DE", "hamburg": "DE", "munich": "DE", "munchen": "DE", "muenchen": "DE",
	"cologne": "DE", "koln": "DE", "koeln": "DE", "frankfurt": "DE", "stuttgart": "DE",
	"dusseldorf": "DE", "duesseldorf": "DE", "leipzig": "DE", "dresden": "DE", "hannover": "DE",
	"sydney": "AU", "melbourne": "AU", "brisbane": "AU", "perth": "AU", "adelaide": "AU",
	"canberra": "AU", "hobart": "AU", "darwin": "AU", "gold coast": "AU",
	"auckland": "NZ", "wellington": "NZ", "christchurch": "NZ",
	"dublin": "IE", "cork": "IE", "galway": "IE", "limerick": "IE",
	"paris": "FR", "lyon": "FR", "marseille": "FR", "toulouse": "FR", "nice": "FR", "bordeaux": "FR",
	"madrid": "ES", "barcelona": "ES", "valencia": "ES", "seville": "ES", "sevilla": "ES", "malaga": "ES",
	"rome": "IT", "roma": "IT", "milan": "IT", "milano": "IT", "naples": "IT", "napoli": "IT",
	"turin": "IT", "torino": "IT", "florence": "IT", "firenze": "IT",
	"amsterdam": "NL", "rotterdam": "NL", "utrecht": "NL", "the hague": "NL", "den haag": "NL",
	"eindhoven": "NL", "groningen": "NL",
	"mexico city": "MX", "ciudad de mexico": "MX", "cdmx": "MX", "guadalajara": "MX",
	"monterrey": "MX", "cancun": "MX", "tijuana": "MX",
	"mumbai": "IN", "delhi": "IN", "new delhi": "IN", "bangalore": "IN", "bengaluru": "IN",
	"hyderabad": "IN", "chennai": "IN", "kolkata": "IN", "pune": "IN",
}
