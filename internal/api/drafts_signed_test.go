package api_test

import (
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// Issue 10: drafts were signed by nobody. With a sender profile, every
// email of every draft ends with the sender's name, and no two prospects'
// first emails are the same text.
func TestDraftsAreSignedByTheSenderAndNameTheBusiness(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, _ := srv.SignUp(t)
		if resp := c.JSON("PUT", sendingPath, map[string]any{"sender_name": "Dana Reyes", "postal_address": "1200 Congress Ave, Austin, TX 78701"}); resp.Status != 200 {
			t.Fatalf("sender profile = %d %s", resp.Status, resp.Body)
		}
		id, _ := draftedCampaign(t, srv, c, nil)
		var drafts struct {
			Data []sequence `json:"data"`
		}
		c.Get("/api/outreach?campaign_id="+id).JSON(t, &drafts)
		if len(drafts.Data) != 2 {
			t.Fatalf("drafts = %d, want 2", len(drafts.Data))
		}
		firsts := map[string]bool{}
		for _, d := range drafts.Data {
			for _, s := range d.Emails {
				if !strings.HasSuffix(s.Body, "\nDana Reyes") {
					t.Errorf("draft %s step %d ends %q, want the sender's name", d.ID, s.Step, s.Body[max(0, len(s.Body)-30):])
				}
			}
			firsts[d.Emails[0].Body] = true
		}
		if len(firsts) != len(drafts.Data) {
			t.Errorf("two prospects got the same first email")
		}
	})
}
