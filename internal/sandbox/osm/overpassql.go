package osm

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The subset of Overpass QL a business search needs, parsed.

type overpassQuery struct {
	json       bool
	timeout    int
	areas      map[string]int64 // set name → area id
	statements []overpassStatement
	outCenter  bool
	hasOut     bool
}

type overpassStatement struct {
	elementType string // nwr, node, way, relation
	conds       []overpassCond
	areaSet     string      // "a" for (area.a)
	bbox        *[4]float64 // south, west, north, east
}

type overpassCond struct {
	key   string
	op    string // "", "=", "!=", "~", "!~"
	value string
	re    *regexp.Regexp
}

func (c overpassCond) match(tags map[string]string) bool {
	v, ok := tags[c.key]
	switch c.op {
	case "":
		return ok
	case "=":
		return ok && v == c.value
	case "!=":
		return !ok || v != c.value
	case "~":
		return ok && c.re.MatchString(v)
	case "!~":
		return !ok || !c.re.MatchString(v)
	}
	return false
}

var (
	qlTimeoutRE  = regexp.MustCompile(`\[timeout:(\d+)\]`)
	qlAreaRE     = regexp.MustCompile(`^area\((?:id:)?\s*(\d+)\s*\)\s*->\s*\.(\w+)$`)
	plainWordsRE = regexp.MustCompile(`^[\pL\pN ]+$`)
)

func parseOverpassQL(ql string) (overpassQuery, error) {
	q := overpassQuery{areas: map[string]int64{}}
	stmts, err := splitQL(ql)
	if err != nil {
		return q, err
	}
	for _, st := range stmts {
		text := strings.TrimSpace(st.text)
		for strings.HasPrefix(text, "(") { // union opening
			text = strings.TrimSpace(text[1:])
		}
		if strings.HasPrefix(text, ")") { // union closing
			text = strings.TrimSpace(text[1:])
		}
		switch {
		case text == "":
		case strings.HasPrefix(text, "["):
			if strings.Contains(text, "[out:json]") {
				q.json = true
			}
			if m := qlTimeoutRE.FindStringSubmatch(text); m != nil {
				q.timeout, _ = strconv.Atoi(m[1])
			}
		case strings.HasPrefix(text, "area"):
			m := qlAreaRE.FindStringSubmatch(text)
			if m == nil {
				return q, fmt.Errorf("line %d: parse error: the sandbox only understands area(id:N)->.name", st.line)
			}
			id, _ := strconv.ParseInt(m[1], 10, 64)
			q.areas[m[2]] = id
		case strings.HasPrefix(text, "out"):
			q.hasOut = true
			q.outCenter = strings.Contains(text, "center")
		default:
			s, err := parseQLQuery(text, st.line)
			if err != nil {
				return q, err
			}
			q.statements = append(q.statements, s)
		}
	}
	if !q.json {
		return q, fmt.Errorf("line 1: the sandbox only serves [out:json]")
	}
	if !q.hasOut {
		return q, fmt.Errorf("line %d: parse error: no out statement", len(stmts))
	}
	return q, nil
}

type qlStatement struct {
	text string
	line int
}

// splitQL cuts a query at semicolons that are not inside quotes.
func splitQL(ql string) ([]qlStatement, error) {
	var out []qlStatement
	var cur strings.Builder
	line, start := 1, 1
	inQuote, escaped := false, false
	for _, r := range ql {
		if r == '\n' {
			line++
		}
		if cur.Len() == 0 && (r == ' ' || r == '\n' || r == '\t' || r == '\r') {
			start = line
			continue
		}
		switch {
		case escaped:
			escaped = false
		case r == '\\' && inQuote:
			escaped = true
		case r == '"':
			inQuote = !inQuote
		case r == ';' && !inQuote:
			out = append(out, qlStatement{text: cur.String(), line: start})
			cur.Reset()
			start = line
			continue
		}
		cur.WriteRune(r)
	}
	if inQuote {
		return nil, fmt.Errorf("line %d: parse error: unterminated string", line)
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, qlStatement{text: cur.String(), line: start})
	}
	return out, nil
}

func parseQLQuery(text string, line int) (overpassStatement, error) {
	var st overpassStatement
	perr := func(msg string) (overpassStatement, error) {
		return st, fmt.Errorf("line %d: parse error: %s", line, msg)
	}
	for _, t := range []string{"nwr", "node", "way", "relation"} {
		if strings.HasPrefix(text, t) {
			st.elementType = t
			text = text[len(t):]
			break
		}
	}
	if st.elementType == "" {
		return perr("unknown statement " + strconvQuote(firstWord(text)))
	}
	for {
		text = strings.TrimSpace(text)
		if !strings.HasPrefix(text, "[") {
			break
		}
		cond, rest, err := parseQLFilter(text[1:])
		if err != nil {
			return perr(err.Error())
		}
		st.conds = append(st.conds, cond)
		text = rest
	}
	if !strings.HasPrefix(text, "(") {
		return perr("expected a spatial filter such as (area.a)")
	}
	end := strings.Index(text, ")")
	if end < 0 {
		return perr("unclosed (")
	}
	spatial := strings.TrimSpace(text[1:end])
	if set, ok := strings.CutPrefix(spatial, "area."); ok {
		st.areaSet = set
	} else {
		parts := strings.Split(spatial, ",")
		if len(parts) != 4 {
			return perr("the sandbox only understands (area.name) and (south,west,north,east)")
		}
		var b [4]float64
		for i, p := range parts {
			v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil {
				return perr("bad bounding box")
			}
			b[i] = v
		}
		st.bbox = &b
	}
	return st, nil
}

// parseQLFilter reads one [...] filter, text starting just after "[".
func parseQLFilter(text string) (overpassCond, string, error) {
	var c overpassCond
	key, rest, err := readQLString(text)
	if err != nil {
		return c, "", err
	}
	c.key = key
	rest = strings.TrimSpace(rest)
	for _, op := range []string{"!=", "!~", "=", "~"} {
		if strings.HasPrefix(rest, op) {
			c.op = op
			rest = strings.TrimSpace(rest[len(op):])
			break
		}
	}
	if c.op != "" {
		c.value, rest, err = readQLString(rest)
		if err != nil {
			return c, "", err
		}
		rest = strings.TrimSpace(rest)
		caseless := false
		if strings.HasPrefix(rest, ",") {
			rest = strings.TrimSpace(rest[1:])
			if !strings.HasPrefix(rest, "i") {
				return c, "", fmt.Errorf("unknown filter flag")
			}
			caseless = true
			rest = strings.TrimSpace(rest[1:])
		}
		if c.op == "~" || c.op == "!~" {
			expr := c.value
			if caseless {
				expr = "(?i)" + expr
			}
			if c.re, err = regexp.Compile(expr); err != nil {
				return c, "", fmt.Errorf("invalid regular expression %s", strconvQuote(c.value))
			}
		}
	}
	if !strings.HasPrefix(rest, "]") {
		return c, "", fmt.Errorf("expected ]")
	}
	return c, rest[1:], nil
}

// readQLString reads a quoted (with \" and \\ escapes) or bare token.
func readQLString(text string) (string, string, error) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, `"`) {
		i := strings.IndexAny(text, "=!~],")
		if i <= 0 {
			return "", "", fmt.Errorf("expected a key")
		}
		return strings.TrimSpace(text[:i]), text[i:], nil
	}
	var b strings.Builder
	for i := 1; i < len(text); i++ {
		switch ch := text[i]; ch {
		case '\\':
			if i+1 >= len(text) {
				return "", "", fmt.Errorf("unterminated string")
			}
			i++
			switch text[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(text[i])
			}
		case '"':
			return b.String(), text[i+1:], nil
		default:
			b.WriteByte(ch)
		}
	}
	return "", "", fmt.Errorf("unterminated string")
}
