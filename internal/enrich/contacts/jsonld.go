package contacts

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// maxJSONLD bounds one structured-data block; real ones are a few KiB, and
// a page that embeds megabytes there is not describing its staff.
const maxJSONLD = 1 << 20

// maxLDDepth bounds how deep the walk follows nested objects.
const maxLDDepth = 16

// ldLinks are the properties through which a business's schema.org data
// leads to its people and contact points. Other properties are not
// followed: a Review's author is a customer, not a contact.
// The second field is the title a person reached through the property gets
// when the data gives none. A slice, not a map, so that the output order
// is the same on every run.
var ldLinks = []struct{ key, title string }{
	{"@graph", ""}, {"mainEntity", ""}, {"founder", "Founder"}, {"founders", "Founder"},
	{"employee", ""}, {"employees", ""}, {"member", ""}, {"members", ""},
	{"contactPoint", ""}, {"department", ""}, {"subOrganization", ""}, {"parentOrganization", ""},
	{"worksFor", ""}, {"publisher", ""}, {"itemListElement", ""}, {"item", ""},
}

// jsonLDFound reads the schema.org objects of a page's JSON-LD blocks:
// Person objects become people (name, jobTitle, email, telephone, a
// LinkedIn profile in sameAs); any other object with an email or telephone
// (Organization, LocalBusiness and its many subtypes, ContactPoint)
// becomes a contact of the business. A founder without a jobTitle is
// titled "Founder".
func jsonLDFound(blocks []string, site string) []Found {
	var out []Found
	for _, b := range blocks {
		if len(b) > maxJSONLD {
			continue
		}
		v, ok := decodeJSONLD(b)
		if !ok {
			continue
		}
		walkLD(v, "", 0, site, &out)
	}
	return out
}

var trailingComma = regexp.MustCompile(`,(\s*[}\]])`)

// decodeJSONLD parses a JSON-LD block, forgiving the mistakes hand-written
// ones make: HTML comment or CDATA wrappers, raw line breaks inside
// strings, trailing commas.
func decodeJSONLD(s string) (any, bool) {
	s = strings.TrimSpace(s)
	for _, w := range []string{"<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"} {
		s = strings.ReplaceAll(s, w, "")
	}
	var v any
	if json.Unmarshal([]byte(s), &v) == nil {
		return v, true
	}
	s = strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(s)
	s = trailingComma.ReplaceAllString(s, "$1")
	if json.Unmarshal([]byte(s), &v) == nil {
		return v, true
	}
	return nil, false
}

func walkLD(v any, defaultTitle string, depth int, site string, out *[]Found) {
	if depth > maxLDDepth {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkLD(e, defaultTitle, depth+1, site, out)
		}
	case map[string]any:
		if hasLDType(x, "Person") {
			if f, ok := ldPerson(x, defaultTitle, site); ok {
				*out = append(*out, f)
			}
		} else {
			emails, phones := ldStrings(x["email"]), ldStrings(x["telephone"])
			for _, e := range emails {
				if addr, ok := cleanEmail(strings.TrimPrefix(e, "mailto:"), site); ok {
					*out = append(*out, Found{Email: addr, Evidence: EvidenceJSONLD})
				}
			}
			for _, p := range phones {
				if num, ok := cleanPhone(strings.TrimPrefix(p, "tel:")); ok {
					*out = append(*out, Found{Phone: num, Evidence: EvidenceJSONLD})
				}
			}
		}
		for _, l := range ldLinks {
			if child, ok := x[l.key]; ok {
				walkLD(child, l.title, depth+1, site, out)
			}
		}
	}
}

// hasLDType reports whether an object's @type (a string or a list, plain
// or as a schema.org IRI) includes typ.
func hasLDType(m map[string]any, typ string) bool {
	for _, t := range ldStrings(m["@type"]) {
		t = strings.TrimSuffix(t, "/")
		if i := strings.LastIndexAny(t, "/:#"); i >= 0 {
			t = t[i+1:]
		}
		if t == typ {
			return true
		}
	}
	return false
}

func ldPerson(m map[string]any, defaultTitle, site string) (Found, bool) {
	f := Found{Evidence: EvidenceJSONLD}
	given, family := first(ldStrings(m["givenName"])), first(ldStrings(m["familyName"]))
	name := first(ldStrings(m["name"]))
	if name == "" {
		name = strings.TrimSpace(given + " " + family)
	}
	if n, ok := parseName(name, true); ok {
		f.Name = n
	} else if name != "" && len(name) <= 60 {
		// Structured data says this is a person's name; believe it, but
		// keep it clean.
		f.Name = collapse(name)
	}
	f.FirstName, f.LastName = SplitName(f.Name)
	if given != "" && family != "" {
		f.FirstName, f.LastName = given, family
	}
	f.Title = collapse(first(ldStrings(m["jobTitle"])))
	if f.Title == "" {
		f.Title = defaultTitle
	}
	for _, e := range ldStrings(m["email"]) {
		if addr, ok := cleanEmail(strings.TrimPrefix(e, "mailto:"), site); ok {
			f.Email = addr
			break
		}
	}
	for _, p := range ldStrings(m["telephone"]) {
		if num, ok := cleanPhone(strings.TrimPrefix(p, "tel:")); ok {
			f.Phone = num
			break
		}
	}
	for _, u := range append(ldStrings(m["sameAs"]), ldStrings(m["url"])...) {
		if li, ok := linkedInProfile(u); ok {
			f.LinkedInURL = li
			break
		}
	}
	if f.Name == "" && f.Email == "" {
		return Found{}, false
	}
	return f, true
}

// ldStrings reads a JSON-LD value that may be a string, a list of strings,
// or objects with a "name" (as jobTitle sometimes is: a DefinedTerm).
func ldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, ldStrings(e)...)
		}
		return out
	case map[string]any:
		return ldStrings(x["name"])
	}
	return nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// linkedInProfile returns the canonical form of a LinkedIn personal
// profile URL ("https://www.linkedin.com/in/maria-gonzalez"); company pages
// and other links are not people.
func linkedInProfile(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if host != "linkedin.com" && !strings.HasSuffix(host, ".linkedin.com") {
		return "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || parts[0] != "in" || parts[1] == "" {
		return "", false
	}
	return "https://www.linkedin.com/in/" + parts[1], true
}
