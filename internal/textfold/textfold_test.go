package textfold

import "testing"

func TestLatin(t *testing.T) {
	tests := map[string]string{
		"Café Müller":            "cafe muller",
		"JOSÉ GARCÍA":            "jose garcia",
		"O\u2019Brien \u2013 Co": "o'brien - co",
		"Łódź":                   "lodz",
		"Straße":                 "strasse",
		"plain ascii":            "plain ascii",
		"日本":                     "日本",
	}
	for in, want := range tests {
		if got := Latin(in); got != want {
			t.Errorf("Latin(%q) = %q, want %q", in, got, want)
		}
	}
}
