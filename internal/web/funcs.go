package web

import (
	"errors"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/web/figures"
)

// templateFuncs are the helpers the templates call. Every value they
// return is text for html/template to escape; none returns markup.
func templateFuncs(a *assets) template.FuncMap {
	return template.FuncMap{
		"asset":  a.url,
		"num":    figures.Number,
		"rate":   figures.Rate,
		"when":   when,
		"whenp":  whenPtr,
		"label":  label,
		"str":    str,
		"plural": plural,
		"dict":   dict,
		"inc":    func(i int) int { return i + 1 },
		"fid":    fieldID,
		"has":    checked,
		"dec":    decimal,
		"signed": signed,
		"https":  httpsState,
		"list":   func(v ...string) []string { return v },
		"even":   func(i int) bool { return i%2 == 0 },
		"mulf":   func(a, b float64) float64 { return a * b },
	}
}

// when writes a time in the user's zone.
func when(loc *time.Location, t time.Time) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 Jan 2006, 15:04 MST")
}

func whenPtr(loc *time.Location, t *time.Time) string {
	if t == nil {
		return "—"
	}
	return when(loc, *t)
}

// label turns a status or key (outreach_pending, google_maps) into words.
func label(s string) string {
	switch s {
	case "google_maps":
		return "Google Maps"
	case "osm":
		return "OpenStreetMap"
	case "yelp":
		return "Yelp"
	}
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// plural writes n with the singular or the plural word.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return figures.Number(n) + " " + many
}

// dict builds the argument of a partial: dict "Name" "email" "Label" "Email".
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// decimal writes a measured number (a rating, seconds) with one decimal,
// or "—" when it was not measured.
func decimal(f *float64) string {
	if f == nil {
		return "—"
	}
	return strconv.FormatFloat(*f, 'f', 1, 64)
}

// signed writes points with their sign: +12, −5, 0.
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + figures.Number(n)
	case n < 0:
		return "−" + figures.Number(-n)
	}
	return "0"
}

// httpsState says whether a website's certificate checked out.
func httpsState(valid *bool) string {
	switch {
	case valid == nil:
		return "—"
	case *valid:
		return "Valid"
	}
	return "Broken"
}
