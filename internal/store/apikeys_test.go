package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func listKeys(t *testing.T, s *store.Store, userID string) []accountstore.APIKeyInfo {
	t.Helper()
	var out []accountstore.APIKeyInfo
	write(t, s, userID, func(tx *store.Tx) (err error) {
		out, err = tx.ListAPIKeys(context.Background())
		return err
	})
	return out
}

func TestAPIKeysAreStoredReplacedAndDeleted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, u := withUser(t, e)

		err := s.Read(ctx, u.ID, func(tx *store.Tx) error { _, err := tx.APIKey(ctx, "anthropic"); return err })
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("key before any was stored: %v, want ErrNotFound", err)
		}
		if l := listKeys(t, s, u.ID); len(l) != 0 {
			t.Fatalf("list before any was stored = %+v", l)
		}

		write(t, s, u.ID, func(tx *store.Tx) error { return tx.SetAPIKey(ctx, "anthropic", "v1:first", "1111") })
		write(t, s, u.ID, func(tx *store.Tx) error { return tx.SetAPIKey(ctx, "hunter", "v1:hunter", "hhhh") })
		first := listKeys(t, s, u.ID)
		if len(first) != 2 || first[0].Service != "anthropic" || first[0].Last4 != "1111" || first[1].Service != "hunter" ||
			first[0].CreatedAt.IsZero() || !first[0].UpdatedAt.Equal(first[0].CreatedAt) {
			t.Fatalf("list = %+v, want anthropic then hunter, created = updated", first)
		}

		write(t, s, u.ID, func(tx *store.Tx) error { return tx.SetAPIKey(ctx, "anthropic", "v1:second", "2222") })
		var sealed string
		write(t, s, u.ID, func(tx *store.Tx) (err error) {
			sealed, err = tx.APIKey(ctx, "anthropic")
			return err
		})
		if sealed != "v1:second" {
			t.Fatalf("sealed after replacing = %q, want v1:second", sealed)
		}
		second := listKeys(t, s, u.ID)
		if len(second) != 2 || second[0].Last4 != "2222" || !second[0].CreatedAt.Equal(first[0].CreatedAt) ||
			!second[0].UpdatedAt.After(first[0].UpdatedAt) {
			t.Fatalf("after replacing: %+v (before %+v), want one row, created_at kept, updated_at moved", second[0], first[0])
		}

		write(t, s, u.ID, func(tx *store.Tx) error { return tx.DeleteAPIKey(ctx, "anthropic") })
		err = s.Write(ctx, u.ID, func(tx *store.Tx) error { return tx.DeleteAPIKey(ctx, "anthropic") })
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleting twice: %v, want ErrNotFound", err)
		}
		if l := listKeys(t, s, u.ID); len(l) != 1 || l[0].Service != "hunter" {
			t.Fatalf("after delete = %+v, want hunter alone", l)
		}
	})
}

func TestAPIKeysAreScopedToTheirOwner(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, owner, other := twoTenants(t, e)
		write(t, s, owner.ID, func(tx *store.Tx) error { return tx.SetAPIKey(ctx, "anthropic", "v1:owner", "oooo") })

		for name, fn := range map[string]func(tx *store.Tx) error{
			"get":    func(tx *store.Tx) error { _, err := tx.APIKey(ctx, "anthropic"); return err },
			"delete": func(tx *store.Tx) error { return tx.DeleteAPIKey(ctx, "anthropic") },
		} {
			if err := s.Write(ctx, other.ID, fn); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s another user's key: %v, want ErrNotFound", name, err)
			}
		}
		if l := listKeys(t, s, other.ID); len(l) != 0 {
			t.Fatalf("another user lists %+v", l)
		}

		// Each user has their own key per service.
		write(t, s, other.ID, func(tx *store.Tx) error { return tx.SetAPIKey(ctx, "anthropic", "v1:other", "tttt") })
		for id, want := range map[string]string{owner.ID: "v1:owner", other.ID: "v1:other"} {
			var got string
			write(t, s, id, func(tx *store.Tx) (err error) {
				got, err = tx.APIKey(ctx, "anthropic")
				return err
			})
			if got != want {
				t.Errorf("user %s reads %q, want %q", id, got, want)
			}
		}

		// No tenant, no keys.
		err := s.Read(ctx, "", func(tx *store.Tx) error { _, err := tx.APIKey(ctx, "anthropic"); return err })
		if err == nil {
			t.Fatal("reading a key without a tenant succeeded")
		}
	})
}
