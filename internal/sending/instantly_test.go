package sending_test

import (
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/instantly"
	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	sandboxinstantly "github.com/prospectorhq/prospector/internal/sandbox/instantly"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
	"github.com/prospectorhq/prospector/internal/suppression"
)

// throughInstantly is a campaign's sending through Instantly, from one
// Instantly account, in the default window.
const throughInstantly = `{"provider": "instantly", "instantly_accounts": ["dana@reyes-growth.example"]}`

// instantlyFixture is a send fixture whose campaign sends through the
// Instantly fake over HTTP, with serverKey as INSTANTLY_API_KEY.
type instantlyFixture struct {
	*sendFixture
	fake *sandboxinstantly.Fake
}

func newInstantlyFixture(t *testing.T, e storetest.Engine, serverKey string) *instantlyFixture {
	t.Helper()
	fk := sandboxinstantly.New(sandboxinstantly.Options{})
	srv := httptest.NewServer(fk)
	t.Cleanup(srv.Close)
	client, err := instantly.New(instantly.Config{APIKey: serverKey, BaseURL: srv.URL, Settings: providers.Settings{}})
	if err != nil {
		t.Fatal(err)
	}
	f := newSendFixture(t, e, throughInstantly, func(o *sending.MailOptions) { o.Instantly = client })
	return &instantlyFixture{sendFixture: f, fake: fk}
}

// sync runs the sync jobs asked for, and fails the test on an error.
func (f *instantlyFixture) sync() {
	f.t.Helper()
	for _, id := range f.queue.takeSyncs() {
		if err := f.svc.SyncInstantly(f.ctx, f.user, id); err != nil {
			f.t.Fatalf("sync %s: %v", id, err)
		}
	}
}

func (f *instantlyFixture) syncState() mailstore.InstantlySync {
	f.t.Helper()
	var s mailstore.InstantlySync
	if err := f.st.Read(f.ctx, f.user, func(tx *store.Tx) (err error) {
		s, err = tx.InstantlySyncOf(f.ctx, f.campaign.ID)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *instantlyFixture) setStatus(status string) {
	f.t.Helper()
	f.write(func(tx *store.Tx) (err error) {
		if f.campaign, err = tx.SetCampaignStatus(f.ctx, f.campaign.ID, status, nil); err != nil {
			return err
		}
		return f.svc.SendingChanged(f.ctx, tx, f.campaign.ID)
	})
}

var unsubscribeLink = regexp.MustCompile(`https://prospector\.example/u/[A-Za-z0-9_.%-]+`)

func TestInstantlySyncPushesApprovedSequencesOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newInstantlyFixture(t, e, sandboxinstantly.DefaultKey)
		seq := f.approved("ana@acme-plumbing.example", twoSteps)
		if got := f.sequence(seq.ID).Status; got != mailstore.OutreachApproved {
			t.Fatalf("sequence before the sync = %s, want approved", got)
		}
		f.sync()

		camps := f.fake.Campaigns()
		if len(camps) != 1 {
			t.Fatalf("Instantly campaigns = %d, want 1", len(camps))
		}
		c := camps[0]
		if c.Name != "Plumbers" || c.Status != 1 || c.Activations != 1 {
			t.Errorf("campaign = %q status %d activations %d, want Plumbers active once", c.Name, c.Status, c.Activations)
		}
		if got := c.Body["email_list"]; len(got.([]any)) != 1 || got.([]any)[0] != "dana@reyes-growth.example" {
			t.Errorf("email_list = %v", got)
		}
		if c.Body["insert_unsubscribe_header"] != true {
			t.Errorf("insert_unsubscribe_header = %v, want true", c.Body["insert_unsubscribe_header"])
		}
		steps := c.Body["sequences"].([]any)[0].(map[string]any)["steps"].([]any)
		if len(steps) != 3 { // the campaign's default delays: days 0, 3, 7
			t.Errorf("steps = %d, want 3", len(steps))
		}
		first := steps[0].(map[string]any)["variants"].([]any)[0].(map[string]any)
		if first["subject"] != "{{p_subject_1}}" || first["body"] != "{{p_body_1}}" {
			t.Errorf("step 1 = %v, want merge tags", first)
		}

		leads := f.fake.Leads(c.ID)
		if len(leads) != 1 || leads[0].Email != "ana@acme-plumbing.example" || leads[0].CompanyName != "Acme Plumbing" {
			t.Fatalf("leads = %+v, want Ana of Acme Plumbing", leads)
		}
		vars := leads[0].CustomVariables
		body, _ := vars["p_body_1"].(string)
		if vars["p_subject_1"] != "A faster site for Acme" || !strings.HasPrefix(body, "Hi Ana,<br/><br/>Your site takes 9 s") {
			t.Errorf("step 1 variables = %q / %q", vars["p_subject_1"], body)
		}
		if vars["p_subject_2"] != "Re: A faster site for Acme" {
			t.Errorf("step 2 subject = %q, want the reply to step 1", vars["p_subject_2"])
		}
		for _, want := range []string{"100 Congress Ave, Suite 200, Austin, TX 78701", "Dana Reyes<br/>Reyes Growth", "unsubscribe here: https://prospector.example/u/"} {
			if !strings.Contains(body, want) {
				t.Errorf("step 1 body lacks %q:\n%s", want, body)
			}
		}
		if got := f.sequence(seq.ID).Status; got != mailstore.OutreachScheduled {
			t.Errorf("sequence after the sync = %s, want scheduled", got)
		}
		if msgs := f.messages(seq.ID); len(msgs) != 0 {
			t.Errorf("SMTP messages = %d, want none: Instantly sends", len(msgs))
		}

		hooks := f.fake.Webhooks()
		if len(hooks) != 1 || hooks[0].TargetHookURL != "https://prospector.example/api/webhooks/instantly" ||
			hooks[0].Headers[instantly.SecretHeader] == "" {
			t.Fatalf("webhooks = %+v, want one to /api/webhooks/instantly with a secret", hooks)
		}

		// A second approval and a sync asked twice: one more lead, the same
		// campaign, webhook and activation.
		second := f.approved("bo@bright-electric.example", twoSteps)
		f.sync()
		f.setStatus(store.CampaignRunning)
		f.sync()
		if n := len(f.fake.Campaigns()); n != 1 {
			t.Errorf("Instantly campaigns after more syncs = %d, want 1", n)
		}
		if leads := f.fake.Leads(c.ID); len(leads) != 2 {
			t.Errorf("leads after the second approval = %d, want 2", len(leads))
		}
		if c, _ := f.fake.Campaign(c.ID); c.Activations != 1 {
			t.Errorf("activations = %d, want 1", c.Activations)
		}
		if n := len(f.fake.Webhooks()); n != 1 {
			t.Errorf("webhooks = %d, want 1", n)
		}
		if got := f.sequence(second.ID).Status; got != mailstore.OutreachScheduled {
			t.Errorf("second sequence = %s, want scheduled", got)
		}

		// The body's unsubscribe link works without a message of ours.
		link := unsubscribeLink.FindString(body)
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		token, _ := url.PathUnescape(strings.TrimPrefix(u.Path, "/u/"))
		if err := f.track.Unsubscribe(f.ctx, token); err != nil {
			t.Fatalf("unsubscribe through the lead's link: %v", err)
		}
		if got := f.sequence(seq.ID).Status; got != mailstore.OutreachUnsubscribed {
			t.Errorf("sequence after unsubscribing = %s, want unsubscribed", got)
		}
		if _, err := f.track.Unsubscribing(f.ctx, token+"x"); err == nil {
			t.Error("a forged sequence link was accepted")
		}
	})
}

func TestInstantlySyncMirrorsPauseAndSkipsSuppressed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := newInstantlyFixture(t, e, sandboxinstantly.DefaultKey)
		f.approved("ana@acme-plumbing.example", twoSteps)
		f.sync()
		id := f.syncState().InstantlyID
		if id == "" {
			t.Fatal("no Instantly campaign id saved")
		}

		f.setStatus(store.CampaignPaused)
		f.sync()
		if c, _ := f.fake.Campaign(id); c.Status != 2 || c.Pauses != 1 {
			t.Errorf("after pausing: status %d, pauses %d; want paused once", c.Status, c.Pauses)
		}

		// Approved while paused: nothing goes until the campaign runs again,
		// and a suppressed address never goes.
		if _, _, err := f.supp.Suppress(f.ctx, f.user, suppression.Input{Email: "cy@acme-plumbing.example"}); err != nil {
			t.Fatal(err)
		}
		waiting := f.approved("di@delta-roofing.example", twoSteps)
		suppressed := f.approved("cy@acme-plumbing.example", twoSteps)
		f.sync()
		if n := len(f.fake.Leads(id)); n != 1 {
			t.Errorf("leads pushed while paused = %d, want still 1", n)
		}
		f.setStatus(store.CampaignRunning)
		f.sync()
		c, _ := f.fake.Campaign(id)
		if c.Status != 1 || c.Activations != 2 {
			t.Errorf("after resuming: status %d, activations %d; want active again", c.Status, c.Activations)
		}
		leads := f.fake.Leads(id)
		if len(leads) != 2 || leads[1].Email != "di@delta-roofing.example" {
			t.Errorf("leads = %+v, want the waiting one and not the suppressed one", leads)
		}
		if got := f.sequence(waiting.ID).Status; got != mailstore.OutreachScheduled {
			t.Errorf("waiting sequence = %s, want scheduled", got)
		}
		if got := f.sequence(suppressed.ID); got.Status != mailstore.OutreachStopped || got.StatusReason == nil ||
			!strings.Contains(*got.StatusReason, "suppression") {
			t.Errorf("suppressed sequence = %s (%v), want stopped for the suppression", got.Status, got.StatusReason)
		}
	})
}

func TestInstantlySyncKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Run("no key sends nothing", func(t *testing.T) {
			f := newInstantlyFixture(t, e, "")
			seq := f.approved("ana@acme-plumbing.example", twoSteps)
			f.sync()
			if n := len(f.fake.Campaigns()); n != 0 {
				t.Errorf("campaigns without a key = %d, want 0", n)
			}
			if got := f.sequence(seq.ID).Status; got != mailstore.OutreachApproved {
				t.Errorf("sequence = %s, want still approved", got)
			}
		})
		t.Run("a refused key is recorded, not retried", func(t *testing.T) {
			f := newInstantlyFixture(t, e, "not-the-key")
			f.approved("ana@acme-plumbing.example", twoSteps)
			f.sync() // fails the test if the job asks to be retried
			if got := f.syncState().LastError; !strings.Contains(got, "refused the API key") {
				t.Errorf("last error = %q, want the refused key", got)
			}
			if n := len(f.fake.Campaigns()); n != 0 {
				t.Errorf("campaigns = %d, want 0", n)
			}
		})
		t.Run("the user's own key", func(t *testing.T) {
			f := newInstantlyFixture(t, e, "")
			box, err := keys.NewBox([]byte("a-test-secret-key-that-is-long-enough-0123456789"))
			if err != nil {
				t.Fatal(err)
			}
			sealed, err := box.Seal(f.user, sandboxinstantly.DefaultKey)
			if err != nil {
				t.Fatal(err)
			}
			f.write(func(tx *store.Tx) error { return tx.SetAPIKey(f.ctx, keys.Instantly, sealed, "-key") })
			seq := f.approved("ana@acme-plumbing.example", twoSteps)
			f.sync()
			if n := len(f.fake.Campaigns()); n != 1 {
				t.Fatalf("campaigns with the user's key = %d, want 1", n)
			}
			if got := f.sequence(seq.ID).Status; got != mailstore.OutreachScheduled {
				t.Errorf("sequence = %s, want scheduled", got)
			}
		})
		t.Run("no paid plan", func(t *testing.T) {
			f := newInstantlyFixture(t, e, fake.QuotaExhaustedKey)
			f.approved("ana@acme-plumbing.example", twoSteps)
			f.sync()
			if got := f.syncState().LastError; !strings.Contains(got, "no active paid plan") {
				t.Errorf("last error = %q, want the missing plan", got)
			}
		})
	})
}
