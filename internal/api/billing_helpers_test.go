package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
)

// ledgerEntry is one entry of GET /api/billing/ledger.
type ledgerEntry struct {
	ID           string  `json:"id"`
	Kind         string  `json:"kind"`
	Amount       int     `json:"amount"`
	BalanceAfter int     `json:"balance_after"`
	CampaignID   *string `json:"campaign_id"`
	ProspectID   *string `json:"prospect_id"`
	Reason       *string `json:"reason"`
	CreatedAt    string  `json:"created_at"`
}

// ledgerOf reads the caller's whole ledger, newest first, page by page.
func ledgerOf(t *testing.T, c *apptest.Client) []ledgerEntry {
	t.Helper()
	var all []ledgerEntry
	cursor := ""
	for {
		path := "/api/billing/ledger?limit=200"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		resp := c.Get(path)
		if resp.Status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, resp.Status, resp.Body)
		}
		var page struct {
			Data       []ledgerEntry `json:"data"`
			NextCursor *string       `json:"next_cursor"`
		}
		resp.JSON(t, &page)
		all = append(all, page.Data...)
		if page.NextCursor == nil {
			return all
		}
		cursor = *page.NextCursor
	}
}

// ledgerKinds are the prospects charged and refunded in the caller's ledger.
func ledgerKinds(t *testing.T, c *apptest.Client) (charged, refunded map[string]bool) {
	t.Helper()
	charged, refunded = map[string]bool{}, map[string]bool{}
	for _, e := range ledgerOf(t, c) {
		if e.ProspectID == nil {
			continue
		}
		switch e.Kind {
		case "charge":
			if charged[*e.ProspectID] {
				t.Errorf("prospect %s charged twice", *e.ProspectID)
			}
			charged[*e.ProspectID] = true
		case "refund":
			if refunded[*e.ProspectID] {
				t.Errorf("prospect %s refunded twice", *e.ProspectID)
			}
			refunded[*e.ProspectID] = true
			if e.Reason == nil || *e.Reason == "" {
				t.Errorf("refund of %s gives no reason", *e.ProspectID)
			}
		}
	}
	return charged, refunded
}

// assertUnreachable checks that enrichment found no contact with a phone or
// an email that is not invalid for a refunded prospect. (Its own phone is
// not checked: a later discovery source may merge a listing with a phone
// into a prospect already enriched and refunded, and the user keeps that
// lead free; enrich.Reachable's test covers the rule.)
func assertUnreachable(t *testing.T, c *apptest.Client, prospectID string) {
	t.Helper()
	var p struct {
		Contacts []struct {
			Email  *string `json:"email"`
			Status *string `json:"email_verification_status"`
			Phone  *string `json:"phone"`
		} `json:"contacts"`
	}
	c.Get("/api/prospects/"+prospectID).JSON(t, &p)
	for _, ct := range p.Contacts {
		if ct.Phone != nil && *ct.Phone != "" || ct.Email != nil && *ct.Email != "" && (ct.Status == nil || *ct.Status != "invalid") {
			t.Errorf("refunded prospect %s has a way to reach it: %+v", prospectID, ct)
		}
	}
}
