package outreach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Reviewed is a sequence as its reviewer sees it: its emails and checks
// read from their stored form, the business it is about and the contact it
// goes to.
type Reviewed struct {
	mailstore.OutreachSequence
	Steps    []Step
	Checked  *Checks // nil when the sequence has no checks stored
	Prospect store.Prospect
	// Contact is nil when the contact it was written to is gone.
	Contact *store.Contact
}

// Review returns one page of userID's sequences matching f (from
// ParseFilter) as their reviewer sees them, newest first, and the id to
// continue after ("" on the last page). It reads in one transaction, so a
// sequence and its business agree.
func (s *Service) Review(ctx context.Context, userID string, f mailstore.OutreachFilter, page store.Page) ([]Reviewed, string, error) {
	var out []Reviewed
	var next string
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		seqs, n, err := tx.ListOutreach(ctx, f, page)
		if err != nil {
			return err
		}
		next = n
		out = make([]Reviewed, 0, len(seqs))
		for _, o := range seqs {
			r, err := reviewed(ctx, tx, o)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("review sequences: %w", err)
	}
	return out, next, nil
}

// ReviewOne returns one of userID's sequences as its reviewer sees it.
func (s *Service) ReviewOne(ctx context.Context, userID, id string) (Reviewed, error) {
	if !store.ValidID(id) {
		return Reviewed{}, apperr.NotFound("sequence")
	}
	var r Reviewed
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		o, err := tx.Outreach(ctx, strings.ToLower(id))
		if err != nil {
			return err
		}
		r, err = reviewed(ctx, tx, o)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Reviewed{}, apperr.NotFound("sequence")
	}
	if err != nil {
		return Reviewed{}, fmt.Errorf("review sequence %s: %w", id, err)
	}
	return r, nil
}

// reviewed reads what a reviewer sees of o.
func reviewed(ctx context.Context, tx Records, o mailstore.OutreachSequence) (Reviewed, error) {
	r := Reviewed{OutreachSequence: o}
	if err := json.Unmarshal(o.Emails, &r.Steps); err != nil {
		return r, fmt.Errorf("read emails of sequence %s: %w", o.ID, err)
	}
	if len(o.Checks) > 0 {
		r.Checked = &Checks{}
		if err := json.Unmarshal(o.Checks, r.Checked); err != nil {
			return r, fmt.Errorf("read checks of sequence %s: %w", o.ID, err)
		}
	}
	var err error
	if r.Prospect, err = tx.Prospect(ctx, o.ProspectID); err != nil {
		return r, err
	}
	contacts, err := tx.ContactsOf(ctx, o.ProspectID)
	if err != nil {
		return r, err
	}
	for i := range contacts {
		if contacts[i].ID == o.ContactID {
			r.Contact = &contacts[i]
		}
	}
	return r, nil
}
