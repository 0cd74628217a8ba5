package instantly

import (
	"net/http"
	"strings"
)

// Lead is a lead as the fake holds it, for tests.
type Lead struct {
	ID              string
	CampaignID      string
	Email           string
	FirstName       string
	LastName        string
	CompanyName     string
	JobTitle        string
	Website         string
	Phone           string
	Personalization string
	// CustomVariables are as sent: strings, json.Number, booleans or nil.
	CustomVariables map[string]any
	Created         string
}

// planLeads is the fictional plan's lead allowance (remaining_in_plan).
const planLeads = 100_000

// maxLeads is the most leads one POST /leads/add carries.
const maxLeads = 1000

var leadSchema = object(
	opt("email", nullable(str)),
	opt("first_name", nullable(str)),
	opt("last_name", nullable(str)),
	opt("company_name", nullable(str)),
	opt("job_title", nullable(str)),
	opt("website", nullable(str)),
	opt("phone", nullable(str)),
	opt("personalization", nullable(str)),
	opt("lt_interest_status", nullable(integer(-3, 4))),
	opt("pl_value_lead", nullable(str)),
	opt("assigned_to", nullable(uuid)),
	opt("custom_variables", nullable(mapOf(nil, 0, scalar))),
)

// addLeadsSchema is POST /leads/add's body.
var addLeadsSchema = object(
	opt("campaign_id", uuid),
	opt("list_id", uuid),
	req("leads", array(1, maxLeads, leadSchema)),
	opt("skip_if_in_workspace", boolean),
	opt("skip_if_in_campaign", boolean),
	opt("skip_if_in_list", boolean),
	opt("verify_leads_on_import", boolean),
	opt("blocklist_id", uuid),
	opt("assigned_to", uuid),
)

// addLeadsResponse is the upload summary.
type addLeadsResponse struct {
	Status              string        `json:"status"`
	TotalSent           int           `json:"total_sent"`
	LeadsUploaded       int           `json:"leads_uploaded"`
	InBlocklist         int           `json:"in_blocklist"`
	BlocklistUsed       bool          `json:"blocklist_used"`
	DuplicatedLeads     int           `json:"duplicated_leads"`
	SkippedCount        int           `json:"skipped_count"`
	InvalidEmailCount   int           `json:"invalid_email_count"`
	IncompleteCount     int           `json:"incomplete_count"`
	DuplicateEmailCount int           `json:"duplicate_email_count"`
	RemainingInPlan     int           `json:"remaining_in_plan"`
	CreatedLeads        []createdLead `json:"created_leads"`
}

type createdLead struct {
	Index     int    `json:"index"`
	ID        string `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

func (f *Fake) addLeads(w http.ResponseWriter, r *http.Request, body []byte) {
	v, ok := decodeBody(w, r, body)
	if !ok || !validate(w, v, addLeadsSchema) {
		return
	}
	m := v.(map[string]any)
	campaignID, hasCampaign := m["campaign_id"].(string)
	_, hasList := m["list_id"]
	switch {
	case hasCampaign && hasList:
		writeError(w, http.StatusBadRequest, "FST_ERR_VALIDATION", "body must have campaign_id or list_id, not both")
		return
	case !hasCampaign && !hasList:
		writeError(w, http.StatusBadRequest, "FST_ERR_VALIDATION", "body must have required property 'campaign_id' or 'list_id'")
		return
	case hasList:
		writeError(w, http.StatusNotFound, "", "List not found (the sandbox keeps no lead lists)")
		return
	}
	skipInCampaign, _ := m["skip_if_in_campaign"].(bool)
	skipInWorkspace, _ := m["skip_if_in_workspace"].(bool)

	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.campaigns[campaignID]; !ok {
		writeError(w, http.StatusNotFound, "", "Campaign not found")
		return
	}
	inCampaign, inWorkspace := map[string]bool{}, map[string]bool{}
	total := 0
	for id, ls := range f.leads {
		for _, l := range ls {
			inWorkspace[strings.ToLower(l.Email)] = true
			if id == campaignID {
				inCampaign[strings.ToLower(l.Email)] = true
			}
			total++
		}
	}
	leads := m["leads"].([]any)
	out := addLeadsResponse{Status: "success", TotalSent: len(leads), CreatedLeads: []createdLead{}}
	seen := map[string]bool{}
	now := f.timestamp()
	for i, raw := range leads {
		lm := raw.(map[string]any)
		email := strings.TrimSpace(text(lm, "email"))
		key := strings.ToLower(email)
		switch {
		case email == "":
			out.IncompleteCount++
		case !emailRE.MatchString(email):
			out.InvalidEmailCount++
		case seen[key]:
			out.DuplicateEmailCount++
		case inCampaign[key] && skipInCampaign, inWorkspace[key] && skipInWorkspace:
			out.SkippedCount++
		case inCampaign[key]:
			out.DuplicatedLeads++
		default:
			seen[key] = true
			l := &Lead{
				ID: newID(), CampaignID: campaignID, Email: email,
				FirstName: text(lm, "first_name"), LastName: text(lm, "last_name"), CompanyName: text(lm, "company_name"),
				JobTitle: text(lm, "job_title"), Website: text(lm, "website"), Phone: text(lm, "phone"),
				Personalization: text(lm, "personalization"), Created: now,
			}
			if cv, ok := lm["custom_variables"].(map[string]any); ok {
				l.CustomVariables = cloneJSON(cv).(map[string]any)
			}
			f.leads[campaignID] = append(f.leads[campaignID], l)
			out.LeadsUploaded++
			out.CreatedLeads = append(out.CreatedLeads, createdLead{Index: i, ID: l.ID, Email: l.Email, FirstName: l.FirstName, LastName: l.LastName, Phone: l.Phone})
		}
		seen[key] = true
	}
	out.RemainingInPlan = max(planLeads-total-out.LeadsUploaded, 0)
	writeJSON(w, out)
}

func text(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// Leads returns the leads of a campaign, in the order they were added.
func (f *Fake) Leads(campaignID string) []Lead {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Lead, 0, len(f.leads[campaignID]))
	for _, l := range f.leads[campaignID] {
		c := *l
		if l.CustomVariables != nil {
			c.CustomVariables = cloneJSON(l.CustomVariables).(map[string]any)
		}
		out = append(out, c)
	}
	return out
}
