package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/enrich/verify"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// Enricher is the enrich stage: it learns about one prospect at a time and
// hands it on to scoring. Its optional parts, nil in EnricherConfig, are
// switched off.
type Enricher struct {
	store    *store.Store
	logger   *slog.Logger
	handoff  stage.Handoff
	website  *WebsiteAnalyzer
	people   *PeopleFinder
	research *Researcher
}

// EnricherConfig is what an Enricher needs; Store, Logger and Handoff are
// required.
type EnricherConfig struct {
	Store  *store.Store
	Logger *slog.Logger
	// Handoff queues scoring in the transaction that marks a prospect
	// enriched (and after a user's re-enrichment).
	Handoff stage.Handoff
	// Website analyses a prospect's site and finds contacts on it; nil
	// skips website work (no fetcher configured).
	Website *WebsiteAnalyzer
	// People finds and verifies contacts beyond the website.
	People *PeopleFinder
	// Research asks the analyst model about the business; nil (no
	// Anthropic key) leaves the research columns null.
	Research *Researcher
}

// NewEnricher checks cfg and builds the enrich stage.
func NewEnricher(cfg EnricherConfig) (*Enricher, error) {
	if cfg.Store == nil || cfg.Logger == nil || cfg.Handoff == nil {
		return nil, errors.New("enricher: Store, Logger and Handoff are required")
	}
	return &Enricher{store: cfg.Store, logger: cfg.Logger, handoff: cfg.Handoff, website: cfg.Website,
		people: cfg.People, research: cfg.Research}, nil
}

// Enrich runs one prospect through enrichment. Pipeline enrichment (manual
// false) waits while the campaign is not running; a user's explicit request
// runs regardless. Retries are safe: the prospect's status moves from
// enriching to enriched, and leads_enriched counts, exactly once.
func (e *Enricher) Enrich(ctx context.Context, userID, prospectID string, manual bool) error {
	ctx = providers.WithAccount(ctx, userID)
	var p store.Prospect
	var existing []store.Contact
	var location, businessType string
	proceed := false
	err := records(e.store).Write(ctx, userID, func(tx Records) error {
		var c store.Campaign
		var err error
		if p, c, err = tx.ProspectAndCampaign(ctx, prospectID); err != nil {
			return err
		}
		location, businessType = c.TargetLocation, c.BusinessType
		if !stage.Due(manual, c, p, store.ProspectDiscovered, store.ProspectEnriching) {
			return nil
		}
		proceed = true
		if _, err := tx.AdvanceProspect(ctx, prospectID, []string{store.ProspectDiscovered}, store.ProspectEnriching); err != nil {
			return err
		}
		existing, err = tx.ContactsOf(ctx, prospectID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || err == nil && !proceed {
		return nil // deleted since queued, or nothing to do
	}
	if err != nil {
		return fmt.Errorf("enrich %s: %w", prospectID, err)
	}

	result := e.analyse(ctx, p, discovery.RegionFromLocation(location), existing)
	if e.research != nil {
		e.addResearch(ctx, p, businessType, &result)
	}
	return e.save(ctx, userID, p, result, manual)
}

// Result is everything enrichment learned about one prospect.
type Result struct {
	Enrichment store.EnrichmentParams
	Contacts   []store.NewContact
	// Analysis is kept as website_analysis: factors, signals, and the
	// reason a site could not be analysed.
	Analysis map[string]any
	// site is what the website told us, nil when it was not fetched.
	site *SiteFindings
}

func (e *Enricher) analyse(ctx context.Context, p store.Prospect, region string, existing []store.Contact) Result {
	r := Result{Enrichment: store.EnrichmentParams{ProspectID: p.ID}, Analysis: map[string]any{}}
	rev := reviewsFrom(p.SourceData)
	r.Enrichment.GoogleRating, r.Enrichment.GoogleReviews = rev.GoogleRating, rev.GoogleReviews
	r.Enrichment.YelpRating, r.Enrichment.YelpReviews = rev.YelpRating, rev.YelpReviews

	var site *SiteFindings
	if p.Website == nil {
		r.Analysis["website"] = map[string]any{"status": WebsiteNone, "reason": "The business has no website on record."}
	} else if e.website == nil {
		r.Analysis["website"] = map[string]any{"status": WebsiteSkipped, "reason": "Website analysis is not configured on this server."}
	} else {
		site = e.website.Analyse(ctx, *p.Website)
		site.apply(&r)
		r.site = site
	}
	if e.people != nil {
		people := e.people.Find(ctx, p, region, site, existing)
		r.Contacts = people.Contacts
		if len(people.Notes) > 0 {
			r.Analysis["contacts"] = people.Notes
		}
	}
	return r
}

// addResearch runs the researcher on what enrichment found. A model failure
// is a note, not a failed enrichment: research is an extra.
func (e *Enricher) addResearch(ctx context.Context, p store.Prospect, businessType string, r *Result) {
	in := ResearchInput{CompanyName: p.CompanyName, BusinessType: businessType, City: store.OrEmpty(p.City), State: store.OrEmpty(p.State),
		Website: store.OrEmpty(p.Website), TechStack: r.Enrichment.TechStack}
	in.GoogleRating, in.GoogleReviews = r.Enrichment.GoogleRating, r.Enrichment.GoogleReviews
	in.YelpRating, in.YelpReviews = r.Enrichment.YelpRating, r.Enrichment.YelpReviews
	if site := r.site; site != nil {
		in.WebsiteReason = site.Reason
		if a := site.Analysis; a != nil {
			in.Title, in.MetaDescription = a.Title, a.MetaDescription
			for _, s := range a.Signals {
				in.Signals = append(in.Signals, s.Text)
			}
		}
		for _, pg := range site.Pages {
			in.PageTexts = append(in.PageTexts, VisibleText(pg.HTML, researchPageBytes))
		}
	}
	res, err := e.research.Research(ctx, in)
	if errors.Is(err, agent.ErrNoKey) {
		return // Claude is off for this user: no research, and nothing failed
	}
	if err != nil {
		// The error may quote the model's answer or the prospect's data:
		// record only that research failed.
		e.logger.WarnContext(ctx, "research failed", "prospect_id", p.ID, "error_kind", agent.FailureKind(err))
		r.Analysis["research"] = map[string]any{"status": "failed", "reason": "The research model did not answer usably; research was skipped."}
		return
	}
	params := res.Params()
	r.Enrichment.Research = &params
}

// researchPageBytes bounds each page's text before the researcher's own
// budget applies: enough for a small business's page, no more.
const researchPageBytes = 16 << 10

func (e *Enricher) save(ctx context.Context, userID string, p store.Prospect, r Result, manual bool) error {
	analysis, err := json.Marshal(r.Analysis)
	if err != nil {
		return fmt.Errorf("enrich %s: %w", p.ID, err)
	}
	r.Enrichment.WebsiteAnalysis = analysis
	err = records(e.store).Write(ctx, userID, func(tx Records) error {
		if err := tx.UpsertEnrichment(ctx, r.Enrichment); err != nil {
			return err
		}
		if r.Contacts != nil {
			if err := tx.SaveFoundContacts(ctx, p.ID, r.Contacts); err != nil {
				return err
			}
		}
		moved, err := tx.AdvanceProspect(ctx, p.ID, []string{store.ProspectDiscovered, store.ProspectEnriching}, store.ProspectEnriched)
		if err != nil {
			return err
		}
		if moved || manual {
			// A user's re-enrichment rescores with what was just learned.
			if err := e.handoff.Next(ctx, tx, []string{p.ID}, manual && !moved); err != nil {
				return err
			}
		}
		if moved {
			if err := tx.AddCampaignCounters(ctx, p.CampaignID, store.CampaignCounters{Enriched: 1}); err != nil {
				return err
			}
		}
		// Last, after the campaign's row: discovery locks the campaign, then
		// the profile (credits), then prospects, so taking the profile before
		// the campaign here would deadlock with it.
		return refundUnreachable(ctx, tx, p)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted while we worked
	}
	if err != nil {
		return fmt.Errorf("enrich %s: save: %w", p.ID, err)
	}
	return nil
}

// UnreachableReason is the ledger's reason for the refund of a lead
// enrichment found no way to reach.
const UnreachableReason = "refund: enrichment found no email that is not invalid and no phone for this lead"

// refundUnreachable gives back the credit the prospect was charged when,
// with everything stored of it now, there is still no way to reach it.
// The ledger refunds a prospect at most once, so re-enrichment never
// refunds twice; and nothing here charges.
func refundUnreachable(ctx context.Context, tx Records, p store.Prospect) error {
	// Read again: another discovery source may have added a phone to the
	// prospect while it was being enriched.
	p, _, err := tx.ProspectAndCampaign(ctx, p.ID)
	if err != nil {
		return err
	}
	contacts, err := tx.ContactsOf(ctx, p.ID)
	if err != nil {
		return err
	}
	if Reachable(p, contacts) {
		return nil
	}
	_, err = tx.RefundProspect(ctx, p.CampaignID, p.ID, UnreachableReason)
	return err
}

// Reachable reports whether a prospect can be contacted: it has a phone,
// or a contact with a phone or an email not verified invalid.
func Reachable(p store.Prospect, contacts []store.Contact) bool {
	if store.OrEmpty(p.Phone) != "" {
		return true
	}
	for _, c := range contacts {
		if store.OrEmpty(c.Phone) != "" {
			return true
		}
		if store.OrEmpty(c.Email) != "" && store.OrEmpty(c.EmailVerificationStatus) != verify.StatusInvalid {
			return true
		}
	}
	return false
}
