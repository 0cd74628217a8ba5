package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// The message row is what makes a send happen once: scheduling twice keeps
// one row, only a scheduled message can be claimed (once), only a claimed
// one can be marked sent, and an ended one stays ended.
func TestMessagesMoveForwardOnlyAndOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, userID, c, prospectID, contactID := withProspect(t, e)
		other := storetest.NewUser(t, s, storetest.UserParams{}).ID
		var seqID, mailboxID string
		write(t, s, userID, func(tx *store.Tx) error {
			o, err := tx.SaveDraft(ctx, draft(c, prospectID, contactID, "Hello"))
			if err != nil {
				return err
			}
			seqID = o.ID
			m, err := tx.CreateMailbox(ctx, mailstore.Mailbox{Email: "dana@reyes.example", SMTPHost: "smtp.reyes.example", SMTPPort: 587,
				SMTPSecurity: "starttls", SMTPUsername: "dana", SMTPPassword: "sealed", DailyLimit: 30})
			mailboxID = m.ID
			return err
		})
		at := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
		nm := mailstore.NewMessage{CampaignID: c.ID, SequenceID: seqID, ProspectID: prospectID, ContactID: contactID, Step: 1,
			ToEmail: "owner@acme.test", Subject: "Hello", Body: "Hi", Provider: "smtp", ScheduledAt: at}
		var first, again mailstore.Message
		var created, createdAgain bool
		write(t, s, userID, func(tx *store.Tx) (err error) { first, created, err = tx.ScheduleMessage(ctx, nm); return err })
		write(t, s, userID, func(tx *store.Tx) (err error) { again, createdAgain, err = tx.ScheduleMessage(ctx, nm); return err })
		if !created || createdAgain || again.ID != first.ID || first.Status != mailstore.MessageScheduled || !first.ScheduledAt.Equal(at) {
			t.Fatalf("schedule twice = %+v (%v), %+v (%v); want one scheduled row", first, created, again, createdAgain)
		}

		move := func(user string, fn func(tx *store.Tx) (mailstore.Message, bool, error)) (mailstore.Message, bool) {
			t.Helper()
			var m mailstore.Message
			var ok bool
			err := s.Write(ctx, user, func(tx *store.Tx) (err error) { m, ok, err = fn(tx); return err })
			if err != nil && user == userID {
				t.Fatalf("move: %v", err)
			}
			return m, ok
		}
		if _, ok := move(userID, func(tx *store.Tx) (mailstore.Message, bool, error) {
			return tx.MarkMessageSent(ctx, first.ID, "<x@reyes.example>")
		}); ok {
			t.Error("a scheduled message was marked sent without being claimed")
		}
		if _, ok := move(other, func(tx *store.Tx) (mailstore.Message, bool, error) { return tx.ClaimMessage(ctx, first.ID, mailboxID) }); ok {
			t.Error("another user claimed the message")
		}
		claimed, ok := move(userID, func(tx *store.Tx) (mailstore.Message, bool, error) { return tx.ClaimMessage(ctx, first.ID, mailboxID) })
		if !ok || claimed.Status != mailstore.MessageSending || claimed.MailboxID == nil || *claimed.MailboxID != mailboxID {
			t.Fatalf("claim = %+v %v, want sending through the mailbox", claimed, ok)
		}
		if _, ok := move(userID, func(tx *store.Tx) (mailstore.Message, bool, error) { return tx.ClaimMessage(ctx, first.ID, mailboxID) }); ok {
			t.Error("a message was claimed twice: it would be sent twice")
		}
		var sentCount int
		write(t, s, userID, func(tx *store.Tx) (err error) {
			sentCount, err = tx.SentFromMailbox(ctx, mailboxID, time.Now().Add(-24*time.Hour))
			return err
		})
		if sentCount != 1 {
			t.Errorf("a sending message counts %d against the cap, want 1 (it may go)", sentCount)
		}
		sent, ok := move(userID, func(tx *store.Tx) (mailstore.Message, bool, error) {
			return tx.MarkMessageSent(ctx, first.ID, "<x@reyes.example>")
		})
		if !ok || sent.Status != mailstore.MessageSent || sent.SentAt == nil || sent.MessageID == nil || *sent.MessageID != "<x@reyes.example>" {
			t.Fatalf("mark sent = %+v %v", sent, ok)
		}
		if m, ok := move(userID, func(tx *store.Tx) (mailstore.Message, bool, error) {
			return tx.EndMessage(ctx, first.ID, mailstore.MessageCancelled, "late")
		}); ok || m.Status != mailstore.MessageSent {
			t.Errorf("cancel after sent = %+v %v, want it left sent", m, ok)
		}

		// An unsubscribe cancels what is still scheduled to the address.
		nm.Step, nm.Subject = 2, ""
		var step2 mailstore.Message
		write(t, s, userID, func(tx *store.Tx) (err error) { step2, _, err = tx.ScheduleMessage(ctx, nm); return err })
		var n int
		write(t, s, other, func(tx *store.Tx) (err error) {
			n, err = tx.CancelScheduledTo(ctx, "owner@acme.test", "unsubscribed")
			return err
		})
		if n != 0 {
			t.Errorf("another user's unsubscribe cancelled %d messages", n)
		}
		write(t, s, userID, func(tx *store.Tx) (err error) {
			n, err = tx.CancelScheduledTo(ctx, "owner@acme.test", "unsubscribed")
			return err
		})
		var got mailstore.Message
		write(t, s, userID, func(tx *store.Tx) (err error) { got, err = tx.Message(ctx, step2.ID); return err })
		if n != 1 || got.Status != mailstore.MessageCancelled || got.StatusReason == nil || *got.StatusReason != "unsubscribed" {
			t.Errorf("cancel to the address = %d, step 2 %+v; want step 2 cancelled, the sent step 1 untouched", n, got)
		}
	})
}

// A mailbox's tallies count each message it tried once: one sent and one
// refused at RCPT (bounced, never sent) are two tries, one bounce.
func TestMailboxTalliesCountEachTryOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, userID, c, prospectID, contactID := withProspect(t, e)
		var mailboxID string
		var seqID string
		write(t, s, userID, func(tx *store.Tx) error {
			o, err := tx.SaveDraft(ctx, draft(c, prospectID, contactID, "Hello"))
			if err != nil {
				return err
			}
			seqID = o.ID
			m, err := tx.CreateMailbox(ctx, mailstore.Mailbox{Email: "dana@reyes.example", SMTPHost: "smtp.reyes.example", SMTPPort: 587,
				SMTPSecurity: "starttls", SMTPUsername: "dana", SMTPPassword: "sealed", DailyLimit: 30})
			mailboxID = m.ID
			return err
		})
		for i, step := range []int{1, 2} {
			write(t, s, userID, func(tx *store.Tx) error {
				m, _, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: c.ID, SequenceID: seqID, ProspectID: prospectID,
					ContactID: contactID, Step: step, ToEmail: "owner@acme.test", Subject: "Hello", Body: "Hi", Provider: "smtp",
					ScheduledAt: time.Now()})
				if err != nil {
					return err
				}
				if _, ok, err := tx.ClaimMessage(ctx, m.ID, mailboxID); err != nil || !ok {
					t.Fatalf("claim %d = %v %v", i, ok, err)
				}
				if i == 0 {
					_, _, err = tx.MarkMessageSent(ctx, m.ID, "<sent@reyes.example>")
				} else {
					_, _, err = tx.EndMessage(ctx, m.ID, mailstore.MessageBounced, "550 no such user")
				}
				return err
			})
		}
		var got mailstore.MailboxTally
		write(t, s, userID, func(tx *store.Tx) error {
			all, err := tx.MailboxTallies(ctx, time.Now())
			got = all[mailboxID]
			return err
		})
		if want := (mailstore.MailboxTally{SentToday: 1, Sent7d: 1, Bounced7d: 1, Tried7d: 2}); got != want {
			t.Errorf("tallies = %+v, want %+v", got, want)
		}
	})
}
