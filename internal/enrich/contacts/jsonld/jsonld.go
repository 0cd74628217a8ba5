// Package jsonld reads the schema.org data of a page's JSON-LD blocks: it
// decodes them forgiving the mistakes hand-written ones make, and walks
// from the business to its people and contact points, through the
// properties that lead there and no others (a Review's author is a
// customer, not a contact). What the objects mean for contacts is the
// contacts package's business.
package jsonld

import (
	"encoding/json"
	"regexp"
	"strings"
)

// maxBlock bounds one structured-data block; real ones are a few KiB, and
// a page that embeds megabytes there is not describing its staff.
const maxBlock = 1 << 20

// maxDepth bounds how deep the walk follows nested objects.
const maxDepth = 16

// links are the properties through which a business's schema.org data
// leads to its people and contact points. Other properties are not
// followed. The second field is the title a person reached through the
// property gets when the data gives none. A slice, not a map, so that the
// output order is the same on every run.
var links = []struct{ key, title string }{
	{"@graph", ""}, {"mainEntity", ""}, {"founder", "Founder"}, {"founders", "Founder"},
	{"employee", ""}, {"employees", ""}, {"member", ""}, {"members", ""},
	{"contactPoint", ""}, {"department", ""}, {"subOrganization", ""}, {"parentOrganization", ""},
	{"worksFor", ""}, {"publisher", ""}, {"itemListElement", ""}, {"item", ""},
}

// Object is one schema.org object the walk reached.
type Object struct {
	// Props are the object's properties, as decoded.
	Props map[string]any
	// DefaultTitle is the title a person reached through a property such
	// as founder gets when the data gives none; "" otherwise.
	DefaultTitle string
}

// Objects returns the objects of every block, each before the objects it
// leads to, in the order the blocks and their properties give. Blocks that
// are too large or not JSON even after forgiving are skipped.
func Objects(blocks []string) []Object {
	var out []Object
	for _, b := range blocks {
		if len(b) > maxBlock {
			continue
		}
		v, ok := decode(b)
		if !ok {
			continue
		}
		walk(v, "", 0, &out)
	}
	return out
}

var trailingComma = regexp.MustCompile(`,(\s*[}\]])`)

// decode parses a JSON-LD block, forgiving the mistakes hand-written ones
// make: HTML comment or CDATA wrappers, raw line breaks inside strings,
// trailing commas.
func decode(s string) (any, bool) {
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

func walk(v any, defaultTitle string, depth int, out *[]Object) {
	if depth > maxDepth {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walk(e, defaultTitle, depth+1, out)
		}
	case map[string]any:
		*out = append(*out, Object{Props: x, DefaultTitle: defaultTitle})
		for _, l := range links {
			if child, ok := x[l.key]; ok {
				walk(child, l.title, depth+1, out)
			}
		}
	}
}

// Is reports whether the object's @type (a string or a list, plain or as
// a schema.org IRI) includes typ.
func (o Object) Is(typ string) bool {
	for _, t := range o.Strings("@type") {
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

// Strings reads a property that may be a string, a list of strings, or
// objects with a "name" (as jobTitle sometimes is: a DefinedTerm).
func (o Object) Strings(prop string) []string { return values(o.Props[prop]) }

// First is the first of the property's Strings, "" when it has none.
func (o Object) First(prop string) string {
	if s := o.Strings(prop); len(s) > 0 {
		return s[0]
	}
	return ""
}

func values(v any) []string {
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, values(e)...)
		}
		return out
	case map[string]any:
		return values(x["name"])
	}
	return nil
}
