package instantly

// Wire types of Instantly API v2, with its snake_case names, as documented
// in ../shared/api-reference/external-apis.md section 4 (from
// developer.instantly.ai and its OpenAPI file). Request types hold exactly
// the fields Prospector sends: the create-campaign and lead schemas are
// additionalProperties: false, so a stray field is a 400. Answer types hold
// what Prospector reads; unknown fields in answers are ignored.

// CreateCampaignRequest is the body of POST /campaigns.
type CreateCampaignRequest struct {
	Name             string           `json:"name"`
	CampaignSchedule CampaignSchedule `json:"campaign_schedule"`
	// Sequences: Instantly uses only element 0.
	Sequences []Sequence `json:"sequences"`
	// EmailList is the sending accounts (addresses connected in Instantly).
	EmailList []string `json:"email_list"`
	// DailyLimit is the campaign's emails a day; nil leaves Instantly's default.
	DailyLimit *int `json:"daily_limit,omitempty"`
	// EmailGap is the minutes between two emails of one account, and
	// RandomWaitMax the most minutes added to it at random.
	EmailGap      int  `json:"email_gap"`
	RandomWaitMax int  `json:"random_wait_max"`
	StopOnReply   bool `json:"stop_on_reply"`
	// StopOnAutoReply is sent false: an out-of-office answer does not end
	// a Prospector sequence.
	StopOnAutoReply         bool `json:"stop_on_auto_reply"`
	StopForCompany          bool `json:"stop_for_company"`
	LinkTracking            bool `json:"link_tracking"`
	OpenTracking            bool `json:"open_tracking"`
	TextOnly                bool `json:"text_only"`
	InsertUnsubscribeHeader bool `json:"insert_unsubscribe_header"`
}

// CampaignSchedule is when the campaign sends. Start and end dates are left
// out (null): the campaign sends from its activation on.
type CampaignSchedule struct {
	Schedules []Schedule `json:"schedules"`
}

// Schedule is one sending window.
type Schedule struct {
	Name   string `json:"name"`
	Timing Timing `json:"timing"`
	// Days maps "0"…"6" to whether the window is open that day; "0" is
	// Sunday (as in the documentation's Monday-to-Friday example).
	Days     map[string]bool `json:"days"`
	Timezone string          `json:"timezone"`
}

// Timing is a daily window, "HH:MM" in 24 h.
type Timing struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Sequence is a list of steps.
type Sequence struct {
	Steps []Step `json:"steps"`
}

// Step is one email of the sequence. Delay is the wait before the NEXT
// step (0 on the last), in DelayUnit.
type Step struct {
	Type      string    `json:"type"` // always "email"
	Delay     int       `json:"delay"`
	DelayUnit string    `json:"delay_unit"`
	Variants  []Variant `json:"variants"`
}

// Variant is a step's subject and HTML body.
type Variant struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// StepTypeEmail and DelayUnitDays are the only step type and the delay unit
// Prospector uses.
const (
	StepTypeEmail = "email"
	DelayUnitDays = "days"
)

// Campaign is Instantly's campaign object, as answered by create, activate
// and pause.
type Campaign struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Status           CampaignStatus `json:"status"`
	NotSendingStatus *int           `json:"not_sending_status,omitempty"`
	EmailList        []string       `json:"email_list,omitempty"`
	TimestampCreated string         `json:"timestamp_created,omitempty"`
	TimestampUpdated string         `json:"timestamp_updated,omitempty"`
}

// CampaignStatus is Campaign.Status.
type CampaignStatus int

// Campaign statuses.
const (
	StatusDraft               CampaignStatus = 0
	StatusActive              CampaignStatus = 1
	StatusPaused              CampaignStatus = 2
	StatusCompleted           CampaignStatus = 3
	StatusRunningSubsequences CampaignStatus = 4
	StatusAccountsUnhealthy   CampaignStatus = -1
	StatusBounceProtect       CampaignStatus = -2
	StatusAccountSuspended    CampaignStatus = -99
)

var statusNames = map[CampaignStatus]string{
	StatusDraft: "draft", StatusActive: "active", StatusPaused: "paused", StatusCompleted: "completed",
	StatusRunningSubsequences: "running subsequences", StatusAccountsUnhealthy: "accounts unhealthy",
	StatusBounceProtect: "bounce protect", StatusAccountSuspended: "account suspended",
}

func (s CampaignStatus) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "unknown"
}

// AddLeadsRequest is the body of POST /leads/add.
type AddLeadsRequest struct {
	CampaignID string `json:"campaign_id"`
	// SkipIfInCampaign makes a repeated upload (a retry after a lost
	// answer) add nobody twice.
	SkipIfInCampaign bool          `json:"skip_if_in_campaign"`
	Leads            []LeadRequest `json:"leads"`
}

// LeadRequest is one lead of AddLeadsRequest.
type LeadRequest struct {
	Email       string `json:"email"`
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
	CompanyName string `json:"company_name,omitempty"`
	Website     string `json:"website,omitempty"`
	// CustomVariables values must be strings, numbers, booleans or null.
	CustomVariables map[string]string `json:"custom_variables,omitempty"`
}

// AddLeadsResponse is the summary POST /leads/add answers.
type AddLeadsResponse struct {
	Status              string        `json:"status"`
	TotalSent           int           `json:"total_sent"`
	LeadsUploaded       int           `json:"leads_uploaded"`
	InBlocklist         int           `json:"in_blocklist"`
	DuplicatedLeads     int           `json:"duplicated_leads"`
	SkippedCount        int           `json:"skipped_count"`
	InvalidEmailCount   int           `json:"invalid_email_count"`
	IncompleteCount     int           `json:"incomplete_count"`
	DuplicateEmailCount int           `json:"duplicate_email_count"`
	CreatedLeads        []CreatedLead `json:"created_leads"`
}

// CreatedLead is a lead the upload created; Index is its place in the
// request's leads.
type CreatedLead struct {
	Index int    `json:"index"`
	ID    string `json:"id"`
	Email string `json:"email"`
}

// CreateWebhookRequest is the body of POST /webhooks.
type CreateWebhookRequest struct {
	TargetHookURL string `json:"target_hook_url"`
	// Campaign is always null: one webhook for every campaign of the
	// workspace.
	Campaign  *string           `json:"campaign"`
	Name      string            `json:"name"`
	EventType string            `json:"event_type"`
	Headers   map[string]string `json:"headers"`
}

// EventAllEvents subscribes a webhook to every event.
const EventAllEvents = "all_events"

// Webhook is Instantly's webhook object. Headers holds the shared secret:
// never log it (LogValue leaves it out).
type Webhook struct {
	ID               string            `json:"id"`
	TargetHookURL    string            `json:"target_hook_url"`
	Name             string            `json:"name,omitempty"`
	EventType        string            `json:"event_type,omitempty"`
	Campaign         *string           `json:"campaign,omitempty"`
	Headers          map[string]string `json:"headers,omitempty"`
	TimestampCreated string            `json:"timestamp_created,omitempty"`
}

// WebhookList is a page of GET /webhooks.
type WebhookList struct {
	Items             []Webhook `json:"items"`
	NextStartingAfter string    `json:"next_starting_after,omitempty"`
}
