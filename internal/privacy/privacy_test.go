package privacy_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/privacy"
	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// passwords accepts one password for everyone.
type passwords struct{ right string }

func (p passwords) ConfirmPassword(_ context.Context, _, password string) error {
	if password != p.right {
		return apperr.New(apperr.CodeInvalidCredentials, "The email or password is incorrect.")
	}
	return nil
}

// noQueue is a stage queue no test here uses.
type noQueue struct{}

func (noQueue) EnqueueEnrich(context.Context, store.Handle, []string, bool) error { return nil }
func (noQueue) EnqueueScore(context.Context, store.Handle, []string, bool) error  { return nil }

type fixture struct {
	store *store.Store
	url   string
	svc   *privacy.Service
}

func setup(t *testing.T, e storetest.Engine) fixture {
	t.Helper()
	s, u := storetest.OpenFresh(t, e)
	if _, err := pipeline.Migrate(context.Background(), s); err != nil {
		t.Fatalf("river migrations: %v", err)
	}
	prospects, err := prospect.NewService(s, noQueue{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := privacy.NewService(s, passwords{"right password"}, prospects, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return fixture{store: s, url: u, svc: svc}
}

// account is what seed made for one user.
type account struct {
	id, email, person string
	// secrets are sealed values stored for the account, never exported.
	secrets []string
}

// seed gives a new user a row in every table a user can fill: a campaign,
// a prospect (whose source data and research mention person), its contact
// person, a score, a drafted and scheduled sequence with an event, a
// mailbox with sealed passwords and DKIM key, an API key, a sender
// profile, a suppression, usage, a session and a queued job.
func seed(t *testing.T, f fixture, person string) account {
	t.Helper()
	ctx := context.Background()
	p := storetest.NewUser(t, f.store, storetest.UserParams{})
	a := account{id: p.ID, email: p.Email, person: person,
		secrets: []string{"sealed-smtp-" + p.ID, "sealed-imap-" + p.ID, "sealed-dkim-" + p.ID, "sealed-key-" + p.ID}}
	err := f.store.Write(ctx, p.ID, func(tx *store.Tx) error {
		c, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "Plumbers", BusinessType: "plumber", TargetLocation: "Austin, TX",
			TargetCriteria: json.RawMessage(`{}`)})
		if err != nil {
			return err
		}
		ids, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: c.ID, CompanyName: "Acme Plumbing",
			Website: ptr("https://acme.example"), City: ptr("Austin"), Source: "manual", SourceID: "row-1",
			SourceData: json.RawMessage(`{"note":"write to ` + strings.ToUpper(person) + `"}`),
			Contact:    &store.NewContact{Email: ptr(person), FirstName: ptr("Ann"), IsPrimary: true, Source: "manual"}}})
		if err != nil {
			return err
		}
		pid := ids[0]
		if err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: pid, Overall: 80, Tier: "A", TierReason: "good"}); err != nil {
			return err
		}
		contacts, err := tx.ContactsOf(ctx, pid)
		if err != nil {
			return err
		}
		seq, err := tx.SaveDraft(ctx, mailstore.NewDraft{CampaignID: c.ID, ProspectID: pid, ContactID: contacts[0].ID, SequenceType: "cold",
			Subject: "Hello", Emails: json.RawMessage(`[{"step":1,"delay_days":0,"subject":"Hello","body":"Hi, reach me at ` + person + `"}]`),
			GeneratedBy: "template", PromptVersion: "v1", Checks: json.RawMessage(`{}`)})
		if err != nil {
			return err
		}
		mb, err := tx.CreateMailbox(ctx, mailstore.Mailbox{Email: "me-" + p.ID + "@sender.test", SMTPHost: "smtp.sender.test", SMTPPort: 587,
			SMTPSecurity: "starttls", SMTPUsername: "me", SMTPPassword: a.secrets[0], IMAPHost: ptr("imap.sender.test"), IMAPPort: ptr(993),
			IMAPSecurity: ptr("tls"), IMAPUsername: ptr("me"), IMAPPassword: ptr(a.secrets[1]), DailyLimit: 30,
			DKIMSelector: ptr("s1"), DKIMPrivateKey: ptr(a.secrets[2])})
		if err != nil {
			return err
		}
		m, _, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: c.ID, SequenceID: seq.ID, ProspectID: pid, ContactID: contacts[0].ID,
			Step: 1, MailboxID: &mb.ID, ToEmail: person, Subject: "Hello", Body: "Hi", Provider: "smtp", ScheduledAt: tx.Now()})
		if err != nil {
			return err
		}
		if err := tx.AddEvent(ctx, m, mailstore.EventSent, ptr("accepted for "+person)); err != nil {
			return err
		}
		if err := tx.SetAPIKey(ctx, "hunter", a.secrets[3], "abcd"); err != nil {
			return err
		}
		if _, err := tx.PutSenderProfile(ctx, mailstore.SenderProfile{SenderName: "Me", CompanyName: "Agency", PostalAddress: "1 Main St, Austin, TX",
			DefaultTimezone: "UTC"}); err != nil {
			return err
		}
		if _, _, err := tx.AddSuppression(ctx, "", "blocked-"+p.ID[:8]+".test", mailstore.SuppressManual); err != nil {
			return err
		}
		return tx.RecordUsage(ctx, billingstore.Usage{Service: "hunter", Endpoint: "domain-search", CreditsUsed: 1, At: tx.Now()})
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	err = f.store.Write(ctx, "", func(tx *store.Tx) error {
		return tx.CreateSession(ctx, accountstore.CreateSessionParams{ID: store.NewID(), UserID: p.ID, CookieHash: ptr("cookie-hash-" + p.ID),
			ExpiresAt: time.Now().Add(time.Hour)})
	})
	if err != nil {
		t.Fatalf("seed session: %v", err)
	}
	insertJob(t, f.store, p.ID, "")
	insertJob(t, f.store, p.ID, "550 5.1.1 <"+person+">: unknown user")
	return a
}

// insertJob queues a River job whose arguments name userID, as the
// pipeline's jobs do, with a recorded error when failure is not empty.
func insertJob(t *testing.T, s *store.Store, userID, failure string) {
	t.Helper()
	ctx := context.Background()
	args := `{"user_id":"` + userID + `","message_id":"` + store.NewID() + `"}`
	var errs *string
	if failure != "" {
		b, _ := json.Marshal(map[string]any{"at": time.Now().UTC(), "attempt": 1, "error": failure})
		errs = ptr(string(b))
	}
	var err error
	if s.Engine() == store.Postgres {
		_, err = s.PGPool().Exec(ctx, `INSERT INTO river_job (args, kind, max_attempts, errors, state)
			VALUES ($1::jsonb, 'send', 5, CASE WHEN $2::text IS NULL THEN NULL ELSE ARRAY[$2::jsonb] END, 'retryable')`, args, errs)
	} else {
		_, err = s.SQLiteWriter().ExecContext(ctx, `INSERT INTO river_job (args, kind, max_attempts, errors, state)
			VALUES (jsonb(?), 'send', 5, CASE WHEN ? IS NULL THEN NULL ELSE jsonb('[' || ? || ']') END, 'retryable')`, args, errs, errs)
	}
	if err != nil {
		t.Fatalf("insert job: %v", err)
	}
}

// export runs an export into memory and opens it.
func export(t *testing.T, f fixture, userID string) (*zip.Reader, []byte) {
	t.Helper()
	var buf bytes.Buffer
	begun := false
	done, err := f.svc.Export(context.Background(), userID, privacy.Target{W: &buf, Begin: func() { begun = true }})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if !begun || !done.Begun {
		t.Fatal("export never began")
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("export is not a zip: %v", err)
	}
	return zr, buf.Bytes()
}

func readAll(t *testing.T, zr *zip.Reader) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[zf.Name] = b
	}
	return files
}

// TestExportHoldsTheAccountAndNothingOfAnother: every table a user filled
// is in their export with their rows, as JSON an importer can read; the
// prospects are also CSV; sealed secrets are nowhere in it; and nothing of
// another account (its id, its address, its person) is in it at all.
func TestExportHoldsTheAccountAndNothingOfAnother(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e)
		me := seed(t, f, "ann@acme.test")
		other := seed(t, f, "bob@other.test")
		zr, raw := export(t, f, me.id)
		files := readAll(t, zr)

		for _, table := range []string{"profiles", "campaigns", "prospects", "contacts", "lead_scores", "outreach_sequences",
			"messages", "events", "mailboxes", "user_api_keys", "sender_profiles", "suppressions", "api_usage", "sessions"} {
			var rows []map[string]any
			if err := json.Unmarshal(files[table+".json"], &rows); err != nil {
				t.Errorf("%s.json: %v", table, err)
				continue
			}
			if len(rows) != 1 {
				t.Errorf("%s.json has %d rows, want the account's 1", table, len(rows))
			}
		}
		var prospects []map[string]any
		_ = json.Unmarshal(files["prospects.json"], &prospects)
		if len(prospects) == 1 {
			if _, isObject := prospects[0]["source_data"].(map[string]any); !isObject {
				t.Errorf("prospects.json source_data = %#v, want a JSON object", prospects[0]["source_data"])
			}
		}
		var profile []map[string]any
		_ = json.Unmarshal(files["profiles.json"], &profile)
		if len(profile) == 1 && profile[0]["email"] != me.email {
			t.Errorf("profiles.json email = %v, want %s", profile[0]["email"], me.email)
		}
		if csv := string(files["prospects.csv"]); !strings.HasPrefix(csv, "id,campaign_id,company_name") || !strings.Contains(csv, "Acme Plumbing") ||
			!strings.Contains(csv, "ann@acme.test") {
			t.Errorf("prospects.csv = %q, want the header and the prospect with its contact", csv)
		}
		var m struct {
			Files    map[string]int    `json:"files"`
			Excluded map[string]string `json:"excluded"`
		}
		if err := json.Unmarshal(files["export.json"], &m); err != nil || m.Files["prospects.csv"] != 1 || m.Excluded["users"] == "" {
			t.Errorf("export.json = %s (%v), want file counts and the excluded tables with reasons", files["export.json"], err)
		}
		if _, ok := files["users.json"]; ok {
			t.Error("users.json (the password hash's table) is in the export")
		}

		all := string(raw)
		for _, zf := range zr.File {
			all += string(files[zf.Name])
		}
		for _, secret := range append(me.secrets, "cookie-hash-"+me.id) {
			if strings.Contains(all, secret) {
				t.Errorf("a sealed secret (%s…) is in the export", secret[:12])
			}
		}
		for _, theirs := range []string{other.id, other.email, other.person} {
			if strings.Contains(all, theirs) {
				t.Errorf("the export holds another account's %q", theirs)
			}
		}
	})
}

// TestEveryTenantTableHasAnExportRule fails when a table holding users'
// rows (one with a user_id column, read from the schema) has been added
// without deciding whether the export carries it: add it to rules in
// tables.go, exported (secret columns are left out by name) or excluded
// with the reason.
func TestEveryTenantTableHasAnExportRule(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e)
		var tables []string
		if err := f.store.Read(context.Background(), store.NewID(), func(tx *store.Tx) error {
			var err error
			tables, err = tx.TenantTables(context.Background())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(tables, "campaigns") || !slices.Contains(tables, "sessions") {
			t.Fatalf("tenant tables read from the schema = %v, want campaigns and sessions among them", tables)
		}
		var missing []string
		for _, table := range tables {
			if !privacy.HasRule(table) {
				missing = append(missing, table)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			t.Errorf("tenant tables with no export rule in internal/privacy/tables.go: %s; add each to rules, "+
				"exported ({}) or excluded ({excluded: \"why\"})", strings.Join(missing, ", "))
		}
	})
}

// TestDeleteAccountLeavesNothing: deleting an account removes every row
// that names it in every table of the database, River's jobs included,
// counted as the tables' owner with row-level security lifted; another
// account is untouched; a wrong password deletes nothing.
func TestDeleteAccountLeavesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e)
		me := seed(t, f, "ann@acme.test")
		other := seed(t, f, "bob@other.test")
		ctx := context.Background()

		err := f.svc.DeleteAccount(ctx, me.id, "wrong password")
		if apperr.CodeOf(err) != apperr.CodeInvalidCredentials {
			t.Fatalf("wrong password: %v, want invalid_credentials", err)
		}
		if found := storetest.Mentions(t, f.store, f.url, me.id); found["campaigns"] == 0 {
			t.Fatalf("a wrong password deleted the account's data: %v", found)
		}
		if err := f.svc.DeleteAccount(ctx, me.id, ""); apperr.CodeOf(err) != apperr.CodeValidation {
			t.Errorf("no password: %v, want validation_failed", err)
		}

		before := storetest.Mentions(t, f.store, f.url, other.id)
		if err := f.svc.DeleteAccount(ctx, me.id, "right password"); err != nil {
			t.Fatalf("delete: %v", err)
		}
		for _, needle := range []string{me.id, me.email, me.person, me.secrets[0]} {
			if found := storetest.Mentions(t, f.store, f.url, needle); len(found) > 0 {
				t.Errorf("after deletion %q is still in %v", needle, found)
			}
		}
		if after := storetest.Mentions(t, f.store, f.url, other.id); !mapsEqual(before, after) {
			t.Errorf("another account's rows changed: before %v, after %v", before, after)
		}
		if err := f.svc.DeleteAccount(ctx, me.id, "right password"); !errors.Is(err, nil) && apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("deleting twice: %v, want not_found", err)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestEraseForgetsThePersonAndKeepsThemOut: after erasure the address is
// in no row of the account (its contact, the messages and events to them,
// the draft's text and the source data that quoted it in capitals are
// gone or read "[erased]"); only its hash is kept, as an erased
// suppression, which stops any send to it and keeps an import from
// bringing it back; another account holding the same address keeps it.
func TestEraseForgetsThePersonAndKeepsThemOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := setup(t, e)
		const person = "ann@acme.test"
		me := seed(t, f, person)
		other := seed(t, f, person)
		ctx := context.Background()
		before := storetest.Mentions(t, f.store, f.url, person)

		got, err := f.svc.Erase(ctx, me.id, "  Ann@ACME.test ")
		if err != nil {
			t.Fatalf("erase: %v", err)
		}
		if got.Erased.Contacts != 1 || got.Erased.Messages != 1 || got.Erased.Scrubbed < 1 {
			t.Errorf("erased = %+v, want the contact, the message and the prospect's source data", got.Erased)
		}
		if got.Suppression.Reason != mailstore.SuppressErased || got.Suppression.Email == nil || *got.Suppression.Email != mailstore.ErasedEmailKey(person) {
			t.Errorf("suppression = %+v, want reason erased holding only the hash", got.Suppression)
		}
		zr, _ := export(t, f, me.id)
		for name, b := range readAll(t, zr) {
			if strings.Contains(strings.ToLower(string(b)), person) {
				t.Errorf("after erasure the address is still in the export's %s", name)
			}
		}
		// Counted in the whole database: only the other account has it,
		// in each table exactly half the rows that held it before (both
		// accounts were seeded alike), River's job errors included.
		found := storetest.Mentions(t, f.store, f.url, person)
		for table, n := range before {
			if found[table]*2 != n {
				t.Errorf("%s: %d rows hold the address after erasure, %d before; want only the other account's half", table, found[table], n)
			}
		}
		if before["river_job"] != 2 {
			t.Errorf("river_job rows quoting the address before erasure = %d, want 2 (the seed's failed sends)", before["river_job"])
		}
		theirs := 0
		if err := f.store.Read(ctx, other.id, func(tx *store.Tx) error {
			return tx.TenantRows(ctx, "contacts", func(_ []string, _ []any) error { theirs++; return nil })
		}); err != nil {
			t.Fatal(err)
		}
		if theirs != 1 || found["contacts"] != 1 {
			t.Errorf("the other account's contact with the address: %d (mentions %v), want it kept", theirs, found)
		}

		err = f.store.Write(ctx, me.id, func(tx *store.Tx) error {
			suppressed, err := tx.Suppressed(ctx, person)
			if err != nil || !suppressed {
				t.Errorf("Suppressed(erased address) = %v, %v; want true", suppressed, err)
			}
			var campaignID string
			if err := tx.TenantRows(ctx, "campaigns", func(cols []string, vals []any) error {
				campaignID = vals[slices.Index(cols, "id")].(string)
				return nil
			}); err != nil {
				return err
			}
			_, err = tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: campaignID, CompanyName: "Acme Again", Source: "manual",
				SourceID: "row-2", Contact: &store.NewContact{Email: ptr(person), Source: "manual"}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if found := storetest.Mentions(t, f.store, f.url, person); found["contacts"] != 1 {
			t.Errorf("an import brought the erased address back: %v", found)
		}

		if _, err := f.svc.Erase(ctx, me.id, person); err != nil {
			t.Errorf("erasing again: %v, want no error", err)
		}
		if _, err := f.svc.Erase(ctx, me.id, "not an address"); apperr.CodeOf(err) != apperr.CodeValidation {
			t.Errorf("bad address: %v, want validation_failed", err)
		}
	})
}
