package web

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/sending"
)

// The dashboard: the account at a glance, from campaign.Service.Overview.

type dashboardView struct {
	HasCampaigns bool
	KPIs         []kpi
	Funnel       funnelChart
	Tiers        tierSplit
	Attention    []campaign.Attention
	Replies      []sending.Reply
}

// repliesShown is how many recent replies the dashboard lists.
const repliesShown = 5

// kpi is one number of the dashboard's top row, with what it counts.
type kpi struct {
	Label, Value, Note string
}

func (s *Surface) dashboard(w http.ResponseWriter, r *http.Request) {
	p := page{Title: "Dashboard", Nav: "dashboard"}
	if err := s.account(r, &p); err != nil {
		s.Fail(w, r, err)
		return
	}
	o, err := s.campaigns.Overview(r.Context(), userID(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	replies, err := s.sending.RecentReplies(r.Context(), userID(r), repliesShown)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := o.Outreach
	v := dashboardView{
		HasCampaigns: o.Campaigns > 0,
		KPIs: []kpi{
			{"Leads found", number(o.Found), "businesses discovered or imported"},
			{"Qualified", number(o.Qualified), "scored and kept by your criteria"},
			{"Contacted", number(out.Sent), "first email sent"},
			{"Open rate", rate(out.Opened, out.Sent), "of contacted leads"},
			{"Reply rate", rate(out.Replied, out.Sent), "of contacted leads"},
			{"Bounce rate", rate(out.Bounced, out.Sent), "of contacted leads"},
			{"Credits left", number(p.User.LeadCredits), "one per lead discovered"},
		},
		Funnel: newFunnel([]funnelStep{{"Found", o.Found}, {"Enriched", o.Enriched}, {"Qualified", o.Qualified},
			{"Approved", out.Approved}, {"Sent", out.Sent}, {"Replied", out.Replied}}),
		Tiers:     newTierSplit(o.ByTier),
		Attention: o.Attention,
		Replies:   replies,
	}
	p.View = v
	s.render(w, r, http.StatusOK, "dashboard", p)
}
