package prospect_test

import (
	"context"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestStory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		st, err := f.svc.Story(ctx, f.user, f.full)
		wantCode(t, err, "")
		if st.CompanyName != "Acme Plumbing" || st.CampaignName != "Prospects" || st.Enrichment == nil || st.Score == nil {
			t.Errorf("story = %+v, want the full prospect with its campaign's name", st)
		}
		if len(st.Sequences) != 1 || len(st.Sequences[0].Steps) != 1 || st.Sequences[0].Steps[0].Subject != "hello" ||
			st.Sequences[0].Messages == nil || len(st.Sequences[0].Messages) != 0 {
			t.Errorf("sequences = %+v, want the one draft with its step and no message yet ([] not null)", st.Sequences)
		}
		if st.Breakdown != nil || st.Research != nil {
			t.Errorf("breakdown %+v, research %+v: want none from factors without terms and no research", st.Breakdown, st.Research)
		}
		bare, err := f.svc.Story(ctx, f.user, f.bare)
		wantCode(t, err, "")
		if bare.Enrichment != nil || bare.Score != nil || bare.Breakdown != nil || bare.Sequences == nil || len(bare.Sequences) != 0 {
			t.Errorf("a bare prospect's story = %+v, want nothing from the stages and no sequence ([])", bare)
		}
		for _, tc := range []struct{ name, user, id string }{
			{"another user's", f.other, f.full},
			{"not an id", f.user, "acme"},
			{"no such prospect", f.user, store.NewID()},
		} {
			_, err := f.svc.Story(ctx, tc.user, tc.id)
			if apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("%s: error = %v, want not found", tc.name, err)
			}
		}
	})
}

func TestTableAddsTheContactAndScore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		rows, _, err := f.svc.Table(ctx, f.user, store.ProspectFilter{Order: store.OldestFirst}, store.Page{Limit: 10})
		wantCode(t, err, "")
		if len(rows) != 2 || rows[0].ID != f.full || rows[1].ID != f.bare {
			t.Fatalf("oldest first = %+v, want the full prospect then the bare one", rows)
		}
		full := rows[0]
		if full.ContactEmail == nil || *full.ContactEmail != "maria@acme.test" || full.ContactName == nil || *full.ContactName != "Maria" ||
			full.ContactEmailState == nil || *full.ContactEmailState != "valid" || full.OverallScore == nil || *full.OverallScore != 82 {
			t.Errorf("the full prospect's row = %+v", full.LeadRow)
		}
		if rows[1].LeadRow != (store.LeadRow{}) {
			t.Errorf("the bare prospect's row = %+v, want nothing", rows[1].LeadRow)
		}
		if rows, _, err := f.svc.Table(ctx, f.other, store.ProspectFilter{}, store.Page{Limit: 10}); err != nil || len(rows) != 0 {
			t.Errorf("another user's table = %d rows (%v), want none", len(rows), err)
		}
	})
}
