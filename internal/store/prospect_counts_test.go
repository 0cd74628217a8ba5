package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// A campaign's stats come from counts kept as prospects change (migration
// 0025), not from a scan. After a randomized run of inserts, status moves,
// rescoring, rolled-back transactions, deletes and a deleted campaign, every
// campaign's counts equal a recount of its prospects, on both engines.
func TestProspectCountsMatchARecount(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		ctx := context.Background()
		s, user, other := twoTenants(t, e)
		campaigns := []string{newCampaign(t, s, user.ID, "one").ID, newCampaign(t, s, user.ID, "two").ID,
			newCampaign(t, s, user.ID, "three").ID}
		otherCampaign := newCampaign(t, s, other.ID, "other").ID
		statuses := []string{store.ProspectDiscovered, store.ProspectEnriching, store.ProspectEnriched, store.ProspectQualified,
			store.ProspectOutreachPending, store.ProspectContacted, store.ProspectDisqualified}
		tiers := []string{"A", "B", "C"}
		rng := rand.New(rand.NewPCG(15, 22))
		var ids []string
		insert := func(userID, campaignID string, n int) []string {
			var got []string
			write(t, s, userID, func(tx *store.Tx) error {
				batch := make([]store.NewProspect, n)
				for i := range batch {
					batch[i] = store.NewProspect{CampaignID: campaignID, CompanyName: fmt.Sprintf("Company %d", rng.Int()),
						Source: "manual", SourceID: fmt.Sprintf("id:%d", rng.Int())}
				}
				var err error
				got, err = tx.InsertProspects(ctx, batch)
				return err
			})
			return got
		}
		for _, c := range campaigns {
			ids = append(ids, insert(user.ID, c, 40)...)
		}
		insert(other.ID, otherCampaign, 10)
		errUndo := errors.New("undo")
		for step := range 400 {
			// Several changes per transaction, one in ten rolled back.
			err := s.Write(ctx, user.ID, func(tx *store.Tx) error {
				for range 1 + rng.IntN(4) {
					id := ids[rng.IntN(len(ids))]
					switch rng.IntN(5) {
					case 0, 1, 2:
						from := []string{statuses[rng.IntN(len(statuses))], statuses[rng.IntN(len(statuses))]}
						if _, err := tx.AdvanceProspect(ctx, id, from, statuses[rng.IntN(len(statuses))]); err != nil {
							return err
						}
					case 3:
						err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: id, Overall: rng.IntN(100),
							Tier: tiers[rng.IntN(len(tiers))], TierReason: "random", Factors: json.RawMessage(`{}`)})
						if err != nil {
							return err
						}
					case 4:
						if _, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: campaigns[rng.IntN(len(campaigns))],
							CompanyName: "Late", Source: "manual", SourceID: fmt.Sprintf("late:%d", step)}}); err != nil {
							return err
						}
					}
				}
				if rng.IntN(10) == 0 {
					return errUndo
				}
				return nil
			})
			if err != nil && !errors.Is(err, errUndo) {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		asTenant(t, s, e.Name, user.ID, `DELETE FROM prospects WHERE id IN ($1, $2, $3)`, ids[0], ids[41], ids[42])
		write(t, s, user.ID, func(tx *store.Tx) error { return tx.DeleteCampaign(ctx, campaigns[2]) })

		for _, c := range campaigns[:2] {
			var stats store.CampaignStats
			wantStatus, wantTier, wantQualified := map[string]int{}, map[string]int{}, map[string]int{}
			read(t, s, user.ID, func(tx *store.Tx) error {
				var err error
				if stats, err = tx.CampaignStats(ctx, c); err != nil {
					return err
				}
				return tx.ExportProspects(ctx, store.ProspectFilter{CampaignID: c}, func(r *store.ExportRow) error {
					wantStatus[r.Status]++
					if r.Tier != nil {
						wantTier[*r.Tier]++
						if r.Status == store.ProspectQualified {
							wantQualified[*r.Tier]++
						}
					}
					return nil
				})
			})
			// The qualified prospects by tier, which CompleteCampaignIfDone reads.
			qualified := map[string]int{}
			for _, r := range countRows(t, s, e.Name, user.ID, c) {
				if r.kind == "qualified" && r.n > 0 {
					qualified[r.value] = r.n
				}
			}
			if !maps.Equal(qualified, wantQualified) {
				t.Errorf("campaign %s: qualified by tier %v; a recount gives %v", c, qualified, wantQualified)
			}
			if !maps.Equal(stats.ByStatus, wantStatus) || !maps.Equal(stats.ByTier, wantTier) {
				t.Errorf("campaign %s: counts by status %v and tier %v; a recount gives %v and %v",
					c, stats.ByStatus, stats.ByTier, wantStatus, wantTier)
			}
		}
		var account store.AccountStats
		read(t, s, user.ID, func(tx *store.Tx) error {
			var err error
			account, err = tx.AccountStats(ctx)
			return err
		})
		wantTier := map[string]int{}
		read(t, s, user.ID, func(tx *store.Tx) error {
			return tx.ExportProspects(ctx, store.ProspectFilter{}, func(r *store.ExportRow) error {
				if r.Tier != nil {
					wantTier[*r.Tier]++
				}
				return nil
			})
		})
		if !maps.Equal(account.ByTier, wantTier) {
			t.Errorf("account counts by tier %v; a recount gives %v", account.ByTier, wantTier)
		}
	})
}

type countRow struct {
	kind, value string
	n           int
}

// countRows reads a campaign's counts from campaign_prospect_counts as the
// tenant (on PostgreSQL a key's rows are deltas, summed).
func countRows(t *testing.T, s *store.Store, e store.Engine, userID, campaignID string) []countRow {
	t.Helper()
	ctx := context.Background()
	query := `SELECT kind, value, CAST(sum(n) AS BIGINT) FROM campaign_prospect_counts WHERE campaign_id = $1 GROUP BY kind, value`
	var out []countRow
	if e == store.SQLite {
		rows, err := s.SQLiteWriter().QueryContext(ctx, strings.ReplaceAll(query, "$1", "?1"), campaignID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var r countRow
			if err := rows.Scan(&r.kind, &r.value, &r.n); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	err := pgx.BeginTxFunc(ctx, s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", userID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, query, campaignID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (countRow, error) {
			var c countRow
			err := r.Scan(&c.kind, &c.value, &c.n)
			return c, err
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// asTenant runs one statement ($1… placeholders) as the tenant.
func asTenant(t *testing.T, s *store.Store, e store.Engine, userID, query string, args ...any) {
	t.Helper()
	ctx := context.Background()
	if e == store.SQLite {
		for i := len(args); i > 0; i-- {
			query = strings.ReplaceAll(query, fmt.Sprintf("$%d", i), fmt.Sprintf("?%d", i))
		}
		if _, err := s.SQLiteWriter().ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
		return
	}
	err := pgx.BeginTxFunc(ctx, s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, query, args...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Jobs change a campaign's prospects in concurrent transactions. After four
// writers have each moved, rescored and added prospects of the same two
// campaigns at once (each its own prospects, as the pipeline's jobs do; one
// transaction in ten rolled back), each campaign's counts equal a recount,
// on both engines: on PostgreSQL the deltas of concurrent transactions and
// the folding of them (prospect_counts_compact) lose and double nothing.
func TestProspectCountsMatchARecountAfterConcurrentWriters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		ctx := context.Background()
		s, user, _ := twoTenants(t, e)
		campaigns := []string{newCampaign(t, s, user.ID, "one").ID, newCampaign(t, s, user.ID, "two").ID}
		statuses := []string{store.ProspectDiscovered, store.ProspectEnriching, store.ProspectEnriched, store.ProspectQualified,
			store.ProspectOutreachPending, store.ProspectContacted, store.ProspectDisqualified}
		tiers := []string{"A", "B", "C"}
		const writers = 4
		owned := make([][]string, writers)
		write(t, s, user.ID, func(tx *store.Tx) error {
			for w := range owned {
				for _, c := range campaigns {
					batch := make([]store.NewProspect, 15)
					for i := range batch {
						batch[i] = store.NewProspect{CampaignID: c, CompanyName: "Company", Source: "manual",
							SourceID: fmt.Sprintf("w%d:%s:%d", w, c, i)}
					}
					ids, err := tx.InsertProspects(ctx, batch)
					if err != nil {
						return err
					}
					owned[w] = append(owned[w], ids...)
				}
			}
			return nil
		})
		errUndo := errors.New("undo")
		errs := make(chan error, writers)
		for w := range writers {
			go func() {
				rng := rand.New(rand.NewPCG(uint64(w), 25))
				for step := range 150 {
					err := s.WriteRetrying(ctx, user.ID, func(tx *store.Tx) error {
						id := owned[w][rng.IntN(len(owned[w]))]
						switch rng.IntN(4) {
						case 0, 1:
							if _, err := tx.AdvanceProspect(ctx, id, statuses, statuses[rng.IntN(len(statuses))]); err != nil {
								return err
							}
						case 2:
							if err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: id, Overall: rng.IntN(100),
								Tier: tiers[rng.IntN(len(tiers))], TierReason: "random", Factors: json.RawMessage(`{}`)}); err != nil {
								return err
							}
						case 3:
							if _, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: campaigns[rng.IntN(len(campaigns))],
								CompanyName: "Late", Source: "manual", SourceID: fmt.Sprintf("late:%d:%d", w, step)}}); err != nil {
								return err
							}
						}
						if rng.IntN(10) == 0 {
							return errUndo
						}
						return nil
					})
					if err != nil && !errors.Is(err, errUndo) {
						errs <- fmt.Errorf("writer %d, step %d: %w", w, step, err)
						return
					}
				}
				errs <- nil
			}()
		}
		for range writers {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range campaigns {
			var stats store.CampaignStats
			wantStatus, wantTier := map[string]int{}, map[string]int{}
			read(t, s, user.ID, func(tx *store.Tx) error {
				var err error
				if stats, err = tx.CampaignStats(ctx, c); err != nil {
					return err
				}
				return tx.ExportProspects(ctx, store.ProspectFilter{CampaignID: c}, func(r *store.ExportRow) error {
					wantStatus[r.Status]++
					if r.Tier != nil {
						wantTier[*r.Tier]++
					}
					return nil
				})
			})
			if !maps.Equal(stats.ByStatus, wantStatus) || !maps.Equal(stats.ByTier, wantTier) {
				t.Errorf("campaign %s: counts by status %v and tier %v; a recount gives %v and %v",
					c, stats.ByStatus, stats.ByTier, wantStatus, wantTier)
			}
		}
	})
}
