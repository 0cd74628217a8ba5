package privacy

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
)

// Target is where Export writes the zip.
type Target struct {
	W io.Writer
	// Begin runs once, before anything is written to W: until then a
	// failure can still be answered some other way.
	Begin func()
	// Flush, when set, runs now and then, to push what was written on to
	// the client.
	Flush func()
}

// Exported says how far an export got.
type Exported struct {
	// Rows counts the rows written per file.
	Rows  map[string]int
	Begun bool
}

// flushRows is how many rows go out between flushes.
const flushRows = 500

// manifestName is the file that describes the export, written last.
const manifestName = "export.json"

// manifest describes an export: what each file holds and what was left out.
type manifest struct {
	UserID     string            `json:"user_id"`
	ExportedAt time.Time         `json:"exported_at"`
	Files      map[string]int    `json:"files"`
	Excluded   map[string]string `json:"excluded"`
	Note       string            `json:"note"`
}

const manifestNote = "One JSON file per table: an array of the account's rows, one object per row, columns as in the " +
	"database. prospects.csv is the prospect export (one row per prospect with its primary contact and score). " +
	"Passwords, sealed keys and hashes of secrets are left out."

// Export writes everything userID's account holds to t as a zip: one JSON
// file per table (an array of rows, secret columns left out), the prospects
// also as CSV, and export.json describing it. It is streamed, one row at a
// time, so memory stays flat for any size of account. The tables are read
// in one transaction, so they agree with each other.
func (s *Service) Export(ctx context.Context, userID string, t Target) (Exported, error) {
	done := Exported{Rows: map[string]int{}}
	var tables []string
	if err := records(s.store).Read(ctx, userID, func(tx Records) error {
		var err error
		tables, err = tx.TenantTables(ctx)
		return err
	}); err != nil {
		return done, fmt.Errorf("export: %w", err)
	}
	done.Begun = true
	if t.Begin != nil {
		t.Begin()
	}
	zw := zip.NewWriter(t.W)
	flush := func() {
		_ = zw.Flush()
		if t.Flush != nil {
			t.Flush()
		}
	}
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		for _, table := range exportedTables(tables) {
			n, err := writeTable(ctx, tx, zw, table, flush)
			if err != nil {
				return err
			}
			done.Rows[table+".json"] = n
		}
		return nil
	})
	if err != nil {
		return done, fmt.Errorf("export: %w", err)
	}
	csvFile, err := zw.Create("prospects.csv")
	if err != nil {
		return done, fmt.Errorf("export: %w", err)
	}
	csvDone, err := s.prospects.ExportCSV(ctx, userID, store.ProspectFilter{}, prospect.CSVTarget{W: csvFile, Flush: flush})
	if err != nil {
		return done, fmt.Errorf("export prospects csv: %w", err)
	}
	done.Rows["prospects.csv"] = csvDone.Rows
	m := manifest{UserID: userID, ExportedAt: time.Now().UTC(), Files: done.Rows, Excluded: map[string]string{}, Note: manifestNote}
	for _, table := range tables {
		if why := rules[table].excluded; why != "" {
			m.Excluded[table] = why
		}
	}
	m.Excluded[accountstore.TableUsers] = rules[accountstore.TableUsers].excluded
	mf, err := zw.Create(manifestName)
	if err != nil {
		return done, fmt.Errorf("export: %w", err)
	}
	enc := json.NewEncoder(mf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return done, fmt.Errorf("export: %w", err)
	}
	if err := zw.Close(); err != nil {
		return done, fmt.Errorf("export: %w", err)
	}
	return done, nil
}

// writeTable writes table's rows of the tenant as a JSON array into a new
// file of zw, columns in the table's order, secret ones left out.
func writeTable(ctx context.Context, tx Records, zw *zip.Writer, table string, flush func()) (int, error) {
	f, err := zw.Create(table + ".json")
	if err != nil {
		return 0, err
	}
	if _, err := io.WriteString(f, "["); err != nil {
		return 0, err
	}
	var (
		n   int
		buf bytes.Buffer
	)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err = tx.TenantRows(ctx, table, func(cols []string, vals []any) error {
		buf.Reset()
		if n > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n{")
		first := true
		for i, c := range cols {
			if !exportedColumn(table, c) {
				continue
			}
			if !first {
				buf.WriteString(",")
			}
			first = false
			if err := enc.Encode(c); err != nil {
				return err
			}
			buf.Truncate(buf.Len() - 1) // Encode's newline
			buf.WriteString(":")
			if err := enc.Encode(vals[i]); err != nil {
				return fmt.Errorf("%s.%s: %w", table, c, err)
			}
			buf.Truncate(buf.Len() - 1)
		}
		buf.WriteString("}")
		if _, err := f.Write(buf.Bytes()); err != nil {
			return err
		}
		n++
		if n%flushRows == 0 {
			flush()
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if n > 0 {
		_, err = io.WriteString(f, "\n]\n")
	} else {
		_, err = io.WriteString(f, "]\n")
	}
	return n, err
}
