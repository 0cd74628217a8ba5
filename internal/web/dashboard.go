package web

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/tracking"
	"github.com/prospectorhq/prospector/internal/web/figures"
)

// The dashboard: the account at a glance, from campaign.Service.Overview.

type dashboardView struct {
	HasCampaigns bool
	KPIs         []kpi
	Funnel       figures.Funnel
	Tiers        figures.TierSplit
	Attention    []campaign.Attention
	Replies      []tracking.Reply
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
	replies, err := s.tracking.RecentReplies(r.Context(), userID(r), repliesShown)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := o.Outreach
	v := dashboardView{
		HasCampaigns: o.Campaigns > 0,
		KPIs: []kpi{
			{"Leads found", figures.Number(o.Found), "businesses discovered or imported"},
			{"Qualified", figures.Number(o.Qualified), "scored and kept by your criteria"},
			{"Contacted", figures.Number(out.Sent), "first email sent"},
			{"Open rate", figures.Rate(out.Opened, out.Sent), "of contacted leads"},
			{"Reply rate", figures.Rate(out.Replied, out.Sent), "of contacted leads"},
			{"Bounce rate", figures.Rate(out.Bounced, out.Sent), "of contacted leads"},
			{"Credits left", figures.Number(p.User.LeadCredits), "one per lead discovered"},
		},
		Funnel: figures.NewFunnel([]figures.Step{{Label: "Found", Count: o.Found}, {Label: "Enriched", Count: o.Enriched}, {Label: "Qualified", Count: o.Qualified},
			{Label: "Approved", Count: out.Approved}, {Label: "Sent", Count: out.Sent}, {Label: "Replied", Count: out.Replied}}),
		Tiers:     figures.NewTierSplit(o.ByTier),
		Attention: o.Attention,
		Replies:   replies,
	}
	p.View = v
	s.render(w, r, http.StatusOK, "dashboard", p)
}
