package prospect_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// recorder is a CSVTarget that notes when Begin and Flush ran, in bytes
// written so far.
type recorder struct {
	buf     bytes.Buffer
	begunAt []int
	flushes []int
}

func (r *recorder) target() prospect.CSVTarget {
	return prospect.CSVTarget{W: &r.buf,
		Begin: func() { r.begunAt = append(r.begunAt, r.buf.Len()) },
		Flush: func() { r.flushes = append(r.flushes, r.buf.Len()) }}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v\n%s", err, b)
	}
	return rows
}

const exportHeader = "id,campaign_id,company_name,website,phone,address,city,state,zip,source,status,tier,overall_score," +
	"tier_reason,contact_first_name,contact_last_name,contact_title,contact_email,contact_email_status,discovered_at"

func TestExportCSVDefusesCellsAndKeepsNumbers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		var hostile string
		err := f.st.Write(ctx, f.user, func(tx *store.Tx) error {
			ids, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: f.campaignID, CompanyName: `=HYPERLINK("http://evil.test")`,
				Phone: ptr("+15125550142"), Address: ptr("-1 Main St"), City: ptr("@Austin"), State: ptr("+TX"), Zip: ptr("\t78701"),
				Source: "manual", SourceID: "3", Contact: &store.NewContact{FirstName: ptr("+Maria"), Email: ptr("m@x.test"),
					IsPrimary: true, Source: "manual"}}})
			hostile = ids[0]
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var phoneLike string
		err = f.st.Write(ctx, f.user, func(tx *store.Tx) error {
			ids, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: f.campaignID, CompanyName: "Plain Pipes",
				Phone: ptr("+1 512 555 0142"), Source: "manual", SourceID: "4"}})
			phoneLike = ids[0]
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		var r recorder
		done, err := f.svc.ExportCSV(ctx, f.user, store.ProspectFilter{}, r.target())
		if err != nil || !done.Begun || done.Rows != 4 {
			t.Fatalf("export = %+v, %v; want 4 rows", done, err)
		}
		if len(r.begunAt) != 1 || r.begunAt[0] != 0 || len(r.flushes) != 0 {
			t.Errorf("Begin ran at %v, Flush at %v; want Begin once before any byte, no Flush under 500 rows", r.begunAt, r.flushes)
		}
		if line, _, _ := strings.Cut(r.buf.String(), "\n"); line != exportHeader {
			t.Errorf("header = %q", line)
		}
		rows := readCSV(t, r.buf.Bytes())
		byID := map[string][]string{}
		for _, row := range rows[1:] {
			byID[row[0]] = row
		}
		tests := []struct {
			name, id string
			column   int
			want     string
		}{
			{"formula name", hostile, 2, `'=HYPERLINK("http://evil.test")`},
			{"E.164 phone kept", hostile, 4, "+15125550142"},
			{"minus", hostile, 5, "'-1 Main St"},
			{"at", hostile, 6, "'@Austin"},
			{"plus", hostile, 7, "'+TX"},
			{"tab", hostile, 8, "'\t78701"},
			{"contact", hostile, 14, "'+Maria"},
			{"phone-like text defused", phoneLike, 4, "'+1 512 555 0142"},
			{"score", f.full, 12, "82"},
			{"tier", f.full, 11, "A"},
			{"tier reason", f.full, 13, "old site"},
			{"contact email", f.full, 17, "maria@acme.test"},
			{"no score", f.bare, 12, ""},
			{"no website", f.bare, 3, ""},
		}
		for _, tc := range tests {
			row, ok := byID[tc.id]
			if !ok {
				t.Fatalf("no row for %s in\n%s", tc.id, r.buf.String())
			}
			if row[tc.column] != tc.want {
				t.Errorf("%s: %s = %q, want %q", tc.name, rows[0][tc.column], row[tc.column], tc.want)
			}
		}
	})
}

func TestExportCSVOfNothingIsTheHeaderAlone(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		for name, user := range map[string]string{"another user": f.other, "no match": f.user} {
			t.Run(name, func(t *testing.T) {
				var r recorder
				filter := store.ProspectFilter{}
				if user == f.user {
					filter.Status = store.ProspectContacted
				}
				done, err := f.svc.ExportCSV(ctx, user, filter, r.target())
				if err != nil || !done.Begun || done.Rows != 0 || len(r.begunAt) != 1 {
					t.Fatalf("export = %+v, %v, Begin ran %d times", done, err, len(r.begunAt))
				}
				if got := r.buf.String(); got != exportHeader+"\n" {
					t.Errorf("export = %q, want the header line alone", got)
				}
			})
		}
	})
}

func TestExportCSVFlushesAsItGoes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		batch := make([]store.NewProspect, 1000)
		for i := range batch {
			batch[i] = store.NewProspect{CampaignID: f.campaignID, CompanyName: "Shop " + strconv.Itoa(i), Source: "manual",
				SourceID: "bulk-" + strconv.Itoa(i)}
		}
		err := f.st.Write(ctx, f.user, func(tx *store.Tx) error {
			_, err := tx.InsertProspects(ctx, batch)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var r recorder
		done, err := f.svc.ExportCSV(ctx, f.user, store.ProspectFilter{}, r.target())
		if err != nil || done.Rows != 1002 {
			t.Fatalf("export = %+v, %v; want 1002 rows", done, err)
		}
		if len(r.flushes) != 2 || r.flushes[0] == 0 || r.flushes[1] <= r.flushes[0] {
			t.Errorf("flushed at %v bytes, want twice (500 and 1000 rows) with rows written each time", r.flushes)
		}
		if rows := readCSV(t, r.buf.Bytes()); len(rows) != 1003 {
			t.Errorf("export has %d lines, want the header and 1002 rows", len(rows))
		}
	})
}

func TestExportCSVFailingBeforeTheFirstRowWritesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var r recorder
		done, err := f.svc.ExportCSV(ctx, f.user, store.ProspectFilter{}, r.target())
		if err == nil || done.Begun || r.buf.Len() != 0 || len(r.begunAt) != 0 {
			t.Errorf("export on a cancelled context = %+v, %v, wrote %q; want an error before Begin", done, err, r.buf.String())
		}
	})
}
