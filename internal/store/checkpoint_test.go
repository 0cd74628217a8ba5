package store_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestSQLiteCommitsReachTheDatabaseFile: on SQLite no commit copies the
// write-ahead log into the database file (that waited inside a commit for
// its fsyncs, every other write queued behind it); the store's own
// checkpoints do, within seconds of the writes, long before the log's
// 1,000 pages at which SQLite's automatic checkpoint would. Closing the
// store leaves the log empty.
func TestSQLiteCommitsReachTheDatabaseFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "prospector.db")
	s, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	size := func(name string) int64 {
		fi, err := os.Stat(name)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	before := size(path)
	user := storetest.NewUser(t, s, storetest.UserParams{})
	// About 1.5 MB in 30 commits: under the 4 MB of SQLite's own threshold.
	data, _ := json.Marshal(map[string]string{"notes": strings.Repeat("n", 1000)})
	err = s.Write(ctx, user.ID, func(tx *store.Tx) error {
		c, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "Plumbers", BusinessType: "plumber", TargetLocation: "Austin, TX",
			TargetCriteria: []byte(`{}`)})
		if err != nil {
			return err
		}
		for range 30 {
			batch := make([]store.NewProspect, 50)
			for i := range batch {
				batch[i] = store.NewProspect{CampaignID: c.ID, CompanyName: "Acme Plumbing", Source: "manual",
					SourceID: store.NewID(), SourceData: data}
			}
			if _, err := tx.InsertProspects(ctx, batch); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for size(path) < before+1<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is %d bytes (%d before 1.5 MB of commits), the log %d: nothing checkpointed it",
				size(path), before, size(path+"-wal"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := size(path + "-wal"); n != 0 {
		t.Errorf("after close the log holds %d bytes, want none", n)
	}
}
