package outreach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// DraftQueue puts a generate job on the queue inside the caller's
// transaction, so the job exists exactly when the checks that allowed it
// commit.
type DraftQueue interface {
	EnqueueGenerate(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error
}

// Approvals hands sequences to sending inside the transaction that
// approved them, so what sending schedules exists exactly when the
// approval commits.
type Approvals interface {
	Approved(ctx context.Context, tx store.Handle, seqs []mailstore.OutreachSequence) error
}

// Service holds the rules of reviewing drafted sequences: reading them,
// editing a draft, approving it, asking for a fresh one. The JSON API and
// the dashboard both call it, so the two answer alike.
//
// Every method acts as userID: another user's sequence or prospect is not
// found, like a missing one. Ids that are not ids are not found either, so
// callers may pass what the user sent.
type Service struct {
	store     *store.Store
	jobs      DraftQueue
	approvals Approvals
}

// NewService returns the review rules over st, queueing drafts on jobs and
// handing approved sequences to approvals (sending).
func NewService(st *store.Store, jobs DraftQueue, approvals Approvals) (*Service, error) {
	if st == nil || jobs == nil || approvals == nil {
		return nil, errors.New("outreach: NewService needs a store, a draft queue and what takes approved sequences")
	}
	return &Service{store: st, jobs: jobs, approvals: approvals}, nil
}

// ParseFilter validates a sequence list's filters as the user sent them
// (ids in any case, a status name); empty means unfiltered.
func ParseFilter(campaignID, prospectID, status string) (mailstore.OutreachFilter, error) {
	fields := apperr.Fields{}
	f := mailstore.OutreachFilter{Status: status}
	for _, id := range []struct {
		name     string
		value    string
		filtered *string
	}{{"campaign_id", campaignID, &f.CampaignID}, {"prospect_id", prospectID, &f.ProspectID}} {
		if id.value != "" {
			if !store.ValidID(id.value) {
				fields.Add(id.name, "must be an id")
			}
			*id.filtered = strings.ToLower(id.value)
		}
	}
	if f.Status != "" && !slices.Contains(mailstore.OutreachStatuses, f.Status) {
		fields.Add("status", "must be one of %s", strings.Join(mailstore.OutreachStatuses, ", "))
	}
	return f, fields.Err()
}

// List returns one page of userID's sequences matching f (from
// ParseFilter), newest first, and the id to continue after ("" on the last
// page).
func (s *Service) List(ctx context.Context, userID string, f mailstore.OutreachFilter, page store.Page) ([]mailstore.OutreachSequence, string, error) {
	var items []mailstore.OutreachSequence
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		items, next, err = tx.ListOutreach(ctx, f, page)
		return err
	})
	return items, next, err
}

// Get returns one of userID's sequences.
func (s *Service) Get(ctx context.Context, userID, id string) (mailstore.OutreachSequence, error) {
	return s.onSequence(ctx, userID, id, false, func(tx Records, id string) (mailstore.OutreachSequence, error) {
		return tx.Outreach(ctx, id)
	})
}

// Approve signs a draft off for sending as userID. Approving an approved
// sequence again answers it unchanged; a sequence past approval is a
// conflict.
func (s *Service) Approve(ctx context.Context, userID, id string) (mailstore.OutreachSequence, error) {
	return s.onSequence(ctx, userID, id, true, func(tx Records, id string) (mailstore.OutreachSequence, error) {
		o, err := tx.ApproveOutreach(ctx, id)
		if err != nil {
			return o, err
		}
		if err := s.approvals.Approved(ctx, tx, []mailstore.OutreachSequence{o}); err != nil {
			return o, err
		}
		return tx.Outreach(ctx, id) // as sending left it (scheduled)
	})
}

// Edit replaces a draft's emails. The emails are validated first
// (ValidateSteps; nil is "required"), then the checks are recomputed so the
// reviewer sees what their edit changed. Only a draft can change.
func (s *Service) Edit(ctx context.Context, userID, id string, emails []Step) (mailstore.OutreachSequence, error) {
	fields := apperr.Fields{}
	if emails == nil {
		fields.Add("emails", "is required")
	}
	for _, p := range ValidateSteps(emails) {
		name, msg, _ := strings.Cut(p, ": ")
		fields.Add(name, "%s", msg)
	}
	if err := fields.Err(); err != nil {
		return mailstore.OutreachSequence{}, err
	}
	stored, err := json.Marshal(emails)
	if err != nil {
		return mailstore.OutreachSequence{}, fmt.Errorf("edit sequence: %w", err)
	}
	checks, err := json.Marshal(Check(emails))
	if err != nil {
		return mailstore.OutreachSequence{}, fmt.Errorf("edit sequence: %w", err)
	}
	return s.onSequence(ctx, userID, id, true, func(tx Records, id string) (mailstore.OutreachSequence, error) {
		return tx.EditDraft(ctx, id, emails[0].Subject, stored, checks)
	})
}

// onSequence runs fn on userID's sequence id in one transaction (a write
// one when write is set) and turns the store's answers into the user's:
// missing is not found, no longer a draft is a conflict naming the status.
func (s *Service) onSequence(ctx context.Context, userID, id string, write bool,
	fn func(tx Records, id string) (mailstore.OutreachSequence, error)) (mailstore.OutreachSequence, error) {
	if !store.ValidID(id) {
		return mailstore.OutreachSequence{}, apperr.NotFound("sequence")
	}
	id = strings.ToLower(id)
	run := records(s.store).Read
	if write {
		run = records(s.store).Write
	}
	var o mailstore.OutreachSequence
	err := run(ctx, userID, func(tx Records) (err error) {
		o, err = fn(tx, id)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return o, apperr.NotFound("sequence")
	case errors.Is(err, mailstore.ErrNotDraft):
		return o, apperr.Conflict("The sequence is %s; only a draft can change.", o.Status)
	}
	return o, err
}

// RequestDraft queues a fresh draft for one of userID's prospects, written
// to its best reachable contact (BestContact), and returns the prospect id
// as queued. It replaces an open draft, never an approved sequence: a
// prospect with nobody to write to, or whose sequence to that contact has
// left draft, is a conflict.
func (s *Service) RequestDraft(ctx context.Context, userID, prospectID string) (string, error) {
	if prospectID == "" || !store.ValidID(prospectID) {
		fields := apperr.Fields{}
		fields.Add("prospect_id", "must be a prospect id")
		return "", fields.Err()
	}
	id := strings.ToLower(prospectID)
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		if _, err := tx.Prospect(ctx, id); err != nil {
			return err
		}
		contacts, err := tx.ContactsOf(ctx, id)
		if err != nil {
			return err
		}
		to := BestContact(contacts)
		if to == nil {
			return apperr.Conflict("This prospect has no contact with a deliverable email address to write to.")
		}
		existing, err := tx.OutreachOf(ctx, id)
		if err != nil {
			return err
		}
		for _, o := range existing {
			if o.ContactID == to.ID && o.Status != mailstore.OutreachDraft {
				return apperr.Conflict("The sequence for this prospect is already %s; it is not regenerated.", o.Status)
			}
		}
		return s.jobs.EnqueueGenerate(ctx, tx, []string{id}, true)
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", apperr.NotFound("prospect")
	}
	if err != nil {
		return "", err
	}
	return id, nil
}
