package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
)

// The new-campaign form: one page with the target, the criteria and
// sources, the tiers to write to and the mailboxes to send from. The form
// is turned into the API's input (name, business_type, target_location,
// target_criteria, sending) unjudged, and campaign.Service.Create decides
// what is valid, so its answers name the same fields the API's do.

// campaignForm is the form as the user typed it.
type campaignForm struct {
	Name, BusinessType, TargetLocation                 string
	MaxResults, MinReviews, MinRating, MaxWebsiteScore string
	Industries, SequenceDelays                         string
	Sources, Tiers, MailboxIDs                         []string
	// The sending window and tracking: Timezone "" is the sender
	// profile's; Days are ISO weekdays as typed ("1" is Monday).
	Timezone, Start, End    string
	Days                    []string
	TrackOpens, TrackClicks bool
}

// campaignLabels are the form's fields in its order, by the names the
// domain reports problems under.
var campaignLabels = []fieldLabel{
	{"name", "Campaign name"}, {"business_type", "Business type"}, {"target_location", "Location"},
	{"target_criteria.max_results", "Most leads to find"}, {"target_criteria.sources", "Sources"},
	{"target_criteria.min_reviews", "Fewest reviews"}, {"target_criteria.min_rating", "Lowest rating"},
	{"target_criteria.max_website_score", "Highest website score"}, {"target_criteria.industries", "Industries"},
	{"target_criteria.tiers_for_outreach", "Tiers to write to"}, {"target_criteria.sequence_delays", "Days of each email"},
	{"sending.mailbox_ids", "Send from"}, {"sending.schedule.timezone", "Time zone"}, {"sending.schedule.days", "Days"},
	{"sending.schedule.start", "From"}, {"sending.schedule.end", "Until"},
}

// weekdays are the days of the schedule's checkboxes, ISO-numbered.
var weekdays = []struct{ Value, Name string }{{"1", "Monday"}, {"2", "Tuesday"}, {"3", "Wednesday"}, {"4", "Thursday"},
	{"5", "Friday"}, {"6", "Saturday"}, {"7", "Sunday"}}

type newCampaignView struct {
	Form      campaignForm
	Errors    fieldErrors
	Problem   string
	Summary   []summaryItem
	Mailboxes []sending.MailboxView
	// The choices of the checkbox groups.
	AllSources, AllTiers []string
	Weekdays             []struct{ Value, Name string }
	// The form's words and where it goes: a new campaign's, or an edit's.
	Heading, Lead, Action, Button, Cancel string
}

// asNew words the form for a new campaign.
func (v newCampaignView) asNew() newCampaignView {
	v.Heading, v.Lead = "New campaign", "Whom to find, which of them to write to, and from which mailbox."
	v.Action, v.Button, v.Cancel = "/app/campaigns/new", "Create campaign", "/app/campaigns"
	return v
}

func (s *Surface) newCampaignPage(w http.ResponseWriter, r *http.Request) {
	f := campaignForm{MaxResults: "100", Sources: settings.Sources(), Tiers: settings.DefaultOutreachTiers(),
		SequenceDelays: "0, 3, 7"}
	f.setSending(settings.DefaultSending())
	s.showCampaignForm(w, r, http.StatusOK, newCampaignView{Form: f}.asNew())
}

func (s *Surface) showCampaignForm(w http.ResponseWriter, r *http.Request, status int, v newCampaignView) {
	boxes, _, err := s.sending.Mailboxes(r.Context(), userID(r), store.Page{Limit: 200})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(boxes) == 1 && v.Form.MailboxIDs == nil && status == http.StatusOK {
		v.Form.MailboxIDs = []string{boxes[0].ID} // the one mailbox, ticked
	}
	v.Mailboxes, v.AllSources, v.AllTiers, v.Weekdays = boxes, settings.Sources(), settings.Tiers(), weekdays
	s.show(w, r, status, "campaign_new", page{Title: "New campaign", Nav: "campaigns", View: v})
}

func (s *Surface) createCampaign(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	f := readCampaignForm(r)
	c, err := s.campaigns.Create(r.Context(), userID(r), f.input())
	if err != nil {
		fields, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		s.showCampaignForm(w, r, statusOf(err), newCampaignView{Form: f, Errors: fields, Problem: problem,
			Summary: summarize(fields, campaignLabels)}.asNew())
		return
	}
	s.done(w, r, "/app/campaigns/"+c.ID, "Campaign created. Start it when you are ready: discovery spends one lead credit per business found.")
}

// readCampaignForm reads the posted campaign form as typed.
func readCampaignForm(r *http.Request) campaignForm {
	pf := r.PostForm
	return campaignForm{Name: pf.Get("name"), BusinessType: pf.Get("business_type"), TargetLocation: pf.Get("target_location"),
		MaxResults: pf.Get("max_results"), MinReviews: pf.Get("min_reviews"), MinRating: pf.Get("min_rating"),
		MaxWebsiteScore: pf.Get("max_website_score"), Industries: pf.Get("industries"), SequenceDelays: pf.Get("sequence_delays"),
		Sources: nonNil(pf["sources"]), Tiers: nonNil(pf["tiers"]), MailboxIDs: nonNil(pf["mailbox_ids"]),
		Timezone: strings.TrimSpace(pf.Get("timezone")), Start: strings.TrimSpace(pf.Get("start")), End: strings.TrimSpace(pf.Get("end")),
		Days: nonNil(pf["days"]), TrackOpens: pf.Get("track_opens") == "on", TrackClicks: pf.Get("track_clicks") == "on"}
}

// setSending fills the form's sending fields from s.
func (f *campaignForm) setSending(s settings.Sending) {
	f.MailboxIDs = nonNil(s.MailboxIDs)
	f.Timezone = ""
	if s.Schedule.Timezone != nil {
		f.Timezone = *s.Schedule.Timezone
	}
	f.Start, f.End = s.Schedule.Start, s.Schedule.End
	f.Days = []string{}
	for _, d := range s.Schedule.Days {
		f.Days = append(f.Days, strconv.Itoa(d))
	}
	f.TrackOpens, f.TrackClicks = s.TrackOpens, s.TrackClicks
}

// sending is the form's sending settings as the API takes them.
func (f campaignForm) sending() json.RawMessage {
	days := make([]any, len(f.Days))
	for i, d := range f.Days {
		days[i] = numberOrText(d)
	}
	var tz any // null: the sender profile's time zone
	if f.Timezone != "" {
		tz = f.Timezone
	}
	out := map[string]any{"mailbox_ids": f.MailboxIDs, "track_opens": f.TrackOpens, "track_clicks": f.TrackClicks}
	// A form without the window's fields at all (not one the page
	// rendered) keeps the window as it is; unticking every day is the
	// user's choice, which the rules refuse.
	if f.Start != "" || f.End != "" || len(f.Days) > 0 {
		out["schedule"] = map[string]any{"timezone": tz, "days": days, "start": f.Start, "end": f.End}
	}
	return mustJSON(out)
}

// input is the form as the API's campaign input. Numbers go as numbers
// when they look like one, and as the text typed when they do not, so the
// campaign rules say what is wrong with them; empty fields are left out
// (their defaults apply), except the checkbox groups, which always say
// what was ticked (no source: imported leads only; no tier: no drafts).
func (f campaignForm) input() campaign.Input {
	in := campaign.Input{Name: f.Name, BusinessType: f.BusinessType, TargetLocation: f.TargetLocation,
		TargetCriteria: mustJSON(f.criteria(map[string]any{}))}
	in.Sending = f.sending()
	return in
}

// formCriteria are the target_criteria keys the form edits; others (score
// weights, tier thresholds, set through the API) are kept as they are.
var formCriteria = []string{"sources", "tiers_for_outreach", "max_results", "min_reviews", "min_rating",
	"max_website_score", "industries", "sequence_delays"}

// criteria sets the form's target_criteria keys in crit (and removes those
// left empty) and returns it.
func (f campaignForm) criteria(crit map[string]any) map[string]any {
	for _, key := range formCriteria {
		delete(crit, key)
	}
	crit["sources"], crit["tiers_for_outreach"] = f.Sources, f.Tiers
	for key, v := range map[string]string{"max_results": f.MaxResults, "min_reviews": f.MinReviews,
		"min_rating": f.MinRating, "max_website_score": f.MaxWebsiteScore} {
		if v = strings.TrimSpace(v); v != "" {
			crit[key] = numberOrText(v)
		}
	}
	if list := splitList(f.Industries); len(list) > 0 {
		crit["industries"] = list
	}
	if list := splitList(f.SequenceDelays); len(list) > 0 {
		days := make([]any, len(list))
		for i, d := range list {
			days[i] = numberOrText(d)
		}
		crit["sequence_delays"] = days
	}
	return crit
}

// jsonNumber is JSON's number grammar.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func numberOrText(v string) any {
	if jsonNumber.MatchString(v) {
		return json.Number(v)
	}
	return v
}

// splitList reads a comma-separated field: entries trimmed, empty ones
// dropped.
func splitList(v string) []string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// mustJSON marshals the form's plain maps, lists and strings, which
// cannot fail.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("web: marshal form: " + err.Error())
	}
	return b
}

// checked reports whether a checkbox group has value ticked (templates).
func checked(list []string, value string) bool { return slices.Contains(list, value) }
