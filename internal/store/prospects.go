package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"
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

func scanProspect(r row, extra ...any) (Prospect, error) {
	var p Prospect
	var data []byte
	dest := append([]any{&p.ID, &p.CampaignID, &p.CompanyName, &p.Website, &p.Phone, &p.Address, &p.City, &p.State, &p.Zip,
		&p.Source, &p.SourceID, &data, &p.Status, &p.Tier, &p.DiscoveredAt, &p.EnrichedAt, &p.QualifiedAt, &p.ContactedAt}, extra...)
	err := r.Scan(dest...)
	if len(data) > 0 {
		p.SourceData = json.RawMessage(data)
	}
	p.DiscoveredAt = p.DiscoveredAt.UTC()
	for _, t := range []**time.Time{&p.EnrichedAt, &p.QualifiedAt, &p.ContactedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return p, err
}

// ProspectFilter narrows a prospect list or export.
type ProspectFilter struct {
	CampaignID string
	Status     string
	Tier       string
	Query      string // matches company name, website or city
}

func (tx *Tx) prospectWhere(f ProspectFilter) *where {
	w := &where{}
	w.add("p.user_id = ?", tx.userID)
	if f.CampaignID != "" {
		w.add("p.campaign_id = ?", f.CampaignID)
	}
	if f.Status != "" {
		w.add("p.status = ?", f.Status)
	}
	if f.Tier != "" {
		w.add("p.tier = ?", f.Tier)
	}
	if f.Query != "" {
		like := "LIKE" // SQLite's LIKE ignores ASCII case already
		if tx.engine == Postgres {
			like = "ILIKE"
		}
		pattern := "%" + escapeLike(f.Query) + "%"
		w.add("(p.company_name "+like+" ? ESCAPE '\\' OR p.website "+like+" ? ESCAPE '\\' OR p.city "+like+" ? ESCAPE '\\')",
			pattern, pattern, pattern)
	}
	return w
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListProspects returns the tenant's prospects matching f, newest first.
func (tx *Tx) ListProspects(ctx context.Context, f ProspectFilter, page Page) ([]Prospect, string, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, "", err
	}
	w := tx.prospectWhere(f)
	if page.After != "" {
		w.add("p.id < ?", page.After)
	}
	rows, err := tx.q.query(ctx,
		`SELECT `+prospectColumns+` FROM prospects p WHERE `+w.sql()+` ORDER BY p.id DESC LIMIT `+page.limitPlusOne(),
		w.args...)
	if err != nil {
		return nil, "", wrap(err, "list prospects")
	}
	defer rows.Close()
	out := []Prospect{}
	for rows.Next() {
		p, err := scanProspect(rows)
		if err != nil {
			return nil, "", wrap(err, "scan prospect")
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap(err, "list prospects")
	}
	out, next := trimPage(out, page.Limit, func(p Prospect) string { return p.ID })
	return out, next, nil
}

// Prospect returns one of the tenant's prospects.
func (tx *Tx) Prospect(ctx context.Context, id string) (Prospect, error) {
	if err := tx.requireTenant(); err != nil {
		return Prospect{}, err
	}
	p, err := scanProspect(tx.q.queryRow(ctx,
		`SELECT `+prospectColumns+` FROM prospects p WHERE p.id = $1 AND p.user_id = $2`, id, tx.userID))
	return p, wrap(err, "get prospect %s", id)
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
	if err := tx.requireTenant(); err != nil {
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
		args = append(args, ids[i], tx.userID, p.CampaignID, p.CompanyName, p.Website, p.Domain, p.Phone, p.Address,
			p.City, p.State, p.Zip, p.Source, p.SourceID, data, ProspectDiscovered, tx.now)
	}
	sb.WriteString(" ON CONFLICT (campaign_id, source, source_id) DO NOTHING RETURNING id")
	rows, err := tx.q.query(ctx, sb.String(), args...)
	if err != nil {
		return nil, wrap(err, "insert prospects")
	}
	inserted := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, wrap(err, "insert prospects")
		}
		inserted[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "insert prospects")
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

// CampaignDedupKeys loads the registrable domains and phones already in a campaign.
func (tx *Tx) CampaignDedupKeys(ctx context.Context, campaignID string) (DedupKeys, error) {
	keys := DedupKeys{Domains: map[string]bool{}, Phones: map[string]bool{}}
	if err := tx.requireTenant(); err != nil {
		return keys, err
	}
	rows, err := tx.q.query(ctx,
		`SELECT domain, phone FROM prospects WHERE campaign_id = $1 AND user_id = $2 AND (domain IS NOT NULL OR phone IS NOT NULL)`,
		campaignID, tx.userID)
	if err != nil {
		return keys, wrap(err, "dedup keys")
	}
	defer rows.Close()
	for rows.Next() {
		var domain, phone *string
		if err := rows.Scan(&domain, &phone); err != nil {
			return keys, wrap(err, "dedup keys")
		}
		if domain != nil {
			keys.Domains[*domain] = true
		}
		if phone != nil && strings.HasPrefix(*phone, "+") {
			keys.Phones[*phone] = true
		}
	}
	return keys, wrap(rows.Err(), "dedup keys")
}
