package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

// Enrichment is the spec's enrichments row: what was learned about a
// prospect's business. List columns are JSON lists on both engines.
type Enrichment struct {
	ID                    string          `json:"id"`
	ProspectID            string          `json:"prospect_id"`
	WebsiteScore          *int            `json:"website_score"`
	MobileScore           *int            `json:"mobile_score"`
	PageSpeed             *float64        `json:"page_speed"`
	SSLValid              *bool           `json:"ssl_valid"`
	GoogleRating          *float64        `json:"google_rating"`
	GoogleReviews         *int            `json:"google_reviews"`
	YelpRating            *float64        `json:"yelp_rating"`
	YelpReviews           *int            `json:"yelp_reviews"`
	EmployeeCountEstimate *string         `json:"employee_count_estimate"`
	RevenueEstimate       *string         `json:"revenue_estimate"`
	YearFounded           *int            `json:"year_founded"`
	TechStack             []string        `json:"tech_stack"`
	PainPoints            []string        `json:"pain_points"`
	PersonalizationHooks  []string        `json:"personalization_hooks"`
	CompanySummary        *string         `json:"company_summary"`
	WebsiteAnalysis       json.RawMessage `json:"website_analysis"`
	// Research records the model and prompt version behind the research
	// columns, and the evidence for any estimate; null without research.
	Research   json.RawMessage `json:"research"`
	EnrichedAt time.Time       `json:"enriched_at"`
}

// EnrichmentParams are the columns enrichment writes. The research columns
// (pain points, hooks, summary, revenue) belong to the research stage and
// are left as they are.
type EnrichmentParams struct {
	ProspectID            string
	WebsiteScore          *int
	MobileScore           *int
	PageSpeed             *float64
	SSLValid              *bool
	GoogleRating          *float64
	GoogleReviews         *int
	YelpRating            *float64
	YelpReviews           *int
	EmployeeCountEstimate *string
	YearFounded           *int
	TechStack             []string
	WebsiteAnalysis       json.RawMessage
	// Research, when not nil, replaces the research columns; nil leaves
	// them as they are (research is off or failed this time).
	Research *ResearchParams
}

// ResearchParams are the research stage's columns.
type ResearchParams struct {
	CompanySummary        *string
	PainPoints            []string
	PersonalizationHooks  []string
	EmployeeCountEstimate *string // replaces the site's own statement only when set
	RevenueEstimate       *string
	// Meta is the research column: model, prompt version, evidence.
	Meta json.RawMessage
}

// UpsertEnrichment writes the one enrichment row of a prospect.
func (tx *Tx) UpsertEnrichment(ctx context.Context, p EnrichmentParams) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	if p.TechStack == nil {
		p.TechStack = []string{}
	}
	tech, _ := json.Marshal(p.TechStack)
	_, err := tx.q.exec(ctx, `INSERT INTO enrichments (id, user_id, prospect_id, website_score, mobile_score, page_speed, ssl_valid,
		google_rating, google_reviews, yelp_rating, yelp_reviews, employee_count_estimate, year_founded, tech_stack,
		website_analysis, enriched_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
		ON CONFLICT (prospect_id) DO UPDATE SET website_score = excluded.website_score, mobile_score = excluded.mobile_score,
		  page_speed = excluded.page_speed, ssl_valid = excluded.ssl_valid, google_rating = excluded.google_rating,
		  google_reviews = excluded.google_reviews, yelp_rating = excluded.yelp_rating, yelp_reviews = excluded.yelp_reviews,
		  employee_count_estimate = excluded.employee_count_estimate, year_founded = excluded.year_founded,
		  tech_stack = excluded.tech_stack, website_analysis = excluded.website_analysis, enriched_at = excluded.enriched_at,
		  updated_at = excluded.updated_at`,
		NewID(), tx.userID, p.ProspectID, p.WebsiteScore, p.MobileScore, p.PageSpeed, p.SSLValid, p.GoogleRating, p.GoogleReviews,
		p.YelpRating, p.YelpReviews, p.EmployeeCountEstimate, p.YearFounded, string(tech), jsonArg(p.WebsiteAnalysis), tx.now)
	if err != nil || p.Research == nil {
		return wrap(err, "upsert enrichment")
	}
	r := p.Research
	pains, _ := json.Marshal(nonNil(r.PainPoints))
	hooks, _ := json.Marshal(nonNil(r.PersonalizationHooks))
	_, err = tx.q.exec(ctx, `UPDATE enrichments SET company_summary = $1, pain_points = $2, personalization_hooks = $3,
		revenue_estimate = $4, employee_count_estimate = COALESCE($5, employee_count_estimate), research = $6
		WHERE prospect_id = $7 AND user_id = $8`,
		r.CompanySummary, string(pains), string(hooks), r.RevenueEstimate, r.EmployeeCountEstimate, jsonArg(r.Meta),
		p.ProspectID, tx.userID)
	return wrap(err, "save research")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// EnrichmentOf returns a prospect's enrichment, or nil when it has none yet.
func (tx *Tx) EnrichmentOf(ctx context.Context, prospectID string) (*Enrichment, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, err
	}
	var e Enrichment
	var tech, pains, hooks, analysis, research []byte
	err := tx.q.queryRow(ctx, `SELECT id, prospect_id, website_score, mobile_score, page_speed, ssl_valid, google_rating,
		google_reviews, yelp_rating, yelp_reviews, employee_count_estimate, revenue_estimate, year_founded, tech_stack,
		pain_points, personalization_hooks, company_summary, website_analysis, research, enriched_at
		FROM enrichments WHERE prospect_id = $1 AND user_id = $2`, prospectID, tx.userID).
		Scan(&e.ID, &e.ProspectID, &e.WebsiteScore, &e.MobileScore, &e.PageSpeed, &e.SSLValid, &e.GoogleRating,
			&e.GoogleReviews, &e.YelpRating, &e.YelpReviews, &e.EmployeeCountEstimate, &e.RevenueEstimate, &e.YearFounded,
			&tech, &pains, &hooks, &e.CompanySummary, &analysis, &research, &e.EnrichedAt)
	if errors.Is(err, ErrNotFound) {
		return nil, nil //nolint:nilnil // "no enrichment yet" is a normal state the API shows as null
	}
	if err != nil {
		return nil, wrap(err, "get enrichment")
	}
	e.TechStack, e.PainPoints, e.PersonalizationHooks = jsonList(tech), jsonListOrNil(pains), jsonListOrNil(hooks)
	if len(analysis) > 0 {
		e.WebsiteAnalysis = analysis
	}
	if len(research) > 0 {
		e.Research = research
	}
	e.EnrichedAt = e.EnrichedAt.UTC()
	return &e, nil
}

func jsonList(b []byte) []string {
	out := []string{}
	_ = json.Unmarshal(b, &out)
	if out == nil {
		out = []string{}
	}
	return out
}

func jsonListOrNil(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return jsonList(b)
}

// AdvanceProspect moves a prospect to status if it is currently in one of
// from, stamping the matching timestamp, and reports whether it moved. The
// guard keeps statuses from going backwards and makes retried jobs count once.
func (tx *Tx) AdvanceProspect(ctx context.Context, id string, from []string, to string) (bool, error) {
	if err := tx.requireTenant(); err != nil {
		return false, err
	}
	w := where{}
	w.add("id = ?", id)
	w.add("user_id = ?", tx.userID)
	ph := make([]any, len(from))
	marks := make([]string, len(from))
	for i, f := range from {
		ph[i], marks[i] = f, "?"
	}
	w.add("status IN ("+strings.Join(marks, ", ")+")", ph...)
	args := append(w.args, to)
	set := "status = $" + itoa(len(args))
	if col := statusTimestamp[to]; col != "" {
		args = append(args, tx.now)
		set += ", " + col + " = $" + itoa(len(args))
	}
	n, err := tx.q.exec(ctx, `UPDATE prospects SET `+set+` WHERE `+w.sql(), args...)
	return n == 1, wrap(err, "advance prospect %s to %s", id, to)
}

// statusTimestamp names the column stamped when a prospect reaches a status.
var statusTimestamp = map[string]string{
	ProspectEnriched:     "enriched_at",
	ProspectQualified:    "qualified_at",
	ProspectDisqualified: "qualified_at",
	ProspectContacted:    "contacted_at",
}

// ProspectIDsWithStatus lists a campaign's prospects in a status, oldest first.
func (tx *Tx) ProspectIDsWithStatus(ctx context.Context, campaignID, status string) ([]string, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, err
	}
	rows, err := tx.q.query(ctx, `SELECT id FROM prospects WHERE campaign_id = $1 AND user_id = $2 AND status = $3 ORDER BY id`,
		campaignID, tx.userID, status)
	if err != nil {
		return nil, wrap(err, "prospects with status")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "prospects with status")
		}
		ids = append(ids, id)
	}
	return ids, wrap(rows.Err(), "prospects with status")
}

// MarkDiscoveryFinished records that a campaign's discovery run is over.
func (tx *Tx) MarkDiscoveryFinished(ctx context.Context, campaignID string, finished bool) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	var at any
	if finished {
		at = tx.now
	}
	_, err := tx.q.exec(ctx, `UPDATE campaigns SET discovery_finished_at = $3 WHERE id = $1 AND user_id = $2`, campaignID, tx.userID, at)
	return wrap(err, "mark discovery finished")
}

// CompletionRules are the domain's rules for when a campaign's work is
// done, which CompleteCampaignIfDone applies in SQL.
type CompletionRules struct {
	// OutreachTiers are the tiers whose qualified prospects get a draft (the
	// campaign's tiers_for_outreach).
	OutreachTiers []string
	// Reachable says which contacts a draft can be written to; a prospect
	// with none is not waiting for one.
	Reachable ContactRule
}

// CompleteCampaignIfDone moves a running campaign to completed once its
// discovery has finished and no prospect waits for a pipeline stage:
// enrichment, scoring, or drafting (a qualified prospect in one of
// rules.OutreachTiers with a contact rules.Reachable admits and no sequence
// yet).
func (tx *Tx) CompleteCampaignIfDone(ctx context.Context, campaignID string, rules CompletionRules) (bool, error) {
	if err := tx.requireTenant(); err != nil {
		return false, err
	}
	// Stages finish in concurrent transactions. Without this lock, on
	// PostgreSQL the last two could each see the other's prospect still
	// waiting (uncommitted) and neither complete the campaign; with it the
	// second waits, and its check below (a fresh statement, so a fresh
	// snapshot under READ COMMITTED) sees the first one's work.
	var id string
	if err := tx.q.queryRow(ctx, `SELECT id FROM campaigns WHERE id = $1 AND user_id = $2`+tx.forUpdate(),
		campaignID, tx.userID).Scan(&id); err != nil {
		return false, wrap(err, "complete campaign")
	}
	w := where{}
	w.add("id = ?", campaignID)
	w.add("user_id = ?", tx.userID)
	w.add("status = 'running' AND discovery_finished_at IS NOT NULL")
	args := []any{campaignID}
	waiting := `SELECT 1 FROM prospects p WHERE p.campaign_id = ? AND (p.status IN ('discovered', 'enriching', 'enriched')`
	if tiers := rules.OutreachTiers; len(tiers) > 0 {
		marks := make([]string, len(tiers))
		for i, t := range tiers {
			marks[i] = "?"
			args = append(args, t)
		}
		reachable, reachableArgs := rules.Reachable.sql("c")
		args = append(args, reachableArgs...)
		waiting += ` OR p.status = 'qualified' AND p.tier IN (` + strings.Join(marks, ", ") + `)
		  AND EXISTS (SELECT 1 FROM contacts c WHERE c.prospect_id = p.id AND ` + reachable + `)
		  AND NOT EXISTS (SELECT 1 FROM outreach_sequences o WHERE o.prospect_id = p.id)`
	}
	w.add("NOT EXISTS ("+waiting+"))", args...)
	args = append(w.args, tx.now)
	n, err := tx.q.exec(ctx, `UPDATE campaigns SET status = 'completed', status_reason = NULL, updated_at = $`+itoa(len(args))+
		` WHERE `+w.sql(), args...)
	return n == 1, wrap(err, "complete campaign")
}

// ContactRule is a condition on a contact's address, set by the domain
// (outreach says whom a sequence can be written to). Matches applies it in
// Go, and the store applies the same condition in SQL.
type ContactRule struct {
	// RequireEmail admits only contacts with an address.
	RequireEmail bool
	// ExcludeVerification are the verification statuses that rule a
	// contact out; a contact not verified yet is not ruled out.
	ExcludeVerification []string
}

// Matches reports whether c passes the rule.
func (r ContactRule) Matches(c Contact) bool {
	if r.RequireEmail && (c.Email == nil || *c.Email == "") {
		return false
	}
	return c.EmailVerificationStatus == nil || !slices.Contains(r.ExcludeVerification, *c.EmailVerificationStatus)
}

// sql is the rule as a condition on contacts aliased alias, with "?"
// placeholders for args.
func (r ContactRule) sql(alias string) (string, []any) {
	conds := []string{"TRUE"}
	var args []any
	if r.RequireEmail {
		// Matches also refuses "", which the store never keeps: an empty
		// address is stored as NULL (NullIfEmpty).
		conds = append(conds, alias+".email IS NOT NULL")
	}
	if len(r.ExcludeVerification) > 0 {
		marks := make([]string, len(r.ExcludeVerification))
		for i, v := range r.ExcludeVerification {
			marks[i] = "?"
			args = append(args, v)
		}
		conds = append(conds, "COALESCE("+alias+".email_verification_status, '') NOT IN ("+strings.Join(marks, ", ")+")")
	}
	return strings.Join(conds, " AND "), args
}

// CampaignsOfProspects maps prospect ids to their campaign ids.
func (tx *Tx) CampaignsOfProspects(ctx context.Context, prospectIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if err := tx.requireTenant(); err != nil {
		return out, err
	}
	for start := 0; start < len(prospectIDs); start += 500 {
		chunk := prospectIDs[start:min(start+500, len(prospectIDs))]
		w := where{}
		w.add("user_id = ?", tx.userID)
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "?", id
		}
		w.add("id IN ("+strings.Join(marks, ", ")+")", args...)
		rows, err := tx.q.query(ctx, `SELECT id, campaign_id FROM prospects WHERE `+w.sql(), w.args...)
		if err != nil {
			return out, wrap(err, "campaigns of prospects")
		}
		for rows.Next() {
			var id, c string
			if err := rows.Scan(&id, &c); err != nil {
				rows.Close()
				return out, wrap(err, "campaigns of prospects")
			}
			out[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, wrap(err, "campaigns of prospects")
		}
	}
	return out, nil
}
