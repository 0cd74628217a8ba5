package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func write(t *testing.T, s *store.Store, userID string, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.Write(context.Background(), userID, fn); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func read(t *testing.T, s *store.Store, userID string, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.Read(context.Background(), userID, fn); err != nil {
		t.Fatalf("read: %v", err)
	}
}

// withUser opens a store with one user, the one a test works as.
func withUser(t *testing.T, e storetest.Engine) (*store.Store, store.Profile) {
	t.Helper()
	s := storetest.Open(t, e)
	return s, storetest.NewUser(t, s, storetest.UserParams{})
}

// twoTenants opens a store with two users: the one a test works as, and
// another who must not reach its rows.
func twoTenants(t *testing.T, e storetest.Engine) (s *store.Store, user, other store.Profile) {
	t.Helper()
	s, user = withUser(t, e)
	return s, user, storetest.NewUser(t, s, storetest.UserParams{})
}

func newCampaign(t *testing.T, s *store.Store, userID, name string) store.Campaign {
	t.Helper()
	var c store.Campaign
	write(t, s, userID, func(tx *store.Tx) error {
		var err error
		c, err = tx.CreateCampaign(context.Background(), store.CampaignParams{
			Name: name, BusinessType: "plumber", TargetLocation: "Austin, TX", TargetCriteria: json.RawMessage(`{"max_results":100}`),
		})
		return err
	})
	return c
}

func TestMigrationsAreIdempotentAndReported(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		url := e.URL(t)
		if e.Name == store.Postgres {
			url = storetest.FreshPostgresURL(t)
		}
		s, err := store.Open(ctx, url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.CheckSchema(ctx); !errors.Is(err, store.ErrSchemaOutdated) {
			t.Fatalf("fresh database: CheckSchema = %v, want ErrSchemaOutdated", err)
		}
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) == 0 {
			t.Fatalf("first migrate applied %d, err %v", len(applied), err)
		}
		again, err := s.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second migrate applied %d, err %v; want 0, nil", len(again), err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema after migrate: %v", err)
		}
		status, err := s.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range status {
			if m.AppliedAt == nil {
				t.Errorf("migration %s not applied", m.Name)
			}
		}
	})
}

func TestUsersAndProfiles(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s := storetest.Open(t, e)
		email := "owner-" + store.NewID() + "@example.test"
		p := storetest.NewUser(t, s, storetest.UserParams{Email: email})
		if p.Plan != "starter" || p.LeadCredits != 500 || p.Email != email {
			t.Fatalf("profile = %+v", p)
		}

		// The same email again is a conflict naming the email.
		id := store.NewID()
		err := s.Write(ctx, id, func(tx *store.Tx) error {
			_, err := tx.CreateUser(ctx, store.CreateUserParams{ID: id, Email: email, PasswordHash: "x", Plan: "starter", LeadCredits: 500})
			return err
		})
		if !store.IsConflict(err, "email") {
			t.Fatalf("duplicate email: err = %v, want conflict on email", err)
		}

		read(t, s, "", func(tx *store.Tx) error {
			c, err := tx.CredentialsByEmail(ctx, email)
			if err != nil || c.UserID != p.ID {
				t.Errorf("credentials = %+v, %v", c, err)
			}
			_, err = tx.CredentialsByEmail(ctx, "nobody@example.test")
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unknown email: err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

func TestCampaignsAreScopedToTheirOwner(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, alice, bob := twoTenants(t, e)
		c := newCampaign(t, s, alice.ID, "Austin plumbers")

		write(t, s, bob.ID, func(tx *store.Tx) error {
			if _, err := tx.Campaign(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("bob reads alice's campaign: err = %v, want ErrNotFound", err)
			}
			if _, err := tx.UpdateCampaign(ctx, c.ID, store.CampaignParams{Name: "x", BusinessType: "x", TargetLocation: "x", TargetCriteria: json.RawMessage(`{}`)}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("bob updates alice's campaign: err = %v, want ErrNotFound", err)
			}
			if err := tx.DeleteCampaign(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("bob deletes alice's campaign: err = %v, want ErrNotFound", err)
			}
			list, _, err := tx.ListCampaigns(ctx, store.Page{Limit: 50})
			if err != nil || len(list) != 0 {
				t.Errorf("bob's list = %d campaigns, err %v; want none", len(list), err)
			}
			return nil
		})
		read(t, s, alice.ID, func(tx *store.Tx) error {
			got, err := tx.Campaign(ctx, c.ID)
			if err != nil || got.Name != "Austin plumbers" || got.Status != store.CampaignDraft {
				t.Errorf("alice's campaign = %+v, %v", got, err)
			}
			return nil
		})
	})
}

func TestCampaignListPagesNewestFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u := withUser(t, e)
		var want []string
		for _, n := range []string{"one", "two", "three", "four", "five"} {
			want = append([]string{newCampaign(t, s, u.ID, n).Name}, want...)
		}
		var got []string
		cursor := ""
		pages := 0
		for {
			var list []store.Campaign
			var next string
			read(t, s, u.ID, func(tx *store.Tx) error {
				var err error
				list, next, err = tx.ListCampaigns(ctx, store.Page{Limit: 2, After: cursor})
				return err
			})
			pages++
			for _, c := range list {
				got = append(got, c.Name)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if pages != 3 || len(got) != 5 {
			t.Fatalf("pages = %d, names = %v", pages, got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("order = %v, want %v", got, want)
			}
		}
	})
}

func TestProspectsInsertSkipsRepeatsAndFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u, other := twoTenants(t, e)
		c := newCampaign(t, s, u.ID, "c")
		batch := []store.NewProspect{
			{CampaignID: c.ID, CompanyName: "Riverbend Plumbing", Website: ptr("https://riverbend.example"), Domain: ptr("riverbend.example"),
				Phone: ptr("+15125550142"), City: ptr("Austin"), Source: "manual", SourceID: "domain:riverbend.example",
				Contact: &store.NewContact{Email: ptr("ann@riverbend.example"), FirstName: ptr("Ann"), Source: "manual"}},
			{CampaignID: c.ID, CompanyName: "Hill Country Pipes", City: ptr("Round Rock"), Source: "manual", SourceID: "name:hill country pipes"},
		}
		var ids []string
		write(t, s, u.ID, func(tx *store.Tx) error {
			var err error
			ids, err = tx.InsertProspects(ctx, batch)
			return err
		})
		if ids[0] == "" || ids[1] == "" {
			t.Fatalf("ids = %v, want both inserted", ids)
		}
		// The same source ids again insert nothing.
		write(t, s, u.ID, func(tx *store.Tx) error {
			again, err := tx.InsertProspects(ctx, batch)
			if err == nil && (again[0] != "" || again[1] != "") {
				t.Errorf("re-insert ids = %v, want none inserted", again)
			}
			return err
		})

		read(t, s, u.ID, func(tx *store.Tx) error {
			list, _, err := tx.ListProspects(ctx, store.ProspectFilter{CampaignID: c.ID, Query: "RIVERBEND"}, store.Page{Limit: 50})
			if err != nil || len(list) != 1 || list[0].CompanyName != "Riverbend Plumbing" {
				t.Errorf("q=RIVERBEND: %d results, err %v", len(list), err)
			}
			list, _, err = tx.ListProspects(ctx, store.ProspectFilter{Query: "round"}, store.Page{Limit: 50})
			if err != nil || len(list) != 1 {
				t.Errorf("q=round (city): %d results, err %v", len(list), err)
			}
			list, _, err = tx.ListProspects(ctx, store.ProspectFilter{Query: "%"}, store.Page{Limit: 50})
			if err != nil || len(list) != 0 {
				t.Errorf("q=%% must match a literal percent sign: %d results, err %v", len(list), err)
			}
			list, _, err = tx.ListProspects(ctx, store.ProspectFilter{Status: store.ProspectDiscovered}, store.Page{Limit: 1})
			if err != nil || len(list) != 1 {
				t.Errorf("status filter with limit 1: %d results, err %v", len(list), err)
			}
			contacts, err := tx.ContactsOf(ctx, ids[0])
			if err != nil || len(contacts) != 1 || !contacts[0].IsPrimary || *contacts[0].Email != "ann@riverbend.example" {
				t.Errorf("contacts = %+v, %v", contacts, err)
			}
			keys, err := tx.ExistingDedupKeys(ctx, c.ID, []string{"riverbend.example", "elsewhere.example"}, []string{"+15125550142", "+15125550199"})
			if err != nil || !keys.Domains["riverbend.example"] || !keys.Phones["+15125550142"] || len(keys.Domains) != 1 || len(keys.Phones) != 1 {
				t.Errorf("dedup keys = %+v, %v; want riverbend.example and +15125550142 only", keys, err)
			}
			var rows int
			err = tx.ExportProspects(ctx, store.ProspectFilter{CampaignID: c.ID}, func(r *store.ExportRow) error {
				rows++
				if r.CompanyName == "Riverbend Plumbing" && (r.ContactEmail == nil || *r.ContactEmail != "ann@riverbend.example") {
					t.Errorf("export row lacks the primary contact: %+v", r)
				}
				return nil
			})
			if err != nil || rows != 2 {
				t.Errorf("export: %d rows, err %v", rows, err)
			}
			return nil
		})
		read(t, s, other.ID, func(tx *store.Tx) error {
			if _, err := tx.Prospect(ctx, ids[0]); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("other user reads prospect: %v, want ErrNotFound", err)
			}
			list, _, err := tx.ListProspects(ctx, store.ProspectFilter{CampaignID: c.ID}, store.Page{Limit: 50})
			if err != nil || len(list) != 0 {
				t.Errorf("other user lists %d prospects, err %v", len(list), err)
			}
			return nil
		})

		// Deleting the campaign cascades to its prospects and contacts.
		write(t, s, u.ID, func(tx *store.Tx) error { return tx.DeleteCampaign(ctx, c.ID) })
		read(t, s, u.ID, func(tx *store.Tx) error {
			if _, err := tx.Prospect(ctx, ids[0]); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("prospect after campaign delete: %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

func TestRefreshTokenIsSpentOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u := withUser(t, e)
		sid := store.NewID()
		hash := "hash-" + sid
		write(t, s, "", func(tx *store.Tx) error {
			if err := tx.CreateSession(ctx, accountstore.CreateSessionParams{ID: sid, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
				return err
			}
			return tx.CreateRefreshToken(ctx, sid, hash, time.Now().Add(time.Hour))
		})
		write(t, s, "", func(tx *store.Tx) error {
			rt, err := tx.RefreshTokenByHash(ctx, hash)
			if err != nil {
				return err
			}
			if rt.UserID != u.ID || rt.UsedAt != nil {
				t.Errorf("token = %+v", rt)
			}
			first, err := tx.SpendRefreshToken(ctx, rt.ID)
			if err != nil || !first {
				t.Errorf("first spend = %v, %v", first, err)
			}
			second, err := tx.SpendRefreshToken(ctx, rt.ID)
			if err != nil || second {
				t.Errorf("second spend = %v, %v; want false", second, err)
			}
			if err := tx.RevokeSession(ctx, sid, "logout"); err != nil {
				return err
			}
			if _, err := tx.ActiveSession(ctx, sid); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("revoked session still active: %v", err)
			}
			return nil
		})
		// A purge that keeps revoked sessions for an hour keeps this one; one
		// that keeps none deletes it and its tokens.
		write(t, s, "", func(tx *store.Tx) error {
			if _, _, err := tx.PurgeExpiredAuth(ctx, time.Hour); err != nil {
				return err
			}
			if _, err := tx.RefreshTokenByHash(ctx, hash); err != nil {
				t.Errorf("purge removed a recently revoked family: %v", err)
			}
			if _, _, err := tx.PurgeExpiredAuth(ctx, -time.Second); err != nil {
				return err
			}
			if _, err := tx.RefreshTokenByHash(ctx, hash); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("purge kept an old revoked family: %v", err)
			}
			return nil
		})
	})
}

// A data folder's name may hold what ends a URI ("#", "?", "%"): the
// database is still the file at that path, with its pragmas, and not one
// at the path cut short.
func TestSQLitePathWithURICharacters(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "data#1?x=%41")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 2; i++ { // the second open finds the first's migrations
		s, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "test.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatalf("open %d: migrate: %v", i+1, err)
		}
		s.Close()
	}
	if _, err := os.Stat(filepath.Join(dir, "test.db")); err != nil {
		t.Errorf("the database is not at its path: %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("files beside the data folder: %v, want none (a path cut at # or ?)", entries)
	}
}
