package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// A search the trigram index cannot narrow reads at most
// store.SearchScanLimit prospects per page: a page may come back short, even
// empty, with a cursor to go on, and the pages together hold what the whole
// scan holds, in the same order.
func TestProspectSearchBoundsEachPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		ctx := context.Background()
		s := storetest.Open(t, e)
		user := storetest.NewUser(t, s, storetest.UserParams{}).ID
		campaign := newCampaign(t, s, user, "bounded").ID
		limit := store.SearchScanLimit(e.Name)
		// The oldest rows match "qx" and "heritage"; then more rows than a
		// page may read, none matching.
		rows := []string{"Heritage Qx Plumbing", "Heritage Drains"}
		for i := range limit + 50 {
			rows = append(rows, fmt.Sprintf("Filler %d Services", i))
		}
		rows = append(rows, "Newest Heritage Pipes")
		write(t, s, user, func(tx *store.Tx) error {
			for start := 0; start < len(rows); start += 500 {
				var batch []store.NewProspect
				for _, name := range rows[start:min(start+500, len(rows))] {
					batch = append(batch, store.NewProspect{CampaignID: campaign, CompanyName: name, Source: "manual", SourceID: "name:" + name})
				}
				if _, err := tx.InsertProspects(ctx, batch); err != nil {
					return err
				}
			}
			return nil
		})
		list := func(q, after string) ([]string, string) {
			t.Helper()
			var names []string
			var next string
			err := s.Read(ctx, user, func(tx *store.Tx) error {
				page, n, err := tx.ListProspects(ctx, store.ProspectFilter{CampaignID: campaign, Query: q}, store.Page{Limit: 50, After: after})
				for _, p := range page {
					names = append(names, p.CompanyName)
				}
				next = n
				return err
			})
			if err != nil {
				t.Fatalf("q=%q: %v", q, err)
			}
			return names, next
		}
		cases := []struct {
			q     string
			first []string // the first page
			all   []string // every page
		}{
			{q: "qx", first: nil, all: []string{"Heritage Qx Plumbing"}},
			{q: "Qx", first: nil, all: []string{"Heritage Qx Plumbing"}},
			{q: "ne", first: []string{"Newest Heritage Pipes"}, all: []string{"Newest Heritage Pipes"}},
			{q: "zz", first: nil, all: nil},
		}
		for _, c := range cases {
			first, next := list(c.q, "")
			if !slices.Equal(first, c.first) || next == "" {
				t.Fatalf("q=%q: first page %q with cursor %q; want %q and a cursor (the read stopped at the bound)", c.q, first, next, c.first)
			}
			all := first
			for pages := 1; next != ""; pages++ {
				if pages > len(rows)/limit+2 {
					t.Fatalf("q=%q: %d pages for %d rows read %d a page", c.q, pages, len(rows), limit)
				}
				var page []string
				page, next = list(c.q, next)
				all = append(all, page...)
			}
			if !slices.Equal(all, c.all) {
				t.Fatalf("q=%q: every page holds %q, want %q", c.q, all, c.all)
			}
		}
		// A term the index narrows to few rows is not bounded: one page.
		if got, next := list("heritage q", ""); !slices.Equal(got, []string{"Heritage Qx Plumbing"}) || next != "" {
			t.Fatalf("q=heritage q: %q, cursor %q; want the one row and no cursor", got, next)
		}
	})
}
