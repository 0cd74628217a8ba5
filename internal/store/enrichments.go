package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
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
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	if p.TechStack == nil {
		p.TechStack = []string{}
	}
	tech, _ := json.Marshal(p.TechStack)
	_, err := tx.Exec(ctx, `INSERT INTO enrichments (id, user_id, prospect_id, website_score, mobile_score, page_speed, ssl_valid,
		google_rating, google_reviews, yelp_rating, yelp_reviews, employee_count_estimate, year_founded, tech_stack,
		website_analysis, enriched_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
		ON CONFLICT (prospect_id) DO UPDATE SET website_score = excluded.website_score, mobile_score = excluded.mobile_score,
		  page_speed = excluded.page_speed, ssl_valid = excluded.ssl_valid, google_rating = excluded.google_rating,
		  google_reviews = excluded.google_reviews, yelp_rating = excluded.yelp_rating, yelp_reviews = excluded.yelp_reviews,
		  employee_count_estimate = excluded.employee_count_estimate, year_founded = excluded.year_founded,
		  tech_stack = excluded.tech_stack, website_analysis = excluded.website_analysis, enriched_at = excluded.enriched_at,
		  updated_at = excluded.updated_at`,
		NewID(), tx.UserID(), p.ProspectID, p.WebsiteScore, p.MobileScore, p.PageSpeed, p.SSLValid, p.GoogleRating, p.GoogleReviews,
		p.YelpRating, p.YelpReviews, p.EmployeeCountEstimate, p.YearFounded, string(tech), txn.JSONArg(p.WebsiteAnalysis), tx.Now())
	if err != nil || p.Research == nil {
		return txn.Wrap(err, "upsert enrichment")
	}
	r := p.Research
	pains, _ := json.Marshal(nonNil(r.PainPoints))
	hooks, _ := json.Marshal(nonNil(r.PersonalizationHooks))
	_, err = tx.Exec(ctx, `UPDATE enrichments SET company_summary = $1, pain_points = $2, personalization_hooks = $3,
		revenue_estimate = $4, employee_count_estimate = COALESCE($5, employee_count_estimate), research = $6
		WHERE prospect_id = $7 AND user_id = $8`,
		r.CompanySummary, string(pains), string(hooks), r.RevenueEstimate, r.EmployeeCountEstimate, txn.JSONArg(r.Meta),
		p.ProspectID, tx.UserID())
	return txn.Wrap(err, "save research")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// EnrichmentOf returns a prospect's enrichment, or nil when it has none yet.
func (tx *Tx) EnrichmentOf(ctx context.Context, prospectID string) (*Enrichment, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	var e Enrichment
	var tech, pains, hooks, analysis, research []byte
	err := tx.QueryRow(ctx, `SELECT id, prospect_id, website_score, mobile_score, page_speed, ssl_valid, google_rating,
		google_reviews, yelp_rating, yelp_reviews, employee_count_estimate, revenue_estimate, year_founded, tech_stack,
		pain_points, personalization_hooks, company_summary, website_analysis, research, enriched_at
		FROM enrichments WHERE prospect_id = $1 AND user_id = $2`, prospectID, tx.UserID()).
		Scan(&e.ID, &e.ProspectID, &e.WebsiteScore, &e.MobileScore, &e.PageSpeed, &e.SSLValid, &e.GoogleRating,
			&e.GoogleReviews, &e.YelpRating, &e.YelpReviews, &e.EmployeeCountEstimate, &e.RevenueEstimate, &e.YearFounded,
			&tech, &pains, &hooks, &e.CompanySummary, &analysis, &research, &e.EnrichedAt)
	if errors.Is(err, ErrNotFound) {
		return nil, nil //nolint:nilnil // "no enrichment yet" is a normal state the API shows as null
	}
	if err != nil {
		return nil, txn.Wrap(err, "get enrichment")
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
