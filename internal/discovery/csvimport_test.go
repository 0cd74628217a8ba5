package discovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/prospectorhq/prospector/internal/golden"
)

// importResult is what a user learns from an import: the rows kept and the
// summary, as compared against testdata/import/*.golden.json.
type importResult struct {
	Summary ImportSummary `json:"summary"`
	Rows    []ImportRow   `json:"rows"`
}

func TestParseImportGolden(t *testing.T) {
	for _, tc := range []struct {
		file   string
		region string
	}{
		{file: "basic.csv", region: "US"},
		{file: "header_variants.csv", region: "GB"},
		{file: "semicolon.csv", region: "DE"},
		{file: "multiline.csv", region: "US"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			data := golden.Read(t, filepath.Join("import", tc.file))
			got, err := runImport(t, bytes.NewReader(data), ImportOptions{Region: tc.region})
			if err != nil {
				t.Fatalf("ParseImport: %v", err)
			}
			golden.Check(t, filepath.Join("import", strings.TrimSuffix(tc.file, ".csv")+".golden.json"), mustJSON(t, got))

			// The same file read one byte at a time splits every
			// multi-byte character across reads: the result must not
			// change.
			slow, err := runImport(t, iotest.OneByteReader(bytes.NewReader(data)), ImportOptions{Region: tc.region})
			if err != nil {
				t.Fatalf("ParseImport, one byte at a time: %v", err)
			}
			if a, b := mustJSON(t, got), mustJSON(t, slow); a != b {
				t.Errorf("reading one byte at a time changed the result:\n%s\nwant\n%s", b, a)
			}
		})
	}
}

func TestParseImportRefusesFile(t *testing.T) {
	many := "company_name\n" + strings.Repeat("Acme\n", 4)
	for _, tc := range []struct {
		name    string
		input   []byte
		opts    ImportOptions
		want    error
		message string
	}{
		{name: "empty file", input: golden.Read(t, "import/empty.csv"), want: ErrNotCSV, message: "empty"},
		{name: "only blank lines", input: golden.Read(t, "import/blank_lines.csv"), want: ErrNotCSV, message: "no header"},
		{name: "no company_name column", input: golden.Read(t, "import/missing_column.csv"), want: ErrMissingColumn, message: "company_name"},
		{name: "bare quote", input: golden.Read(t, "import/malformed.csv"), want: ErrMalformedCSV, message: "line 3"},
		{name: "spreadsheet (zip) bytes", input: []byte("PK\x03\x04\x14\x00\x06\x00company_name"), want: ErrNotCSV, message: "binary"},
		{name: "UTF-16 text", input: []byte("\xff\xfec\x00o\x00m\x00p\x00"), want: ErrNotCSV, message: "binary"},
		{name: "Latin-1 text", input: []byte("company_name\nCaf\xe9 Roma\n"), want: ErrNotCSV, message: "UTF-8"},
		{name: "NUL far into the file", input: []byte(strings.Repeat("company_name\n", 1) + strings.Repeat("Acme\n", 20000) + "Ac\x00me\n"), want: ErrNotCSV, message: "binary"},
		{name: "character cut at the end", input: []byte("company_name\nCaf\xc3"), want: ErrNotCSV, message: "UTF-8"},
		{name: "more rows than allowed", input: []byte(many), opts: ImportOptions{MaxRows: 3}, want: ErrTooManyRows, message: "more than 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := runImport(t, bytes.NewReader(tc.input), tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not tell the user %q", err, tc.message)
			}
		})
	}
}

func TestParseImportRowLimitCountsDataRowsOnly(t *testing.T) {
	// Exactly MaxRows data rows, with blank lines around them, is allowed.
	input := "company_name\n\nA\n,\nB\n\nC\n\n"
	got, err := runImport(t, strings.NewReader(input), ImportOptions{MaxRows: 3})
	if err != nil {
		t.Fatalf("ParseImport: %v", err)
	}
	var rows []string
	for _, r := range got.Rows {
		rows = append(rows, fmt.Sprintf("%d:%s", r.Row, r.CompanyName))
	}
	if want := "2:A 4:B 6:C"; strings.Join(rows, " ") != want {
		t.Errorf("rows = %v, want %s (numbered by line after the header)", rows, want)
	}
}

func TestParseImportStopsOnCancelAndEmitError(t *testing.T) {
	input := "company_name\nA\nB\nC\n"
	stop := errors.New("database is gone")
	for _, tc := range []struct {
		name string
		// after is called by emit with the number of rows emitted so far.
		after func(cancel context.CancelFunc, n int) error
		want  error
	}{
		{name: "context cancelled", after: func(cancel context.CancelFunc, n int) error { cancel(); return nil }, want: context.Canceled},
		{name: "emit fails", after: func(context.CancelFunc, int) error { return stop }, want: stop},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			n := 0
			sum, err := ParseImport(ctx, strings.NewReader(input), ImportOptions{}, func(ImportRow) error {
				n++
				return tc.after(cancel, n)
			})
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			if n != 1 {
				t.Errorf("emit called %d times, want 1: the import must stop at once", n)
			}
			if tc.want == context.Canceled && sum.Accepted != 1 {
				t.Errorf("Accepted = %d, want 1", sum.Accepted)
			}
		})
	}
}

func TestImportRowBusinessDedupsAgainstListings(t *testing.T) {
	data := golden.Read(t, "import/basic.csv")
	got, err := runImport(t, bytes.NewReader(data), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeduper()
	d.Seed(Business{Name: "Joes Plumbing", Website: "https://joesplumbing.com", Source: "google_maps", SourceID: "g1"})
	i, merged := d.Add(got.Rows[0].Business())
	if !merged || i != 0 {
		t.Fatalf("imported %q was not recognised as the Google listing (index %d, merged %v)", got.Rows[0].CompanyName, i, merged)
	}
	if s := d.Business(0).Sources; strings.Join(s, ",") != "google_maps,manual" {
		t.Errorf("Sources = %v, want google_maps and manual", s)
	}
}

func runImport(t *testing.T, r io.Reader, opts ImportOptions) (importResult, error) {
	t.Helper()
	res := importResult{Rows: []ImportRow{}}
	sum, err := ParseImport(t.Context(), r, opts, func(row ImportRow) error {
		res.Rows = append(res.Rows, row)
		return nil
	})
	res.Summary = sum
	if err == nil && sum.Accepted != len(res.Rows) {
		t.Errorf("Accepted = %d, but %d rows were emitted", sum.Accepted, len(res.Rows))
	}
	return res, err
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// BenchmarkParseImport parses a generated file of DefaultMaxImportRows rows
// shaped like a CRM export: every column filled, phones and websites in the
// usual mix of spellings.
func BenchmarkParseImport(b *testing.B) {
	for _, region := range []string{"US", "GB"} {
		b.Run(region, func(b *testing.B) {
			data := generateImport(DefaultMaxImportRows, region)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sum, err := ParseImport(b.Context(), bytes.NewReader(data), ImportOptions{Region: region}, func(ImportRow) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				if sum.Accepted != DefaultMaxImportRows {
					b.Fatalf("accepted %d rows, want %d (rejected: %v)", sum.Accepted, DefaultMaxImportRows, sum.Rejected[:min(3, len(sum.Rejected))])
				}
			}
			b.ReportMetric(float64(DefaultMaxImportRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func generateImport(rows int, region string) []byte {
	phones := []string{"(512) 555-%04d", "512-555-%04d", "+1 512.555.%04d", "512 555 %04d"}
	if region == "GB" {
		phones = []string{"020 7946 %04d", "+44 20 7946 %04d", "(020) 7946 %04d", "0044 20 7946 %04d"}
	}
	websites := []string{"www.acme%d.com", "https://acme%d.com/", "http://www.Acme%d.co.uk/about/", "acme%d.net"}
	var buf bytes.Buffer
	buf.WriteString("company_name,website,phone,address,city,state,zip,email,first_name,last_name,title\n")
	for i := range rows {
		fmt.Fprintf(&buf, "Acme Services %d LLC,", i)
		fmt.Fprintf(&buf, websites[i%len(websites)]+",", i)
		fmt.Fprintf(&buf, phones[i%len(phones)]+",", i%10000)
		fmt.Fprintf(&buf, "%d Congress Ave Ste %d,Austin,TX,787%02d,", 100+i, i%300, i%100)
		fmt.Fprintf(&buf, "Owner%d@Acme%d.com,Jane,Doe,Owner\n", i, i)
	}
	return buf.Bytes()
}
