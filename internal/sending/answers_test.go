package sending_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
	"github.com/prospectorhq/prospector/internal/tracking"
)

// sentFirst approves a two-step sequence to email and sends its first
// step; it answers the sequence and the sent message.
func (f *sendFixture) sentFirst(email string) (mailstore.OutreachSequence, mailstore.Message) {
	f.t.Helper()
	seq := f.approved(email, twoSteps)
	f.run()
	msgs := f.messages(seq.ID)
	if len(msgs) != 2 || msgs[0].Status != mailstore.MessageSent || msgs[1].Status != mailstore.MessageScheduled {
		f.t.Fatalf("messages to %s = %+v, want step 1 sent and step 2 scheduled", email, msgs)
	}
	return seq, msgs[0]
}

func (f *sendFixture) answer(a tracking.Answer) tracking.Applied {
	f.t.Helper()
	got, err := f.track.Answered(f.ctx, f.user, a)
	if err != nil {
		f.t.Fatalf("answer %s: %v", a.Kind, err)
	}
	return got
}

func (f *sendFixture) events(messageID string) []mailstore.Event {
	f.t.Helper()
	var out []mailstore.Event
	if err := f.st.Read(f.ctx, f.user, func(tx *store.Tx) (err error) {
		out, err = tx.EventsOf(f.ctx, messageID)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *sendFixture) suppressed(email string) bool {
	f.t.Helper()
	var ok bool
	if err := f.st.Read(f.ctx, f.user, func(tx *store.Tx) (err error) {
		ok, err = tx.Suppressed(f.ctx, email)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return ok
}

func (f *sendFixture) contactStatus(seq mailstore.OutreachSequence) string {
	f.t.Helper()
	var status string
	if err := f.st.Read(f.ctx, f.user, func(tx *store.Tx) error {
		cs, err := tx.ContactsOf(f.ctx, seq.ProspectID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.ID == seq.ContactID {
				status = store.OrEmpty(c.EmailVerificationStatus)
			}
		}
		return nil
	}); err != nil {
		f.t.Fatal(err)
	}
	return status
}

func countType(evs []mailstore.Event, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func TestAnswerReplyStopsTheSequenceAndTheCompany(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 100, false)
		ana, anaMsg := f.sentFirst("ana@acme-plumbing.example")
		bob, _ := f.sentFirst("bob@acme-plumbing.example")
		other, _ := f.sentFirst("eve@other-plumbing.example")
		gmail1, gmail1Msg := f.sentFirst("first.person@gmail.com")
		gmail2, _ := f.sentFirst("second.person@gmail.com")

		reply := tracking.Answer{Kind: mailstore.AnswerReply, MessageID: anaMsg.ID, Key: "mail:reply-1@acme-plumbing.example",
			Snippet: "Sure, send me more."}
		if got := f.answer(reply); got.Duplicate || got.Stopped != 1 {
			t.Fatalf("reply = %+v, want applied, stopping bob's sequence", got)
		}
		// The same reply read again (a second poll, a retry) changes nothing.
		if got := f.answer(reply); !got.Duplicate {
			t.Fatalf("the same reply again = %+v, want a duplicate", got)
		}

		s := f.sequence(ana.ID)
		if s.Status != mailstore.OutreachReplied || s.Replies != 1 {
			t.Errorf("replied sequence = %s with %d replies, want replied with 1", s.Status, s.Replies)
		}
		msgs := f.messages(ana.ID)
		if msgs[0].RepliedAt == nil || msgs[1].Status != mailstore.MessageCancelled {
			t.Errorf("messages = %+v, want step 1 replied and step 2 cancelled", msgs)
		}
		evs := f.events(anaMsg.ID)
		if countType(evs, mailstore.EventReplied) != 1 {
			t.Errorf("events = %+v, want one replied", evs)
		}
		for _, e := range evs {
			if e.Type == mailstore.EventReplied && (e.Snippet == nil || *e.Snippet != "Sure, send me more.") {
				t.Errorf("reply snippet = %v", e.Snippet)
			}
		}
		if s := f.sequence(bob.ID); s.Status != mailstore.OutreachStopped || s.StatusReason == nil {
			t.Errorf("same company's sequence = %s (%v), want stopped with the reason", s.Status, s.StatusReason)
		}
		if m := f.messages(bob.ID); m[1].Status != mailstore.MessageCancelled {
			t.Errorf("same company's step 2 = %s, want cancelled", m[1].Status)
		}
		if s := f.sequence(other.ID); s.Status != mailstore.OutreachSent {
			t.Errorf("another company's sequence = %s, want still sent", s.Status)
		}

		// A reply from a free mail address stops its own sequence only.
		if got := f.answer(tracking.Answer{Kind: mailstore.AnswerReply, MessageID: gmail1Msg.ID, Key: "mail:reply-2@gmail.com"}); got.Stopped != 0 {
			t.Errorf("gmail reply stopped %d others, want none", got.Stopped)
		}
		if s := f.sequence(gmail1.ID); s.Status != mailstore.OutreachReplied {
			t.Errorf("gmail sequence = %s, want replied", s.Status)
		}
		if s := f.sequence(gmail2.ID); s.Status != mailstore.OutreachSent {
			t.Errorf("another gmail user's sequence = %s, want still sent: gmail.com is no company", s.Status)
		}
	})
}

func TestAnswerHardAndSoftBounces(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 100, false)
		seq, msg := f.sentFirst("ana@acme-plumbing.example")
		bounce := tracking.Answer{Kind: mailstore.AnswerHardBounce, MessageID: msg.ID, Key: "mail:dsn-1@mx.example",
			Status: "5.1.1", Diagnostic: "550 5.1.1 user unknown"}
		if got := f.answer(bounce); !got.Hard || got.Duplicate {
			t.Fatalf("hard bounce = %+v", got)
		}
		f.answer(bounce)
		msgs := f.messages(seq.ID)
		if msgs[0].Status != mailstore.MessageBounced || msgs[0].SentAt == nil {
			t.Errorf("bounced message = %s (sent_at %v), want bounced keeping sent_at", msgs[0].Status, msgs[0].SentAt)
		}
		if msgs[1].Status != mailstore.MessageCancelled {
			t.Errorf("step 2 = %s, want cancelled", msgs[1].Status)
		}
		if s := f.sequence(seq.ID); s.Status != mailstore.OutreachBounced {
			t.Errorf("sequence = %s, want bounced", s.Status)
		}
		if got := f.contactStatus(seq); got != "invalid" {
			t.Errorf("contact email status = %q, want invalid", got)
		}
		if !f.suppressed("ana@acme-plumbing.example") {
			t.Error("the bounced address is not suppressed")
		}
		if n := countType(f.events(msg.ID), mailstore.EventBounced); n != 1 {
			t.Errorf("%d bounced events, want 1", n)
		}

		// Soft bounces: recorded; the third in a row ends the address.
		seq2, msg2 := f.sentFirst("bob@acme-plumbing.example")
		for i, key := range []string{"soft-1", "soft-2", "soft-3"} {
			got := f.answer(tracking.Answer{Kind: mailstore.AnswerSoftBounce, MessageID: msg2.ID, Key: "mail:" + key,
				Status: "4.2.2", Diagnostic: "452 mailbox full"})
			if wantHard := i == 2; got.Hard != wantHard {
				t.Errorf("soft bounce %d: hard = %v, want %v", i+1, got.Hard, wantHard)
			}
			if i < 2 && f.sequence(seq2.ID).Status != mailstore.OutreachSent {
				t.Errorf("after soft bounce %d the sequence is %s, want sent", i+1, f.sequence(seq2.ID).Status)
			}
		}
		if s := f.sequence(seq2.ID); s.Status != mailstore.OutreachBounced || !f.suppressed("bob@acme-plumbing.example") {
			t.Errorf("after three soft bounces: sequence %s, suppressed %v; want bounced and suppressed", s.Status, f.suppressed("bob@acme-plumbing.example"))
		}

		// A reply between soft bounces breaks the row.
		seq3, msg3 := f.sentFirst("cat@acme-plumbing.example")
		f.answer(tracking.Answer{Kind: mailstore.AnswerSoftBounce, MessageID: msg3.ID, Key: "mail:s1"})
		f.answer(tracking.Answer{Kind: mailstore.AnswerAutoReply, MessageID: msg3.ID, Key: "mail:ooo"})
		f.answer(tracking.Answer{Kind: mailstore.AnswerSoftBounce, MessageID: msg3.ID, Key: "mail:s2"})
		if got := f.answer(tracking.Answer{Kind: mailstore.AnswerSoftBounce, MessageID: msg3.ID, Key: "mail:s3"}); got.Hard {
			t.Error("soft bounces with an auto-reply between them counted as three in a row")
		}
		if s := f.sequence(seq3.ID); s.Status != mailstore.OutreachSent {
			t.Errorf("sequence = %s, want still sent", s.Status)
		}
	})
}

func TestAnswerAutoReplyAndUnsubscribe(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 100, false)
		seq, msg := f.sentFirst("ana@acme-plumbing.example")
		step2 := f.messages(seq.ID)[1].ScheduledAt
		back := time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)
		f.answer(tracking.Answer{Kind: mailstore.AnswerAutoReply, MessageID: msg.ID, Key: "mail:ooo-1", ReturnDate: back,
			Snippet: "I am out of the office until 14 December."})
		msgs := f.messages(seq.ID)
		if s := f.sequence(seq.ID); s.Status != mailstore.OutreachSent {
			t.Errorf("after an auto-reply the sequence is %s, want sent (it goes on)", s.Status)
		}
		if want := back.Add(24 * time.Hour); !msgs[1].ScheduledAt.Equal(want) || msgs[1].Status != mailstore.MessageScheduled {
			t.Errorf("step 2 = %s at %s (was %s), want scheduled at %s, after the return", msgs[1].Status, msgs[1].ScheduledAt, step2, want)
		}
		if n := countType(f.events(msg.ID), mailstore.EventAutoReplied); n != 1 {
			t.Errorf("%d auto_replied events, want 1", n)
		}

		seq2, msg2 := f.sentFirst("bob@acme-plumbing.example")
		unsub := tracking.Answer{Kind: mailstore.AnswerUnsubscribe, MessageID: msg2.ID, Key: "mail:unsub-1"}
		f.answer(unsub)
		f.answer(unsub)
		if s := f.sequence(seq2.ID); s.Status != mailstore.OutreachUnsubscribed {
			t.Errorf("sequence = %s, want unsubscribed", s.Status)
		}
		if m := f.messages(seq2.ID); m[1].Status != mailstore.MessageCancelled {
			t.Errorf("step 2 = %s, want cancelled", m[1].Status)
		}
		if !f.suppressed("bob@acme-plumbing.example") {
			t.Error("the address is not suppressed")
		}
		if n := countType(f.events(msg2.ID), mailstore.EventUnsubscribed); n != 1 {
			t.Errorf("%d unsubscribed events, want 1", n)
		}
	})
}

func TestSentCountsOnTheCampaignOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 100, false)
		f.sentFirst("ana@acme-plumbing.example")
		f.sentFirst("bob@acme-plumbing.example")
		f.run() // repeated jobs send nothing more
		var c store.Campaign
		f.write(func(tx *store.Tx) (err error) {
			c, err = tx.Campaign(f.ctx, f.campaign.ID)
			return err
		})
		if c.OutreachSent != 2 {
			t.Errorf("campaign outreach_sent = %d, want 2", c.OutreachSent)
		}
	})
}

// TestDeliveryReportsPauseAMailboxThatBouncesTooMuch: bounces that come
// back as delivery reports, after the server took the messages, count
// towards the mailbox's 7-day bounce rate like refusals at RCPT: past 3 %
// of at least 20 messages it is paused with the reason.
func TestDeliveryReportsPauseAMailboxThatBouncesTooMuch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		mb := f.mailbox("dana@reyes-growth.example", 100, false)
		var sent []mailstore.Message
		for i := range 19 {
			_, m := f.sentFirst("person" + string(rune('a'+i)) + "@acme-plumbing.example")
			sent = append(sent, m)
		}
		// One bounce of 19 messages: below the minimum of 20, never paused.
		f.answer(tracking.Answer{Kind: mailstore.AnswerHardBounce, MessageID: sent[0].ID, Key: "mail:dsn-a", Status: "5.1.1"})
		view := func() sending.MailboxView {
			v, err := f.svc.Mailbox(f.ctx, f.user, mb)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if v := view(); v.Status != mailstore.MailboxActive {
			t.Fatalf("mailbox after 1 bounce of 19 = %s, want active", v.Status)
		}
		_, m := f.sentFirst("persont@acme-plumbing.example")
		sent = append(sent, m)
		// Two of twenty (10 %) is above 3 %.
		f.answer(tracking.Answer{Kind: mailstore.AnswerHardBounce, MessageID: sent[19].ID, Key: "mail:dsn-b", Status: "5.1.1"})
		v := view()
		if v.Status != mailstore.MailboxPaused || v.StatusReason == nil || !strings.Contains(*v.StatusReason, "2 of its last 20") {
			t.Errorf("mailbox = %s (%v), want paused naming 2 of its last 20", v.Status, v.StatusReason)
		}
		if v.BounceRate7d != 0.1 {
			t.Errorf("bounce_rate_7d = %v, want 0.1", v.BounceRate7d)
		}
	})
}
