package agent

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

type step struct {
	Subject string `json:"subject" maxLength:"80"`
	Body    string `json:"body"`
}

type sample struct {
	Name   string   `json:"name" maxLength:"10" desc:"Company name."`
	Tier   string   `json:"tier" enum:"A,B,C"`
	Score  int      `json:"score" minimum:"0" maximum:"100"`
	Ratio  float64  `json:"ratio,omitempty"`
	OK     bool     `json:"ok"`
	Tags   []string `json:"tags,omitempty" maxItems:"2" maxLength:"5"`
	Steps  []step   `json:"steps" maxItems:"3"`
	Hidden string   `json:"-"`
	secret string
}

func TestSchemaOf(t *testing.T) {
	s, err := SchemaOf(&sample{})
	if err != nil {
		t.Fatal(err)
	}
	props := s["properties"].(Schema)
	tests := []struct {
		path string
		got  any
		want any
	}{
		{"type", s["type"], "object"},
		{"required", s["required"], []string{"name", "tier", "score", "ok", "steps"}},
		{"additionalProperties", s["additionalProperties"], false},
		{"name", props["name"], Schema{"type": "string", "maxLength": 10, "description": "Company name."}},
		{"tier", props["tier"], Schema{"type": "string", "enum": []string{"A", "B", "C"}}},
		{"score", props["score"], Schema{"type": "integer", "minimum": 0.0, "maximum": 100.0}},
		{"ratio", props["ratio"], Schema{"type": "number"}},
		{"ok", props["ok"], Schema{"type": "boolean"}},
		{"tags", props["tags"], Schema{"type": "array", "maxItems": 2, "items": Schema{"type": "string", "maxLength": 5}}},
		{"steps.items.subject", props["steps"].(Schema)["items"].(Schema)["properties"].(Schema)["subject"], Schema{"type": "string", "maxLength": 80}},
		{"steps.items.body", props["steps"].(Schema)["items"].(Schema)["properties"].(Schema)["body"], Schema{"type": "string", "maxLength": DefaultMaxLength}},
		{"hidden", props["Hidden"] == nil && props["secret"] == nil && len(props) == 7, true},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.path, tt.got, tt.want)
		}
	}
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("schema does not marshal: %v", err)
	}
}

func TestSchemaOfRejects(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{"not a struct", "x"},
		{"nil", nil},
		{"map field", struct {
			M map[string]int `json:"m"`
		}{}},
		{"bad maxLength", struct {
			S string `json:"s" maxLength:"ten"`
		}{}},
		{"bad minimum", struct {
			N int `json:"n" minimum:"low"`
		}{}},
	}
	for _, tt := range tests {
		if _, err := SchemaOf(tt.v); err == nil {
			t.Errorf("%s: want an error", tt.name)
		}
	}
}

func TestValidate(t *testing.T) {
	s, err := SchemaOf(sample{})
	if err != nil {
		t.Fatal(err)
	}
	valid := `{"name":"Acme","tier":"A","score":50,"ok":true,"steps":[{"subject":"Hi","body":"Hello"}]}`
	tests := []struct {
		name string
		json string
		want []string // substrings, one per expected problem
	}{
		{"valid", valid, nil},
		{"valid with optionals", `{"name":"Acme","tier":"C","score":0,"ratio":0.5,"ok":false,"tags":["a","bb"],"steps":[]}`, nil},
		{"missing required", `{"name":"Acme","tier":"A","score":1,"ok":true}`, []string{`$: missing required property "steps"`}},
		{"wrong types", `{"name":42,"tier":"A","score":"5","ok":"yes","steps":{}}`, []string{"$.name: must be a string", "$.ok: must be a boolean", "$.score: must be a number", "$.steps: must be an array"}},
		{"enum", strings.Replace(valid, `"A"`, `"Z"`, 1), []string{"$.tier: must be one of A, B, C"}},
		{"maxLength", strings.Replace(valid, `"Acme"`, `"Acme Plumbing Co"`, 1), []string{"$.name: is 16 characters long, at most 10"}},
		{"maxLength counts runes", strings.Replace(valid, `"Acme"`, `"ééééééééé"`, 1), nil},
		{"maxItems and item length", strings.Replace(valid, `"ok":true`, `"ok":true,"tags":["a","b","toolong"]`, 1), []string{"$.tags: has 3 items, at most 2", "$.tags[2]: is 7 characters long"}},
		{"integer bounds", strings.Replace(valid, `"score":50`, `"score":101.5`, 1), []string{"$.score: must be an integer", "$.score: must be at most 100"}},
		{"nested", strings.Replace(valid, `"subject":"Hi"`, `"subject":7`, 1), []string{"$.steps[0].subject: must be a string"}},
		{"unexpected property", strings.Replace(valid, `"ok":true`, `"ok":true,"extra":1`, 1), []string{`$: unexpected property "extra"`}},
		{"not an object", `[1]`, []string{"$: must be an object, got array"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.json), &v); err != nil {
				t.Fatal(err)
			}
			got := Validate(s, v)
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestCapStrings(t *testing.T) {
	v := sample{Name: "abcdefghijklmnop", Tags: []string{"abcdefgh"}, Steps: []step{{Subject: strings.Repeat("x", 100), Body: strings.Repeat("é", DefaultMaxLength+5)}}}
	capStrings(reflect.ValueOf(&v), "")
	if v.Name != "abcdefghij" || v.Tags[0] != "abcde" || len(v.Steps[0].Subject) != 80 || len([]rune(v.Steps[0].Body)) != DefaultMaxLength {
		t.Errorf("capped = %+v", v)
	}
}

func TestPrompts(t *testing.T) {
	for _, name := range []string{"guard", "research", "sequence"} {
		p, err := LoadPrompt(name)
		if err != nil || p.Version == "" || p.Text == "" || strings.HasPrefix(p.Text, "version:") {
			t.Errorf("%s: %+v, %v", name, p, err)
		}
		id, text := splitSystem(p.System())
		if id != p.ID() || text != p.Text {
			t.Errorf("%s: split = %q, %q", name, id, text)
		}
	}
	if _, err := LoadPrompt("nope"); err == nil {
		t.Error("missing prompt: want an error")
	}
	if id, text := splitSystem("plain system"); id != "" || text != "plain system" {
		t.Errorf("plain: %q %q", id, text)
	}
}

func TestPriceOf(t *testing.T) {
	tests := []struct {
		model string
		want  Price
	}{
		{DefaultWriterModel, PriceSonnet},
		{DefaultAnalystModel, PriceHaiku},
		{"claude-haiku-4-5-20251001", PriceHaiku},
		{"claude-opus-4-6", PriceOpus},
		{"something-new", PriceSonnet},
	}
	for _, tt := range tests {
		if got := PriceOf(tt.model); got != tt.want {
			t.Errorf("PriceOf(%q) = %v, want %v", tt.model, got, tt.want)
		}
	}
	if got := Cost(DefaultWriterModel, 1_000_000, 100_000); got != 4.5 {
		t.Errorf("Cost = %v, want 4.5", got)
	}
}
