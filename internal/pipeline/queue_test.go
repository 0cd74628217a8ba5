package pipeline_test

import (
	"context"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestPurgeJobRunsOnBothEngines starts River on each engine and waits for the
// periodic purge (which runs at start) to delete an expired session.
func TestPurgeJobRunsOnBothEngines(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s := storetest.Open(t, e)
		if _, err := pipeline.Migrate(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := pipeline.CheckMigrations(ctx, s); err != nil {
			t.Fatalf("schema after migrate: %v", err)
		}
		u := storetest.NewUser(t, s, storetest.UserParams{})
		expired, live := store.NewID(), store.NewID()
		err := s.Write(ctx, "", func(tx *store.Tx) error {
			if err := tx.CreateSession(ctx, accountstore.CreateSessionParams{ID: expired, UserID: u.ID, ExpiresAt: time.Now().Add(-time.Minute)}); err != nil {
				return err
			}
			return tx.CreateSession(ctx, accountstore.CreateSessionParams{ID: live, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}

		q := pipeline.NewQueue(s, pipeline.Config{Work: true})
		if err := q.Attach(idleStages()); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		for !sessionGone(t, s, expired) {
			select {
			case <-ctx.Done():
				t.Fatal("the purge job never ran")
			case <-time.After(50 * time.Millisecond):
			}
		}
		if sessionGone(t, s, live) {
			t.Error("the purge deleted a live session")
		}
	})
}

func sessionGone(t *testing.T, s *store.Store, id string) bool {
	t.Helper()
	var gone bool
	err := s.Read(context.Background(), "", func(tx *store.Tx) error {
		var err error
		gone, err = tx.SessionGone(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return gone
}

// idleStages do nothing: this test queues no stage's job.
func idleStages() pipeline.Stages {
	idle := func(context.Context, string, string, bool) error { return nil }
	return pipeline.Stages{
		Discover: func(context.Context, string, string) (discovery.Outcome, error) { return discovery.OutcomeDone, nil },
		Enrich:   idle, Score: idle, Generate: idle, Send: idle,
		Sync: func(context.Context, string, string) error { return nil },
	}
}
