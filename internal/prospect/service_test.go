package prospect_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/prospect"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// stageQueue records the jobs a Service queues, as "stage userID id".
type stageQueue struct {
	queued []string
}

func (q *stageQueue) record(stage string, tx store.Handle, ids []string, manual bool) error {
	if !manual {
		return errors.New("a user's request must be queued as manual")
	}
	for _, id := range ids {
		q.queued = append(q.queued, stage+" "+tx.UserID()+" "+id)
	}
	return nil
}

func (q *stageQueue) EnqueueEnrich(_ context.Context, tx store.Handle, ids []string, manual bool) error {
	return q.record("enrich", tx, ids, manual)
}

func (q *stageQueue) EnqueueScore(_ context.Context, tx store.Handle, ids []string, manual bool) error {
	return q.record("score", tx, ids, manual)
}

// fixture is one user's campaign with a prospect every stage has run on
// (full) and one just discovered (bare), and another user with nothing.
type fixture struct {
	svc         *prospect.Service
	queue       *stageQueue
	st          *store.Store
	user, other string
	campaignID  string
	full, bare  string
}

func ptr[T any](v T) *T { return &v }

func newFixture(t *testing.T, e storetest.Engine) fixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, e)
	f := fixture{st: st, queue: &stageQueue{},
		user:  storetest.NewUser(t, st, storetest.UserParams{}).ID,
		other: storetest.NewUser(t, st, storetest.UserParams{}).ID}
	var err error
	if f.svc, err = prospect.NewService(st, f.queue); err != nil {
		t.Fatal(err)
	}
	err = st.Write(ctx, f.user, func(tx *store.Tx) error {
		c, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "Prospects", BusinessType: "plumber",
			TargetLocation: "Austin, TX", TargetCriteria: json.RawMessage(`{}`)})
		if err != nil {
			return err
		}
		f.campaignID = c.ID
		ids, err := tx.InsertProspects(ctx, []store.NewProspect{
			{CampaignID: c.ID, CompanyName: "Acme Plumbing", Website: ptr("https://acme.test"), Source: "manual", SourceID: "1",
				Contact: &store.NewContact{FirstName: ptr("Maria"), Email: ptr("maria@acme.test"), IsPrimary: true, Source: "manual",
					EmailVerificationStatus: ptr("valid")}},
			{CampaignID: c.ID, CompanyName: "Bare Drains", Source: "manual", SourceID: "2"},
		})
		if err != nil {
			return err
		}
		f.full, f.bare = ids[0], ids[1]
		if err := tx.UpsertEnrichment(ctx, store.EnrichmentParams{ProspectID: f.full, WebsiteScore: ptr(40), TechStack: []string{"WordPress"}}); err != nil {
			return err
		}
		if err := tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: f.full, Overall: 82, Tier: "A", TierReason: "old site",
			Factors: json.RawMessage(`{}`)}); err != nil {
			return err
		}
		cs, err := tx.ContactsOf(ctx, f.full)
		if err != nil {
			return err
		}
		_, err = tx.SaveDraft(ctx, mailstore.NewDraft{CampaignID: c.ID, ProspectID: f.full, ContactID: cs[0].ID,
			SequenceType: "cold_email", Subject: "hello", GeneratedBy: "template",
			Emails: json.RawMessage(`[{"step":1,"delay_days":0,"subject":"hello","body":"Hi"}]`), Checks: json.RawMessage(`{}`)})
		return err
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

// wantCode fails unless err carries code; "" wants no error.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		return
	}
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func TestNewServiceNeedsItsDependencies(t *testing.T) {
	if _, err := prospect.NewService(nil, &stageQueue{}); err == nil {
		t.Error("NewService without a store succeeded")
	}
	if _, err := prospect.NewService(&store.Store{}, nil); err == nil {
		t.Error("NewService without a queue succeeded")
	}
}

func TestParseFilter(t *testing.T) {
	id := store.NewID()
	tests := []struct {
		name                          string
		campaign, status, tier, query string
		want                          store.ProspectFilter
		wantFields                    map[string]string
	}{
		{name: "none"},
		{name: "all, id lowered and query trimmed", campaign: strings.ToUpper(id), status: "qualified", tier: "B", query: "  acme ",
			want: store.ProspectFilter{CampaignID: id, Status: "qualified", Tier: "B", Query: "acme"}},
		{name: "bad campaign", campaign: "acme", wantFields: map[string]string{"campaign_id": "must be a campaign id"}},
		{name: "bad status and tier", status: "won", tier: "D", wantFields: map[string]string{
			"status": "must be one of discovered, enriching, enriched, qualified, outreach_pending, contacted, disqualified",
			"tier":   "must be one of A, B, C"}},
		{name: "long query", query: strings.Repeat("é", 201), wantFields: map[string]string{"q": "must be at most 200 characters"}},
		{name: "query of 200", query: strings.Repeat("é", 200), want: store.ProspectFilter{Query: strings.Repeat("é", 200)}},
		{name: "not text", query: "\xff", wantFields: map[string]string{"q": "must be UTF-8 text"}},
		{name: "control character", query: "bob\x00", wantFields: map[string]string{"q": "must not contain control characters"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := prospect.ParseFilter(tc.campaign, tc.status, tc.tier, tc.query)
			if tc.wantFields != nil {
				e, ok := apperr.As(err)
				if !ok || e.Code != apperr.CodeValidation || fmt.Sprint(e.Fields) != fmt.Sprint(tc.wantFields) {
					t.Fatalf("error = %v, want fields %v", err, tc.wantFields)
				}
				return
			}
			if err != nil || f != tc.want {
				t.Errorf("filter = %+v, %v; want %+v", f, err, tc.want)
			}
		})
	}
}

func TestServiceDetail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		tests := []struct {
			name, user, id string
			wantCode       string
			check          func(t *testing.T, d prospect.Detail)
		}{
			{name: "every stage ran", user: f.user, id: strings.ToUpper(f.full), check: func(t *testing.T, d prospect.Detail) {
				if d.ID != f.full || d.Enrichment == nil || *d.Enrichment.WebsiteScore != 40 || len(d.Contacts) != 1 ||
					d.Score == nil || d.Score.OverallScore != 82 || len(d.Outreach) != 1 || *d.Outreach[0].Subject != "hello" {
					t.Errorf("detail = %+v, want the prospect with its enrichment, contact, score and draft", d)
				}
			}},
			{name: "just discovered", user: f.user, id: f.bare, check: func(t *testing.T, d prospect.Detail) {
				b, err := json.Marshal(d)
				if err != nil {
					t.Fatal(err)
				}
				var m map[string]json.RawMessage
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				for key, want := range map[string]string{"enrichment": "null", "score": "null", "contacts": "[]", "outreach": "[]",
					"company_name": `"Bare Drains"`} {
					if string(m[key]) != want {
						t.Errorf("%s = %s, want %s", key, m[key], want)
					}
				}
			}},
			{name: "another user's", user: f.other, id: f.full, wantCode: apperr.CodeNotFound},
			{name: "missing", user: f.user, id: store.NewID(), wantCode: apperr.CodeNotFound},
			{name: "not an id", user: f.user, id: "acme", wantCode: apperr.CodeNotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				d, err := f.svc.Detail(ctx, tc.user, tc.id)
				wantCode(t, err, tc.wantCode)
				if tc.check != nil {
					tc.check(t, d)
				}
			})
		}
	})
}

func TestServiceList(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		tests := []struct {
			name   string
			user   string
			filter store.ProspectFilter
			want   []string
		}{
			{name: "all, newest first", user: f.user, want: []string{f.bare, f.full}},
			{name: "by tier", user: f.user, filter: store.ProspectFilter{Tier: "A"}, want: []string{f.full}},
			{name: "by campaign", user: f.user, filter: store.ProspectFilter{CampaignID: f.campaignID}, want: []string{f.bare, f.full}},
			{name: "another user", user: f.other, want: []string{}},
			{name: "another user, by the campaign", user: f.other, filter: store.ProspectFilter{CampaignID: f.campaignID}, want: []string{}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				items, next, err := f.svc.List(ctx, tc.user, tc.filter, store.Page{Limit: 10})
				if err != nil || next != "" {
					t.Fatalf("List = %q, %v", next, err)
				}
				got := []string{}
				for _, p := range items {
					got = append(got, p.ID)
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("listed %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestServiceRequestsAStage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		stages := map[string]func(ctx context.Context, userID, id string) (string, error){
			"enrich": f.svc.RequestEnrich, "score": f.svc.RequestScore,
		}
		for stage, request := range stages {
			tests := []struct {
				name, user, id string
				wantCode       string
			}{
				{name: "own, upper case", user: f.user, id: strings.ToUpper(f.bare)},
				{name: "another user's", user: f.other, id: f.bare, wantCode: apperr.CodeNotFound},
				{name: "missing", user: f.user, id: store.NewID(), wantCode: apperr.CodeNotFound},
				{name: "not an id", user: f.user, id: "", wantCode: apperr.CodeNotFound},
			}
			for _, tc := range tests {
				t.Run(stage+" "+tc.name, func(t *testing.T) {
					f.queue.queued = nil
					id, err := request(ctx, tc.user, tc.id)
					wantCode(t, err, tc.wantCode)
					want := []string{}
					if tc.wantCode == "" {
						want = []string{stage + " " + f.user + " " + f.bare}
						if id != f.bare {
							t.Errorf("queued for %q, want %q", id, f.bare)
						}
					}
					if fmt.Sprint(f.queue.queued) != fmt.Sprint(want) {
						t.Errorf("queued %v, want %v", f.queue.queued, want)
					}
				})
			}
		}
	})
}
