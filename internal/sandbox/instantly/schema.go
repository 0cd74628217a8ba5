package instantly

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A small JSON-schema checker for the bodies Instantly documents. Instantly
// validates with Fastify (Ajv): the first failure answers 400 with a
// message naming the path, "body/campaign_schedule must have required
// property 'schedules'". The fake says the same, naming the unknown
// property too, which Ajv leaves out.

// check validates one decoded JSON value at path.
type check func(path string, v any) error

type invalidBody struct{ msg string }

func (e invalidBody) Error() string { return e.msg }

func failf(format string, args ...any) error { return invalidBody{fmt.Sprintf(format, args...)} }

// prop is one property of an object schema.
type prop struct {
	name     string
	required bool
	check    check
}

func req(name string, c check) prop { return prop{name: name, required: true, check: c} }
func opt(name string, c check) prop { return prop{name: name, check: c} }

// object accepts an object with only props (additionalProperties: false).
func object(props ...prop) check {
	return func(path string, v any) error {
		m, ok := v.(map[string]any)
		if !ok {
			return failf("%s must be object", path)
		}
		for _, p := range props {
			if _, ok := m[p.name]; !ok && p.required {
				return failf("%s must have required property '%s'", path, p.name)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			i := slices.IndexFunc(props, func(p prop) bool { return p.name == k })
			if i < 0 {
				return failf("%s must NOT have additional properties: '%s'", path, k)
			}
			if err := props[i].check(path+"/"+k, m[k]); err != nil {
				return err
			}
		}
		return nil
	}
}

// mapOf accepts an object whose keys match keyRE, each value checked by c,
// with at least minProps properties.
func mapOf(keyRE *regexp.Regexp, minProps int, c check) check {
	return func(path string, v any) error {
		m, ok := v.(map[string]any)
		if !ok {
			return failf("%s must be object", path)
		}
		if len(m) < minProps {
			return failf("%s must NOT have fewer than %d properties", path, minProps)
		}
		for k, val := range m {
			if keyRE != nil && !keyRE.MatchString(k) {
				return failf("%s must NOT have additional properties: '%s'", path, k)
			}
			if err := c(path+"/"+k, val); err != nil {
				return err
			}
		}
		return nil
	}
}

func array(minItems, maxItems int, item check) check {
	return func(path string, v any) error {
		a, ok := v.([]any)
		if !ok {
			return failf("%s must be array", path)
		}
		if len(a) < minItems {
			return failf("%s must NOT have fewer than %d items", path, minItems)
		}
		if maxItems > 0 && len(a) > maxItems {
			return failf("%s must NOT have more than %d items", path, maxItems)
		}
		for i, x := range a {
			if err := item(fmt.Sprintf("%s/%d", path, i), x); err != nil {
				return err
			}
		}
		return nil
	}
}

func str(path string, v any) error {
	if _, ok := v.(string); !ok {
		return failf("%s must be string", path)
	}
	return nil
}

func pattern(re *regexp.Regexp) check {
	return func(path string, v any) error {
		s, ok := v.(string)
		if !ok {
			return failf("%s must be string", path)
		}
		if !re.MatchString(s) {
			return failf(`%s must match pattern "%s"`, path, re.String())
		}
		return nil
	}
}

func enum(values ...string) check {
	return func(path string, v any) error {
		s, ok := v.(string)
		if !ok || !slices.Contains(values, s) {
			return failf("%s must be equal to one of the allowed values", path)
		}
		return nil
	}
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func email(path string, v any) error {
	s, ok := v.(string)
	if !ok {
		return failf("%s must be string", path)
	}
	if !emailRE.MatchString(s) {
		return failf(`%s must match format "email"`, path)
	}
	return nil
}

func boolean(path string, v any) error {
	if _, ok := v.(bool); !ok {
		return failf("%s must be boolean", path)
	}
	return nil
}

func number(path string, v any) error {
	if _, ok := v.(json.Number); !ok {
		return failf("%s must be number", path)
	}
	return nil
}

// integer accepts a whole number in [lo, hi].
func integer(lo, hi int64) check {
	return func(path string, v any) error {
		n, ok := v.(json.Number)
		if !ok {
			return failf("%s must be integer", path)
		}
		i, err := n.Int64()
		if err != nil {
			return failf("%s must be integer", path)
		}
		if i < lo {
			return failf("%s must be >= %d", path, lo)
		}
		if i > hi {
			return failf("%s must be <= %d", path, hi)
		}
		return nil
	}
}

// nullable lets null through c.
func nullable(c check) check {
	return func(path string, v any) error {
		if v == nil {
			return nil
		}
		return c(path, v)
	}
}

// scalar is what custom_variables values may be: string, number, boolean
// or null, never an object or an array.
func scalar(path string, v any) error {
	switch v.(type) {
	case nil, string, bool, json.Number:
		return nil
	}
	return failf("%s must be string,number,boolean,null", path)
}

func anything(string, any) error { return nil }

// uuid accepts Instantly's ids.
var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func uuid(path string, v any) error {
	s, ok := v.(string)
	if !ok || !uuidRE.MatchString(strings.ToLower(s)) {
		return failf(`%s must match format "uuid"`, path)
	}
	return nil
}
