package osm

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/prospectorhq/prospector/internal/textfold"
)

// categories.json maps business types, as users type them, to OpenStreetMap
// tags. Each entry has:
//
//	type     the canonical name
//	aliases  plurals and synonyms users write ("plumbers", "plumbing")
//	filters  tag sets; an element matching every tag of any one set is a
//	         business of this type (e.g. {"shop":"hairdresser","hairdresser":"barber"})
//	names    optional name fragments searched as well (case-insensitive),
//	         for trades OSM has no settled tag for (cleaning, pest control…)
//
// A type missing from the table is searched by name: elements whose name
// contains the (singular) phrase, case-insensitive, e.g. "kite repair" finds
// "Riverbend Kite Repair". That finds businesses named after their trade and
// misses the others; add the type to the table when a real tag exists.
//
//go:embed categories.json
var categoriesJSON []byte

// Category is one entry of the table.
type Category struct {
	Type    string              `json:"type"`
	Aliases []string            `json:"aliases"`
	Filters []map[string]string `json:"filters"`
	Names   []string            `json:"names,omitempty"`
}

type table struct {
	list  []Category
	index map[string]int // normalised type or alias → list position
}

// loadTable parses the embedded table once, on first use, rather than in
// init(): a broken table then fails the tests that call it, not every
// program that imports the package.
var loadTable = sync.OnceValues(func() (*table, error) {
	t := &table{index: map[string]int{}}
	if err := json.Unmarshal(categoriesJSON, &t.list); err != nil {
		return nil, fmt.Errorf("osm: categories.json: %w", err)
	}
	for i, c := range t.list {
		if len(c.Filters) == 0 {
			return nil, fmt.Errorf("osm: categories.json: %q has no filters", c.Type)
		}
		for _, name := range append([]string{c.Type}, c.Aliases...) {
			key := textfold.Phrase(name)
			if j, dup := t.index[key]; dup {
				return nil, fmt.Errorf("osm: categories.json: %q is listed under %q and %q", name, t.list[j].Type, c.Type)
			}
			t.index[key] = i
		}
	}
	return t, nil
})

func mustTable() *table {
	t, err := loadTable()
	if err != nil {
		panic(err) // the embedded file is part of the binary; TestCategories guards it
	}
	return t
}

// Categories returns the whole table.
func Categories() []Category { return slices.Clone(mustTable().list) }

// Lookup finds the category of a business type, trying the singular when
// the plural is not listed.
func Lookup(businessType string) (Category, bool) {
	t := mustTable()
	key := textfold.Phrase(businessType)
	for _, k := range []string{key, textfold.Singular(key)} {
		if i, ok := t.index[k]; ok {
			return t.list[i], true
		}
	}
	return Category{}, false
}

// Selectors returns the Overpass tag selectors for a business type, one per
// alternative, e.g. `["craft"="plumber"]` or `["name"~"kite repair",i]`.
func Selectors(businessType string) []string {
	c, ok := Lookup(businessType)
	if !ok {
		phrase := textfold.Singular(textfold.Phrase(businessType))
		if phrase == "" {
			return nil
		}
		return []string{nameSelector([]string{phrase})}
	}
	var out []string
	for _, f := range c.Filters {
		keys := make([]string, 0, len(f))
		for k := range f {
			keys = append(keys, k)
		}
		slices.Sort(keys) // stable queries, stable golden files
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, "[%s=%s]", qlString(k), qlString(f[k]))
		}
		out = append(out, b.String())
	}
	if len(c.Names) > 0 {
		out = append(out, nameSelector(c.Names))
	}
	return out
}

func nameSelector(fragments []string) string {
	quoted := make([]string, len(fragments))
	for i, f := range fragments {
		quoted[i] = regexp.QuoteMeta(f)
	}
	return `["name"~` + qlString(strings.Join(quoted, "|")) + `,i]`
}

// qlString quotes s as an Overpass QL string literal.
func qlString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}
