package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
)

type keysInner struct {
	Subject string `json:"subject"`
}

type keysEmbedded struct {
	Note string `json:"note"`
}

type keysOuter struct {
	keysEmbedded
	Name     *string           `json:"name"`
	Untagged int               // key "Untagged"
	Skipped  string            `json:"-"`
	Steps    []keysInner       `json:"steps"`
	One      *keysInner        `json:"one"`
	Labels   map[string]string `json:"labels"`
	Raw      json.RawMessage   `json:"raw"`
	Any      any               `json:"any"`
}

func TestCheckKeys(t *testing.T) {
	typ := reflect.TypeOf(&keysOuter{})
	cases := []struct {
		name, body string
		want       string // "" for accepted, else a fragment of the message
	}{
		{"exact keys", `{"name":"a","Untagged":1,"note":"n","steps":[{"subject":"s"}],"one":{"subject":"s"},"labels":{"A":"x","a":"y"},"raw":{"k":1},"any":{"K":1}}`, ""},
		{"null and empty", `{"name":null,"one":null,"steps":[],"labels":{}}`, ""},
		{"key in another case", `{"NAME":"a"}`, `Unknown field "NAME"`},
		{"Go name of a tagged field", `{"Name":"a"}`, `Unknown field "Name"`},
		{"untagged field in another case", `{"untagged":1}`, `Unknown field "untagged"`},
		{"skipped field", `{"Skipped":"x"}`, `Unknown field "Skipped"`},
		{"embedded field in another case", `{"Note":"n"}`, `Unknown field "Note"`},
		{"nested key in another case", `{"steps":[{"subject":"s"},{"SUBJECT":"s"}]}`, `Unknown field "steps[1].SUBJECT"`},
		{"duplicate key", `{"name":"a","name":"b"}`, `Duplicate key "name"`},
		{"duplicate in a nested struct", `{"one":{"subject":"a","subject":"b"}}`, `Duplicate key "one.subject"`},
		{"duplicate in a list item", `{"steps":[{"subject":"a","subject":"b"}]}`, `Duplicate key "steps[0].subject"`},
		{"duplicate in a map", `{"labels":{"a":"x","a":"y"}}`, `Duplicate key "labels.a"`},
		{"duplicate inside raw JSON", `{"raw":{"max":1,"deep":[{"k":1,"k":2}]}}`, `Duplicate key "raw.deep[0].k"`},
		{"duplicate inside any", `{"any":{"k":1,"k":2}}`, `Duplicate key "any.k"`},
		{"same key in two objects is fine", `{"steps":[{"subject":"a"},{"subject":"b"}]}`, ""},
		{"malformed is left to the decoder", `{"name":`, ""},
		{"not an object is left to the decoder", `[1,2]`, ""},
	}
	for _, c := range cases {
		err := checkKeys([]byte(c.body), typ)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want accepted", c.name, err)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.CodeInvalidJSON || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s: %v, want invalid_json saying %s", c.name, err, c.want)
		}
	}
}

func TestCheckKeysRefusesNestingPastTheLimit(t *testing.T) {
	body := strings.Repeat(`{"any":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1)
	if err := checkKeys([]byte(body), reflect.TypeOf(&keysOuter{})); apperr.CodeOf(err) != apperr.CodeInvalidJSON {
		t.Errorf("nesting past %d: %v, want invalid_json", maxJSONDepth, err)
	}
}
