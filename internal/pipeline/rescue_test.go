package pipeline_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// Jobs a killed process held stay "running". On SQLite the next process to
// work the database puts them back on the queue at start, instead of
// leaving the campaign stuck until River's rescuer (11 minutes) — but only
// when no other process is working the database.
func TestRescueAtStartOnSQLite(t *testing.T) {
	for _, tc := range []struct {
		name        string
		attempt     int // the attempt the dead process was running
		otherWorker bool
		wantRun     bool
		wantState   string // after the queue started
	}{
		{name: "orphan runs again", attempt: 1, wantRun: true},
		{name: "orphan on its last attempt is discarded", attempt: 4, wantState: "discarded"},
		{name: "another process works the database", attempt: 1, otherWorker: true, wantState: "running"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			s := storetest.Open(t, storetest.Engine{Name: store.SQLite, URL: storetest.SQLiteURL})
			if _, err := pipeline.Migrate(ctx, s); err != nil {
				t.Fatal(err)
			}
			u := storetest.NewUser(t, s, storetest.UserParams{})

			// What a process killed mid-job leaves behind.
			dead := pipeline.NewQueue(s, pipeline.Config{})
			if err := dead.Attach(idleStages()); err != nil {
				t.Fatal(err)
			}
			prospectID := store.NewID()
			if err := s.Write(ctx, u.ID, func(tx *store.Tx) error {
				return dead.EnqueueScore(ctx, tx, []string{prospectID}, false)
			}); err != nil {
				t.Fatal(err)
			}
			markRunningByDeadProcess(t, s, tc.attempt)

			if tc.otherWorker {
				other := pipeline.NewQueue(s, pipeline.Config{Work: true})
				if err := other.Attach(idleStages()); err != nil {
					t.Fatal(err)
				}
				if err := other.Start(ctx); err != nil {
					t.Fatal(err)
				}
				defer other.Stop(context.Background())
				// The other worker took the lock at its own start and found
				// the orphan: it put it back on the queue. Mark it running
				// again, as a job that worker is busy with.
				markRunningByDeadProcess(t, s, tc.attempt)
			}

			var runs atomic.Int32
			stages := idleStages()
			stages.Score = func(_ context.Context, _, id string, _ bool) error {
				if id == prospectID {
					runs.Add(1)
				}
				return nil
			}
			q := pipeline.NewQueue(s, pipeline.Config{Work: true})
			if err := q.Attach(stages); err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(context.Background())

			if tc.wantRun {
				for runs.Load() == 0 {
					select {
					case <-ctx.Done():
						t.Fatalf("the orphaned job never ran again (state %s)", jobState(t, s))
					case <-time.After(50 * time.Millisecond):
					}
				}
				return
			}
			if got := jobState(t, s); got != tc.wantState {
				t.Errorf("job state after start = %s, want %s", got, tc.wantState)
			}
			if runs.Load() != 0 {
				t.Error("the job ran although it must not")
			}
		})
	}
}

// markRunningByDeadProcess puts the test's only job in the state a process
// killed while running it leaves: running, attempted by a client that is gone.
func markRunningByDeadProcess(t *testing.T, s *store.Store, attempt int) {
	t.Helper()
	_, err := s.SQLiteWriter().Exec(`UPDATE river_job SET state = 'running', attempt = ?,
		attempted_at = strftime('%Y-%m-%d %H:%M:%f', 'now'), attempted_by = '["killed-client"]'`, attempt)
	if err != nil {
		t.Fatal(err)
	}
}

func jobState(t *testing.T, s *store.Store) string {
	t.Helper()
	var state string
	if err := s.SQLiteWriter().QueryRow(`SELECT state FROM river_job WHERE kind = 'score'`).Scan(&state); err != nil {
		t.Fatal(err)
	}
	return state
}
