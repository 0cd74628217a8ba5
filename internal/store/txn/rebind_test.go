package txn

import (
	"reflect"
	"testing"
)

func TestRebind(t *testing.T) {
	tests := []struct {
		query    string
		args     []any
		want     string
		wantArgs []any
	}{
		{"SELECT 1", nil, "SELECT 1", nil},
		{"a = $1 AND b = $2", []any{"x", "y"}, "a = ? AND b = ?", []any{"x", "y"}},
		{"VALUES ($2, $1, $2)", []any{"one", "two"}, "VALUES (?, ?, ?)", []any{"two", "one", "two"}},
		{"x = $10", []any{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "x = ?", []any{10}},
		{"price LIKE '$' || $1", []any{"a"}, "price LIKE '$' || ?", []any{"a"}},
	}
	for _, tt := range tests {
		got, gotArgs := rebind(tt.query, tt.args)
		if got != tt.want || !reflect.DeepEqual(gotArgs, tt.wantArgs) && len(tt.wantArgs) > 0 {
			t.Errorf("rebind(%q) = %q %v, want %q %v", tt.query, got, gotArgs, tt.want, tt.wantArgs)
		}
	}
}
