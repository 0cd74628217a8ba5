package discovery

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// Issue 9: a cell had no length limit (a 5,000,000-character company name
// was stored as is, and on PostgreSQL a long email or phone overflowed its
// index) and a control character in a cell was stored. Each column now has
// a maximum, and a row breaking it or holding a control character is
// rejected with its reason while the rest of the file imports.
func TestParseImportRejectsOverlongCellsAndControlCharacters(t *testing.T) {
	valid := map[string]string{
		"company_name": "Joe's Plumbing", "website": "joesplumbing.example", "phone": "+15125550100",
		"address": "12 Oak St", "city": "Austin", "state": "TX", "zip": "78701",
		"email": "joe@joesplumbing.example", "first_name": "Joe", "last_name": "Smith", "title": "Owner",
	}
	long := func(col string, n int) string {
		switch col {
		case "website":
			return "https://joesplumbing.example/" + strings.Repeat("p", n-len("https://joesplumbing.example/"))
		case "email":
			return emailOfLength(n)
		case "phone":
			return "+1 " + strings.Repeat("5", n-3)
		}
		return strings.Repeat("é", n) // multi-byte: the limit counts characters
	}
	type tc struct {
		name   string
		col    string
		value  string
		reason string // "" when the row is accepted
	}
	var cases []tc
	for c, col := range importColumns {
		max := ColumnMaxChars[c]
		cases = append(cases,
			tc{col + " at its limit", col, long(col, max), ""},
			tc{col + " one over", col, long(col, max+1), col + " must be at most " + strconv.Itoa(max) + " characters"},
			tc{col + " with an escape", col, valid[col][:2] + "\x1b" + valid[col][2:], col + " must not contain control characters"},
		)
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w := csv.NewWriter(&b)
			header := importColumns[:]
			rec := make([]string, len(header))
			for i, col := range header {
				rec[i] = valid[col]
				if col == tt.col {
					rec[i] = tt.value
				}
			}
			_ = w.Write(header)
			_ = w.Write(rec)
			_ = w.Write([]string{"Next Row Inc"}) // the rest of the file still imports
			w.Flush()
			got, err := runImport(t, strings.NewReader(b.String()), ImportOptions{})
			if err != nil {
				t.Fatalf("ParseImport: %v", err)
			}
			var reasons []string
			for _, r := range got.Summary.Rejected {
				reasons = append(reasons, r.Reason)
			}
			switch {
			case tt.reason == "" && (len(reasons) != 0 || len(got.Rows) != 2):
				t.Errorf("rejected %q, imported %d rows; want both rows imported", reasons, len(got.Rows))
			case tt.reason != "" && (len(reasons) != 1 || reasons[0] != tt.reason || len(got.Rows) != 1):
				t.Errorf("rejected %q, imported %d rows; want the row rejected for %q and the next imported", reasons, len(got.Rows), tt.reason)
			}
		})
	}
}

func TestParseImportRejectsAHugeCellQuickly(t *testing.T) {
	input := "company_name,city\n\"" + strings.Repeat("Plumbing ", 5_000_000/9) + "\",Austin\nJoe's,Austin\n"
	got, err := runImport(t, strings.NewReader(input), ImportOptions{})
	if err != nil {
		t.Fatalf("ParseImport: %v", err)
	}
	if len(got.Rows) != 1 || len(got.Summary.Rejected) != 1 || got.Summary.Rejected[0].Reason != "company_name must be at most 200 characters" {
		t.Errorf("rows %d, rejected %+v; want the 5 MB name rejected and the next row imported", len(got.Rows), got.Summary.Rejected)
	}
}

func TestJoinLinesPutsACellOnOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"12 Oak St\nSuite 4":         "12 Oak St Suite 4",
		"12 Oak St \r\n\r\n Suite 4": "12 Oak St Suite 4",
		"one line":                   "one line",
		"tab\tkept":                  "tab\tkept",
	} {
		if got := joinLines(in); got != want {
			t.Errorf("joinLines(%q) = %q, want %q", in, got, want)
		}
	}
}

// emailOfLength is a valid address of n characters (n > 70): a 64-character
// local part and a domain of labels no longer than DNS allows.
func emailOfLength(n int) string {
	var labels []string
	for rest := n - len("@.com") - 64; rest > 0; rest -= 63 {
		labels = append(labels, strings.Repeat("d", min(rest, 62)))
	}
	return strings.Repeat("j", 64) + "@" + strings.Join(labels, ".") + ".com"
}
