package api

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/store"
)

var prospectStatuses = []string{
	store.ProspectDiscovered, store.ProspectEnriching, store.ProspectEnriched, store.ProspectQualified,
	store.ProspectOutreachPending, store.ProspectContacted, store.ProspectDisqualified,
}

// prospectFilter validates the filters shared by list and export.
func prospectFilter(campaignID, status, tier, q string) (store.ProspectFilter, error) {
	fields := apperr.Fields{}
	f := store.ProspectFilter{Status: status, Tier: tier, Query: strings.TrimSpace(q)}
	if campaignID != "" {
		if !store.ValidID(campaignID) {
			fields.Add("campaign_id", "must be a campaign id")
		}
		f.CampaignID = strings.ToLower(campaignID)
	}
	if status != "" && !slices.Contains(prospectStatuses, status) {
		fields.Add("status", "must be one of %s", strings.Join(prospectStatuses, ", "))
	}
	if tier != "" && !slices.Contains(campaign.Tiers, tier) {
		fields.Add("tier", "must be one of A, B, C")
	}
	if utf8.RuneCountInString(f.Query) > 200 || !utf8.ValidString(f.Query) {
		fields.Add("q", "must be at most 200 characters of text")
	}
	return f, fields.Err()
}

func (a *API) listProspects(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filter, err := prospectFilter(q.Get("campaign_id"), q.Get("status"), q.Get("tier"), q.Get("q"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writePage(a, w, r, func(tx *store.Tx, page store.Page) ([]store.Prospect, string, error) {
		return tx.ListProspects(r.Context(), filter, page)
	})
}

// prospectDetail is a prospect with what the later stages found. Stages that
// have not run show null (enrichment, score) or [] (contacts, outreach).
type prospectDetail struct {
	store.Prospect
	Enrichment *store.Enrichment        `json:"enrichment"`
	Contacts   []store.Contact          `json:"contacts"`
	Score      *store.LeadScore         `json:"score"`
	Outreach   []store.OutreachSequence `json:"outreach"`
}

func (a *API) getProspect(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "prospect")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var d prospectDetail
	err = a.store.Read(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) error {
		if d.Prospect, err = tx.Prospect(r.Context(), id); err != nil {
			return err
		}
		if d.Enrichment, err = tx.EnrichmentOf(r.Context(), id); err != nil {
			return err
		}
		if d.Contacts, err = tx.ContactsOf(r.Context(), id); err != nil {
			return err
		}
		if d.Score, err = tx.LeadScoreOf(r.Context(), id); err != nil {
			return err
		}
		d.Outreach, err = tx.OutreachOf(r.Context(), id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("prospect")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

type exportRequest struct {
	CampaignID string `json:"campaign_id"`
	Status     string `json:"status"`
	Tier       string `json:"tier"`
}

var exportHeader = []string{
	"id", "campaign_id", "company_name", "website", "phone", "address", "city", "state", "zip", "source", "status",
	"tier", "overall_score", "tier_reason", "contact_first_name", "contact_last_name", "contact_title",
	"contact_email", "contact_email_status", "discovered_at",
}

// exportProspects streams CSV row by row, flushing as it goes, so memory
// stays flat for any number of prospects.
func (a *API) exportProspects(w http.ResponseWriter, r *http.Request) {
	var req exportRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	filter, err := prospectFilter(req.CampaignID, req.Status, req.Tier, "")
	if err != nil {
		writeError(w, r, err)
		return
	}
	started := false
	out := csv.NewWriter(w)
	// start commits to a CSV answer; until then an error can still be JSON.
	start := func() error {
		started = true
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="prospects-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		return out.Write(exportHeader)
	}
	rc := http.NewResponseController(w)
	rows := 0
	err = a.store.Read(r.Context(), identityFrom(r.Context()).UserID, func(tx *store.Tx) error {
		return tx.ExportProspects(r.Context(), filter, func(p *store.ExportRow) error {
			if !started {
				if err := start(); err != nil {
					return err
				}
			}
			rows++
			if err := out.Write(exportRecord(p)); err != nil {
				return err
			}
			if rows%500 == 0 {
				out.Flush()
				_ = rc.Flush()
			}
			return out.Error()
		})
	})
	if err != nil {
		if !started {
			writeError(w, r, err)
			return
		}
		// Headers are gone: cut the connection so the client sees a broken
		// download, never a complete-looking partial file.
		a.log.ErrorContext(r.Context(), "export aborted", "error", err, "rows", rows)
		panic(http.ErrAbortHandler)
	}
	if !started {
		_ = start() // no rows: the header line alone
	}
	out.Flush()
}

func exportRecord(p *store.ExportRow) []string {
	score := ""
	if p.OverallScore != nil {
		score = strconv.Itoa(*p.OverallScore)
	}
	return []string{
		p.ID, p.CampaignID, cell(p.CompanyName), cellp(p.Website), phoneCell(p.Phone), cellp(p.Address), cellp(p.City),
		cellp(p.State), cellp(p.Zip), p.Source, p.Status, cellp(p.Tier), score, cellp(p.TierReason),
		cellp(p.ContactFirstName), cellp(p.ContactLastName), cellp(p.ContactTitle), cellp(p.ContactEmail),
		cellp(p.ContactEmailState), p.DiscoveredAt.Format(time.RFC3339),
	}
}

// cell defuses spreadsheet formulas: text from websites and imports must not
// run as a formula when the user opens the export (CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func cellp(s *string) string {
	if s == nil {
		return ""
	}
	return cell(*s)
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// phoneCell leaves E.164 numbers alone: "+15125550142" is a number, not a formula.
func phoneCell(s *string) string {
	if s != nil && e164.MatchString(*s) {
		return *s
	}
	return cellp(s)
}

// enrichProspect queues enrichment of one prospect at the user's request,
// whatever its campaign's status.
func (a *API) enrichProspect(w http.ResponseWriter, r *http.Request) {
	a.queueForProspect(w, r, "enrich", a.jobs.EnqueueEnrich)
}

func (a *API) scoreProspect(w http.ResponseWriter, r *http.Request) {
	a.queueForProspect(w, r, "score", a.jobs.EnqueueScore)
}

// enqueueFunc queues one stage's job for prospects inside tx.
type enqueueFunc func(ctx context.Context, tx *store.Tx, prospectIDs []string, manual bool) error

// queueForProspect answers 202 once job is queued for the caller's prospect
// in the path.
func (a *API) queueForProspect(w http.ResponseWriter, r *http.Request, job string, enqueue enqueueFunc) {
	id, err := pathID(r, "prospect")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := a.queueProspectJob(r, identityFrom(r.Context()).UserID, id, enqueue); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job": job, "prospect_id": id})
}

// queueProspectJob queues a user-requested (manual) job for a prospect of
// userID; another tenant's prospect is not found.
func (a *API) queueProspectJob(r *http.Request, userID, prospectID string, enqueue enqueueFunc) error {
	err := a.store.Write(r.Context(), userID, func(tx *store.Tx) error {
		if _, err := tx.Prospect(r.Context(), prospectID); err != nil {
			return err
		}
		return enqueue(r.Context(), tx, []string{prospectID}, true)
	})
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("prospect")
	}
	return err
}
