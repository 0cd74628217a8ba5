package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/store"
)

// Editing a campaign: the new-campaign form filled from it, sent as a
// PATCH of what changed (campaign.Service.Update, as PATCH
// /api/campaigns/{id}). Only what the user changed is sent, so a running
// campaign's name and mailboxes change freely while its targeting, which
// may change only while it is a draft or paused, is refused by the rules
// only when the user did change it.

func (s *Surface) editCampaignPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	c, err := s.campaigns.Get(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.showCampaignForm(w, r, http.StatusOK, newCampaignView{Form: formOf(c.Campaign)}.asEdit(c.Campaign))
}

func (s *Surface) updateCampaign(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "campaign")
	if !ok {
		return
	}
	c, err := s.campaigns.Get(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := readCampaignForm(r)
	if _, err := s.campaigns.Update(r.Context(), userID(r), id, f.patch(c.Campaign)); err != nil {
		fields, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		s.showCampaignForm(w, r, statusOf(err), newCampaignView{Form: f, Errors: fields, Problem: problem,
			Summary: summarize(fields, campaignLabels)}.asEdit(c.Campaign))
		return
	}
	s.done(w, r, "/app/campaigns/"+id, "Campaign saved.")
}

// asEdit words the form for editing c.
func (v newCampaignView) asEdit(c store.Campaign) newCampaignView {
	v.Heading, v.Lead = "Edit "+c.Name, "Targeting changes only while the campaign is a draft or paused; its name and mailboxes at any time."
	v.Action, v.Button, v.Cancel = "/app/campaigns/"+c.ID+"/edit", "Save campaign", "/app/campaigns/"+c.ID
	return v
}

// formOf is a stored campaign as the form shows it.
func formOf(c store.Campaign) campaignForm {
	t := settings.StoredTargeting(c.TargetCriteria)
	f := campaignForm{Name: c.Name, BusinessType: c.BusinessType, TargetLocation: c.TargetLocation,
		MaxResults: strconv.Itoa(t.MaxResults), Industries: strings.Join(t.Industries, ", "),
		Sources: nonNil(t.Sources), Tiers: nonNil(t.TiersForOutreach)}
	f.setSending(settings.StoredSending(c.Sending))
	if t.MinReviews != nil {
		f.MinReviews = strconv.Itoa(*t.MinReviews)
	}
	if t.MinRating != nil {
		f.MinRating = strconv.FormatFloat(*t.MinRating, 'f', -1, 64)
	}
	if t.MaxWebsiteScore != nil {
		f.MaxWebsiteScore = strconv.Itoa(*t.MaxWebsiteScore)
	}
	days := make([]string, len(t.SequenceDelays))
	for i, d := range t.SequenceDelays {
		days[i] = strconv.Itoa(d)
	}
	f.SequenceDelays = strings.Join(days, ", ")
	return f
}

// patch is what the form changed of c: the name always, the rest only when
// it differs from what is stored.
func (f campaignForm) patch(c store.Campaign) campaign.Patch {
	p := campaign.Patch{Name: &f.Name}
	g := formOf(c)
	if f.BusinessType != c.BusinessType {
		p.BusinessType = &f.BusinessType
	}
	if f.TargetLocation != c.TargetLocation {
		p.TargetLocation = &f.TargetLocation
	}
	if f.criteriaDiffer(g) {
		stored := map[string]any{}
		_ = json.Unmarshal(c.TargetCriteria, &stored) // stored criteria are valid JSON; none is no criteria
		p.TargetCriteria = mustJSON(f.criteria(stored))
	}
	if f.sendingDiffers(g) {
		p.Sending = f.sending()
	}
	return p
}

// criteriaDiffer reports whether the form's criteria fields differ from
// g's, the stored campaign as the form shows it.
func (f campaignForm) criteriaDiffer(g campaignForm) bool {
	return f.MaxResults != g.MaxResults || f.MinReviews != g.MinReviews || f.MinRating != g.MinRating ||
		f.MaxWebsiteScore != g.MaxWebsiteScore || f.Industries != g.Industries || f.SequenceDelays != g.SequenceDelays ||
		!slices.Equal(f.Sources, g.Sources) || !slices.Equal(f.Tiers, g.Tiers)
}

// sendingDiffers reports whether the form's sending fields differ from
// g's, the stored campaign as the form shows it.
func (f campaignForm) sendingDiffers(g campaignForm) bool {
	return !slices.Equal(f.MailboxIDs, g.MailboxIDs) || f.Timezone != g.Timezone || f.Start != g.Start || f.End != g.End ||
		!slices.Equal(f.Days, g.Days) || f.TrackOpens != g.TrackOpens || f.TrackClicks != g.TrackClicks
}
