package instantly

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Lead is one approved sequence, sent to Instantly as a lead of the
// campaign: the contact, and the sequence's own text as custom variables.
type Lead struct {
	Email       string
	FirstName   string
	LastName    string
	CompanyName string
	Website     string
	// Steps are the sequence's emails; they become the lead's
	// custom_variables (see Variables).
	Steps []Email
}

// AddLeadsResult sums Instantly's answers to one AddLeads.
type AddLeadsResult struct {
	// Sent is how many leads were sent, Uploaded how many Instantly added;
	// the difference is in the counts below.
	Sent, Uploaded int
	// Skipped were already in the campaign (an upload repeated after a lost
	// answer adds nobody twice), Duplicated already leads of the workspace,
	// InBlocklist on its block list, InvalidEmail or Incomplete refused,
	// DuplicateEmail repeated within the request.
	Skipped, Duplicated, InBlocklist, InvalidEmail, Incomplete, DuplicateEmail int
	// IDs maps each created lead's address (lower case) to its Instantly id.
	IDs map[string]string
}

const opAddLeads = "add the leads to the campaign"

// LeadsRequest builds the body of POST /leads/add for leads of campaign id.
func LeadsRequest(campaignID string, leads []Lead) (AddLeadsRequest, error) {
	if strings.TrimSpace(campaignID) == "" {
		return AddLeadsRequest{}, invalid(opAddLeads, "no campaign id")
	}
	if len(leads) == 0 || len(leads) > MaxLeadsPerRequest {
		return AddLeadsRequest{}, invalid(opAddLeads, fmt.Sprintf("a request carries 1 to %d leads, not %d", MaxLeadsPerRequest, len(leads)))
	}
	req := AddLeadsRequest{CampaignID: campaignID, SkipIfInCampaign: true, Leads: make([]LeadRequest, len(leads))}
	for i, l := range leads {
		email := strings.TrimSpace(l.Email)
		if email == "" || !strings.Contains(email, "@") {
			return AddLeadsRequest{}, invalid(opAddLeads, fmt.Sprintf("lead %d has no email address", i+1))
		}
		if len(l.Steps) == 0 {
			return AddLeadsRequest{}, invalid(opAddLeads, fmt.Sprintf("lead %d has no steps", i+1))
		}
		req.Leads[i] = LeadRequest{
			Email: email, FirstName: l.FirstName, LastName: l.LastName, CompanyName: l.CompanyName, Website: l.Website,
			CustomVariables: Variables(l.Steps),
		}
	}
	return req, nil
}

// AddLeads adds leads to a campaign: POST /leads/add, MaxLeadsPerRequest at
// a time. Leads already in the campaign are skipped, so calling it again
// after a failure is safe. On an error the result counts the requests that
// succeeded before it.
func (c *Client) AddLeads(ctx context.Context, campaignID string, leads []Lead) (AddLeadsResult, error) {
	res := AddLeadsResult{IDs: map[string]string{}}
	if len(leads) == 0 {
		return res, invalid(opAddLeads, "no leads")
	}
	for start := 0; start < len(leads); start += MaxLeadsPerRequest {
		chunk := leads[start:min(start+MaxLeadsPerRequest, len(leads))]
		req, err := LeadsRequest(campaignID, chunk)
		if err != nil {
			return res, err
		}
		var out AddLeadsResponse
		if err := c.call(ctx, request{op: opAddLeads, method: http.MethodPost, path: "/leads/add", endpoint: EndpointAddLeads, body: req}, &out); err != nil {
			return res, err
		}
		res.Sent += out.TotalSent
		res.Uploaded += out.LeadsUploaded
		res.Skipped += out.SkippedCount
		res.InBlocklist += out.InBlocklist
		res.InvalidEmail += out.InvalidEmailCount
		res.Incomplete += out.IncompleteCount
		res.Duplicated += out.DuplicatedLeads
		res.DuplicateEmail += out.DuplicateEmailCount
		for _, cl := range out.CreatedLeads {
			if cl.ID != "" && cl.Email != "" {
				res.IDs[strings.ToLower(cl.Email)] = cl.ID
			}
		}
	}
	return res, nil
}
