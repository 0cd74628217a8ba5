package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/store"
)

// A campaign's page: its progress, what each source found, whether it can
// send, and the start and pause buttons (campaign.Service's rules).

type campaignView struct {
	campaign.View
	Stats   campaign.Stats
	Target  settings.Targeting
	Sources []sourceRow
	// CanStart and CanPause choose the buttons; StartLabel names the start
	// one for the campaign's status.
	CanStart, CanPause bool
	StartLabel         string
	// Scored is the live view's count of leads given a tier.
	Scored int
	// Import is the outcome of the CSV import just sent (nil otherwise).
	Import *importOutcome
	// Steps are the outcomes of each email of the sequences, in order.
	Steps []stepRow
}

// stepRow is how one email of the campaign's sequences did.
type stepRow struct {
	Step int
	store.MessageCounts
}

// sourceRow is what one discovery source did in the last run, or that it
// has not run yet (Report nil).
type sourceRow struct {
	Source string
	Report *discovery.SourceReport
}

func (s *Surface) campaignPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v, err := s.campaignView(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.show(w, r, http.StatusOK, "campaign", page{Title: v.Name, Nav: "campaigns", View: v})
}

func (s *Surface) campaignView(ctx context.Context, userID, id string) (campaignView, error) {
	c, err := s.campaigns.Get(ctx, userID, id)
	if err != nil {
		return campaignView{}, err
	}
	st, err := s.campaigns.Stats(ctx, userID, id)
	if err != nil {
		return campaignView{}, err
	}
	v := campaignView{View: c, Stats: st, Target: settings.StoredTargeting(c.TargetCriteria),
		CanStart: c.Status != store.CampaignRunning, CanPause: c.Status == store.CampaignRunning,
		Scored: campaign.ProgressOf(st).Scored}
	switch c.Status {
	case store.CampaignDraft:
		v.StartLabel = "Start campaign"
	case store.CampaignPaused:
		v.StartLabel = "Resume campaign"
	default:
		v.StartLabel = "Start again"
	}
	for key, counts := range st.Outreach.ByStep {
		if n, err := strconv.Atoi(key); err == nil {
			v.Steps = append(v.Steps, stepRow{Step: n, MessageCounts: counts})
		}
	}
	slices.SortFunc(v.Steps, func(a, b stepRow) int { return a.Step - b.Step })
	for _, src := range v.Target.DiscoverySources() {
		row := sourceRow{Source: src}
		if rep, ok := st.Sources[src]; ok {
			row.Report = &rep
		}
		v.Sources = append(v.Sources, row)
	}
	for src, rep := range st.Sources { // sources the campaign no longer asks for
		if !slices.ContainsFunc(v.Sources, func(r sourceRow) bool { return r.Source == src }) {
			v.Sources = append(v.Sources, sourceRow{Source: src, Report: &rep})
		}
	}
	return v, nil
}

func (s *Surface) startCampaign(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, s.campaigns.Start, "The campaign is running: discovery has started and each lead moves through the pipeline.")
}

func (s *Surface) pauseCampaign(w http.ResponseWriter, r *http.Request) {
	s.campaignAction(w, r, s.campaigns.Pause, "The campaign is paused: its work stops within seconds and resumes where it was.")
}

// campaignAction runs a status change and returns to the campaign's page
// saying what happened; a refusal (already running, no credits) is said
// there too. Another user's campaign is not found.
func (s *Surface) campaignAction(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, userID, id string) (store.Campaign, error), doneText string) {
	id, err := pathID(r, "campaign")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	back := "/app/campaigns/" + id
	if _, err := act(r.Context(), userID(r), id); err != nil {
		s.refused(w, r, back, err)
		return
	}
	s.done(w, r, back, doneText)
}
