package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// imapMailbox creates a mailbox of userID's, with IMAP settings when imap.
func imapMailbox(t *testing.T, s *store.Store, userID, email string, imap bool) string {
	t.Helper()
	m := mailstore.Mailbox{Email: email, SMTPHost: "smtp.example", SMTPPort: 587, SMTPSecurity: "starttls", SMTPUsername: email,
		SMTPPassword: "sealed", DailyLimit: 30, WarmupStart: 5, WarmupIncrement: 2}
	if imap {
		host, port, security, password := "imap.example", 993, "tls", "sealed"
		m.IMAPHost, m.IMAPPort, m.IMAPSecurity, m.IMAPUsername, m.IMAPPassword = &host, &port, &security, &email, &password
	}
	if err := s.Write(context.Background(), userID, func(tx *store.Tx) (err error) {
		m, err = tx.CreateMailbox(context.Background(), m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// TestMailboxesToReadAcrossTenants: the poller lists every tenant's
// mailboxes with IMAP, while a tenant still sees only its own, and on
// PostgreSQL no setting of the application's role lists them.
func TestMailboxesToReadAcrossTenants(t *testing.T) {
	check := func(t *testing.T, s *store.Store, split bool) {
		ctx := context.Background()
		a, b := storetest.NewUser(t, s, storetest.UserParams{}).ID, storetest.NewUser(t, s, storetest.UserParams{}).ID
		want := []store.MailboxRef{{ID: imapMailbox(t, s, a, "a@one.example", true), UserID: a},
			{ID: imapMailbox(t, s, b, "b@two.example", true), UserID: b}}
		imapMailbox(t, s, b, "smtp-only@two.example", false)
		got, err := s.MailboxesToRead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = slices.DeleteFunc(got, func(r store.MailboxRef) bool { return r.UserID != a && r.UserID != b })
		if !slices.Equal(got, want) {
			t.Errorf("MailboxesToRead = %+v, want %+v", got, want)
		}
		if err := s.Read(ctx, a, func(tx *store.Tx) error {
			ms, _, err := tx.ListMailboxes(ctx, store.Page{Limit: 10})
			if len(ms) != 1 || ms[0].ID != want[0].ID {
				t.Errorf("tenant a sees %d mailboxes, want its own one", len(ms))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if split {
			var n int
			err := rawTx(t, s, "", func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "SELECT set_config('app.owner_list', 'imap_mailboxes', true)"); err != nil {
					return err
				}
				return tx.QueryRow(ctx, "SELECT count(*) FROM mailboxes").Scan(&n)
			})
			if err != nil || n != 0 {
				t.Errorf("the application's role with app.owner_list set sees %d mailboxes (%v), want none", n, err)
			}
		}
	}
	storetest.Run(t, func(t *testing.T, e storetest.Engine) { check(t, storetest.Open(t, e), false) })
	t.Run("application role", func(t *testing.T) { check(t, storetest.OpenSplit(t), true) })
}

// TestLeaseIMAPOneAtATime: of pollers racing for one mailbox, one wins;
// the lease holds until it ends, and its cursor is saved only under it.
func TestLeaseIMAPOneAtATime(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s := storetest.Open(t, e)
		u := storetest.NewUser(t, s, storetest.UserParams{}).ID
		id := imapMailbox(t, s, u, "a@one.example", true)
		lease := func(token string) (mailstore.IMAPPoll, bool) {
			var p mailstore.IMAPPoll
			var ok bool
			if err := s.Write(ctx, u, func(tx *store.Tx) (err error) {
				p, ok, err = tx.LeaseIMAP(ctx, id, token, tx.Now().Add(5*time.Minute))
				return err
			}); err != nil {
				t.Error(err)
			}
			return p, ok
		}
		var wins sync.Map
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				token := store.NewID()
				if _, ok := lease(token); ok {
					wins.Store(i, token)
				}
			}()
		}
		wg.Wait()
		var winners []string
		wins.Range(func(_, v any) bool { winners = append(winners, v.(string)); return true })
		if len(winners) != 1 {
			t.Fatalf("%d pollers took the lease, want 1", len(winners))
		}
		err := s.Write(ctx, u, func(tx *store.Tx) error {
			if ok, err := tx.SaveIMAPCursor(ctx, id, "not-the-lease", 7, 99); err != nil || ok {
				t.Errorf("a cursor saved without the lease: %v, %v", ok, err)
			}
			if ok, err := tx.SaveIMAPCursor(ctx, id, winners[0], 4000000000, 12); err != nil || !ok {
				t.Errorf("the holder's cursor: %v, %v", ok, err)
			}
			return tx.EndIMAPPoll(ctx, id, winners[0], mailstore.IMAPOutcome{})
		})
		if err != nil {
			t.Fatal(err)
		}
		p, ok := lease(store.NewID())
		if !ok || p.UIDValidity != 4000000000 || p.LastUID != 12 {
			t.Errorf("after the lease ended: %+v, %v; want it free with cursor 4000000000/12", p, ok)
		}
	})
}
