package sending_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
	"github.com/prospectorhq/prospector/internal/suppression"
)

// noGaps sends back to back, in the default window (Monday to Friday,
// 09:00–17:00, the sender profile's Chicago).
const noGaps = `{"min_gap_seconds": 0, "max_gap_seconds": 0}`

func TestSendThreadsFollowUpsFromTheSameMailbox(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 30, false)
		seq := f.approved("ana@acme-plumbing.example", twoSteps)

		if got := f.sequence(seq.ID).Status; got != mailstore.OutreachScheduled {
			t.Fatalf("sequence after approval = %s, want scheduled", got)
		}
		if laters := f.run(); len(laters) != 0 {
			t.Fatalf("first step waited: %v", laters[0])
		}
		msgs := f.messages(seq.ID)
		if len(msgs) != 2 || msgs[0].Status != mailstore.MessageSent || msgs[1].Status != mailstore.MessageScheduled {
			t.Fatalf("messages = %+v, want step 1 sent and step 2 scheduled", msgs)
		}
		first := msgs[0]
		if first.MessageID == nil || !strings.HasSuffix(*first.MessageID, "@reyes-growth.example>") {
			t.Errorf("Message-ID = %v, want one on the mailbox's domain", first.MessageID)
		}
		// Step 2 goes three days after step 1, moved into the window: that
		// Saturday is Monday 09:00 in Chicago.
		monday9 := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
		if want := monday9; !msgs[1].ScheduledAt.Equal(want) {
			t.Errorf("step 2 scheduled at %s, want %s", msgs[1].ScheduledAt, want)
		}
		if msgs[1].MailboxID == nil || *msgs[1].MailboxID != *first.MailboxID {
			t.Errorf("step 2 mailbox = %v, want step 1's %v", msgs[1].MailboxID, first.MailboxID)
		}
		if s := f.sequence(seq.ID); s.Status != mailstore.OutreachSent || s.SentAt == nil {
			t.Errorf("sequence = %s (sent_at %v), want sent", s.Status, s.SentAt)
		}

		// Before its day nothing more goes, however often the job runs.
		f.run()
		if n := f.smtp.Count(); n != 1 {
			t.Fatalf("server received %d messages before step 2's day, want 1", n)
		}
		f.clock.Set(monday9)
		f.runDue()
		f.runDue()
		if n := f.smtp.Count(); n != 2 {
			t.Fatalf("server received %d messages, want 2", n)
		}
		if d := f.smtp.Duplicates(); len(d) != 0 {
			t.Errorf("server received duplicates: %v", d)
		}
		got := f.smtp.Messages()
		step1, step2 := parse(t, got[0].Data), parse(t, got[1].Data)
		if v := step2.Header.Get("In-Reply-To"); v != *first.MessageID {
			t.Errorf("step 2 In-Reply-To = %q, want %q", v, *first.MessageID)
		}
		if v := step2.Header.Get("References"); v != *first.MessageID {
			t.Errorf("step 2 References = %q, want %q", v, *first.MessageID)
		}
		if v := step2.Header.Get("Subject"); v != "Re: A faster site for Acme" {
			t.Errorf("step 2 Subject = %q, want the first step's with Re:", v)
		}
		if v := step1.Header.Get("From"); v != `"Dana Reyes" <dana@reyes-growth.example>` && v != "Dana Reyes <dana@reyes-growth.example>" {
			t.Errorf("From = %q, want the sender's name and the mailbox", v)
		}
		unsub := step1.Header.Get("List-Unsubscribe")
		if !strings.HasPrefix(unsub, "<https://prospector.example/u/") || !strings.Contains(unsub, "<mailto:dana@reyes-growth.example?subject=unsubscribe>") {
			t.Errorf("List-Unsubscribe = %q, want the https link and the mailto", unsub)
		}
		if v := step1.Header.Get("List-Unsubscribe-Post"); v != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post = %q", v)
		}
		var body bytes.Buffer
		body.ReadFrom(step1.Body) //nolint:errcheck
		for _, want := range []string{"Your site takes 9 s to load", "100 Congress Ave, Suite 200, Austin, TX 78701", "https://prospector.example/u/"} {
			if !strings.Contains(strings.ReplaceAll(body.String(), "=\r\n", ""), want) {
				t.Errorf("body lacks %q:\n%s", want, body.String())
			}
		}
	})
}

func parse(t *testing.T, data []byte) *mail.Message {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	return m
}

func TestSendWaitsForTheWindow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 30, false)
		saturday := time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC) // noon in Chicago
		monday9 := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)  // 09:00 in Chicago
		f.clock.Set(saturday)
		seq := f.approved("ana@acme-plumbing.example", twoSteps[:1])
		if m := f.messages(seq.ID)[0]; !m.ScheduledAt.Equal(monday9) {
			t.Errorf("scheduled at %s, want Monday 09:00 Chicago (%s)", m.ScheduledAt, monday9)
		}
		laters := f.run()
		if len(laters) != 1 || !laters[0].At.Equal(monday9) || f.smtp.Count() != 0 {
			t.Fatalf("on Saturday: laters %v, %d sent; want one wait until Monday 09:00 and nothing sent", laters, f.smtp.Count())
		}
		f.clock.Set(monday9)
		f.runDue()
		if f.smtp.Count() != 1 {
			t.Errorf("on Monday 09:00: %d sent, want 1", f.smtp.Count())
		}
	})
}

func TestSendCapsWarmupAndGaps(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 30, true) // warm-up: 5 on day 0, 7 on day 1
		var seqs []string
		for i := range 9 {
			seqs = append(seqs, f.approved("owner"+string(rune('a'+i))+"@acme-plumbing.example", twoSteps[:1]).ID)
		}
		f.runDue()
		if n := f.smtp.Count(); n != 5 {
			t.Fatalf("day 0 of warm-up sent %d, want 5", n)
		}
		waiting := 0
		for _, id := range seqs {
			m := f.messages(id)[0]
			if m.Status == mailstore.MessageScheduled {
				waiting++
				if m.StatusReason == nil || !strings.Contains(*m.StatusReason, "daily caps") {
					t.Errorf("a capped message's reason = %v, want the caps named", m.StatusReason)
				}
				if !m.ScheduledAt.After(wednesdayMorning.Add(23 * time.Hour)) {
					t.Errorf("a capped message waits until %s, want about a day later", m.ScheduledAt)
				}
			}
		}
		if waiting != 4 {
			t.Errorf("%d messages wait, want 4: capped messages wait, never dropped", waiting)
		}
		// A day later the warm-up allows 7 in 24 hours, and the first day's
		// sends have aged out: the 4 that waited all go.
		f.clock.Set(wednesdayMorning.Add(24*time.Hour + time.Minute))
		f.runDue()
		if n := f.smtp.Count(); n != 9 {
			t.Errorf("after a day %d sent, want all 9", n)
		}
	})

	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, `{"min_gap_seconds": 60, "max_gap_seconds": 60}`)
		f.mailbox("dana@reyes-growth.example", 30, false)
		for _, to := range []string{"a@acme-plumbing.example", "b@acme-plumbing.example", "c@acme-plumbing.example"} {
			f.approved(to, twoSteps[:1])
		}
		f.runDue()
		if n := f.smtp.Count(); n != 1 {
			t.Fatalf("sent %d at once, want 1: the gap holds the others", n)
		}
		f.clock.Set(wednesdayMorning.Add(59 * time.Second))
		if f.runDue(); f.smtp.Count() != 1 {
			t.Fatalf("sent %d before the gap passed, want 1", f.smtp.Count())
		}
		f.clock.Set(wednesdayMorning.Add(60 * time.Second))
		if f.runDue(); f.smtp.Count() != 2 {
			t.Errorf("sent %d once the gap passed, want 2", f.smtp.Count())
		}
	})
}

func TestSendRotatesToTheMailboxWithMostRoom(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		a := f.mailbox("dana@reyes-growth.example", 3, false)
		b := f.mailbox("sam@reyes-growth.example", 3, false)
		var seqs []string
		for i := range 6 {
			seqs = append(seqs, f.approved("owner"+string(rune('a'+i))+"@acme-plumbing.example", twoSteps).ID)
		}
		f.runDue()
		used := map[string]int{}
		for _, id := range seqs {
			msgs := f.messages(id)
			if msgs[0].Status != mailstore.MessageSent {
				t.Fatalf("step 1 = %s, want sent", msgs[0].Status)
			}
			used[*msgs[0].MailboxID]++
			if *msgs[1].MailboxID != *msgs[0].MailboxID {
				t.Errorf("a follow-up goes from %s, want step 1's %s", *msgs[1].MailboxID, *msgs[0].MailboxID)
			}
		}
		if used[a] != 3 || used[b] != 3 {
			t.Errorf("mailbox use = %v, want 3 each", used)
		}
	})
}

func TestSendCampaignDailyLimitAndPause(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, `{"min_gap_seconds": 0, "max_gap_seconds": 0, "daily_limit": 2}`)
		f.mailbox("dana@reyes-growth.example", 30, false)
		for _, to := range []string{"a@acme-plumbing.example", "b@acme-plumbing.example", "c@acme-plumbing.example"} {
			f.approved(to, twoSteps[:1])
		}
		f.runDue()
		if n := f.smtp.Count(); n != 2 {
			t.Fatalf("sent %d, want the campaign's daily limit of 2", n)
		}

		// Pausing holds the rest, whatever the time; starting again sends it.
		f.write(func(tx *store.Tx) error {
			_, err := tx.SetCampaignStatus(f.ctx, f.campaign.ID, store.CampaignPaused, nil)
			return err
		})
		f.clock.Set(wednesdayMorning.Add(25 * time.Hour))
		if laters := f.run(); len(laters) != 0 || f.smtp.Count() != 2 {
			t.Fatalf("paused: %d sent, %d waiting for a time; want 2 and none (the job ends)", f.smtp.Count(), len(laters))
		}
		f.write(func(tx *store.Tx) error {
			if _, err := tx.SetCampaignStatus(f.ctx, f.campaign.ID, store.CampaignRunning, nil); err != nil {
				return err
			}
			return f.svc.SendingChanged(f.ctx, tx, f.campaign.ID)
		})
		f.runDue()
		if n := f.smtp.Count(); n != 3 {
			t.Errorf("after resuming sent %d, want 3", n)
		}
	})
}

func TestSendNeverToSuppressedOrStopped(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 30, false)
		byAddress := f.approved("ana@acme-plumbing.example", twoSteps)
		byDomain := f.approved("bo@blocked-plumbing.example", twoSteps)
		stopped := f.approved("cy@acme-plumbing.example", twoSteps)
		for _, in := range []suppression.Input{{Email: "ANA@acme-plumbing.example"}, {Domain: "blocked-plumbing.example"}} {
			if _, _, err := f.supp.Suppress(f.ctx, f.user, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.StopSequence(f.ctx, f.user, stopped.ID); err != nil {
			t.Fatal(err)
		}
		f.runDue()
		if n := f.smtp.Count(); n != 0 {
			t.Fatalf("server received %d messages, want none", n)
		}
		for _, id := range []string{byAddress.ID, byDomain.ID, stopped.ID} {
			if m := f.messages(id)[0]; m.Status != mailstore.MessageCancelled {
				t.Errorf("message = %s, want cancelled", m.Status)
			}
		}
		if s := f.sequence(stopped.ID); s.Status != mailstore.OutreachStopped {
			t.Errorf("stopped sequence = %s", s.Status)
		}
		if _, err := f.svc.StopSequence(f.ctx, f.user, stopped.ID); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("stopping again: %v, want a conflict", err)
		}
	})
}

func TestSendExactlyOnceAcrossCrashes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		for _, tc := range []struct {
			name     string
			crash    func(*sending.Service, bool)
			received int    // what the server has after the crash
			resolve  string // what the user decides
			final    int
		}{
			{"between the server's acceptance and the sent commit", sending.CrashAfterAccept, 1, sending.ResolveMarkSent, 1},
			{"between sending and the SMTP transaction", sending.CrashAfterClaim, 0, sending.ResolveResend, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := newSendFixture(t, e, noGaps)
				f.mailbox("dana@reyes-growth.example", 30, false)
				seq := f.approved("ana@acme-plumbing.example", twoSteps)
				queued := f.queue.take()
				tc.crash(f.svc, true)
				if err := f.svc.Send(f.ctx, f.user, queued[0].MessageID, false); err == nil {
					t.Fatal("the crashed send succeeded")
				}
				tc.crash(f.svc, false)
				if m := f.messages(seq.ID)[0]; m.Status != mailstore.MessageSending {
					t.Fatalf("after the crash the message is %s, want sending", m.Status)
				}
				// The job runs again (River's rescuer): the message becomes
				// uncertain and nothing is sent again, however often it runs.
				for range 3 {
					if err := f.svc.Send(f.ctx, f.user, queued[0].MessageID, false); err != nil {
						t.Fatal(err)
					}
				}
				m := f.messages(seq.ID)[0]
				if m.Status != mailstore.MessageUncertain || m.StatusReason == nil {
					t.Fatalf("after the rerun the message is %s, want uncertain with a reason", m.Status)
				}
				if n := f.smtp.Count(); n != tc.received {
					t.Fatalf("server has %d, want %d", n, tc.received)
				}
				if _, err := f.svc.SendNow(f.ctx, f.user, m.ID); apperr.CodeOf(err) != apperr.CodeConflict {
					t.Errorf("send-now of an uncertain message: %v, want a conflict", err)
				}
				if _, err := f.svc.Resolve(f.ctx, f.user, m.ID, tc.resolve); err != nil {
					t.Fatal(err)
				}
				f.runDue()
				if n := f.smtp.Count(); n != tc.final {
					t.Errorf("after %s the server has %d, want %d", tc.resolve, n, tc.final)
				}
				if m := f.messages(seq.ID)[0]; m.Status != mailstore.MessageSent {
					t.Errorf("after %s the message is %s, want sent", tc.resolve, m.Status)
				}
				if msgs := f.messages(seq.ID); len(msgs) != 2 {
					t.Errorf("after %s the sequence has %d messages, want its follow-up scheduled", tc.resolve, len(msgs))
				}
				if _, err := f.svc.Resolve(f.ctx, f.user, m.ID, tc.resolve); apperr.CodeOf(err) != apperr.CodeConflict {
					t.Errorf("resolving a sent message: %v, want a conflict", err)
				}
			})
		}
	})
}

func TestSendSMTPAnswers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		mb := f.mailbox("dana@reyes-growth.example", 30, false)
		bounced := f.approved("unknown@acme-plumbing.example", twoSteps)
		later := f.approved("busy@acme-plumbing.example", twoSteps[:1])
		f.runDue()

		// 550 at RCPT: a hard bounce.
		m := f.messages(bounced.ID)[0]
		if m.Status != mailstore.MessageBounced || m.StatusReason == nil || !strings.Contains(*m.StatusReason, "550") {
			t.Errorf("550: message %s (%v), want bounced with the server's answer", m.Status, m.StatusReason)
		}
		if s := f.sequence(bounced.ID); s.Status != mailstore.OutreachBounced {
			t.Errorf("550: sequence %s, want bounced", s.Status)
		}
		f.write(func(tx *store.Tx) error {
			cs, err := tx.ContactsOf(f.ctx, m.ProspectID)
			if err != nil {
				return err
			}
			if cs[0].EmailVerificationStatus == nil || *cs[0].EmailVerificationStatus != "invalid" {
				t.Errorf("550: contact verification %v, want invalid", cs[0].EmailVerificationStatus)
			}
			if ok, err := tx.Suppressed(f.ctx, "unknown@acme-plumbing.example"); err != nil || !ok {
				t.Errorf("550: address suppressed = %v (%v), want true", ok, err)
			}
			return nil
		})

		// 452: tried again later, with backoff, for three days; then failed.
		m = f.messages(later.ID)[0]
		if m.Status != mailstore.MessageScheduled || !m.ScheduledAt.After(wednesdayMorning) {
			t.Fatalf("452: message %s at %s, want scheduled later", m.Status, m.ScheduledAt)
		}
		first := m.ScheduledAt
		f.clock.Set(first)
		f.runDue()
		if m := f.messages(later.ID)[0]; m.Status != mailstore.MessageScheduled || m.ScheduledAt.Sub(first) <= first.Sub(wednesdayMorning) {
			t.Errorf("452 twice: next try at %s, want a longer wait than the first", m.ScheduledAt)
		}
		for day := 1; day <= 6; day++ { // past the weekend, when nothing is tried
			for hour := 0; hour < 24; hour += 6 {
				f.clock.Set(wednesdayMorning.Add(time.Duration(day*24+hour) * time.Hour))
				f.runDue()
			}
		}
		if m := f.messages(later.ID)[0]; m.Status != mailstore.MessageFailed || !strings.Contains(*m.StatusReason, "three days") {
			t.Errorf("452 for days: %s (%v), want failed after three days", m.Status, m.StatusReason)
		}
		if n := f.smtp.Count(); n != 0 {
			t.Errorf("server accepted %d, want none", n)
		}

		// Authentication refused: the mailbox pauses with the reason, and
		// its message waits.
		wrong := "not-the-password"
		if _, err := f.svc.UpdateMailbox(f.ctx, f.user, mb, sending.MailboxInput{SMTPPassword: &wrong}); err != nil {
			t.Fatal(err)
		}
		waits := f.approved("ana@acme-plumbing.example", twoSteps[:1])
		f.clock.Set(wednesdayMorning.AddDate(0, 0, 7)) // the next Wednesday
		f.runDue()
		v, err := f.svc.Mailbox(f.ctx, f.user, mb)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != mailstore.MailboxPaused || v.StatusReason == nil || !strings.Contains(*v.StatusReason, "535") {
			t.Errorf("after a refused login the mailbox is %s (%v), want paused with the server's answer", v.Status, v.StatusReason)
		}
		if m := f.messages(waits.ID)[0]; m.Status != mailstore.MessageScheduled || m.StatusReason == nil {
			t.Errorf("its message is %s (%v), want scheduled with the reason it waits", m.Status, m.StatusReason)
		}
		right := "sandbox-smtp-password"
		if _, err := f.svc.UpdateMailbox(f.ctx, f.user, mb, sending.MailboxInput{SMTPPassword: &right}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ResumeMailbox(f.ctx, f.user, mb); err != nil {
			t.Fatal(err)
		}
		f.runDue()
		if m := f.messages(waits.ID)[0]; m.Status != mailstore.MessageSent {
			t.Errorf("after resuming the mailbox its message is %s, want sent", m.Status)
		}
	})
}

func TestSendPausesAMailboxThatBouncesTooMuch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		mb := f.mailbox("dana@reyes-growth.example", 100, false)
		for i := range 20 {
			f.approved("owner"+string(rune('a'+i))+"@acme-plumbing.example", twoSteps[:1])
		}
		f.runDue()
		f.approved("unknown@acme-plumbing.example", twoSteps[:1])
		f.runDue()
		v, err := f.svc.Mailbox(f.ctx, f.user, mb)
		if err != nil {
			t.Fatal(err)
		}
		if v.SentToday != 20 || v.BounceRate7d < 0.04 || v.BounceRate7d > 0.05 {
			t.Errorf("sent_today %d, bounce_rate_7d %.3f; want 20 and 1/21", v.SentToday, v.BounceRate7d)
		}
		if v.Status != mailstore.MailboxPaused || v.StatusReason == nil || !strings.Contains(*v.StatusReason, "bounced") {
			t.Errorf("mailbox %s (%v), want paused for its bounce rate", v.Status, v.StatusReason)
		}
	})
}

func TestSendNowSkipsTheWindowButNotTheRules(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newSendFixture(t, e, noGaps)
		f.mailbox("dana@reyes-growth.example", 30, false)
		f.clock.Set(time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC)) // Saturday
		seq := f.approved("ana@acme-plumbing.example", twoSteps[:1])
		other := storetest.NewUser(t, f.st, storetest.UserParams{}).ID
		m := f.messages(seq.ID)[0]
		for _, tc := range []struct {
			name, user, id string
			code           string
		}{
			{"another user's", other, m.ID, apperr.CodeNotFound},
			{"not an id", f.user, "nope", apperr.CodeNotFound},
		} {
			if _, err := f.svc.SendNow(f.ctx, tc.user, tc.id); apperr.CodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
			if _, err := f.svc.Resolve(f.ctx, tc.user, tc.id, sending.ResolveResend); apperr.CodeOf(err) != tc.code {
				t.Errorf("resolve %s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if _, err := f.svc.Resolve(f.ctx, f.user, m.ID, "delete"); apperr.CodeOf(err) != apperr.CodeValidation {
			t.Errorf("an unknown action: %v, want validation_failed", err)
		}
		f.run() // waits for Monday
		if _, err := f.svc.SendNow(f.ctx, f.user, m.ID); err != nil {
			t.Fatal(err)
		}
		f.runDue()
		if n := f.smtp.Count(); n != 1 {
			t.Fatalf("send-now on a Saturday sent %d, want 1", n)
		}
		if _, err := f.svc.SendNow(f.ctx, f.user, m.ID); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("send-now of a sent message: %v, want a conflict", err)
		}
		f.clock.Set(time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC))
		f.runDue()
		if n := f.smtp.Count(); n != 1 {
			t.Errorf("the original job sent it again on Monday: %d", n)
		}
	})
}
