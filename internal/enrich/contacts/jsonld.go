package contacts

import (
	"net/url"
	"strings"

	"github.com/prospectorhq/prospector/internal/enrich/contacts/jsonld"
)

// jsonLDFound reads the schema.org objects of a page's JSON-LD blocks:
// Person objects become people (name, jobTitle, email, telephone, a
// LinkedIn profile in sameAs); any other object with an email or telephone
// (Organization, LocalBusiness and its many subtypes, ContactPoint)
// becomes a contact of the business. A founder without a jobTitle is
// titled "Founder".
func jsonLDFound(blocks []string, site string) []Found {
	var out []Found
	for _, o := range jsonld.Objects(blocks) {
		if o.Is("Person") {
			if f, ok := ldPerson(o, site); ok {
				out = append(out, f)
			}
			continue
		}
		for _, e := range o.Strings("email") {
			if addr, ok := cleanEmail(strings.TrimPrefix(e, "mailto:"), site); ok {
				out = append(out, Found{Email: addr, Evidence: EvidenceJSONLD})
			}
		}
		for _, p := range o.Strings("telephone") {
			if num, ok := cleanPhone(strings.TrimPrefix(p, "tel:")); ok {
				out = append(out, Found{Phone: num, Evidence: EvidenceJSONLD})
			}
		}
	}
	return out
}

func ldPerson(o jsonld.Object, site string) (Found, bool) {
	f := Found{Evidence: EvidenceJSONLD}
	given, family := o.First("givenName"), o.First("familyName")
	name := o.First("name")
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
	f.Title = collapse(o.First("jobTitle"))
	if f.Title == "" {
		f.Title = o.DefaultTitle
	}
	for _, e := range o.Strings("email") {
		if addr, ok := cleanEmail(strings.TrimPrefix(e, "mailto:"), site); ok {
			f.Email = addr
			break
		}
	}
	for _, p := range o.Strings("telephone") {
		if num, ok := cleanPhone(strings.TrimPrefix(p, "tel:")); ok {
			f.Phone = num
			break
		}
	}
	for _, u := range append(o.Strings("sameAs"), o.Strings("url")...) {
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
