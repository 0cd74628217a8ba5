package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// The dashboard's counts add up every campaign of the user's, and nothing
// of another user's.
func TestAccountStatsAddUpTheTenantsCampaigns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, userID, c, pid, cid := withProspect(t, e)
		second := newCampaign(t, s, userID, "Second")
		write(t, s, userID, func(tx *store.Tx) error {
			if err := tx.AddCampaignCounters(ctx, c.ID, store.CampaignCounters{Found: 7, Enriched: 5, Qualified: 2}); err != nil {
				return err
			}
			if err := tx.AddCampaignCounters(ctx, second.ID, store.CampaignCounters{Found: 3, Enriched: 1}); err != nil {
				return err
			}
			if err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: pid, Overall: 80, Tier: "A", TierReason: "good",
				Factors: json.RawMessage(`{}`)}); err != nil {
				return err
			}
			o, err := tx.SaveDraft(ctx, draft(c, pid, cid, "approved one"))
			if err != nil {
				return err
			}
			_, err = tx.ApproveOutreach(ctx, o.ID)
			return err
		})
		// A second contact's draft waits for review in the first campaign.
		write(t, s, userID, func(tx *store.Tx) error {
			if err := tx.InsertContacts(ctx, []store.NewContact{{ProspectID: pid, Email: ptr("office@acme.test"), Source: "manual"}}); err != nil {
				return err
			}
			cs, err := tx.ContactsOf(ctx, pid)
			if err != nil {
				return err
			}
			for _, other := range cs {
				if other.ID != cid {
					_, err = tx.SaveDraft(ctx, draft(c, pid, other.ID, "waiting"))
				}
			}
			return err
		})
		// Another user's campaign and prospect are not counted.
		otherID := storetest.NewUser(t, s, storetest.UserParams{}).ID
		otherCampaign := newCampaign(t, s, otherID, "Not mine")
		write(t, s, otherID, func(tx *store.Tx) error {
			if err := tx.AddCampaignCounters(ctx, otherCampaign.ID, store.CampaignCounters{Found: 100, Qualified: 50}); err != nil {
				return err
			}
			ids, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: otherCampaign.ID, CompanyName: "Other Co", Source: "manual",
				SourceID: store.NewID(), Contact: &store.NewContact{Email: ptr("x@other.test"), Source: "manual"}}})
			if err != nil {
				return err
			}
			otherProspect := ids[0]
			cs, err := tx.ContactsOf(ctx, otherProspect)
			if err != nil {
				return err
			}
			if err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: otherProspect, Overall: 10, Tier: "C", TierReason: "weak",
				Factors: json.RawMessage(`{}`)}); err != nil {
				return err
			}
			_, err = tx.SaveDraft(ctx, draft(otherCampaign, otherProspect, cs[0].ID, "theirs"))
			return err
		})

		var st store.AccountStats
		read(t, s, userID, func(tx *store.Tx) (err error) {
			st, err = tx.AccountStats(ctx)
			return err
		})
		if st.Campaigns != 2 || st.Found != 10 || st.Enriched != 6 || st.Qualified != 2 {
			t.Errorf("campaigns %d, found %d, enriched %d, qualified %d; want 2, 10, 6, 2", st.Campaigns, st.Found, st.Enriched, st.Qualified)
		}
		if len(st.ByTier) != 1 || st.ByTier["A"] != 1 {
			t.Errorf("by tier = %v, want A: 1", st.ByTier)
		}
		if want := (store.AccountOutreach{Drafts: 1, Approved: 1}); st.Outreach != want {
			t.Errorf("outreach = %+v, want %+v", st.Outreach, want)
		}
		if len(st.DraftsByCampaign) != 1 || st.DraftsByCampaign[c.ID] != 1 || len(st.ApprovedByCampaign) != 1 || st.ApprovedByCampaign[c.ID] != 1 {
			t.Errorf("waiting drafts %v and approved %v, want one of each in %s", st.DraftsByCampaign, st.ApprovedByCampaign, c.ID)
		}
		if len(st.UncertainByCampaign) != 0 {
			t.Errorf("uncertain = %v, want none", st.UncertainByCampaign)
		}
	})
}

// After a bulk change the planner has statistics for the prospects' indexes
// to choose by, on SQLite too (it gathers none by itself).
func TestRefreshPlannerStatsGivesSQLiteStatistics(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		if e.Name != store.SQLite {
			t.Skip("PostgreSQL's side is checked in TestAppRoleCannotLiftRowLevelSecurity")
		}
		ctx := context.Background()
		s, _, _, _, _ := withProspect(t, e)
		if err := s.RefreshPlannerStats(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.SQLiteWriter().QueryRowContext(ctx, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'prospects'").Scan(&n); err != nil {
			t.Fatalf("read sqlite_stat1: %v", err)
		}
		if n == 0 {
			t.Error("no statistics for prospects after RefreshPlannerStats: the planner would guess")
		}
	})
}
