package web

import (
	"errors"
	"html/template"
	"strconv"
	"strings"
	"time"
)

// templateFuncs are the helpers the templates call. Every value they
// return is text for html/template to escape; none returns markup.
func templateFuncs(a *assets) template.FuncMap {
	return template.FuncMap{
		"asset":  a.url,
		"num":    number,
		"rate":   rate,
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

// number writes a count for people: 12,345.
func number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// rate writes part of whole as a percentage with one decimal, or "—" when
// there is nothing to measure yet (nothing sent, say).
func rate(part, whole int) string {
	if whole <= 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64) + "%"
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
	return number(n) + " " + many
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
		return "+" + number(n)
	case n < 0:
		return "−" + number(-n)
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
