package campaign

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

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

// importChunk is how many rows of a file one transaction writes, so a large
// import never holds SQLite's single writer (or a campaign's rows on
// PostgreSQL) for more than a moment.
const importChunk = 1000

// Import adds the rows of a CSV file to a campaign as manual prospects.
// Duplicates — the same registrable domain or phone as a prospect already in
// the campaign or an earlier row — are counted, not inserted, so importing a
// file twice adds nothing. The file is parsed before the database is touched,
// its domains and phones are looked up in the campaign by index, and it is
// written in chunks of importChunk rows, each its own transaction.
// An import is all or nothing: if a chunk fails, the rows the chunks before
// it wrote are deleted again, and a running campaign's enrichment of the new
// prospects is queued only once every row is in.
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

	w := importWriter{svc: s, userID: userID, campaignID: campaignID, seen: map[string]bool{}}
	if err := w.lookUp(ctx, rows); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if err := w.write(ctx, rows); err != nil {
		if undoErr := w.undo(ctx); undoErr != nil {
			return ImportResult{}, fmt.Errorf("import: %w (and undoing the %d rows already written failed: %v)", err, len(w.inserted), undoErr)
		}
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	res.Imported, res.Duplicates = len(w.inserted), w.duplicates
	if res.Imported >= analyzeAfter {
		// Not worth failing an import over: autovacuum catches up within a minute.
		_ = s.Store.RefreshPlannerStats(ctx)
	}
	return res, nil
}

// importWriter writes one import's rows chunk by chunk and remembers what
// it wrote, so a failure can take it back.
type importWriter struct {
	svc                *Service
	userID, campaignID string
	existing           store.DedupKeys // the file's domains and phones the campaign had before
	seen               map[string]bool // dedup keys of the rows written so far
	inserted           []string        // ids of the prospects written so far
	duplicates         int
}

// lookUp finds which of the file's domains and phones the campaign already
// has, by index, before anything is written: looked up chunk by chunk
// instead, the campaign's growing rows would make each lookup slower than
// the last while the planner's statistics still describe it as it was.
func (w *importWriter) lookUp(ctx context.Context, rows []discovery.ImportRow) error {
	var domains, phones []string
	unique := map[string]bool{}
	for _, row := range rows {
		if row.Domain != "" && !unique["domain:"+row.Domain] {
			unique["domain:"+row.Domain] = true
			domains = append(domains, row.Domain)
		}
		if isE164(row.Phone) && !unique["phone:"+row.Phone] {
			unique["phone:"+row.Phone] = true
			phones = append(phones, row.Phone)
		}
	}
	return records(w.svc.Store).Read(ctx, w.userID, func(tx Records) error {
		var err error
		w.existing, err = tx.ExistingDedupKeys(ctx, w.campaignID, domains, phones)
		return err
	})
}

func (w *importWriter) write(ctx context.Context, rows []discovery.ImportRow) error {
	for start := 0; start < len(rows); start += importChunk {
		chunk := rows[start:min(start+importChunk, len(rows))]
		if err := records(w.svc.Store).Write(ctx, w.userID, func(tx Records) error {
			return w.writeChunk(ctx, tx, chunk)
		}); err != nil {
			return err
		}
	}
	if len(w.inserted) == 0 {
		return nil
	}
	// A running campaign takes the new prospects into the pipeline, once
	// all of them are in.
	return records(w.svc.Store).Write(ctx, w.userID, func(tx Records) error {
		cur, err := tx.Campaign(ctx, w.campaignID)
		if err != nil || cur.Status != store.CampaignRunning {
			return err
		}
		return w.svc.Jobs.EnqueueEnrich(ctx, tx, w.inserted, false)
	})
}

// writeChunk inserts the rows of chunk that repeat neither the campaign nor
// an earlier row. A failed transaction leaves w's counts as they were.
func (w *importWriter) writeChunk(ctx context.Context, tx Records, chunk []discovery.ImportRow) error {
	if _, err := tx.Campaign(ctx, w.campaignID); err != nil {
		return err
	}
	seen := map[string]bool{} // this chunk's keys, merged into w.seen once it commits
	var fresh []string
	duplicates := 0
	batch := make([]store.NewProspect, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ids, err := tx.InsertProspects(ctx, batch)
		if err != nil {
			return err
		}
		n := 0
		for _, id := range ids {
			if id != "" {
				fresh = append(fresh, id)
				n++
			}
		}
		duplicates += len(batch) - n // same name and address as before
		batch = batch[:0]
		return nil
	}
	for _, row := range chunk {
		key := dedupKey(row)
		keys := []string{key}
		if row.Domain != "" {
			keys = append(keys, "domain:"+row.Domain)
		}
		if isE164(row.Phone) {
			keys = append(keys, "phone:"+row.Phone)
		}
		dup := (row.Domain != "" && w.existing.Domains[row.Domain]) || (isE164(row.Phone) && w.existing.Phones[row.Phone])
		for _, k := range keys {
			dup = dup || seen[k] || w.seen[k]
		}
		if dup {
			duplicates++
			continue
		}
		for _, k := range keys {
			seen[k] = true
		}
		batch = append(batch, newProspect(w.campaignID, key, row))
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := tx.AddCampaignCounters(ctx, w.campaignID, store.CampaignCounters{Found: len(fresh)}); err != nil {
		return err
	}
	// Counted here, after the last statement: the commit is all that is
	// left, and Write does not run fn twice. Should the commit fail, undo
	// deletes only the rows that exist and takes back only their count.
	for k := range seen {
		w.seen[k] = true
	}
	w.inserted = append(w.inserted, fresh...)
	w.duplicates += duplicates
	return nil
}

// undo deletes what the import wrote and takes its count back from the
// campaign, in one transaction, with a context of its own: the request's
// may be what ended the import.
func (w *importWriter) undo(ctx context.Context) error {
	if len(w.inserted) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return records(w.svc.Store).Write(ctx, w.userID, func(tx Records) error {
		n, err := tx.DeleteProspects(ctx, w.campaignID, w.inserted)
		if err != nil {
			return err
		}
		return tx.AddCampaignCounters(ctx, w.campaignID, store.CampaignCounters{Found: -n})
	})
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
