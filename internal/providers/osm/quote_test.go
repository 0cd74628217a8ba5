package osm

import "testing"

func TestQLQuoting(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`back\slash`, `"back\\slash"`},
		{"two\nlines", `"two\nlines"`},
	}
	for _, tt := range tests {
		if got := qlString(tt.in); got != tt.want {
			t.Errorf("qlString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	// Regex metacharacters are escaped for the regex, then the backslashes
	// for the QL string.
	if got, want := nameSelector([]string{"a.b", "c+"}), `["name"~"a\\.b|c\\+",i]`; got != want {
		t.Errorf("nameSelector = %s, want %s", got, want)
	}
}
