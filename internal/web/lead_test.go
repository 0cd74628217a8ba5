package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// seedStory gives the prospect of sequenceID what every stage would have
// stored: an enrichment with research, a verified contact status, a score
// with its terms, a sent first message with an open and a reply. It
// returns the prospect's id.
func seedStory(t *testing.T, srv *apptest.Server, userID, sequenceID string) string {
	t.Helper()
	ctx := context.Background()
	var prospectID string
	err := srv.App.Store.Write(ctx, userID, func(tx *store.Tx) error {
		o, err := tx.Outreach(ctx, sequenceID)
		if err != nil {
			return err
		}
		prospectID = o.ProspectID
		score, speed, valid, summary := 42, 7.5, false, "A family plumber serving Austin since 1998."
		meta, _ := json.Marshal(map[string]any{"model": "claude-haiku-test", "prompt_version": "research@3",
			"evidence": map[string]string{"employee_estimate": "our team of 12 plumbers"}})
		if err := tx.UpsertEnrichment(ctx, store.EnrichmentParams{ProspectID: o.ProspectID, WebsiteScore: &score, PageSpeed: &speed,
			SSLValid: &valid, TechStack: []string{"WordPress", "jQuery"},
			Research: &store.ResearchParams{CompanySummary: &summary, PainPoints: []string{"The site has no HTTPS."},
				PersonalizationHooks: []string{"Open on Sundays."}, Meta: meta}}); err != nil {
			return err
		}
		if err := tx.SetContactEmailStatus(ctx, o.ContactID, "valid"); err != nil {
			return err
		}
		factors, _ := json.Marshal(map[string]any{
			"website_opportunity": []map[string]any{{"code": "no_https", "points": 20}, {"code": "slow_site", "points": 15}},
			"review_strength":     []map[string]any{{"code": "few_reviews", "points": -5}},
			"weighted_score":      71,
			"adjustment":          map[string]any{"requested": 3, "applied": 3, "reason": "Owner answers reviews.", "model": "claude-haiku-test"},
		})
		if err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: o.ProspectID, Overall: 74, WebsiteOpportunity: 80,
			ReviewStrength: 40, ContactQuality: 90, Timing: 50, Tier: "A", TierReason: "Tier A: a slow site without HTTPS, and the owner's address.",
			Factors: factors}); err != nil {
			return err
		}
		m, _, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: o.CampaignID, SequenceID: o.ID, ProspectID: o.ProspectID,
			ContactID: o.ContactID, Step: 1, ToEmail: "owner@acmeplumbing.test", Subject: "A faster website for Acme Plumbing",
			Body: "Hello", Provider: "smtp", ScheduledAt: time.Now()})
		if err != nil {
			return err
		}
		if m, _, err = tx.MarkMessageSent(ctx, m.ID, "<1@mail.test>"); err != nil {
			return err
		}
		if err := tx.AddEvent(ctx, m, mailstore.EventSent, nil); err != nil {
			return err
		}
		reply := "Sounds good, call me Tuesday."
		return tx.AddEvent(ctx, m, mailstore.EventReplied, &reply)
	})
	if err != nil {
		t.Fatalf("seed story: %v", err)
	}
	return prospectID
}

func TestALeadsStory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		userID := b.signUp("ada@example.test")
		campaignID := b.createCampaign(nil)
		seq := seedDraft(t, srv, userID, campaignID, "Acme Plumbing")
		id := seedStory(t, srv, userID, seq)
		bare := seedDraft(t, srv, userID, campaignID, "Bare Drains")

		got := text(t, b.page("/app/leads/"+id))
		for _, want := range []string{
			"Acme Plumbing", "Plumbers in Austin", // the listing and its campaign
			"7.5", "Broken", "WordPress", "jQuery", // enrichment and tech
			"owner@acmeplumbing.test", "Verified", // the contact and its verification
			"74 of 100", "Tier A: a slow site without HTTPS", "No https: +20", "Few reviews: −5", "moved it +3: Owner answers reviews.", // the score
			"A family plumber serving Austin since 1998.", "The site has no HTTPS.", "claude-haiku-test", "our team of 12 plumbers", // research
			"Email 2, day 3: Following up",                       // the sequence
			"Sent", "Replied", "“Sounds good, call me Tuesday.”", // its message and events
		} {
			if !strings.Contains(got, want) {
				t.Errorf("the lead's story lacks %q:\n%s", want, got)
			}
		}
		// A lead that has only been drafted says what is still to come.
		var bareID string
		_ = srv.App.Store.Read(context.Background(), userID, func(tx *store.Tx) error {
			o, err := tx.Outreach(context.Background(), bare)
			bareID = o.ProspectID
			return err
		})
		got = text(t, b.page("/app/leads/"+bareID))
		for _, want := range []string{"Not enriched yet", "Not scored yet", "Nothing sent yet"} {
			if !strings.Contains(got, want) {
				t.Errorf("a new lead's story lacks %q:\n%s", want, got)
			}
		}

		// The table links to it, with the contact and the score.
		list := text(t, b.page("/app/leads?tier=A"))
		if !strings.Contains(list, "owner@acmeplumbing.test Verified") || !strings.Contains(list, "74") || strings.Contains(list, "Bare Drains") {
			t.Errorf("the lead table filtered by tier A: %s", list)
		}
		newest, oldest := text(t, b.page("/app/leads")), text(t, b.page("/app/leads?sort=oldest"))
		if strings.Index(newest, "Bare Drains") > strings.Index(newest, "Acme Plumbing") ||
			strings.Index(oldest, "Acme Plumbing") > strings.Index(oldest, "Bare Drains") {
			t.Errorf("newest first: %s\noldest first: %s", newest, oldest)
		}
		// Best score first: the scored lead before the one not scored yet,
		// although it is older; the choice stays selected.
		best := b.page("/app/leads?sort=score")
		if bt := text(t, best); strings.Index(bt, "Acme Plumbing") > strings.Index(bt, "Bare Drains") {
			t.Errorf("best score first: %s", bt)
		}
		if !strings.Contains(best.body, `<option value="score" selected>Best score first</option>`) {
			t.Errorf("the order chosen is not shown as chosen:\n%s", best.body)
		}
		for _, o := range []string{`<option value="newest">Newest first</option>`, `<option value="oldest">Oldest first</option>`,
			`<caption class="visually-hidden">Leads, best score first</caption>`} {
			if !strings.Contains(best.body, o) {
				t.Errorf("the order menu and caption lack %s:\n%s", o, best.body)
			}
		}
		if a := b.get("/app/leads?sort=cheapest"); a.status != http.StatusBadRequest {
			t.Errorf("an unknown order = %d, want 400", a.status)
		}

		// The export form downloads the same leads as the API's export.
		a := b.post("/app/leads/export", url.Values{"tier": {"A"}})
		if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(a.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export = %d %v", a.status, a.header)
		}
		rows, err := csv.NewReader(strings.NewReader(a.body)).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][2] != "Acme Plumbing" {
			t.Errorf("exported tier A = %v (%v), want the header and Acme Plumbing", rows, err)
		}

		// Another user finds nothing there, and a cross-site export is refused.
		other := newBrowser(t, srv)
		other.signUp("eve@example.test")
		if a := other.get("/app/leads/" + id); a.status != http.StatusNotFound || strings.Contains(a.body, "Acme") {
			t.Errorf("another user's lead = %d, want 404 without its name", a.status)
		}
		if a := b.do(http.MethodPost, "/app/leads/export", url.Values{}, "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
			t.Errorf("a cross-site export = %d, want 403", a.status)
		}
		if a := b.get("/app/leads/not-an-id"); a.status != http.StatusNotFound {
			t.Errorf("a lead that is not an id = %d, want 404", a.status)
		}
	})
}
