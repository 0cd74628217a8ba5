package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Prospect statuses, in pipeline order.
const (
	ProspectDiscovered      = "discovered"
	ProspectEnriching       = "enriching"
	ProspectEnriched        = "enriched"
	ProspectQualified       = "qualified"
	ProspectOutreachPending = "outreach_pending"
	ProspectContacted       = "contacted"
	ProspectDisqualified    = "disqualified"
)

// Prospect is the spec's prospects row.
type Prospect struct {
	ID           string          `json:"id"`
	CampaignID   string          `json:"campaign_id"`
	CompanyName  string          `json:"company_name"`
	Website      *string         `json:"website"`
	Phone        *string         `json:"phone"`
	Address      *string         `json:"address"`
	City         *string         `json:"city"`
	State        *string         `json:"state"`
	Zip          *string         `json:"zip"`
	Source       string          `json:"source"`
	SourceID     *string         `json:"source_id"`
	SourceData   json.RawMessage `json:"source_data"`
	Status       string          `json:"status"`
	Tier         *string         `json:"tier"`
	DiscoveredAt time.Time       `json:"discovered_at"`
	EnrichedAt   *time.Time      `json:"enriched_at"`
	QualifiedAt  *time.Time      `json:"qualified_at"`
	ContactedAt  *time.Time      `json:"contacted_at"`
}

const prospectColumns = `p.id, p.campaign_id, p.company_name, p.website, p.phone, p.address, p.city, p.state, p.zip,
	p.source, p.source_id, p.source_data, p.status, p.tier, p.discovered_at, p.enriched_at, p.qualified_at, p.contacted_at`

func scanProspect(r txn.Row, extra ...any) (Prospect, error) {
	var p Prospect
	var data []byte
	dest := append([]any{&p.ID, &p.CampaignID, &p.CompanyName, &p.Website, &p.Phone, &p.Address, &p.City, &p.State, &p.Zip,
		&p.Source, &p.SourceID, &data, &p.Status, &p.Tier, &p.DiscoveredAt, &p.EnrichedAt, &p.QualifiedAt, &p.ContactedAt}, extra...)
	err := r.Scan(dest...)
	if len(data) > 0 {
		p.SourceData = json.RawMessage(data)
	}
	p.DiscoveredAt = p.DiscoveredAt.UTC()
	txn.UTCOptional(&p.EnrichedAt, &p.QualifiedAt, &p.ContactedAt)
	return p, err
}

// ProspectFilter narrows a prospect list or export.
type ProspectFilter struct {
	CampaignID string
	Status     string
	Tier       string
	Query      string // matches company name, website or city
	// Order is the list's order; a cursor continues after the last
	// prospect shown in it. The export's only order is newest first.
	Order ProspectOrder
}

// ProspectOrder is the order of a prospect list.
type ProspectOrder string

const (
	// NewestFirst is the default order.
	NewestFirst ProspectOrder = ""
	OldestFirst ProspectOrder = "oldest"
	// BestFirst is the highest score first, then newest; the prospects not
	// scored yet come last (migration 0026's sort_score).
	BestFirst ProspectOrder = "best"
)

// prospectWhere turns f into conditions on prospects p for the tenant.
//
// The search term keeps the meaning it always had: a case-insensitive
// substring of company_name, website or city, with LIKE's case folding on
// SQLite (ASCII letters only) and ILIKE's on PostgreSQL. A term the trigram
// index can narrow goes to the index first (searchCandidates). When few rows
// may contain it, the ids of the tenant's ones become a condition, and the
// list reads those rows only, newest first along the primary key. When many
// do, a page of them turns up early in the scan in id order, which is also
// how short terms are searched.
func (tx *Tx) prospectWhere(ctx context.Context, f ProspectFilter) *txn.Where {
	w, _ := tx.prospectSearchWhere(ctx, f)
	return w
}

// prospectSearchWhere is prospectWhere that also says how the search finds
// its rows (searchScan without a term).
func (tx *Tx) prospectSearchWhere(ctx context.Context, f ProspectFilter) (*txn.Where, int) {
	w := &txn.Where{}
	search, ids := searchScan, []string(nil)
	if f.Query != "" {
		search, ids = tx.searchCandidates(ctx, f.Query)
	}
	// Going by ids, the planner must not walk an index on the other filters
	// instead: without statistics (say, a campaign just imported) it takes
	// them for selective and reads the whole campaign. SQLite's unary plus
	// and PostgreSQL's IS TRUE keep a comparison away from the indexes. The
	// tenant's condition stays as it is.
	eq := func(column string) string { return "p." + column + " = ?" }
	if search == searchByID {
		eq = func(column string) string { return tx.EqualsOffIndex("p." + column) }
	}
	w.Add("p.user_id = ?", tx.UserID())
	if f.CampaignID != "" {
		w.Add(eq("campaign_id"), f.CampaignID)
	}
	if f.Status != "" {
		w.Add(eq("status"), f.Status)
	}
	if f.Tier != "" {
		w.Add(eq("tier"), f.Tier)
	}
	if f.Query == "" {
		return w, search
	}
	pattern := likeContains(f.Query)
	switch {
	case tx.Engine() == SQLite:
		// prospects_fts folds more letters than LIKE does: LIKE decides.
		w.Add(`(p.company_name LIKE ? ESCAPE '\' OR p.website LIKE ? ESCAPE '\' OR p.city LIKE ? ESCAPE '\')`,
			pattern, pattern, pattern)
		if search == searchByID {
			list, _ := json.Marshal(ids) // a []string always marshals
			w.Add("p.id IN (SELECT value FROM json_each(?))", string(list))
		}
	case search == searchByID:
		// The candidates are exactly the matching rows (see searchCandidates).
		w.Add("p.id = ANY (?::uuid[])", ids)
	case pgSearchable(f.Query):
		// Many rows match, so a page of them turns up early in a scan in id
		// order. The test goes to prospect_search: one LIKE on the lowercased
		// doc rather than three ILIKEs. The trigram index cannot answer it
		// there, under forced row-level security, and is not asked to: only
		// the policy's pattern could use it, and only prospect_search_ids
		// sets one (migration 0009).
		w.Add(`p.id IN (SELECT s.id FROM prospect_search s WHERE s.doc LIKE lower(?) ESCAPE '\')`, pattern)
	default:
		w.Add(`(p.company_name ILIKE ? ESCAPE '\' OR p.website ILIKE ? ESCAPE '\' OR p.city ILIKE ? ESCAPE '\')`,
			pattern, pattern, pattern)
	}
	return w, search
}

// How a search finds its rows.
const (
	searchScan = iota // test every row, in id order
	searchByID        // test the candidates the trigram index found
)

// SearchCandidateLimit is how many rows may contain a term for the list to go
// through them by id rather than scan in id order. Fetching a candidate costs
// about what scanning a few rows does, and a term in more rows than this
// fills a page of the scan quickly.
const SearchCandidateLimit = 2000

// searchCandidates asks the trigram index for the tenant's prospects whose
// company_name, website or city contains term. It answers searchScan, and no
// ids, when the index cannot narrow the term or more than
// SearchCandidateLimit rows may contain it (on SQLite, rows of any tenant:
// prospects_fts knows nothing else of them).
//
// On PostgreSQL the answer is exact. prospect_search.doc holds each
// prospect's three columns, lowercased one by one and joined by newlines
// (migration 0003), and x ILIKE p is lower(x) LIKE lower(p) in a UTF-8
// database; so for a term without a newline, doc LIKE lower(p) holds exactly
// when one of the columns is ILIKE p. On SQLite, prospects_fts may offer rows
// that LIKE rejects, as it folds the case of all letters, but never misses one.
//
// An error leaves the list to the scan (on PostgreSQL it also aborts the
// transaction, so the list fails).
func (tx *Tx) searchCandidates(ctx context.Context, term string) (int, []string) {
	var query string
	var args []any
	switch {
	case tx.Engine() == Postgres && pgSearchable(term):
		// prospect_search_ids (migration 0009) passes the pattern to the
		// policy that lets the index answer under forced row-level security.
		query = `SELECT id FROM prospect_search_ids($1, lower($2), $3) AS ids(id)`
		args = []any{tx.UserID(), likeContains(term), SearchCandidateLimit + 1}
	case tx.Engine() == SQLite && sqliteSearchable(term):
		// Counting the matches first, which FTS5 does without reading any
		// row, keeps a common term cheap.
		phrase := ftsPhrase(term)
		var n int
		err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM prospects_fts WHERE prospects_fts MATCH $1 LIMIT $2)`,
			phrase, SearchCandidateLimit+1).Scan(&n)
		if err != nil || n > SearchCandidateLimit {
			return searchScan, nil
		}
		query = `SELECT x.id FROM prospects_fts f CROSS JOIN prospects x ON x.rowid = f.rowid
			WHERE f.prospects_fts MATCH $1 AND x.user_id = $2`
		args = []any{phrase, tx.UserID()}
	default:
		return searchScan, nil
	}
	ids, err := txn.QueryAll(ctx, tx, "search candidates", txn.ScanID, query, args...)
	if err != nil || len(ids) > SearchCandidateLimit {
		return searchScan, nil
	}
	return searchByID, ids
}

// Searchable reports whether engine's search index can narrow a search for
// term (bench/prospectlist explains the plans of both paths with it).
func Searchable(engine Engine, term string) bool {
	if engine == Postgres {
		return pgSearchable(term)
	}
	return sqliteSearchable(term)
}

// sqliteSearchable reports whether prospects_fts can narrow a search for
// term: FTS5's trigram tokenizer needs three characters. A NUL never goes to
// the index, as LIKE reads text only up to one.
func sqliteSearchable(term string) bool {
	return utf8.ValidString(term) && !strings.ContainsRune(term, 0) && utf8.RuneCountInString(term) >= 3
}

// pgSearchable reports whether prospect_search can answer a search for term.
// pg_trgm takes its trigrams from runs of letters and digits and, finding
// none, would read its whole index; a newline could match across two columns
// of doc; PostgreSQL refuses a NUL.
func pgSearchable(term string) bool {
	if !utf8.ValidString(term) || strings.ContainsAny(term, "\n\x00") {
		return false
	}
	run := 0
	for _, r := range term {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if run++; run == 3 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// likeContains is the LIKE pattern for "contains s", escaped for ESCAPE '\'.
func likeContains(s string) string {
	return "%" + txn.EscapeLike(s) + "%"
}

// ftsPhrase quotes s as one FTS5 phrase, so that every character in it is
// text to find, never query syntax.
func ftsPhrase(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// ListProspects returns the tenant's prospects matching f in f.Order.
//
// A search the trigram index cannot narrow (a term under three characters,
// or one in more than SearchCandidateLimit rows) reads at most
// SearchScanLimit(engine) of the filter's prospects per page, newest first, rather
// than the whole campaign: when those hold fewer matches than the page asks
// for, the page is short (even empty) and its cursor goes on from the last
// prospect read. Page after page, the rows are the same as an unbounded scan
// would give, in the same order; no single page costs more than the bound.
func (tx *Tx) ListProspects(ctx context.Context, f ProspectFilter, page Page) ([]Prospect, string, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, "", err
	}
	w, search := tx.prospectSearchWhere(ctx, f)
	order := "p.id DESC"
	switch f.Order {
	case NewestFirst:
		if page.After != "" {
			w.Add("p.id < ?", page.After)
		}
	case OldestFirst:
		order = "p.id ASC"
		if page.After != "" {
			w.Add("p.id > ?", page.After)
		}
	case BestFirst:
		order = "p.sort_score DESC, p.id DESC"
		if page.After != "" {
			// The cursor is the last prospect shown; the page goes on
			// after its place in the order, read now.
			var score int
			err := tx.QueryRow(ctx, `SELECT sort_score FROM prospects WHERE id = $1 AND user_id = $2`, page.After, tx.UserID()).Scan(&score)
			if errors.Is(err, txn.ErrNotFound) {
				return []Prospect{}, "", nil // deleted since: the list ends there
			}
			if err != nil {
				return nil, "", txn.Wrap(err, "list prospects")
			}
			w.Add("(p.sort_score, p.id) < (?, ?)", score, page.After)
		}
	default:
		return nil, "", fmt.Errorf("list prospects: unknown order %q", f.Order)
	}
	id := func(p Prospect) string { return p.ID }
	scan := func(r txn.Row) (Prospect, error) { return scanProspect(r) }
	// The bounded read is newest first; the other orders (the dashboard's)
	// read as before.
	if f.Query == "" || search != searchScan || page.Limit <= 0 || f.Order != NewestFirst {
		return txn.QueryPage(ctx, tx, "prospects", page, id, scan,
			`SELECT `+prospectColumns+` FROM prospects p WHERE `+w.SQL()+` ORDER BY `+order+` LIMIT `+page.LimitPlusOne(), w.Args()...)
	}
	// The filters choose the rows to read, newest first, up to the bound;
	// the term tests each, as prospectWhere's scan does. On PostgreSQL a term
	// the trigram index could take is tested on the row's prospect_search.doc,
	// looked up row by row (as a join, or IN, the planner would hash every
	// match in prospect_search first); another without a newline on the
	// row's columns joined as doc joins them: one LIKE where ILIKE would take
	// three, with the same answer (migration 0003 says why).
	read := &txn.Where{}
	read.Add("p.user_id = ?", tx.UserID())
	if f.CampaignID != "" {
		read.Add("p.campaign_id = ?", f.CampaignID)
	}
	if f.Status != "" {
		read.Add("p.status = ?", f.Status)
	}
	if f.Tier != "" {
		read.Add("p.tier = ?", f.Tier)
	}
	if page.After != "" {
		read.Add("p.id < ?", page.After)
	}
	readSQL, readArgs := read.SQL(), read.Args()
	pattern := likeContains(f.Query)
	switch {
	case tx.Engine() == SQLite:
		read.Add(`(p.company_name LIKE ? ESCAPE '\' OR p.website LIKE ? ESCAPE '\' OR p.city LIKE ? ESCAPE '\')`,
			pattern, pattern, pattern)
	case pgSearchable(f.Query):
		read.Add(`(SELECT s.doc FROM prospect_search s WHERE s.id = p.id) LIKE lower(?) ESCAPE '\'`, pattern)
	case !strings.ContainsAny(f.Query, "\n\x00"):
		read.Add(`prospect_search_doc(p.company_name, p.website, p.city) LIKE lower(?) ESCAPE '\'`, pattern)
	default:
		read.Add(`(p.company_name ILIKE ? ESCAPE '\' OR p.website ILIKE ? ESCAPE '\' OR p.city ILIKE ? ESCAPE '\')`,
			pattern, pattern, pattern)
	}
	list, next, err := txn.QueryPage(ctx, tx, "prospects", page, id, scan,
		`SELECT `+prospectColumns+` FROM (SELECT * FROM prospects p WHERE `+readSQL+
			` ORDER BY p.id DESC LIMIT `+itoa(SearchScanLimit(tx.Engine()))+`) p WHERE `+read.Last()+
			` ORDER BY p.id DESC LIMIT `+page.LimitPlusOne(), read.Args()...)
	if err != nil || next != "" {
		return list, next, err
	}
	// A short page: go on after the last prospect read, if the bound stopped
	// the read before the filter's rows ran out.
	ids, err := txn.QueryAll(ctx, tx, "search scan bound", txn.ScanID,
		`SELECT p.id FROM prospects p WHERE `+readSQL+` ORDER BY p.id DESC LIMIT 1 OFFSET `+itoa(SearchScanLimit(tx.Engine())-1), readArgs...)
	if err != nil || len(ids) == 0 {
		return list, "", err
	}
	return list, ids[0], nil
}

// SearchScanLimit is how many prospects one page of a search the trigram
// index cannot narrow reads at most on engine (see ListProspects): on a
// 2-core machine shared with other work, 5,000 rows of LIKE take about 5 ms
// on SQLite, and 2,000 rows under PostgreSQL's row-level security about
// 8 ms (5,000 took 20–30 ms there).
func SearchScanLimit(engine Engine) int {
	if engine == Postgres {
		return 2000
	}
	return 5000
}

// Prospect returns one of the tenant's prospects.
func (tx *Tx) Prospect(ctx context.Context, id string) (Prospect, error) {
	if err := tx.RequireTenant(); err != nil {
		return Prospect{}, err
	}
	p, err := scanProspect(tx.QueryRow(ctx,
		`SELECT `+prospectColumns+` FROM prospects p WHERE p.id = $1 AND p.user_id = $2`, id, tx.UserID()))
	return p, txn.Wrap(err, "get prospect %s", id)
}

// ProspectAndCampaign reads a prospect and the campaign it belongs to: what
// every stage loads before deciding whether the prospect is due.
func (tx *Tx) ProspectAndCampaign(ctx context.Context, id string) (Prospect, Campaign, error) {
	p, err := tx.Prospect(ctx, id)
	if err != nil {
		return Prospect{}, Campaign{}, err
	}
	c, err := tx.Campaign(ctx, p.CampaignID)
	return p, c, err
}

// NewProspect is a prospect to insert, with an optional first contact.
type NewProspect struct {
	CampaignID  string
	CompanyName string
	Website     *string
	Domain      *string // registrable domain, for de-duplication
	Phone       *string
	Address     *string
	City        *string
	State       *string
	Zip         *string
	Source      string
	SourceID    string
	SourceData  json.RawMessage
	Contact     *NewContact
}

const prospectInsertColumns = 16

// InsertProspects inserts a batch (a few hundred at a time keeps statements
// under both engines' parameter limits). A prospect whose (campaign, source,
// source_id) already exists is skipped. It returns the ids of the inserted
// ones, "" where skipped, and inserts their contacts as primary.
func (tx *Tx) InsertProspects(ctx context.Context, batch []NewProspect) ([]string, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	if len(batch) == 0 {
		return nil, nil
	}
	var sb strings.Builder
	sb.WriteString(`INSERT INTO prospects (id, user_id, campaign_id, company_name, website, domain, phone, address, city, state, zip,
		source, source_id, source_data, status, discovered_at) VALUES `)
	args := make([]any, 0, len(batch)*prospectInsertColumns)
	ids := make([]string, len(batch))
	for i, p := range batch {
		ids[i] = NewID()
		if i > 0 {
			sb.WriteString(", ")
		}
		writePlaceholders(&sb, len(args), prospectInsertColumns)
		var data any
		if len(p.SourceData) > 0 {
			data = string(p.SourceData)
		}
		args = append(args, ids[i], tx.UserID(), p.CampaignID, p.CompanyName, p.Website, p.Domain, p.Phone, p.Address,
			p.City, p.State, p.Zip, p.Source, p.SourceID, data, ProspectDiscovered, tx.Now())
	}
	sb.WriteString(" ON CONFLICT (campaign_id, source, source_id) DO NOTHING RETURNING id")
	inserted := map[string]bool{}
	err := txn.EachRow(ctx, tx, "insert prospects", func(r txn.Row) error {
		id, err := txn.ScanID(r)
		if err != nil {
			return err
		}
		inserted[id] = true
		return nil
	}, sb.String(), args...)
	if err != nil {
		return nil, err
	}
	var contacts []NewContact
	for i := range ids {
		if !inserted[ids[i]] {
			ids[i] = ""
			continue
		}
		if c := batch[i].Contact; c != nil {
			c.ProspectID, c.IsPrimary = ids[i], true
			contacts = append(contacts, *c)
		}
	}
	if err := tx.InsertContacts(ctx, contacts); err != nil {
		return nil, err
	}
	return ids, nil
}

func writePlaceholders(sb *strings.Builder, offset, n int) {
	sb.WriteByte('(')
	for j := 1; j <= n; j++ {
		if j > 1 {
			sb.WriteString(", ")
		}
		sb.WriteByte('$')
		sb.WriteString(itoa(offset + j))
	}
	sb.WriteByte(')')
}

// DedupKeys are the keys of a campaign's existing prospects that new ones
// must not repeat.
type DedupKeys struct {
	Domains map[string]bool
	Phones  map[string]bool
}

// dedupLookupBatch keeps one lookup's IN list under both engines'
// parameter limits.
const dedupLookupBatch = 500

// ExistingDedupKeys reports which of domains and phones a campaign's
// prospects already have, looked up along the (campaign_id, domain) and
// (campaign_id, phone) indexes in batches, so an import checks its own rows
// without loading a campaign of a million.
func (tx *Tx) ExistingDedupKeys(ctx context.Context, campaignID string, domains, phones []string) (DedupKeys, error) {
	keys := DedupKeys{Domains: map[string]bool{}, Phones: map[string]bool{}}
	if err := tx.RequireTenant(); err != nil {
		return keys, err
	}
	for _, col := range []struct {
		name   string
		values []string
		found  map[string]bool
	}{{"domain", domains, keys.Domains}, {"phone", phones, keys.Phones}} {
		for start := 0; start < len(col.values); start += dedupLookupBatch {
			chunk := col.values[start:min(start+dedupLookupBatch, len(col.values))]
			var sb strings.Builder
			sb.WriteString("SELECT " + col.name + " FROM prospects WHERE campaign_id = $1 AND user_id = $2 AND " + col.name + " IN ")
			writePlaceholders(&sb, 2, len(chunk))
			args := []any{campaignID, tx.UserID()}
			for _, v := range chunk {
				args = append(args, v)
			}
			err := txn.EachRow(ctx, tx, "dedup keys", func(r txn.Row) error {
				var v string
				if err := r.Scan(&v); err != nil {
					return err
				}
				col.found[v] = true
				return nil
			}, sb.String(), args...)
			if err != nil {
				return keys, err
			}
		}
	}
	return keys, nil
}

// DeleteProspects deletes prospects of a campaign (their contacts,
// enrichments and scores go with them) and returns how many it deleted:
// the undoing of an import that failed part way.
func (tx *Tx) DeleteProspects(ctx context.Context, campaignID string, ids []string) (int, error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, err
	}
	deleted := 0
	for start := 0; start < len(ids); start += dedupLookupBatch {
		chunk := ids[start:min(start+dedupLookupBatch, len(ids))]
		var sb strings.Builder
		sb.WriteString("DELETE FROM prospects WHERE campaign_id = $1 AND user_id = $2 AND id IN ")
		writePlaceholders(&sb, 2, len(chunk))
		args := []any{campaignID, tx.UserID()}
		for _, id := range chunk {
			args = append(args, id)
		}
		n, err := tx.Exec(ctx, sb.String(), args...)
		if err != nil {
			return deleted, txn.Wrap(err, "delete prospects")
		}
		deleted += int(n)
	}
	return deleted, nil
}
