package sending_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// holdMailbox locks mailbox ids as another claim's transaction would, runs
// change in that transaction (nil: none), and returns a function that
// commits it. Only PostgreSQL has concurrent writers to test this against.
func (f *sendFixture) holdMailbox(change func(tx pgx.Tx) error, ids ...string) (commit func()) {
	f.t.Helper()
	tx, err := f.st.PGPool().Begin(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	done := false
	commit = func() {
		f.t.Helper()
		if done {
			return
		}
		done = true
		if err := tx.Commit(f.ctx); err != nil {
			f.t.Fatal(err)
		}
	}
	f.t.Cleanup(func() {
		if !done {
			_ = tx.Rollback(context.Background())
		}
	})
	if _, err := tx.Exec(f.ctx, "SELECT set_config('app.user_id', $1, true)", f.user); err != nil {
		f.t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := tx.Exec(f.ctx, "SELECT id FROM mailboxes WHERE id = $1 FOR NO KEY UPDATE", id); err != nil {
			f.t.Fatal(err)
		}
	}
	if change != nil {
		if err := change(tx); err != nil {
			f.t.Fatal(err)
		}
	}
	return commit
}

// sendAsync runs the send of a message in its own goroutine; the answer
// comes on the channel.
func (f *sendFixture) sendAsync(messageID string) <-chan error {
	done := make(chan error, 1)
	go func() { done <- f.svc.Send(f.ctx, f.user, messageID, false) }()
	return done
}

// waitForLockWait returns once a session of the database waits for a row
// lock: the claim has reached the mailbox another transaction holds.
func (f *sendFixture) waitForLockWait() {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var waiting int
		if err := f.st.PGPool().QueryRow(f.ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			f.t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.t.Fatal("the claim never waited for the held mailbox")
}

func requirePostgres(t *testing.T, e storetest.Engine) {
	t.Helper()
	if e.Name != store.Postgres {
		t.Skip("SQLite has a single writer: no other claim can hold a mailbox while this one runs")
	}
}

// TestSendPassesOverAMailboxAnotherClaimHolds: concurrent claims all rank
// the campaign's mailboxes alike; the one the best mailbox's lock is held
// by sends through the next instead of queueing behind it, and with every
// mailbox held it waits for the best one and sends through it.
func TestSendPassesOverAMailboxAnotherClaimHolds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		requirePostgres(t, e)
		f := newSendFixture(t, e, noGaps)
		roomy := f.mailbox("dana@reyes-growth.example", 10, false) // the most room: ranked first
		other := f.mailbox("sam@reyes-growth.example", 5, false)

		first := f.approved("ana@acme-plumbing.example", twoSteps)
		commit := f.holdMailbox(nil, roomy)
		msg := f.messages(first.ID)[0]
		select {
		case err := <-f.sendAsync(msg.ID):
			if err != nil {
				t.Fatalf("send = %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the send waited for the held mailbox although another had room")
		}
		commit()
		if got := f.messages(first.ID)[0]; got.Status != mailstore.MessageSent || *got.MailboxID != other {
			t.Errorf("message %s through %v, want sent through the mailbox nobody held", got.Status, *got.MailboxID)
		}

		second := f.approved("bo@acme-plumbing.example", twoSteps)
		commit = f.holdMailbox(nil, roomy, other)
		done := f.sendAsync(f.messages(second.ID)[0].ID)
		f.waitForLockWait()
		commit()
		if err := <-done; err != nil {
			t.Fatalf("send = %v", err)
		}
		if got := f.messages(second.ID)[0]; got.Status != mailstore.MessageSent || *got.MailboxID != roomy {
			t.Errorf("with every mailbox held: message %s through %v, want sent through the best one once free", got.Status, *got.MailboxID)
		}
		if n := f.smtp.Count(); n != 2 {
			t.Errorf("the server received %d messages, want 2", n)
		}
	})
}

// TestSendLooksAgainAtAMailboxPausedWhileItWaited: the user pauses the
// only mailbox while a claim waits for its lock; the claim, which read it
// active before, sees the pause once it has the lock and sends nothing.
func TestSendLooksAgainAtAMailboxPausedWhileItWaited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		requirePostgres(t, e)
		f := newSendFixture(t, e, noGaps)
		box := f.mailbox("dana@reyes-growth.example", 10, false)
		seq := f.approved("ana@acme-plumbing.example", twoSteps)
		commit := f.holdMailbox(func(tx pgx.Tx) error {
			_, err := tx.Exec(f.ctx, "UPDATE mailboxes SET status = 'paused' WHERE id = $1", box)
			return err
		}, box)
		done := f.sendAsync(f.messages(seq.ID)[0].ID)
		f.waitForLockWait()
		commit()
		err := <-done
		var later *stage.Later
		if err != nil && !errors.As(err, &later) {
			t.Fatalf("send = %v", err)
		}
		if n := f.smtp.Count(); n != 0 {
			t.Errorf("the server received %d messages through a paused mailbox, want none", n)
		}
		if got := f.messages(seq.ID)[0]; got.Status != mailstore.MessageScheduled {
			t.Errorf("message = %s, want still scheduled", got.Status)
		}
	})
}
