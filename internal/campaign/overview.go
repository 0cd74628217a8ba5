package campaign

import (
	"context"
	"fmt"
	"strings"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// overviewCampaigns bounds how many of the newest campaigns the overview
// looks through for ones that wait on the user.
const overviewCampaigns = 100

// Overview is a user's account at a glance, as the dashboard shows it:
// every campaign's counters added up, prospects by tier, sequences by
// outcome, and the campaigns that wait on the user.
type Overview struct {
	store.AccountStats
	Attention []Attention
}

// Attention is a campaign that needs the user, with why, in sentences.
type Attention struct {
	Campaign store.Campaign
	Reasons  []string
}

// Overview gathers userID's account at a glance in one transaction.
func (s *Service) Overview(ctx context.Context, userID string) (Overview, error) {
	var o Overview
	err := records(s.Store).Read(ctx, userID, func(tx Records) error {
		var err error
		if o.AccountStats, err = tx.AccountStats(ctx); err != nil {
			return err
		}
		campaigns, _, err := tx.ListCampaigns(ctx, store.Page{Limit: overviewCampaigns})
		if err != nil {
			return err
		}
		profile, err := tx.SenderProfile(ctx)
		if err != nil {
			return err
		}
		for _, c := range campaigns {
			reasons, err := s.attention(ctx, tx, c, profile, o.AccountStats)
			if err != nil {
				return err
			}
			if len(reasons) > 0 {
				o.Attention = append(o.Attention, Attention{Campaign: c, Reasons: reasons})
			}
		}
		return nil
	})
	if err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	return o, nil
}

// attention says what in c waits on the user: a pause it did not ask for,
// drafts to review, messages a crash left uncertain, and, when it has
// sequences to send or is running, what stops it from sending.
func (s *Service) attention(ctx context.Context, tx Records, c store.Campaign, profile mailstore.SenderProfile, st store.AccountStats) ([]string, error) {
	var reasons []string
	switch {
	case c.StatusReason == nil:
	case *c.StatusReason == "insufficient_credits":
		reasons = append(reasons, "Paused: it ran out of lead credits, so discovery stopped.")
	default:
		reasons = append(reasons, "Stopped: "+strings.ReplaceAll(*c.StatusReason, "_", " ")+".")
	}
	drafts, approved, uncertain := st.DraftsByCampaign[c.ID], st.ApprovedByCampaign[c.ID], st.UncertainByCampaign[c.ID]
	if drafts > 0 {
		reasons = append(reasons, plural(drafts, "draft waits", "drafts wait")+" for your review.")
	}
	if uncertain > 0 {
		reasons = append(reasons, plural(uncertain, "message", "messages")+
			" may or may not have gone out (sending was interrupted): check and resolve them.")
	}
	if drafts+approved > 0 || c.Status == store.CampaignRunning {
		r, err := s.readiness(ctx, tx, c, profile)
		if err != nil {
			return nil, err
		}
		reasons = append(reasons, r.Problems...)
	}
	return reasons, nil
}

// plural writes n with the singular or plural words.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
