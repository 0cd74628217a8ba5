package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestProspectsBestFirst pages through a campaign in the lead table's
// "best score first" order: highest score first, equal scores newest
// first, prospects not scored yet last (newest first among them); a
// rescored prospect moves; the same filters apply; a cursor whose prospect
// was deleted since ends the list; another tenant's prospects never show.
func TestProspectsBestFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u, other := twoTenants(t, e)
		c := newCampaign(t, s, u.ID, "c")
		theirs := newCampaign(t, s, other.ID, "theirs")
		scores := []int{40, 90, -1, 75, 90, -1, 10, 75, 60} // -1: not scored
		var ids []string
		for i := range scores {
			write(t, s, u.ID, func(tx *store.Tx) error {
				got, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: c.ID, CompanyName: fmt.Sprintf("P%d", i),
					Source: "manual", SourceID: fmt.Sprint(i)}})
				ids = append(ids, got...)
				return err
			})
		}
		write(t, s, other.ID, func(tx *store.Tx) error {
			got, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: theirs.ID, CompanyName: "Theirs", Source: "manual", SourceID: "x"}})
			if err != nil {
				return err
			}
			return tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: got[0], Overall: 100, Tier: "A"})
		})
		score := func(i, overall int) {
			t.Helper()
			tier := map[bool]string{true: "A", false: "C"}[overall >= 70]
			write(t, s, u.ID, func(tx *store.Tx) error {
				return tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: ids[i], Overall: overall, Tier: tier})
			})
		}
		for i, sc := range scores {
			if sc >= 0 {
				score(i, sc)
			}
		}
		list := func(f store.ProspectFilter, limit int) []string {
			t.Helper()
			f.Order = store.BestFirst
			var out []string
			page := store.Page{Limit: limit}
			for range 20 {
				var got []store.Prospect
				var next string
				read(t, s, u.ID, func(tx *store.Tx) (err error) {
					got, next, err = tx.ListProspects(ctx, f, page)
					return err
				})
				for _, p := range got {
					out = append(out, p.CompanyName)
				}
				if next == "" {
					return out
				}
				page.After = next
			}
			t.Fatal("the pages never ended")
			return nil
		}
		// Ids grow with insertion, so among equals the later one is newer.
		want := []string{"P4", "P1", "P7", "P3", "P8", "P0", "P6", "P5", "P2"}
		for _, limit := range []int{2, 3, 50} {
			if got := list(store.ProspectFilter{CampaignID: c.ID}, limit); !slices.Equal(got, want) {
				t.Errorf("best first, pages of %d = %v, want %v", limit, got, want)
			}
		}
		if got := list(store.ProspectFilter{}, 4); !slices.Equal(got, want) {
			t.Errorf("best first across campaigns = %v, want %v (and none of another tenant's)", got, want)
		}
		if got, want := list(store.ProspectFilter{CampaignID: c.ID, Tier: "A"}, 2), []string{"P4", "P1", "P7", "P3"}; !slices.Equal(got, want) {
			t.Errorf("best first, tier A = %v, want %v", got, want)
		}

		score(6, 95) // P6 rescored: now the best
		score(2, 50) // P2 scored at last
		if got, want := list(store.ProspectFilter{CampaignID: c.ID}, 3), []string{"P6", "P4", "P1", "P7", "P3", "P8", "P2", "P0", "P5"}; !slices.Equal(got, want) {
			t.Errorf("after rescoring = %v, want %v", got, want)
		}

		// A cursor naming a prospect deleted since: the list ends there.
		var next string
		read(t, s, u.ID, func(tx *store.Tx) (err error) {
			_, next, err = tx.ListProspects(ctx, store.ProspectFilter{CampaignID: c.ID, Order: store.BestFirst}, store.Page{Limit: 2})
			return err
		})
		write(t, s, u.ID, func(tx *store.Tx) error {
			_, err := tx.DeleteProspects(ctx, c.ID, []string{next})
			return err
		})
		read(t, s, u.ID, func(tx *store.Tx) error {
			got, after, err := tx.ListProspects(ctx, store.ProspectFilter{CampaignID: c.ID, Order: store.BestFirst}, store.Page{Limit: 2, After: next})
			if err != nil || len(got) != 0 || after != "" {
				t.Errorf("after a deleted cursor: %d prospects, next %q, err %v; want an empty last page", len(got), after, err)
			}
			return nil
		})
	})
}
