package sending_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	sandboximap "github.com/prospectorhq/prospector/internal/sandbox/imap"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
	"github.com/prospectorhq/prospector/internal/tracking"
)

// inboxFixture is a send fixture whose mailbox has its inbox on a real
// IMAP server on loopback (the sandbox's).
type inboxFixture struct {
	*sendFixture
	imap    *sandboximap.Server
	mailbox string
	login   string
	// hold, when set, makes the server wait at the next EXAMINE until it
	// is closed, and tells entered when it gets there.
	mu      sync.Mutex
	hold    chan struct{}
	entered chan struct{}
}

func newInboxFixture(t testing.TB, e storetest.Engine) *inboxFixture {
	t.Helper()
	f := &inboxFixture{login: "dana@reyes-growth.example"}
	srv, err := sandboximap.Start(sandboximap.Options{
		Users: map[string]string{f.login: sandboximap.DefaultPassword},
		Record: func(command, user string) (fake.Fault, time.Duration) {
			f.mu.Lock()
			hold, entered := f.hold, f.entered
			if command == "EXAMINE" {
				f.hold, f.entered = nil, nil
			}
			f.mu.Unlock()
			if command == "EXAMINE" && hold != nil {
				close(entered)
				<-hold
			}
			return fake.Fault{}, 0
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	f.imap = srv
	f.sendFixture = newSendFixture(t, e, noGaps, func(o *sending.MailOptions) { o.Allowlist = append(o.Allowlist, srv.Addr()) })
	f.mailbox = f.sendFixture.mailbox(f.login, 100, false)
	f.setIMAP(sandboximap.DefaultPassword)
	return f
}

// setIMAP gives the mailbox its inbox's settings, with password.
func (f *inboxFixture) setIMAP(password string) {
	f.t.Helper()
	host, port, _ := strings.Cut(f.imap.Addr(), ":")
	portNum, _ := strconv.Atoi(port)
	security := sending.SecurityNone
	if _, err := f.svc.UpdateMailbox(f.ctx, f.user, f.mailbox, sending.MailboxInput{IMAPHost: &host, IMAPPort: &portNum,
		IMAPSecurity: &security, IMAPUsername: &f.login, IMAPPassword: &password}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *inboxFixture) read() tracking.ReadResult {
	f.t.Helper()
	res, err := f.track.ReadInbox(f.ctx, f.user, f.mailbox)
	if err != nil {
		f.t.Fatalf("read inbox: %v", err)
	}
	return res
}

// deliver puts a testdata message into the inbox, as an answer to the
// message with Message-ID id.
func (f *inboxFixture) deliver(name, id string) {
	f.t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "inbox", name))
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.imap.Deliver(f.login, []byte(strings.ReplaceAll(string(raw), "{{MESSAGE_ID}}", id))); err != nil {
		f.t.Fatal(err)
	}
}

func TestReadInboxAppliesAnswersOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newInboxFixture(t, e)
		ana, anaMsg := f.sentFirst("ana@acme-plumbing.example")
		bob, bobMsg := f.sentFirst("bob@bluepipe-heating.example")
		cat, catMsg := f.sentFirst("cat@cedar-drains.example")

		// What was in the inbox before the first read is never taken for
		// an answer: the first read starts at its end.
		f.deliver("reply.eml", *anaMsg.MessageID)
		if res := f.read(); res.Skipped || res.Read != 0 {
			t.Fatalf("first read = %+v, want the inbox's end remembered and nothing read", res)
		}
		if s := f.sequence(ana.ID); s.Status != mailstore.OutreachSent {
			t.Fatalf("mail from before the first read was applied: sequence %s", s.Status)
		}

		f.deliver("unrelated.eml", "")
		f.deliver("reply.eml", *anaMsg.MessageID)
		f.deliver("ooo.eml", *bobMsg.MessageID)
		f.deliver("dsn.eml", *catMsg.MessageID)
		res := f.read()
		if res.Read != 4 || res.Answers != 3 || res.Err != nil {
			t.Fatalf("read = %+v, want 4 read, 3 answers", res)
		}
		if s := f.sequence(ana.ID); s.Status != mailstore.OutreachReplied || s.Replies != 1 {
			t.Errorf("replied sequence = %s, %d replies; want replied, 1", s.Status, s.Replies)
		}
		if s := f.sequence(bob.ID); s.Status != mailstore.OutreachSent {
			t.Errorf("out-of-office sequence = %s, want it to go on", s.Status)
		}
		if m := f.messages(bob.ID); !m[1].ScheduledAt.Equal(time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("step 2 after the out-of-office is at %s, want the day after 14 December", m[1].ScheduledAt)
		}
		if m := f.messages(cat.ID); m[0].Status != mailstore.MessageBounced || m[0].SentAt == nil {
			t.Errorf("bounced message = %s (sent_at %v), want bounced keeping sent_at", m[0].Status, m[0].SentAt)
		}

		// Nothing new: nothing changes. The same reply again (a copy, a
		// second delivery): read, but changes nothing.
		if res := f.read(); res.Read != 0 {
			t.Errorf("a read with nothing new read %d", res.Read)
		}
		f.deliver("reply.eml", *anaMsg.MessageID)
		if res := f.read(); res.Read != 1 || res.Answers != 0 {
			t.Errorf("the same reply again = %+v, want read and not applied", res)
		}
		if s := f.sequence(ana.ID); s.Replies != 1 {
			t.Errorf("replies = %d after the same reply twice, want 1", s.Replies)
		}
		if n := countType(f.events(anaMsg.ID), mailstore.EventReplied); n != 1 {
			t.Errorf("%d replied events, want 1", n)
		}

		// The reader never marked, moved or deleted anything.
		msgs, err := f.imap.Messages(f.login)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if len(m.Flags) != 0 {
				t.Errorf("message %d has flags %v after reading, want none", m.UID, m.Flags)
			}
		}
		if len(msgs) != 6 {
			t.Errorf("inbox holds %d messages, want all 6", len(msgs))
		}
		for _, c := range f.imap.Commands(f.login) {
			if strings.HasPrefix(c, "STORE") || strings.HasPrefix(c, "SELECT") || strings.Contains(c, "EXPUNGE") ||
				strings.HasPrefix(c, "MOVE") || strings.HasPrefix(c, "UID STORE") || strings.HasPrefix(c, "UID MOVE") {
				t.Errorf("the reader sent %q", c)
			}
		}
	})
}

func TestReadInboxAfterUIDValidityChanges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newInboxFixture(t, e)
		ana, anaMsg := f.sentFirst("ana@acme-plumbing.example")
		bob, bobMsg := f.sentFirst("bob@bluepipe-heating.example")
		f.read()
		f.deliver("ooo.eml", *anaMsg.MessageID)
		if res := f.read(); res.Answers != 1 {
			t.Fatalf("read = %+v, want the auto-reply", res)
		}
		// The server rebuilds the inbox: the same messages under new UIDs.
		if _, err := f.imap.ResetUIDValidity(f.login); err != nil {
			t.Fatal(err)
		}
		if res := f.read(); !res.Reset || res.Read != 0 {
			t.Errorf("read after the reset = %+v, want a reset that reads nothing again", res)
		}
		if n := countType(f.events(anaMsg.ID), mailstore.EventAutoReplied); n != 1 {
			t.Errorf("%d auto_replied events after the reset, want 1", n)
		}
		f.deliver("reply.eml", *bobMsg.MessageID)
		if res := f.read(); res.Read != 1 || res.Answers != 1 {
			t.Errorf("read of new mail after the reset = %+v", res)
		}
		if s := f.sequence(bob.ID); s.Status != mailstore.OutreachReplied {
			t.Errorf("sequence = %s, want replied", s.Status)
		}
		if s := f.sequence(ana.ID); s.Status != mailstore.OutreachSent {
			t.Errorf("other sequence = %s, want sent", s.Status)
		}
	})
}

func TestReadInboxShowsALoginFailureAndBacksOff(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newInboxFixture(t, e)
		f.setIMAP("the-wrong-password")
		res := f.read()
		if res.Err == nil {
			t.Fatalf("read with a wrong password = %+v, want the login refused", res)
		}
		v, err := f.svc.Mailbox(f.ctx, f.user, f.mailbox)
		if err != nil {
			t.Fatal(err)
		}
		if v.IMAPError == nil || !strings.Contains(*v.IMAPError, "refused the login") || v.IMAPCheckedAt == nil {
			t.Errorf("mailbox imap_error = %v (checked %v), want the refused login shown", v.IMAPError, v.IMAPCheckedAt)
		}
		if res := f.read(); !res.Skipped {
			t.Errorf("an immediate second read = %+v, want it to wait for the backoff", res)
		}
		f.setIMAP(sandboximap.DefaultPassword)
		f.clock.Set(f.clock.Now().Add(2 * time.Minute))
		if res := f.read(); res.Skipped || res.Err != nil {
			t.Errorf("read after the backoff with the right password = %+v", res)
		}
		if v, _ := f.svc.Mailbox(f.ctx, f.user, f.mailbox); v.IMAPError != nil {
			t.Errorf("imap_error = %q after a good read, want none", *v.IMAPError)
		}
	})
}

func TestReadInboxOnePollerAtATime(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newInboxFixture(t, e)
		ana, anaMsg := f.sentFirst("ana@acme-plumbing.example")
		f.read()
		f.deliver("reply.eml", *anaMsg.MessageID)

		hold, entered := make(chan struct{}), make(chan struct{})
		f.mu.Lock()
		f.hold, f.entered = hold, entered
		f.mu.Unlock()
		first := make(chan tracking.ReadResult, 1)
		go func() {
			res, err := f.track.ReadInbox(f.ctx, f.user, f.mailbox)
			if err != nil {
				t.Errorf("first poller: %v", err)
			}
			first <- res
		}()
		<-entered // the first poller holds the mailbox and is reading it
		if res := f.read(); !res.Skipped {
			t.Errorf("a second poller while the first reads = %+v, want skipped", res)
		}
		close(hold)
		if res := <-first; res.Skipped || res.Answers != 1 {
			t.Errorf("first poller = %+v, want the reply applied", res)
		}
		if s := f.sequence(ana.ID); s.Replies != 1 || s.Status != mailstore.OutreachReplied {
			t.Errorf("sequence = %s with %d replies, want replied once", s.Status, s.Replies)
		}
		if res := f.read(); res.Skipped || res.Read != 0 {
			t.Errorf("a poller after the first = %+v, want a read of nothing new", res)
		}
	})
}
