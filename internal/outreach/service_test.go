package outreach_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/apperr/apperrtest"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// draftQueue records the generate jobs a Service queues.
type draftQueue struct {
	queued []string // "userID prospectID manual"
}

func (q *draftQueue) EnqueueGenerate(_ context.Context, tx store.Handle, ids []string, manual bool) error {
	if !manual {
		return errors.New("a user's request must be queued as manual")
	}
	for _, id := range ids {
		q.queued = append(q.queued, tx.UserID()+" "+id)
	}
	return nil
}

// approvals records the sequences handed to sending, by id, as a sending
// service would receive them inside the approving transaction.
type approvals struct {
	handed []string
}

func (a *approvals) Approved(_ context.Context, tx store.Handle, seqs []mailstore.OutreachSequence) error {
	for _, o := range seqs {
		if o.Status != mailstore.OutreachApproved {
			return errors.New("handed a sequence that is " + o.Status)
		}
		a.handed = append(a.handed, tx.UserID()+" "+o.ID)
	}
	return nil
}

// reviewFixture is one user's campaign with three prospects: one with a
// draft, one with an approved sequence and one nobody can be written to.
type reviewFixture struct {
	svc                            *outreach.Service
	queue                          *draftQueue
	approvals                      *approvals
	st                             *store.Store
	user, other                    string
	drafted, approved, unreachable string // prospect ids
	draft, approvedSeq             mailstore.OutreachSequence
}

func newReviewFixture(t *testing.T, e storetest.Engine) reviewFixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, e)
	f := reviewFixture{st: st, queue: &draftQueue{}, approvals: &approvals{},
		user:  storetest.NewUser(t, st, storetest.UserParams{}).ID,
		other: storetest.NewUser(t, st, storetest.UserParams{}).ID}
	var err error
	if f.svc, err = outreach.NewService(st, f.queue, f.approvals); err != nil {
		t.Fatal(err)
	}
	err = st.Write(ctx, f.user, func(tx *store.Tx) error {
		c, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "Review", BusinessType: "plumber",
			TargetLocation: "Austin, TX", TargetCriteria: json.RawMessage(`{}`)})
		if err != nil {
			return err
		}
		prospect := func(name, email, verification string) string {
			ids, ierr := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: c.ID, CompanyName: name, Source: "manual",
				SourceID: store.NewID(), Contact: &store.NewContact{Email: &email, IsPrimary: true, Source: "manual",
					EmailVerificationStatus: &verification}}})
			if ierr != nil {
				err = ierr
				return ""
			}
			return ids[0]
		}
		f.drafted = prospect("Acme Plumbing", "owner@acme.test", "valid")
		f.approved = prospect("Best Pipes", "hello@bestpipes.test", "valid")
		f.unreachable = prospect("Gone Drains", "nobody@gone.test", "invalid")
		if err != nil {
			return err
		}
		save := func(prospectID string) (mailstore.OutreachSequence, error) {
			cs, err := tx.ContactsOf(ctx, prospectID)
			if err != nil {
				return mailstore.OutreachSequence{}, err
			}
			return tx.SaveDraft(ctx, mailstore.NewDraft{CampaignID: c.ID, ProspectID: prospectID, ContactID: cs[0].ID,
				SequenceType: outreach.SequenceType, Subject: "first", GeneratedBy: outreach.GeneratedByTemplate,
				Emails: json.RawMessage(`[{"step":1,"delay_days":0,"subject":"first","body":"Hello"}]`), Checks: json.RawMessage(`{}`)})
		}
		if f.draft, err = save(f.drafted); err != nil {
			return err
		}
		if f.approvedSeq, err = save(f.approved); err != nil {
			return err
		}
		f.approvedSeq, err = tx.ApproveOutreach(ctx, f.approvedSeq.ID)
		return err
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

// reviewTest runs test on each engine with a fresh review fixture.
func reviewTest(t *testing.T, test func(t *testing.T, ctx context.Context, f reviewFixture)) {
	t.Helper()
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		test(t, context.Background(), newReviewFixture(t, e))
	})
}

// accessCase is a call by user on the record id, and the code (and message)
// of the error it must fail with; no code means it succeeds.
type accessCase struct {
	name, user, id    string
	wantCode, wantMsg string
}

// wantErr fails unless err carries code (and, when set, a message holding
// msg and exactly the fields named); code "" wants no error.
func wantErr(t *testing.T, err error, code, msg string, fields ...string) {
	t.Helper()
	e := apperrtest.Want(t, err, code)
	if e == nil {
		return
	}
	if !strings.Contains(e.Message, msg) {
		t.Errorf("message = %q, want it to hold %q", e.Message, msg)
	}
	if len(fields) > 0 && len(e.Fields) != len(fields) {
		t.Errorf("fields = %v, want %v", e.Fields, fields)
	}
	for _, name := range fields {
		if _, ok := e.Fields[name]; !ok {
			t.Errorf("fields = %v, want %s among them", e.Fields, name)
		}
	}
}

func TestNewServiceNeedsItsDependencies(t *testing.T) {
	if _, err := outreach.NewService(nil, &draftQueue{}, &approvals{}); err == nil {
		t.Error("NewService without a store succeeded")
	}
	if _, err := outreach.NewService(&store.Store{}, nil, &approvals{}); err == nil {
		t.Error("NewService without a queue succeeded")
	}
	if _, err := outreach.NewService(&store.Store{}, &draftQueue{}, nil); err == nil {
		t.Error("NewService without sending's approvals succeeded")
	}
}

func TestParseFilter(t *testing.T) {
	id := store.NewID()
	tests := []struct {
		name                       string
		campaign, prospect, status string
		want                       mailstore.OutreachFilter
		wantFields                 []string
	}{
		{name: "none"},
		{name: "all, ids lowered", campaign: strings.ToUpper(id), prospect: id, status: "approved",
			want: mailstore.OutreachFilter{CampaignID: id, ProspectID: id, Status: "approved"}},
		{name: "bad ids", campaign: "nope", prospect: "42", wantFields: []string{"campaign_id", "prospect_id"}},
		{name: "unknown status", status: "lost", wantFields: []string{"status"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := outreach.ParseFilter(tc.campaign, tc.prospect, tc.status)
			if len(tc.wantFields) > 0 {
				wantErr(t, err, apperr.CodeValidation, "Some fields are not valid.", tc.wantFields...)
				return
			}
			wantErr(t, err, "", "")
			if f != tc.want {
				t.Errorf("filter = %+v, want %+v", f, tc.want)
			}
		})
	}
}

func TestServiceGetAndList(t *testing.T) {
	reviewTest(t, func(t *testing.T, ctx context.Context, f reviewFixture) {
		tests := []accessCase{
			{name: "own", user: f.user, id: f.draft.ID},
			{name: "own, upper case", user: f.user, id: strings.ToUpper(f.draft.ID)},
			{name: "another user's", user: f.other, id: f.draft.ID, wantCode: apperr.CodeNotFound},
			{name: "missing", user: f.user, id: store.NewID(), wantCode: apperr.CodeNotFound},
			{name: "not an id", user: f.user, id: "../etc", wantCode: apperr.CodeNotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				o, err := f.svc.Get(ctx, tc.user, tc.id)
				wantErr(t, err, tc.wantCode, "sequence not found")
				if tc.wantCode == "" && (o.ID != f.draft.ID || o.Status != mailstore.OutreachDraft) {
					t.Errorf("got %+v, want the draft", o)
				}
			})
		}

		list, next, err := f.svc.List(ctx, f.user, mailstore.OutreachFilter{ProspectID: f.drafted}, store.Page{Limit: 10})
		if err != nil || next != "" || len(list) != 1 || list[0].ID != f.draft.ID {
			t.Errorf("List by prospect = %v, %q, %v; want the one draft", list, next, err)
		}
		list, _, err = f.svc.List(ctx, f.user, mailstore.OutreachFilter{Status: mailstore.OutreachApproved}, store.Page{Limit: 10})
		if err != nil || len(list) != 1 || list[0].ID != f.approvedSeq.ID {
			t.Errorf("List approved = %v, %v; want the approved sequence", list, err)
		}
		if list, _, err := f.svc.List(ctx, f.other, mailstore.OutreachFilter{}, store.Page{Limit: 10}); err != nil || len(list) != 0 {
			t.Errorf("another user lists %v, %v; want nothing", list, err)
		}
	})
}

func TestServiceEdit(t *testing.T) {
	reviewTest(t, func(t *testing.T, ctx context.Context, f reviewFixture) {
		good := []outreach.Step{{Step: 1, Subject: "your website", Body: "Hi there, would a short call help? Visit www.example.test"},
			{Step: 2, DelayDays: 3, Subject: "following up", Body: "Just checking in."}}
		tests := []struct {
			name, user, id string
			emails         []outreach.Step
			wantCode       string
			wantMsg        string
			wantFields     []string
		}{
			{name: "draft", user: f.user, id: f.draft.ID, emails: good},
			{name: "no emails", user: f.user, id: f.draft.ID, wantCode: apperr.CodeValidation,
				wantMsg: "Some fields are not valid.", wantFields: []string{"emails"}},
			{name: "bad step", user: f.user, id: f.draft.ID, emails: []outreach.Step{{Step: 2, DelayDays: 1, Subject: "x", Body: "y"}},
				wantCode: apperr.CodeValidation, wantFields: []string{"emails[0].step", "emails[0].delay_days"}},
			// The body is checked before the id: a bad edit is refused as such.
			{name: "bad body, bad id", user: f.user, id: "nope", emails: []outreach.Step{}, wantCode: apperr.CodeValidation,
				wantFields: []string{"emails"}},
			{name: "approved", user: f.user, id: f.approvedSeq.ID, emails: good, wantCode: apperr.CodeConflict,
				wantMsg: "The sequence is approved; only a draft can change."},
			{name: "another user's", user: f.other, id: f.draft.ID, emails: good, wantCode: apperr.CodeNotFound, wantMsg: "sequence not found"},
			{name: "not an id", user: f.user, id: "nope", emails: good, wantCode: apperr.CodeNotFound, wantMsg: "sequence not found"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				o, err := f.svc.Edit(ctx, tc.user, tc.id, tc.emails)
				wantErr(t, err, tc.wantCode, tc.wantMsg, tc.wantFields...)
				if tc.wantCode != "" {
					return
				}
				var checks outreach.Checks
				if err := json.Unmarshal(o.Checks, &checks); err != nil {
					t.Fatalf("checks %s: %v", o.Checks, err)
				}
				if o.Subject == nil || *o.Subject != "your website" || checks.Passed || len(checks.Steps) != 2 || !checks.Steps[0].Links {
					t.Errorf("edited = subject %v, checks %s; want the new subject and checks that found the link", o.Subject, o.Checks)
				}
				var stored []outreach.Step
				if err := json.Unmarshal(o.Emails, &stored); err != nil || len(stored) != 2 || stored[1] != good[1] {
					t.Errorf("stored emails = %s (%v), want the edit", o.Emails, err)
				}
			})
		}
		// The refused edits changed nothing.
		if o, err := f.svc.Get(ctx, f.user, f.approvedSeq.ID); err != nil || *o.Subject != "first" {
			t.Errorf("approved sequence after a refused edit = %+v, %v", o, err)
		}
	})
}

func TestServiceApprove(t *testing.T) {
	reviewTest(t, func(t *testing.T, ctx context.Context, f reviewFixture) {
		tests := []accessCase{
			{name: "another user's", user: f.other, id: f.draft.ID, wantCode: apperr.CodeNotFound},
			{name: "not an id", user: f.user, id: "", wantCode: apperr.CodeNotFound},
			{name: "draft", user: f.user, id: f.draft.ID},
			{name: "again", user: f.user, id: f.draft.ID},
			{name: "approved before", user: f.user, id: f.approvedSeq.ID},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				o, err := f.svc.Approve(ctx, tc.user, tc.id)
				wantErr(t, err, tc.wantCode, "sequence not found")
				if tc.wantCode == "" && (o.Status != mailstore.OutreachApproved || o.ApprovedBy == nil || *o.ApprovedBy != f.user) {
					t.Errorf("approved = %+v, want approved by %s", o, f.user)
				}
			})
		}
		// Every approval the user made reached sending, in its transaction
		// and as the user; the other user's attempt did not.
		for _, h := range f.approvals.handed {
			if !strings.HasPrefix(h, f.user+" ") {
				t.Errorf("handed to sending %q, want only %s's sequences", h, f.user)
			}
		}
		if !slices.Contains(f.approvals.handed, f.user+" "+f.draft.ID) {
			t.Errorf("handed to sending %v, want the approved draft %s", f.approvals.handed, f.draft.ID)
		}
	})
}

func TestServiceRequestDraft(t *testing.T) {
	reviewTest(t, func(t *testing.T, ctx context.Context, f reviewFixture) {
		tests := []accessCase{
			{name: "replaces the open draft", user: f.user, id: strings.ToUpper(f.drafted)},
			{name: "approved", user: f.user, id: f.approved, wantCode: apperr.CodeConflict,
				wantMsg: "The sequence for this prospect is already approved; it is not regenerated."},
			{name: "nobody to write to", user: f.user, id: f.unreachable, wantCode: apperr.CodeConflict,
				wantMsg: "This prospect has no contact with a deliverable email address to write to."},
			{name: "another user's", user: f.other, id: f.drafted, wantCode: apperr.CodeNotFound, wantMsg: "prospect not found"},
			{name: "missing", user: f.user, id: store.NewID(), wantCode: apperr.CodeNotFound, wantMsg: "prospect not found"},
			{name: "no id", user: f.user, id: "", wantCode: apperr.CodeValidation, wantMsg: "Some fields are not valid."},
			{name: "not an id", user: f.user, id: "acme", wantCode: apperr.CodeValidation, wantMsg: "Some fields are not valid."},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				id, err := f.svc.RequestDraft(ctx, tc.user, tc.id)
				wantErr(t, err, tc.wantCode, tc.wantMsg)
				if tc.wantCode == "" && id != f.drafted {
					t.Errorf("queued %q, want %q", id, f.drafted)
				}
			})
		}
		if want := f.user + " " + f.drafted; len(f.queue.queued) != 1 || f.queue.queued[0] != want {
			t.Errorf("queued %v, want only [%s]", f.queue.queued, want)
		}
	})
}
