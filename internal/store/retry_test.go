package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// A campaign deleted while a pipeline job holds one of its prospects and
// then counts it on the campaign is a real deadlock on PostgreSQL: the
// delete holds the campaign and waits for the prospect, the job holds the
// prospect and waits for the campaign. The delete, which waited first, is
// the victim; it must be run again and succeed, and the job must commit.
func TestDeleteCampaignSurvivesADeadlockWithAJob(t *testing.T) {
	for _, e := range storetest.Engines() {
		if e.Name != store.Postgres {
			continue // SQLite's single writer never deadlocks
		}
		t.Run(string(e.Name), func(t *testing.T) {
			ctx := context.Background()
			s, u := withUser(t, e)
			c := newCampaign(t, s, u.ID, "doomed")
			var ids []string
			write(t, s, u.ID, func(tx *store.Tx) error {
				var err error
				ids, err = tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: c.ID, CompanyName: "Acme", Source: "manual", SourceID: "name:acme"}})
				return err
			})

			holding := make(chan struct{})
			jobDone := make(chan error, 1)
			go func() {
				jobDone <- s.Write(ctx, u.ID, func(tx *store.Tx) error {
					ptx := tx.Raw().(pgx.Tx)
					if _, err := ptx.Exec(ctx, `UPDATE prospects SET status = status WHERE id = $1`, ids[0]); err != nil {
						return err
					}
					close(holding)
					if err := waitForALockWaiter(ctx, ptx); err != nil {
						return err
					}
					return tx.AddCampaignCounters(ctx, c.ID, store.CampaignCounters{Enriched: 1})
				})
			}()
			<-holding
			err := s.WriteRetrying(ctx, u.ID, func(tx *store.Tx) error { return tx.DeleteCampaign(ctx, c.ID) })
			if err != nil {
				t.Fatalf("delete while a job holds a prospect: %v", err)
			}
			if err := <-jobDone; err != nil {
				t.Errorf("the job: %v", err)
			}
			read(t, s, u.ID, func(tx *store.Tx) error {
				if _, err := tx.Campaign(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("campaign after delete: %v, want ErrNotFound", err)
				}
				return nil
			})
		})
	}
}

// waitForALockWaiter returns once another session waits
// for a lock this transaction holds (the delete, blocked on the prospect).
func waitForALockWaiter(ctx context.Context, tx pgx.Tx) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var waiting int
		err := tx.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`).Scan(&waiting)
		if err != nil {
			return err
		}
		if waiting > 0 {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return errors.New("no session ever waited for the prospect's lock")
}
