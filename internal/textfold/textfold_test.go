package textfold

import "testing"

// TestFolds checks each folding function, all string to string, on the
// inputs people type.
func TestFolds(t *testing.T) {
	tests := []struct {
		name  string
		fold  func(string) string
		cases map[string]string
	}{
		{"Latin", Latin, map[string]string{
			"Café Müller":            "cafe muller",
			"JOSÉ GARCÍA":            "jose garcia",
			"O\u2019Brien \u2013 Co": "o'brien - co",
			"Łódź":                   "lodz",
			"Straße":                 "strasse",
			"plain ascii":            "plain ascii",
			"日本":                     "日本",
		}},
		{"Phrase", Phrase, map[string]string{
			"  Heating & Cooling ":  "heating and cooling",
			"Austin, TX":            "austin tx",
			`o"brien (x)`:           "o brien x",
			"Café  Müller":          "café müller",
			"24/7 Plumbing":         "24 7 plumbing",
			" \t ":                  "",
			"plumbing  contractor ": "plumbing contractor",
		}},
		{"Singular", Singular, map[string]string{
			"plumbers":          "plumber",
			"bakeries":          "bakery",
			"businesses":        "business",
			"car washes":        "car wash",
			"benches":           "bench",
			"glass":             "glass",
			"real estate agent": "real estate agent",
			"":                  "",
		}},
	}
	for _, tt := range tests {
		for in, want := range tt.cases {
			if got := tt.fold(in); got != want {
				t.Errorf("%s(%q) = %q, want %q", tt.name, in, got, want)
			}
		}
	}
}
