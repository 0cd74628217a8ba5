package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// maxJSONDepth is the deepest nesting checkKeys walks, as encoding/json's own
// limit; no request body of ours comes near it.
const maxJSONDepth = 10_000

// checkKeys walks data, one JSON value, against the type it is decoded into
// and refuses what encoding/json lets through silently: a key given twice in
// one object (it keeps the last value, so a filter and the code behind it
// can read different ones), and a key that names a field only when case is
// ignored ("NAME" for "name"). Both are invalid_json, at any depth. Inside a
// value whose type decodes itself (json.RawMessage, a json.Unmarshaler) only
// duplicates are checked: its own parser knows its keys. Malformed JSON is
// left for the decoder to report.
func checkKeys(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := keyWalker{dec: dec}
	if err := w.value(t, "", 0); err != nil && err != errMalformed {
		return err
	}
	return nil
}

// errMalformed stops the walk at a syntax error, which the decoder then
// reports in its own words.
var errMalformed = apperr.New(apperr.CodeInvalidJSON, "malformed")

type keyWalker struct{ dec *json.Decoder }

func (w keyWalker) value(t reflect.Type, path string, depth int) error {
	if depth > maxJSONDepth {
		return apperr.New(apperr.CodeInvalidJSON, "The request body is nested too deeply.")
	}
	tok, err := w.dec.Token()
	if err != nil {
		return errMalformed
	}
	t = shapeOf(t)
	switch tok {
	case json.Delim('{'):
		return w.object(t, path, depth)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(elem, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
		if _, err := w.dec.Token(); err != nil { // ']'
			return errMalformed
		}
	}
	return nil
}

func (w keyWalker) object(t reflect.Type, path string, depth int) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = fieldsOf(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := make(map[string]bool)
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return errMalformed
		}
		key, _ := tok.(string)
		name := key
		if path != "" {
			name = path + "." + key
		}
		if seen[key] {
			return apperr.New(apperr.CodeInvalidJSON, "Duplicate key %q: send each key once.", shorten(name))
		}
		seen[key] = true
		child := elem
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				return apperr.New(apperr.CodeInvalidJSON, "Unknown field %q.", shorten(name))
			}
			child = ft
		}
		if err := w.value(child, name, depth+1); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // '}'
		return errMalformed
	}
	return nil
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
)

// shapeOf is the type whose keys the walk can check: pointers followed, and
// nil for anything that decodes itself or takes any shape (interface).
func shapeOf(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t == rawMessageType || t.Kind() == reflect.Interface ||
		t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	return t
}

var structFields sync.Map // reflect.Type → map[string]reflect.Type

// fieldsOf maps each JSON key a struct accepts, exactly as spelled, to its
// field's type: the json tag's name, else the Go name; fields of embedded
// structs without a tag name count as the outer struct's.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := structFields.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := make(map[string]reflect.Type)
	addFields(m, t, 0)
	structFields.Store(t, m)
	return m
}

func addFields(m map[string]reflect.Type, t reflect.Type, depth int) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && depth < 8 {
				addFields(m, ft, depth+1)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := m[name]; !taken {
			m[name] = f.Type
		}
	}
}

// shorten keeps a key echoed in a message readable.
func shorten(s string) string {
	const max = 80
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "…"
}
