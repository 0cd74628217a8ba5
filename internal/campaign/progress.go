package campaign

import (
	"context"

	"github.com/prospectorhq/prospector/internal/discovery"
)

// Progress is what a campaign's live view shows, one snapshot of it: the
// pipeline's counters from found to sent, the outcomes a person watches
// for, and what each discovery source did. A live stream sends one each
// time it changes (GET /api/campaigns/{id}/events).
type Progress struct {
	CampaignID   string  `json:"campaign_id"`
	Status       string  `json:"status"`
	StatusReason *string `json:"status_reason"`
	Found        int     `json:"found"`
	Enriched     int     `json:"enriched"`
	// Scored counts the prospects given a tier; Qualified those that
	// passed for outreach.
	Scored    int `json:"scored"`
	Qualified int `json:"qualified"`
	// Drafted counts the sequences waiting for review, Approved those
	// signed off and waiting to send.
	Drafted  int `json:"drafted"`
	Approved int `json:"approved"`
	Sent     int `json:"sent"`
	Opened   int `json:"opened"`
	Replied  int `json:"replied"`
	Bounced  int `json:"bounced"`
	// Sources is each discovery source's last outcome, by source.
	Sources map[string]discovery.SourceReport `json:"sources"`
}

// ProgressOf is the live view of a campaign's stats.
func ProgressOf(st Stats) Progress {
	p := Progress{CampaignID: st.CampaignID, Status: st.Status, StatusReason: st.StatusReason,
		Found: st.LeadsFound, Enriched: st.LeadsEnriched, Qualified: st.LeadsQualified,
		Drafted: st.Outreach.Drafts, Approved: st.Outreach.Approved, Sent: st.Outreach.Sent,
		Opened: st.Outreach.Opened, Replied: st.Outreach.Replied, Bounced: st.Outreach.Bounced, Sources: st.Sources}
	for _, n := range st.ByTier {
		p.Scored += n
	}
	if p.Sources == nil {
		p.Sources = map[string]discovery.SourceReport{}
	}
	return p
}

// Progress reads one of userID's campaigns' live view; another user's
// campaign is not found.
func (s *Service) Progress(ctx context.Context, userID, id string) (Progress, error) {
	st, err := s.Stats(ctx, userID, id)
	if err != nil {
		return Progress{}, err
	}
	return ProgressOf(st), nil
}
