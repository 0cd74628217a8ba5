package agent

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMaxLength caps every output string whose field has no maxLength tag.
const DefaultMaxLength = 2000

// Schema is a JSON Schema object (the subset tools need).
type Schema = map[string]any

// SchemaOf returns the JSON schema of v's type, a struct or pointer to one.
//
// Each exported field with a json tag name becomes a property; fields
// tagged omitempty/omitzero are optional, the others required. Supported
// field types: string, ints, floats, bool, nested structs, and slices of
// these. Tags: `desc:"…"` (description), `enum:"a,b,c"` (strings),
// `maxLength:"N"` (strings, or each string of a []string; DefaultMaxLength
// when absent), `maxItems:"N"` (slices), `minimum:"N"`/`maximum:"N"` (numbers).
// The schema forbids additional properties.
func SchemaOf(v any) (Schema, error) {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("agent: schema needs a struct, got %v", reflect.TypeOf(v))
	}
	return schemaOf(t, "", 0)
}

func schemaOf(t reflect.Type, tag reflect.StructTag, depth int) (Schema, error) {
	if depth > 8 {
		return nil, fmt.Errorf("agent: type %v nests too deeply", t)
	}
	s := Schema{}
	if d := tag.Get("desc"); d != "" {
		s["description"] = d
	}
	switch t.Kind() {
	case reflect.String:
		s["type"] = "string"
		if e := tag.Get("enum"); e != "" {
			s["enum"] = strings.Split(e, ",")
		} else {
			n, err := intTag(tag, "maxLength", DefaultMaxLength)
			if err != nil {
				return nil, err
			}
			s["maxLength"] = n
		}
	case reflect.Bool:
		s["type"] = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s["type"] = "integer"
		if err := numTags(s, tag); err != nil {
			return nil, err
		}
	case reflect.Float32, reflect.Float64:
		s["type"] = "number"
		if err := numTags(s, tag); err != nil {
			return nil, err
		}
	case reflect.Slice:
		s["type"] = "array"
		itemTag := reflect.StructTag(fmt.Sprintf(`enum:%q maxLength:%q`, tag.Get("enum"), tag.Get("maxLength")))
		items, err := schemaOf(t.Elem(), itemTag, depth+1)
		if err != nil {
			return nil, err
		}
		s["items"] = items
		if tag.Get("maxItems") != "" {
			n, err := intTag(tag, "maxItems", 0)
			if err != nil {
				return nil, err
			}
			s["maxItems"] = n
		}
	case reflect.Struct:
		s["type"] = "object"
		props := Schema{}
		required := []string{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			ps, err := schemaOf(f.Type, f.Tag, depth+1)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Name, err)
			}
			props[name] = ps
			if !slices.Contains(strings.Split(opts, ","), "omitempty") && !slices.Contains(strings.Split(opts, ","), "omitzero") {
				required = append(required, name)
			}
		}
		s["properties"] = props
		s["required"] = required
		s["additionalProperties"] = false
	default:
		return nil, fmt.Errorf("agent: unsupported type %v in schema", t)
	}
	return s, nil
}

func intTag(tag reflect.StructTag, key string, def int) (int, error) {
	v := tag.Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("agent: bad %s tag %q", key, v)
	}
	return n, nil
}

func numTags(s Schema, tag reflect.StructTag) error {
	for _, k := range []string{"minimum", "maximum"} {
		if v := tag.Get(k); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("agent: bad %s tag %q", k, v)
			}
			s[k] = f
		}
	}
	return nil
}

// Validate checks a decoded JSON value (as produced by encoding/json into
// any) against schema and returns one message per problem, each naming the
// path ("$.steps[0].subject"). Nil means valid.
func Validate(schema Schema, v any) []string {
	var p []string
	validate(schema, v, "$", &p)
	return p
}

func validate(s Schema, v any, path string, problems *[]string) {
	bad := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	switch s["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("must be an object, got %s", jsonKind(v))
			return
		}
		props, _ := s["properties"].(Schema)
		req, _ := s["required"].([]string)
		for _, k := range req {
			if _, ok := obj[k]; !ok {
				bad("missing required property %q", k)
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ps, ok := props[k].(Schema)
			if !ok {
				bad("unexpected property %q", k)
				continue
			}
			validate(ps, obj[k], path+"."+k, problems)
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			bad("must be an array, got %s", jsonKind(v))
			return
		}
		if n, ok := s["maxItems"].(int); ok && len(arr) > n {
			bad("has %d items, at most %d allowed", len(arr), n)
		}
		items, _ := s["items"].(Schema)
		for i, e := range arr {
			validate(items, e, fmt.Sprintf("%s[%d]", path, i), problems)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("must be a string, got %s", jsonKind(v))
			return
		}
		if enum, ok := s["enum"].([]string); ok && !slices.Contains(enum, str) {
			bad("must be one of %s, got %q", strings.Join(enum, ", "), str)
		}
		if n, ok := s["maxLength"].(int); ok && utf8.RuneCountInString(str) > n {
			bad("is %d characters long, at most %d allowed", utf8.RuneCountInString(str), n)
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok {
			bad("must be a number, got %s", jsonKind(v))
			return
		}
		if s["type"] == "integer" && f != math.Trunc(f) {
			bad("must be an integer, got %v", f)
		}
		if m, ok := s["minimum"].(float64); ok && f < m {
			bad("must be at least %v, got %v", m, f)
		}
		if m, ok := s["maximum"].(float64); ok && f > m {
			bad("must be at most %v, got %v", m, f)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("must be a boolean, got %s", jsonKind(v))
		}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

// capStrings truncates, in place, every string reachable from v (a pointer
// to a struct) to its field's maxLength tag, or DefaultMaxLength.
func capStrings(v reflect.Value, tag reflect.StructTag) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			capStrings(v.Elem(), tag)
		}
	case reflect.String:
		n, err := intTag(tag, "maxLength", DefaultMaxLength)
		if err == nil && v.CanSet() {
			v.SetString(truncateRunes(v.String(), n))
		}
	case reflect.Slice:
		for i := range v.Len() {
			capStrings(v.Index(i), tag)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				capStrings(v.Field(i), v.Type().Field(i).Tag)
			}
		}
	}
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
