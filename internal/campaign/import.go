package campaign

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/store"
)

// Import limits from the contract.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 50_000
)

// importBatch keeps one INSERT under both engines' parameter limits.
const importBatch = 500

// ImportResult is what the user sees after an import.
type ImportResult struct {
	Imported   int                   `json:"imported"`
	Duplicates int                   `json:"duplicates"`
	Rejected   []discovery.Rejection `json:"rejected"`
}

// Import adds the rows of a CSV file to a campaign as manual prospects.
// Duplicates — the same registrable domain or phone as a prospect already in
// the campaign or an earlier row — are counted, not inserted, so importing a
// file twice adds nothing. The file is parsed before the database is touched,
// and all rows land in one transaction: an import is never half applied.
func (s *Service) Import(ctx context.Context, userID, campaignID string, r io.Reader) (ImportResult, error) {
	res := ImportResult{Rejected: []discovery.Rejection{}}
	var c store.Campaign
	err := records(s.Store).Read(ctx, userID, func(tx Records) error {
		var err error
		c, err = tx.Campaign(ctx, campaignID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return res, apperr.NotFound("campaign")
	}
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}

	var rows []discovery.ImportRow
	summary, err := discovery.ParseImport(ctx, r, discovery.ImportOptions{
		Region: discovery.RegionFromLocation(c.TargetLocation), MaxRows: MaxImportRows,
	}, func(row discovery.ImportRow) error {
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return res, importError(err)
	}
	res.Rejected = append(res.Rejected, summary.Rejected...)

	err = records(s.Store).Write(ctx, userID, func(tx Records) error {
		cur, err := tx.Campaign(ctx, campaignID)
		if err != nil {
			return err
		}
		running := cur.Status == store.CampaignRunning
		existing, err := tx.CampaignDedupKeys(ctx, campaignID)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		batch := make([]store.NewProspect, 0, importBatch)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			ids, err := tx.InsertProspects(ctx, batch)
			if err != nil {
				return err
			}
			var fresh []string
			for _, id := range ids {
				if id != "" {
					fresh = append(fresh, id)
				}
			}
			inserted := len(fresh)
			// A running campaign takes new prospects straight into the pipeline.
			if running {
				if err := s.Jobs.EnqueueEnrich(ctx, tx, fresh, false); err != nil {
					return err
				}
			}
			res.Imported += inserted
			res.Duplicates += len(batch) - inserted // same name and address as before
			batch = batch[:0]
			return tx.AddCampaignCounters(ctx, campaignID, store.CampaignCounters{Found: inserted})
		}
		for _, row := range rows {
			key := dedupKey(row)
			keys := []string{key}
			if row.Domain != "" {
				keys = append(keys, "domain:"+row.Domain)
			}
			if isE164(row.Phone) {
				keys = append(keys, "phone:"+row.Phone)
			}
			dup := (row.Domain != "" && existing.Domains[row.Domain]) || (isE164(row.Phone) && existing.Phones[row.Phone])
			for _, k := range keys {
				dup = dup || seen[k]
			}
			if dup {
				res.Duplicates++
				continue
			}
			for _, k := range keys {
				seen[k] = true
			}
			batch = append(batch, newProspect(campaignID, key, row))
			if len(batch) == importBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if res.Imported >= analyzeAfter {
		// Not worth failing an import over: autovacuum catches up within a minute.
		_ = s.Store.RefreshPlannerStats(ctx)
	}
	return res, nil
}

// analyzeAfter is the import size from which the database's planner
// statistics are refreshed at once.
const analyzeAfter = 1000

// dedupKey is also the prospect's source_id, so the unique index on
// (campaign, source, source_id) backs the in-memory checks.
func dedupKey(row discovery.ImportRow) string {
	switch {
	case row.Domain != "":
		return "domain:" + row.Domain
	case isE164(row.Phone):
		return "phone:" + row.Phone
	default:
		number, street := discovery.StreetKey(row.Address)
		return "name:" + discovery.NameKey(row.CompanyName) + "|" + number + " " + street + "|" + strings.ToLower(row.Zip)
	}
}

func isE164(phone string) bool { return strings.HasPrefix(phone, "+") }

func newProspect(campaignID, key string, row discovery.ImportRow) store.NewProspect {
	p := store.NewProspect{
		CampaignID: campaignID, CompanyName: row.CompanyName, Source: "manual", SourceID: key,
		Website: store.NullIfEmpty(row.Website), Domain: store.NullIfEmpty(row.Domain), Phone: store.NullIfEmpty(row.Phone), Address: store.NullIfEmpty(row.Address),
		City: store.NullIfEmpty(row.City), State: store.NullIfEmpty(row.State), Zip: store.NullIfEmpty(row.Zip),
	}
	if c := row.Contact; c != nil {
		nc := &store.NewContact{Email: store.NullIfEmpty(c.Email), FirstName: store.NullIfEmpty(c.FirstName), LastName: store.NullIfEmpty(c.LastName),
			Title: store.NullIfEmpty(c.Title), Source: "manual"}
		if name := strings.TrimSpace(c.FirstName + " " + c.LastName); name != "" {
			nc.Name = &name
		}
		p.Contact = nc
	}
	return p
}

// importError turns the parser's whole-file failures into answers the user
// can act on.
func importError(err error) error {
	switch {
	case errors.Is(err, discovery.ErrTooManyRows):
		return apperr.New(apperr.CodePayloadTooLarge, "The file has more than %d rows; split it into smaller files.", MaxImportRows)
	case errors.Is(err, discovery.ErrNotCSV):
		return apperr.New(apperr.CodeValidation, "The file is not a CSV text file.")
	case errors.Is(err, discovery.ErrMissingColumn):
		return &apperr.Error{Code: apperr.CodeValidation, Message: "The CSV header must name a company_name column.",
			Fields: map[string]string{"file": "has no company_name column"}}
	case errors.Is(err, discovery.ErrMalformedCSV):
		return &apperr.Error{Code: apperr.CodeValidation, Message: "The CSV file is malformed: " + safeParseMessage(err),
			Fields: map[string]string{"file": "is not well-formed CSV"}}
	}
	return err
}

// safeParseMessage keeps the line and reason of a CSV parse error, which
// help the user fix the file, without echoing its content.
func safeParseMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "parse error"); i >= 0 {
		return msg[i:]
	}
	return "check quotes and line breaks"
}
