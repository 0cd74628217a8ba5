package outreach

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// MaxBulkApprove bounds one bulk approval (the contract's).
const MaxBulkApprove = 500

// BulkApproval is what a bulk approval did: how many drafts it approved,
// and each id it did not, with why.
type BulkApproval struct {
	Approved int       `json:"approved"`
	Skipped  []Skipped `json:"skipped"`
}

// Skipped is one id a bulk approval left as it was.
type Skipped struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// ApproveMany signs off up to MaxBulkApprove of userID's drafts at once, in
// one transaction. An id that is not a draft of the user's is skipped with
// the reason, never an error, so one stale id does not undo the rest.
func (s *Service) ApproveMany(ctx context.Context, userID string, ids []string) (BulkApproval, error) {
	res := BulkApproval{Skipped: []Skipped{}}
	if len(ids) == 0 || len(ids) > MaxBulkApprove {
		return res, apperr.Invalid("ids", fmt.Sprintf("must list 1 to %d sequence ids", MaxBulkApprove))
	}
	seen := map[string]bool{}
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		var approved []mailstore.OutreachSequence
		for _, raw := range ids {
			id := strings.ToLower(raw)
			if seen[id] {
				continue
			}
			seen[id] = true
			o, reason, err := approveOne(ctx, tx, id)
			if err != nil {
				return err
			}
			if reason != "" {
				res.Skipped = append(res.Skipped, Skipped{ID: raw, Reason: reason})
				continue
			}
			approved = append(approved, o)
			res.Approved++
		}
		return s.approvals.Approved(ctx, tx, approved)
	})
	if err != nil {
		return BulkApproval{}, fmt.Errorf("approve sequences: %w", err)
	}
	return res, nil
}

// approveOne approves one draft, or says why it did not.
func approveOne(ctx context.Context, tx Records, id string) (mailstore.OutreachSequence, string, error) {
	if !store.ValidID(id) {
		return mailstore.OutreachSequence{}, "not found", nil
	}
	cur, err := tx.Outreach(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return cur, "not found", nil
	case err != nil:
		return cur, "", err
	case slices.Contains(mailstore.OutreachSending, cur.Status):
		return cur, "already approved", nil
	case cur.Status != mailstore.OutreachDraft:
		return cur, "is " + cur.Status + "; only a draft can be approved", nil
	}
	o, err := tx.ApproveOutreach(ctx, id)
	if errors.Is(err, mailstore.ErrNotDraft) {
		return cur, "is no longer a draft", nil
	}
	return o, "", err
}
