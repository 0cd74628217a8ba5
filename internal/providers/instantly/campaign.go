package instantly

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// CampaignParams describe the Instantly campaign of one Prospector campaign,
// in Prospector's terms (the campaign's sending settings, DESIGN.md).
type CampaignParams struct {
	Name string
	// Accounts are the Instantly sending accounts (instantly_accounts).
	Accounts []string
	// Timezone is an IANA zone; it is sent as the equivalent zone of
	// Instantly's closed list (see ScheduleTimezone).
	Timezone string
	// Days are ISO weekdays, 1 (Monday) to 7 (Sunday).
	Days []int
	// Start and End bound the daily window, "HH:MM".
	Start, End string
	// SendDays are the steps' send days counted from the first step, as
	// Prospector's delay_days: [0, 3, 7] is three steps, on days 0, 3 and 7.
	SendDays []int
	// DailyLimit is the campaign's emails a day; 0 leaves Instantly's default.
	DailyLimit int
	// MinGapSeconds and MaxGapSeconds bound the wait between two emails of
	// one account; Instantly counts it in minutes (rounded up).
	MinGapSeconds, MaxGapSeconds int
	StopOnReply, StopForCompany  bool
	TrackOpens, TrackClicks      bool
	TextOnly                     bool
}

// ScheduleName names the one sending window of a campaign.
const ScheduleName = "Prospector sending window"

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// CampaignRequest builds the body of POST /campaigns for p, or says what is
// wrong with p.
func CampaignRequest(p CampaignParams) (CreateCampaignRequest, error) {
	var problems []string
	if strings.TrimSpace(p.Name) == "" {
		problems = append(problems, "the campaign has no name")
	}
	if len(p.Accounts) == 0 {
		problems = append(problems, "no Instantly sending account is chosen (instantly_accounts)")
	}
	if !hhmm.MatchString(p.Start) || !hhmm.MatchString(p.End) {
		problems = append(problems, fmt.Sprintf("the window %q–%q is not HH:MM to HH:MM", p.Start, p.End))
	}
	days, ok := scheduleDays(p.Days)
	if !ok {
		problems = append(problems, "the sending days must be ISO weekdays 1–7, at least one")
	}
	steps, ok := sequenceSteps(p.SendDays)
	if !ok {
		problems = append(problems, "the send days must start at 0 and never go back")
	}
	if p.MinGapSeconds < 0 || p.MaxGapSeconds < p.MinGapSeconds {
		problems = append(problems, "the gap between emails must be 0 or more, its maximum at least its minimum")
	}
	if p.DailyLimit < 0 {
		problems = append(problems, "the daily limit cannot be negative")
	}
	if strings.TrimSpace(p.Timezone) == "" {
		problems = append(problems, "the schedule has no time zone")
	}
	if len(problems) > 0 {
		return CreateCampaignRequest{}, invalid(opCreate, strings.Join(problems, "; "))
	}
	req := CreateCampaignRequest{
		Name: p.Name,
		CampaignSchedule: CampaignSchedule{Schedules: []Schedule{{
			Name:     ScheduleName,
			Timing:   Timing{From: p.Start, To: p.End},
			Days:     days,
			Timezone: ScheduleTimezone(p.Timezone),
		}}},
		Sequences:               []Sequence{{Steps: steps}},
		EmailList:               slices.Clone(p.Accounts),
		EmailGap:                ceilMinutes(p.MinGapSeconds),
		RandomWaitMax:           ceilMinutes(p.MaxGapSeconds - p.MinGapSeconds),
		StopOnReply:             p.StopOnReply,
		StopOnAutoReply:         false,
		StopForCompany:          p.StopForCompany,
		LinkTracking:            p.TrackClicks,
		OpenTracking:            p.TrackOpens,
		TextOnly:                p.TextOnly,
		InsertUnsubscribeHeader: true,
	}
	if p.DailyLimit > 0 {
		limit := p.DailyLimit
		req.DailyLimit = &limit
	}
	return req, nil
}

// scheduleDays turns ISO weekdays into Instantly's "0"–"6" map, every day
// present: "0" is Sunday (ISO 7).
func scheduleDays(iso []int) (map[string]bool, bool) {
	days := map[string]bool{}
	for i := range 7 {
		days[strconv.Itoa(i)] = false
	}
	for _, d := range iso {
		if d < 1 || d > 7 {
			return nil, false
		}
		days[strconv.Itoa(d%7)] = true
	}
	return days, len(iso) > 0
}

// sequenceSteps turns send days counted from the first step into
// Instantly's steps, whose delay is the wait before the next one; each
// step's text is the merge tags of the lead's own variables.
func sequenceSteps(sendDays []int) ([]Step, bool) {
	if len(sendDays) == 0 || sendDays[0] != 0 {
		return nil, false
	}
	steps := make([]Step, len(sendDays))
	for i, day := range sendDays {
		delay := 0
		if i+1 < len(sendDays) {
			delay = sendDays[i+1] - day
			if delay < 0 {
				return nil, false
			}
		}
		steps[i] = Step{
			Type: StepTypeEmail, Delay: delay, DelayUnit: DelayUnitDays,
			Variants: []Variant{{Subject: MergeTag(SubjectVariable(i + 1)), Body: MergeTag(BodyVariable(i + 1))}},
		}
	}
	return steps, true
}

func ceilMinutes(seconds int) int { return (max(seconds, 0) + 59) / 60 }

const (
	opCreate   = "create the campaign"
	opActivate = "activate the campaign"
	opPause    = "pause the campaign"
)

// CreateCampaign creates the Instantly campaign of p (status draft): POST
// /campaigns. Nothing is sent until it is activated.
func (c *Client) CreateCampaign(ctx context.Context, p CampaignParams) (Campaign, error) {
	req, err := CampaignRequest(p)
	if err != nil {
		return Campaign{}, err
	}
	var out Campaign
	if err := c.call(ctx, request{op: opCreate, method: http.MethodPost, path: "/campaigns", endpoint: EndpointCreateCampaign, body: req}, &out); err != nil {
		return Campaign{}, err
	}
	if out.ID == "" {
		return Campaign{}, wrap(opCreate, badAnswer("the answer has no campaign id"))
	}
	return out, nil
}

// ActivateCampaign starts or resumes a campaign: POST
// /campaigns/{id}/activate, with no body.
func (c *Client) ActivateCampaign(ctx context.Context, id string) (Campaign, error) {
	return c.campaignAction(ctx, id, "activate", opActivate, EndpointActivateCampaign)
}

// PauseCampaign pauses a campaign: POST /campaigns/{id}/pause, with no body.
func (c *Client) PauseCampaign(ctx context.Context, id string) (Campaign, error) {
	return c.campaignAction(ctx, id, "pause", opPause, EndpointPauseCampaign)
}

func (c *Client) campaignAction(ctx context.Context, id, action, op, endpoint string) (Campaign, error) {
	if strings.TrimSpace(id) == "" {
		return Campaign{}, invalid(op, "no campaign id")
	}
	var out Campaign
	err := c.call(ctx, request{op: op, method: http.MethodPost, path: "/campaigns/" + url.PathEscape(id) + "/" + action, endpoint: endpoint}, &out)
	return out, err
}
