package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// Source outcomes shown in campaign stats.
const (
	StatusPending = "pending"
	StatusRunning = "running"
	StatusOK      = "ok"
	StatusError   = "error"
	StatusSkipped = "skipped"
)

// SourceReport is one source's part of a discovery run, as stats show it.
type SourceReport struct {
	Status  string `json:"status"`
	Found   int    `json:"found"`   // listings the source returned
	Kept    int    `json:"kept"`    // new prospects saved from them
	Message string `json:"message"` // why it failed or was skipped, in plain words
}

// Runner is the discover stage: it runs discovery for campaigns with the
// sources this instance has.
type Runner struct {
	store   *store.Store
	sources map[string]Source
	off     map[string]string
	logger  *slog.Logger
	handoff stage.Handoff
}

// RunnerConfig is what a Runner needs; Store, Logger and Handoff are
// required.
type RunnerConfig struct {
	Store *store.Store
	// Sources holds the configured sources by name; Off says, for the
	// others, why they are switched off ("no YELP_API_KEY is set").
	Sources map[string]Source
	Off     map[string]string
	Logger  *slog.Logger
	// Handoff queues enrichment for new prospects in the transaction that
	// saves them, and completes the campaign when discovery is its last work.
	Handoff stage.Handoff
}

// NewRunner checks cfg and builds the discover stage.
func NewRunner(cfg RunnerConfig) (*Runner, error) {
	if cfg.Store == nil || cfg.Logger == nil || cfg.Handoff == nil {
		return nil, errors.New("discovery runner: Store, Logger and Handoff are required")
	}
	return &Runner{store: cfg.Store, sources: cfg.Sources, off: cfg.Off, logger: cfg.Logger, handoff: cfg.Handoff}, nil
}

// errPaused ends a run because the campaign stopped running.
var errPaused = errors.New("campaign is no longer running")

// Outcome says how a run ended.
type Outcome string

const (
	OutcomeDone        Outcome = "done"          // every source ran (or max_results was reached)
	OutcomePaused      Outcome = "paused"        // the user paused the campaign
	OutcomeOutOfCredit Outcome = "out_of_credit" // lead credits ran out; the campaign is paused
)

// run is the state of one discovery run.
type run struct {
	r        *Runner
	userID   string
	campaign store.Campaign
	crit     settings.Targeting
	region   string
	dedup    *Deduper
	saved    map[int]string // deduper index → prospect id
	listings map[int]map[string]json.RawMessage
	left     int // prospects still wanted
	reports  map[string]*SourceReport
	order    []string
}

// Run discovers businesses for one campaign: it asks each source, keeps the
// listings that pass the campaign's filters and are not already in the
// campaign, and saves them as prospects, one lead credit each. It is safe to
// run again (a retry, a resume): what is saved is recognised and not saved
// twice. It checks for a pause between pages.
func (r *Runner) Run(ctx context.Context, userID, campaignID string) (Outcome, error) {
	ctx = providers.WithAccount(ctx, userID)
	ru := &run{r: r, userID: userID, saved: map[int]string{}, listings: map[int]map[string]json.RawMessage{}, reports: map[string]*SourceReport{}}
	var existing []store.ExistingProspect
	var discovered int
	err := records(r.store).Read(ctx, userID, func(tx Records) error {
		var err error
		if ru.campaign, err = tx.Campaign(ctx, campaignID); err != nil {
			return err
		}
		if existing, err = tx.CampaignProspectsForDedup(ctx, campaignID); err != nil {
			return err
		}
		discovered, err = tx.CountDiscovered(ctx, campaignID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return OutcomeDone, nil // deleted since the job was queued
	}
	if err != nil {
		return "", fmt.Errorf("discovery %s: %w", campaignID, err)
	}
	if ru.campaign.Status != store.CampaignRunning {
		return OutcomePaused, nil
	}
	ru.crit = settings.StoredTargeting(ru.campaign.TargetCriteria)
	ru.region = RegionFromLocation(ru.campaign.TargetLocation)
	ru.left = ru.crit.MaxResults - discovered
	ru.seed(existing)
	ru.plan()
	if err := ru.saveReports(ctx); err != nil {
		return "", err
	}

	outcome := OutcomeDone
	for _, name := range ru.order {
		rep := ru.reports[name]
		if rep.Status != StatusPending {
			continue
		}
		if ru.left <= 0 {
			rep.Status, rep.Message = StatusSkipped, "max_results was reached before this source ran"
			continue
		}
		rep.Status = StatusRunning
		if err := ru.saveReports(ctx); err != nil {
			return "", err
		}
		err := r.sources[name].Search(ctx, Query{BusinessType: ru.campaign.BusinessType, Location: ru.campaign.TargetLocation, Max: ru.crit.MaxResults},
			func(page []Business) error { return ru.page(ctx, rep, page) })
		switch {
		case err == nil, errors.Is(err, providers.ErrStop):
			rep.Status = StatusOK
			rep.Message = fmt.Sprintf("found %d listings, %d new", rep.Found, rep.Kept)
		case errors.Is(err, errPaused):
			rep.Status, rep.Message = StatusPending, "the campaign was paused; this source resumes on start"
			outcome = OutcomePaused
		case errors.Is(err, store.ErrInsufficientCredits):
			rep.Status, rep.Message = StatusOK, "stopped: no lead credits left"
			outcome = OutcomeOutOfCredit
		case ctx.Err() != nil:
			return "", fmt.Errorf("discovery %s: %w", campaignID, ctx.Err())
		case errors.As(err, new(*saveError)):
			return "", fmt.Errorf("discovery %s: %w", campaignID, err)
		default:
			rep.Status, rep.Message = StatusError, providers.Describe(err)
			r.logger.WarnContext(ctx, "discovery source failed", slog.String("campaign_id", campaignID),
				slog.String("source", name), slog.Any("error", err))
		}
		if outcome != OutcomeDone {
			break
		}
	}
	if err := ru.finish(ctx, outcome); err != nil {
		return "", err
	}
	return outcome, nil
}

// seed teaches the deduper the campaign's existing prospects.
func (ru *run) seed(existing []store.ExistingProspect) {
	ru.dedup = NewDeduper()
	for _, p := range existing {
		b := Business{Name: p.CompanyName, Website: store.OrEmpty(p.Website), Domain: store.OrEmpty(p.Domain), Phone: store.OrEmpty(p.Phone),
			Address: store.OrEmpty(p.Address), City: store.OrEmpty(p.City), State: store.OrEmpty(p.State), Zip: store.OrEmpty(p.Zip),
			Source: p.Source, SourceID: store.OrEmpty(p.SourceID)}
		b.Sources = []string{p.Source}
		i := ru.dedup.Seed(b)
		ru.saved[i] = p.ID
		ru.listings[i] = listingsOf(p.SourceData, p.Source)
	}
}

// plan decides which sources run and reports why others do not.
func (ru *run) plan() {
	for _, name := range ru.crit.DiscoverySources() {
		rep := &SourceReport{Status: StatusPending}
		if _, ok := ru.r.sources[name]; !ok {
			rep.Status = StatusSkipped
			rep.Message = ru.r.off[name]
			if rep.Message == "" {
				rep.Message = "this source is not configured"
			}
		}
		ru.reports[name] = rep
		ru.order = append(ru.order, name)
	}
}

// page handles one page of listings: filter, de-duplicate, save. Saving
// also notices a pause, so a paused campaign stops within one page.
func (ru *run) page(ctx context.Context, rep *SourceReport, page []Business) error {
	var fresh []int
	updates := map[int]bool{}
	for _, b := range page {
		rep.Found++
		b.Normalize(ru.region)
		if !ru.passes(b) {
			continue
		}
		i, merged := ru.dedup.Add(b)
		if ru.listings[i] == nil {
			ru.listings[i] = map[string]json.RawMessage{}
		}
		if len(b.SourceData) > 0 {
			ru.listings[i][b.Source] = b.SourceData
		}
		switch {
		case !merged:
			fresh = append(fresh, i)
		case ru.saved[i] != "":
			updates[i] = true
		}
	}
	if len(fresh) > ru.left {
		fresh = fresh[:max(ru.left, 0)]
	}
	return ru.save(ctx, rep, fresh, updates)
}

// passes applies the campaign's filters. A listing that does not state a
// value (OpenStreetMap has no reviews) is not excluded for it: no data is not
// the same as too few reviews.
func (ru *run) passes(b Business) bool {
	if b.Name == "" {
		return false
	}
	if ru.crit.MinReviews != nil && b.ReviewCount != nil && *b.ReviewCount < *ru.crit.MinReviews {
		return false
	}
	if ru.crit.MinRating != nil && b.Rating != nil && *b.Rating < *ru.crit.MinRating {
		return false
	}
	if len(ru.crit.Industries) > 0 && len(b.Categories) > 0 {
		for _, want := range ru.crit.Industries {
			for _, c := range b.Categories {
				if strings.Contains(strings.ToLower(c), strings.ToLower(want)) || strings.Contains(strings.ToLower(want), strings.ToLower(c)) {
					return true
				}
			}
		}
		return false
	}
	return true
}

// save inserts the new prospects of a page and charges for them in one
// transaction, and improves saved prospects that another source knew more
// about. When credits run short it saves what they cover and stops. The
// run's own state changes only after the commit, so a failed transaction
// leaves it as it was.
func (ru *run) save(ctx context.Context, rep *SourceReport, fresh []int, updates map[int]bool) error {
	short := false
	var batch []int
	var ids []string
	// Saved prospects first, in id order, then the campaign: enrichment and
	// scoring change a prospect and then the campaign's row (its counters),
	// so locking the campaign first and a prospect after would deadlock with
	// them (PostgreSQL breaks it by failing one, and River's retry waits).
	improve := make([]int, 0, len(updates))
	for i := range updates {
		improve = append(improve, i)
	}
	slices.SortFunc(improve, func(a, b int) int { return strings.Compare(ru.saved[a], ru.saved[b]) })
	err := records(ru.r.store).Write(ctx, ru.userID, func(tx Records) error {
		for _, i := range improve {
			if err := tx.UpdateProspectListing(ctx, ru.saved[i], ru.listing(i)); err != nil {
				return err
			}
		}
		c, err := tx.CampaignForUpdate(ctx, ru.campaign.ID)
		if err != nil {
			return err
		}
		if c.Status != store.CampaignRunning {
			return errPaused
		}
		credits, err := tx.LeadCredits(ctx)
		if err != nil {
			return err
		}
		batch, short = fresh, false
		if len(batch) > credits {
			batch, short = batch[:max(credits, 0)], true
		}
		rows := make([]store.NewProspect, len(batch))
		for k, i := range batch {
			rows[k] = ru.newProspect(i)
		}
		if ids, err = tx.InsertProspects(ctx, rows); err != nil {
			return err
		}
		var inserted []string
		for _, id := range ids {
			if id != "" {
				inserted = append(inserted, id)
			}
		}
		if err := tx.ChargeProspects(ctx, ru.campaign.ID, inserted); err != nil {
			return err
		}
		if err := tx.AddCampaignCounters(ctx, ru.campaign.ID, store.CampaignCounters{Found: len(inserted)}); err != nil {
			return err
		}
		if err := ru.r.handoff.Next(ctx, tx, inserted, false); err != nil {
			return err
		}
		return nil
	})
	if errors.Is(err, errPaused) || errors.Is(err, store.ErrNotFound) {
		return errPaused // paused, or deleted, since the last page
	}
	if err != nil {
		return &saveError{err}
	}
	inserted := 0
	for k, id := range ids {
		if id != "" {
			ru.saved[batch[k]] = id
			inserted++
		}
	}
	ru.left -= inserted
	rep.Kept += inserted
	if err := ru.saveReports(ctx); err != nil {
		return &saveError{err}
	}
	if short {
		return store.ErrInsufficientCredits
	}
	if ru.left <= 0 {
		return providers.ErrStop
	}
	return nil
}

// saveError is a failure of our own database, not of the source: the job
// fails and River retries it (safely: saved prospects are recognised).
type saveError struct{ err error }

func (e *saveError) Error() string { return "save prospects: " + e.err.Error() }
func (e *saveError) Unwrap() error { return e.err }

func (ru *run) newProspect(i int) store.NewProspect {
	b := ru.dedup.Business(i)
	l := ru.listing(i)
	return store.NewProspect{
		CampaignID: ru.campaign.ID, CompanyName: b.Name, Website: l.Website, Domain: l.Domain, Phone: l.Phone,
		Address: l.Address, City: l.City, State: l.State, Zip: l.Zip, Source: b.Source, SourceID: b.SourceID,
		SourceData: l.SourceData,
	}
}

// listing is a business's merged fields, with source_data holding every
// source's raw listing: {"sources": [...], "listings": {"yelp": {...}}}.
func (ru *run) listing(i int) store.ProspectListing {
	b := ru.dedup.Business(i)
	data, _ := json.Marshal(struct {
		Sources  []string                   `json:"sources"`
		Listings map[string]json.RawMessage `json:"listings"`
	}{b.Sources, ru.listings[i]})
	return store.ProspectListing{Website: store.NullIfEmpty(b.Website), Domain: store.NullIfEmpty(b.Domain), Phone: store.NullIfEmpty(b.Phone), Address: store.NullIfEmpty(b.Address),
		City: store.NullIfEmpty(b.City), State: store.NullIfEmpty(b.State), Zip: store.NullIfEmpty(b.Zip), SourceData: data}
}

// listingsOf recovers the per-source listings from a saved source_data.
func listingsOf(data json.RawMessage, source string) map[string]json.RawMessage {
	var v struct {
		Listings map[string]json.RawMessage `json:"listings"`
	}
	if json.Unmarshal(data, &v) == nil && v.Listings != nil {
		return v.Listings
	}
	if len(data) > 0 && source != SourceManual {
		return map[string]json.RawMessage{source: data}
	}
	return map[string]json.RawMessage{}
}

func (ru *run) reportJSON() json.RawMessage {
	b, _ := json.Marshal(ru.reports)
	return b
}

func (ru *run) saveReports(ctx context.Context) error {
	err := records(ru.r.store).Write(ctx, ru.userID, func(tx Records) error {
		return tx.SetDiscoverySources(ctx, ru.campaign.ID, ru.reportJSON())
	})
	if err != nil {
		return fmt.Errorf("save discovery report: %w", err)
	}
	return nil
}

// finish records the reports and moves the campaign on: paused for lack of
// credits, or — once discovery is done — completed as soon as no prospect
// waits for enrichment (the last enrich job completes it otherwise).
func (ru *run) finish(ctx context.Context, outcome Outcome) error {
	err := records(ru.r.store).Write(ctx, ru.userID, func(tx Records) error {
		if err := tx.SetDiscoverySources(ctx, ru.campaign.ID, ru.reportJSON()); err != nil {
			return err
		}
		c, err := tx.CampaignForUpdate(ctx, ru.campaign.ID)
		if err != nil || c.Status != store.CampaignRunning {
			return err
		}
		switch outcome {
		case OutcomeOutOfCredit:
			reason := "insufficient_credits"
			_, err = tx.SetCampaignStatus(ctx, c.ID, store.CampaignPaused, &reason)
		case OutcomeDone:
			if err = tx.MarkDiscoveryFinished(ctx, c.ID, true); err == nil {
				err = ru.r.handoff.CompleteIfDone(ctx, tx, c.ID)
			}
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("finish discovery: %w", err)
	}
	return nil
}
