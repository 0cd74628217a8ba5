// Package prospect holds the rules for the prospects campaigns find, as the
// user sees and handles them: which filters a list takes, what a prospect's
// detail gathers from every stage, how the CSV export is written, and how a
// stage is run again at the user's request. The JSON API and the dashboard
// both call it, so a list, a detail page or an exported file is the same
// whichever surface asked.
//
// Finding, enriching, scoring and drafting are the stages' own packages;
// this one only reads what they stored and queues their jobs.
package prospect

import (
	"context"
	"errors"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// StageQueue puts a stage's job for prospects on the queue inside the
// caller's transaction, so the job exists exactly when the checks that
// allowed it commit. manual marks a user's request: the stage runs whatever
// the campaign's status.
type StageQueue interface {
	EnqueueEnrich(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error
	EnqueueScore(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error
}

// Service reads and re-queues a user's prospects.
//
// Every method acts as userID: another user's prospect is not found, like a
// missing one. Ids that are not ids are not found either, so callers may
// pass what the user sent.
type Service struct {
	store *store.Store
	jobs  StageQueue
}

// NewService returns the prospect rules over st, queueing stages on jobs.
func NewService(st *store.Store, jobs StageQueue) (*Service, error) {
	if st == nil || jobs == nil {
		return nil, errors.New("prospect: NewService needs a store and a stage queue")
	}
	return &Service{store: st, jobs: jobs}, nil
}

// List returns one page of userID's prospects matching f (from
// ParseFilter), newest first, and the id to continue after ("" on the last
// page).
func (s *Service) List(ctx context.Context, userID string, f store.ProspectFilter, page store.Page) ([]store.Prospect, string, error) {
	var items []store.Prospect
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		items, next, err = tx.ListProspects(ctx, f, page)
		return err
	})
	return items, next, err
}

// Lead is one row of the lead table: a prospect with its primary contact
// and its overall score.
type Lead struct {
	store.Prospect
	store.LeadRow
}

// Table is List with each prospect's primary contact and score, read in
// the same transaction (one more query for the page, whatever its size).
func (s *Service) Table(ctx context.Context, userID string, f store.ProspectFilter, page store.Page) ([]Lead, string, error) {
	var out []Lead
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		items, n, err := tx.ListProspects(ctx, f, page)
		if err != nil {
			return err
		}
		next = n
		ids := make([]string, len(items))
		for i, p := range items {
			ids[i] = p.ID
		}
		rows, err := tx.LeadRowsOf(ctx, ids)
		if err != nil {
			return err
		}
		out = make([]Lead, len(items))
		for i, p := range items {
			out[i] = Lead{Prospect: p, LeadRow: rows[p.ID]}
		}
		return nil
	})
	return out, next, err
}

// Detail is a prospect with what the later stages found. Stages that have
// not run show null (enrichment, score) or [] (contacts, outreach).
type Detail struct {
	store.Prospect
	Enrichment *store.Enrichment            `json:"enrichment"`
	Contacts   []store.Contact              `json:"contacts"`
	Score      *store.LeadScore             `json:"score"`
	Outreach   []mailstore.OutreachSequence `json:"outreach"`
}

// Detail gathers one of userID's prospects with its enrichment, contacts,
// score and sequences, read in one transaction so they agree.
func (s *Service) Detail(ctx context.Context, userID, id string) (Detail, error) {
	id, err := parseID(id)
	if err != nil {
		return Detail{}, err
	}
	var d Detail
	err = records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		d, err = readDetail(ctx, tx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Detail{}, apperr.NotFound("prospect")
	}
	return d, err
}

// readDetail reads a prospect and what its stages stored, in tx.
func readDetail(ctx context.Context, tx Records, id string) (d Detail, err error) {
	if d.Prospect, err = tx.Prospect(ctx, id); err != nil {
		return d, err
	}
	if d.Enrichment, err = tx.EnrichmentOf(ctx, id); err != nil {
		return d, err
	}
	if d.Contacts, err = tx.ContactsOf(ctx, id); err != nil {
		return d, err
	}
	if d.Score, err = tx.LeadScoreOf(ctx, id); err != nil {
		return d, err
	}
	d.Outreach, err = tx.OutreachOf(ctx, id)
	return d, err
}

// RequestEnrich queues enrichment of one of userID's prospects, whatever
// its campaign's status, and returns the prospect id as queued.
func (s *Service) RequestEnrich(ctx context.Context, userID, id string) (string, error) {
	return s.request(ctx, userID, id, s.jobs.EnqueueEnrich)
}

// RequestScore queues scoring of one of userID's prospects, whatever its
// campaign's status, and returns the prospect id as queued.
func (s *Service) RequestScore(ctx context.Context, userID, id string) (string, error) {
	return s.request(ctx, userID, id, s.jobs.EnqueueScore)
}

// request queues a user-requested (manual) job for the prospect once it is
// known to be userID's.
func (s *Service) request(ctx context.Context, userID, id string,
	enqueue func(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error) (string, error) {
	id, err := parseID(id)
	if err != nil {
		return "", err
	}
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		if _, err := tx.Prospect(ctx, id); err != nil {
			return err
		}
		return enqueue(ctx, tx, []string{id}, true)
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", apperr.NotFound("prospect")
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

// parseID reads a prospect id as the user sent it; one that is not an id
// names no prospect.
func parseID(id string) (string, error) {
	if !store.ValidID(id) {
		return "", apperr.NotFound("prospect")
	}
	return strings.ToLower(id), nil
}
