package suppression

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// MaxRows bounds one suppression import, like a prospect import.
const MaxRows = 50_000

// ImportResult is what the user sees after an import.
type ImportResult struct {
	Imported   int         `json:"imported"`
	Duplicates int         `json:"duplicates"`
	Rejected   []Rejection `json:"rejected"`
}

// Rejection says why one row was not imported.
type Rejection struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// Import adds the rows of a CSV file to userID's suppression
// list: the first cell of each row is an address ("bob@example.com") or a
// domain ("example.com", "@example.com"); other cells are ignored, as is a
// first row naming the column ("email", "domain"). The file is read before
// the database is touched and every entry lands in one transaction.
func (s *Service) Import(ctx context.Context, userID string, r io.Reader) (ImportResult, error) {
	res := ImportResult{Rejected: []Rejection{}}
	type entry struct{ email, domain string }
	var entries []entry
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for row := 0; ; {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return res, &apperr.Error{Code: apperr.CodeValidation, Message: fmt.Sprintf("The CSV file is malformed at line %d.", pe.Line),
				Fields: map[string]string{"file": "is not well-formed CSV"}}
		}
		if err != nil {
			return res, fmt.Errorf("import suppressions: %w", err)
		}
		row++
		if row > MaxRows {
			return res, apperr.New(apperr.CodePayloadTooLarge, "The file has more than %d rows; split it into smaller files.", MaxRows)
		}
		cell := strings.TrimSpace(strings.TrimPrefix(rec[0], "\uFEFF"))
		if row == 1 && isColumnName(cell) || cell == "" {
			continue
		}
		if msg := textfield.Problem(cell, textfield.Line, 254); msg != "" {
			res.Rejected = append(res.Rejected, Rejection{Row: row, Reason: "the cell " + msg})
			continue
		}
		var email, domain string
		if at := strings.IndexByte(cell, '@'); at > 0 {
			email = cell
		} else {
			domain = cell
		}
		e, d, err := parseSuppression(email, domain)
		if err != nil {
			res.Rejected = append(res.Rejected, Rejection{Row: row, Reason: fmt.Sprintf("%q is not an email address or a domain", cell)})
			continue
		}
		entries = append(entries, entry{e, d})
	}
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		for _, e := range entries {
			_, created, err := tx.AddSuppression(ctx, e.email, e.domain, mailstore.SuppressManual)
			if err != nil {
				return err
			}
			if created {
				res.Imported++
			} else {
				res.Duplicates++
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import suppressions: %w", err)
	}
	return res, nil
}

func isColumnName(cell string) bool {
	switch strings.ToLower(cell) {
	case "email", "e-mail", "email_address", "email address", "address", "domain", "email or domain":
		return true
	}
	return false
}
