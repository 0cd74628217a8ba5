package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestBulkApproveApprovesDraftsAndSaysWhyNotTheRest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, mallory := twoUsers(t, srv)
		id, _ := draftedCampaign(t, srv, c, nil)
		var drafts struct {
			Data []sequence `json:"data"`
		}
		c.Get("/api/outreach?campaign_id="+id+"&status=draft").JSON(t, &drafts)
		if len(drafts.Data) != 2 {
			t.Fatalf("drafts = %d, want 2", len(drafts.Data))
		}
		first, second := drafts.Data[0].ID, drafts.Data[1].ID

		// Another user cannot approve them: not found, and nothing changes.
		var res struct {
			Approved int `json:"approved"`
			Skipped  []struct {
				ID     string `json:"id"`
				Reason string `json:"reason"`
			} `json:"skipped"`
		}
		resp := mallory.JSON("POST", "/api/outreach/approve", map[string]any{"ids": []string{first, second}})
		resp.JSON(t, &res)
		if resp.Status != http.StatusOK || res.Approved != 0 || len(res.Skipped) != 2 || res.Skipped[0].Reason != "not found" {
			t.Fatalf("another user's bulk approve = %d %s, want 0 approved, both not found", resp.Status, resp.Body)
		}

		c.JSON("POST", "/api/outreach/"+first+"/approve", nil)
		unknown := "01a2a2a2-0000-7000-8000-000000000000"
		resp = c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": []string{first, second, second, unknown, "not-an-id"}})
		res.Skipped = nil
		resp.JSON(t, &res)
		var reasons []string
		for _, s := range res.Skipped {
			reasons = append(reasons, s.ID+": "+s.Reason)
		}
		want := []string{first + ": already approved", unknown + ": not found", "not-an-id: not found"}
		if resp.Status != http.StatusOK || res.Approved != 1 || strings.Join(reasons, "\n") != strings.Join(want, "\n") {
			t.Errorf("bulk approve = %d %s\nwant 1 approved and skipped:\n%s", resp.Status, resp.Body, strings.Join(want, "\n"))
		}
		var got sequence
		c.Get("/api/outreach/"+second).JSON(t, &got)
		if got.Status != "approved" {
			t.Errorf("second draft = %s, want approved", got.Status)
		}

		many := make([]string, 501)
		for i := range many {
			many[i] = unknown
		}
		for name, tc := range map[string]struct {
			body   string
			status int
			code   string
		}{
			"no ids":         {`{"ids":[]}`, 400, "validation_failed"},
			"missing ids":    {`{}`, 400, "validation_failed"},
			"501 ids":        {`{"ids":["` + strings.Join(many, `","`) + `"]}`, 400, "validation_failed"},
			"wrong type":     {`{"ids":"all"}`, 400, "validation_failed"},
			"unknown field":  {`{"ids":[],"all":true}`, 400, "invalid_json"},
			"malformed JSON": {`{"ids":[`, 400, "invalid_json"},
		} {
			if resp := c.JSON("POST", "/api/outreach/approve", tc.body); resp.Status != tc.status || resp.ErrorCode(t) != tc.code {
				t.Errorf("%s: %d %.200s, want %d %s", name, resp.Status, resp.Body, tc.status, tc.code)
			}
		}
		if resp := srv.Client(t).JSON("POST", "/api/outreach/approve", `{"ids":["`+second+`"]}`); resp.Status != http.StatusUnauthorized {
			t.Errorf("without auth = %d, want 401", resp.Status)
		}
	})
}
