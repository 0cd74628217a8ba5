package sending_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/keys"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
	"github.com/prospectorhq/prospector/internal/suppression"
	"github.com/prospectorhq/prospector/internal/tracking"
)

// clock is the injected time of a test: the store's transactions and so
// every rule of sending read it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// sendQueue records the send jobs sending asks for, in place of River:
// the tests run each job themselves (run), so every rule is driven by the
// injected clock and no test sleeps.
type sendQueue struct {
	mu     sync.Mutex
	queued []sending.QueuedSend
	syncs  []string // campaigns whose Instantly sync was asked for
}

func (q *sendQueue) EnqueueInstantlySync(_ context.Context, tx store.Handle, userID, campaignID string) error {
	if tx.UserID() != userID {
		return errors.New("sync queued for another user than the transaction's")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.syncs = append(q.syncs, campaignID)
	return nil
}

// takeSyncs returns the campaigns whose sync was asked for and forgets them.
func (q *sendQueue) takeSyncs() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.syncs
	q.syncs = nil
	return out
}

func (q *sendQueue) EnqueueSends(_ context.Context, tx store.Handle, userID string, sends []sending.QueuedSend) error {
	if tx.UserID() != userID {
		return errors.New("sends queued for another user than the transaction's")
	}
	q.put(sends...)
	return nil
}

func (q *sendQueue) put(s ...sending.QueuedSend) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queued = append(q.queued, s...)
}

// take returns the queued sends and forgets them.
func (q *sendQueue) take() []sending.QueuedSend {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.queued
	q.queued = nil
	return out
}

// sendFixture is one user with a sender profile, a running campaign
// sending through mailboxes on a real SMTP server on loopback, on an
// injected clock that starts on a Wednesday at 10:00 in Chicago, inside
// the default window.
type sendFixture struct {
	t        testing.TB
	ctx      context.Context
	st       *store.Store
	svc      *sending.Service
	track    *tracking.Service // reads the answers to what svc sent
	supp     *suppression.Service
	queue    *sendQueue
	clock    *clock
	smtp     *sandboxsmtp.Server
	links    *signedlink.Signer
	user     string
	campaign store.Campaign
}

var wednesdayMorning = time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC) // 10:00 in Chicago

func newSendFixture(t testing.TB, e storetest.Engine, sendingJSON string, options ...func(*sending.MailOptions)) *sendFixture {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: wednesdayMorning}
	st := storetest.OpenWith(t, e, store.Options{Now: clk.Now})
	// The fictional businesses' domains, and one free mail provider's.
	srv, err := sandboxsmtp.Start(sandboxsmtp.Options{Domains: func(d string) bool { return strings.HasSuffix(d, ".example") || d == "gmail.com" }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	box, err := keys.NewBox([]byte("a-test-secret-key-that-is-long-enough-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	links, err := signedlink.New([]byte("another-test-secret-for-links-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	q := &sendQueue{}
	var dialer net.Dialer
	o := sending.MailOptions{Allowlist: []string{srv.Addr()}, Dial: dialer.DialContext,
		Links: links, PublicURL: "https://prospector.example", GapSeed: 7}
	for _, opt := range options {
		opt(&o)
	}
	svc, err := sending.NewService(st, box, q, o, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	track, err := tracking.NewService(st, svc, links, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	supp, err := suppression.NewService(st)
	if err != nil {
		t.Fatal(err)
	}
	f := &sendFixture{t: t, ctx: ctx, st: st, svc: svc, track: track, supp: supp, queue: q, clock: clk, smtp: srv, links: links,
		user: storetest.NewUser(t, st, storetest.UserParams{}).ID}
	if _, err := svc.PutProfile(ctx, f.user, sending.ProfileInput{SenderName: "Dana Reyes", CompanyName: "Reyes Growth",
		PostalAddress: "100 Congress Ave, Suite 200, Austin, TX 78701", Signature: "Dana Reyes\nReyes Growth",
		DefaultTimezone: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
	f.write(func(tx *store.Tx) (err error) {
		f.campaign, err = tx.CreateCampaign(ctx, store.CampaignParams{Name: "Plumbers", BusinessType: "plumber",
			TargetLocation: "Austin, TX", TargetCriteria: json.RawMessage(`{}`), Sending: json.RawMessage(sendingJSON)})
		if err != nil {
			return err
		}
		f.campaign, err = tx.SetCampaignStatus(ctx, f.campaign.ID, store.CampaignRunning, nil)
		return err
	})
	return f
}

func (f *sendFixture) write(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.st.Write(f.ctx, f.user, fn); err != nil {
		f.t.Fatal(err)
	}
}

// mailbox adds a mailbox on the fixture's SMTP server and names it in the
// campaign's sending settings (appended to those already there).
func (f *sendFixture) mailbox(email string, dailyLimit int, warmup bool) string {
	f.t.Helper()
	host, port, _ := net.SplitHostPort(f.smtp.Addr())
	portNum, _ := strconv.Atoi(port)
	security, user, password := sending.SecurityNone, sandboxsmtp.DefaultUsername, sandboxsmtp.DefaultPassword
	m, err := f.svc.CreateMailbox(f.ctx, f.user, sending.MailboxInput{Email: &email, SMTPHost: &host, SMTPPort: &portNum,
		SMTPSecurity: &security, SMTPUsername: &user, SMTPPassword: &password, DailyLimit: &dailyLimit,
		Warmup: &sending.WarmupInput{Enabled: &warmup}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.write(func(tx *store.Tx) error {
		c, err := tx.Campaign(f.ctx, f.campaign.ID)
		if err != nil {
			return err
		}
		var set map[string]any
		if err := json.Unmarshal(c.Sending, &set); err != nil {
			return err
		}
		ids, _ := set["mailbox_ids"].([]any)
		set["mailbox_ids"] = append(ids, m.ID)
		raw, _ := json.Marshal(set)
		f.campaign, err = tx.UpdateCampaign(f.ctx, c.ID, store.CampaignParams{Name: c.Name, BusinessType: c.BusinessType,
			TargetLocation: c.TargetLocation, TargetCriteria: c.TargetCriteria, Sending: raw})
		return err
	})
	return m.ID
}

// step is one email of a sequence to approve.
type step struct {
	Step      int    `json:"step"`
	DelayDays int    `json:"delay_days"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
}

var twoSteps = []step{
	{Step: 1, DelayDays: 0, Subject: "A faster site for Acme", Body: "Hi Ana,\n\nYour site takes 9 s to load on a phone.\n\nWorth a look?"},
	{Step: 2, DelayDays: 3, Subject: "", Body: "Hi Ana,\n\nA quick follow-up on my note."},
}

// approved creates a prospect with a contact at email and an approved
// sequence of steps to it, hands it to sending as an approval would, and
// returns the sequence.
func (f *sendFixture) approved(email string, steps []step) mailstore.OutreachSequence {
	f.t.Helper()
	var seq mailstore.OutreachSequence
	f.write(func(tx *store.Tx) error {
		ids, err := tx.InsertProspects(f.ctx, []store.NewProspect{{CampaignID: f.campaign.ID, CompanyName: "Acme Plumbing",
			Source: "manual", SourceID: store.NewID(), Contact: &store.NewContact{Email: &email, IsPrimary: true, Source: "manual"}}})
		if err != nil {
			return err
		}
		cs, err := tx.ContactsOf(f.ctx, ids[0])
		if err != nil {
			return err
		}
		emails, _ := json.Marshal(steps)
		d, err := tx.SaveDraft(f.ctx, mailstore.NewDraft{CampaignID: f.campaign.ID, ProspectID: ids[0], ContactID: cs[0].ID,
			SequenceType: "cold_outreach", Subject: steps[0].Subject, Emails: emails, GeneratedBy: "template",
			Checks: json.RawMessage(`{}`)})
		if err != nil {
			return err
		}
		if seq, err = tx.ApproveOutreach(f.ctx, d.ID); err != nil {
			return err
		}
		return f.svc.Approved(f.ctx, tx, []mailstore.OutreachSequence{seq})
	})
	return seq
}

// run runs every queued send job once, as the queue would at its time
// (the clock is not moved: a job asking for later is put back), and
// returns the answers that asked for later.
func (f *sendFixture) run() []*stage.Later {
	f.t.Helper()
	var laters []*stage.Later
	for _, s := range f.queue.take() {
		if later := f.runOne(s); later != nil {
			laters = append(laters, later)
		}
	}
	return laters
}

// runOne runs one send job; one that asks for later is queued again then.
func (f *sendFixture) runOne(s sending.QueuedSend) *stage.Later {
	f.t.Helper()
	err := f.svc.Send(f.ctx, f.user, s.MessageID, s.Now)
	var later *stage.Later
	switch {
	case errors.As(err, &later):
		f.queue.put(sending.QueuedSend{MessageID: s.MessageID, At: later.At, Now: s.Now})
		return later
	case err != nil:
		f.t.Fatalf("send %s: %v", s.MessageID, err)
	}
	return nil
}

// runDue runs the queued jobs whose time has come on the clock, again and
// again until none is due.
func (f *sendFixture) runDue() {
	f.t.Helper()
	for range 1000 {
		var due []sending.QueuedSend
		for _, s := range f.queue.take() {
			if s.Now || !s.At.After(f.clock.Now()) {
				due = append(due, s)
			} else {
				f.queue.put(s)
			}
		}
		if len(due) == 0 {
			return
		}
		for _, s := range due {
			f.runOne(s)
		}
	}
	f.t.Fatal("sends kept coming due: a loop")
}

// messages returns the sequence's messages by step.
func (f *sendFixture) messages(seqID string) []mailstore.Message {
	f.t.Helper()
	var out []mailstore.Message
	if err := f.st.Read(f.ctx, f.user, func(tx *store.Tx) (err error) {
		out, err = tx.MessagesOfSequence(f.ctx, seqID)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *sendFixture) sequence(id string) mailstore.OutreachSequence {
	f.t.Helper()
	var o mailstore.OutreachSequence
	if err := f.st.Read(f.ctx, f.user, func(tx *store.Tx) (err error) {
		o, err = tx.Outreach(f.ctx, id)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return o
}
