package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// withProspect opens a store with one user whose campaign has one prospect
// (Acme Plumbing) with one contact (owner@acme.test, verified valid): the
// store, the user's id, the campaign, and the prospect's and contact's ids.
func withProspect(t *testing.T, e storetest.Engine) (s *store.Store, userID string, c store.Campaign, prospectID, contactID string) {
	t.Helper()
	ctx := context.Background()
	s = storetest.Open(t, e)
	userID = storetest.NewUser(t, s, storetest.UserParams{}).ID
	c = newCampaign(t, s, userID, "Outreach")
	write(t, s, userID, func(tx *store.Tx) error {
		ids, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: c.ID, CompanyName: "Acme Plumbing", Source: "manual",
			SourceID: store.NewID(), Contact: &store.NewContact{Email: ptr("owner@acme.test"), IsPrimary: true, Source: "manual",
				EmailVerificationStatus: ptr("valid")}}})
		if err != nil {
			return err
		}
		prospectID = ids[0]
		cs, err := tx.ContactsOf(ctx, prospectID)
		if err != nil {
			return err
		}
		contactID = cs[0].ID
		return nil
	})
	return s, userID, c, prospectID, contactID
}

func draft(c store.Campaign, prospectID, contactID, subject string) mailstore.NewDraft {
	return mailstore.NewDraft{CampaignID: c.ID, ProspectID: prospectID, ContactID: contactID, SequenceType: "cold_email",
		Subject: subject, Emails: json.RawMessage(`[{"step":1,"delay_days":0,"subject":"` + subject + `","body":"Hello"}]`),
		GeneratedBy: "template", PromptVersion: "template@1", Checks: json.RawMessage(`{"passed":true}`)}
}

func TestDraftsAreReplacedUntilApproved(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, userID, c, pid, cid := withProspect(t, e)

		var first, second mailstore.OutreachSequence
		write(t, s, userID, func(tx *store.Tx) (err error) {
			first, err = tx.SaveDraft(ctx, draft(c, pid, cid, "first"))
			return err
		})
		write(t, s, userID, func(tx *store.Tx) (err error) {
			second, err = tx.SaveDraft(ctx, draft(c, pid, cid, "second"))
			return err
		})
		if second.ID != first.ID || second.Subject == nil || *second.Subject != "second" || second.Status != mailstore.OutreachDraft {
			t.Fatalf("regenerated draft = %+v, want the same row (%s) with subject second", second, first.ID)
		}
		var list []mailstore.OutreachSequence
		write(t, s, userID, func(tx *store.Tx) (err error) {
			list, err = tx.OutreachOf(ctx, pid)
			return err
		})
		if len(list) != 1 {
			t.Fatalf("prospect has %d sequences, want one open draft", len(list))
		}

		var approved mailstore.OutreachSequence
		write(t, s, userID, func(tx *store.Tx) (err error) {
			approved, err = tx.ApproveOutreach(ctx, first.ID)
			return err
		})
		if approved.Status != mailstore.OutreachApproved || approved.ApprovedBy == nil || *approved.ApprovedBy != userID || approved.ApprovedAt == nil {
			t.Fatalf("approved = %+v", approved)
		}
		err := s.Write(ctx, userID, func(tx *store.Tx) error {
			_, err := tx.SaveDraft(ctx, draft(c, pid, cid, "third"))
			return err
		})
		if !errors.Is(err, mailstore.ErrNotDraft) {
			t.Fatalf("regenerating over an approved sequence: %v, want mailstore.ErrNotDraft", err)
		}
		err = s.Write(ctx, userID, func(tx *store.Tx) error {
			_, err := tx.EditDraft(ctx, first.ID, "edited", json.RawMessage(`[]`), nil)
			return err
		})
		if !errors.Is(err, mailstore.ErrNotDraft) {
			t.Fatalf("editing an approved sequence: %v, want mailstore.ErrNotDraft", err)
		}
		var again mailstore.OutreachSequence
		write(t, s, userID, func(tx *store.Tx) (err error) {
			again, err = tx.ApproveOutreach(ctx, first.ID)
			return err
		})
		if !again.ApprovedAt.Equal(*approved.ApprovedAt) {
			t.Fatalf("approving twice moved approved_at from %v to %v", approved.ApprovedAt, again.ApprovedAt)
		}
	})
}

func TestOutreachIsScopedToItsOwner(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, ownerID, c, pid, cid := withProspect(t, e)
		other := storetest.NewUser(t, s, storetest.UserParams{})
		var seq mailstore.OutreachSequence
		write(t, s, ownerID, func(tx *store.Tx) (err error) {
			seq, err = tx.SaveDraft(ctx, draft(c, pid, cid, "hello"))
			return err
		})
		for name, fn := range map[string]func(tx *store.Tx) error{
			"get": func(tx *store.Tx) error { _, err := tx.Outreach(ctx, seq.ID); return err },
			"edit": func(tx *store.Tx) error {
				_, err := tx.EditDraft(ctx, seq.ID, "x", json.RawMessage(`[]`), nil)
				return err
			},
			"approve": func(tx *store.Tx) error { _, err := tx.ApproveOutreach(ctx, seq.ID); return err },
		} {
			if err := s.Write(ctx, other.ID, fn); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s another user's sequence: %v, want ErrNotFound", name, err)
			}
		}
		var list []mailstore.OutreachSequence
		write(t, s, other.ID, func(tx *store.Tx) (err error) {
			list, _, err = tx.ListOutreach(ctx, mailstore.OutreachFilter{}, store.Page{Limit: 50})
			return err
		})
		if len(list) != 0 {
			t.Fatalf("another user lists %d sequences", len(list))
		}
		write(t, s, ownerID, func(tx *store.Tx) (err error) {
			list, _, err = tx.ListOutreach(ctx, mailstore.OutreachFilter{CampaignID: c.ID, Status: mailstore.OutreachDraft}, store.Page{Limit: 50})
			return err
		})
		if len(list) != 1 || list[0].ID != seq.ID {
			t.Fatalf("owner's filtered list = %+v", list)
		}
	})
}

func TestLeadScoreUpsertSetsTier(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, userID, _, pid, _ := withProspect(t, e)
		for _, tier := range []string{"B", "A"} {
			write(t, s, userID, func(tx *store.Tx) error {
				return tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: pid, Overall: 71, Tier: tier,
					TierReason: "Tier " + tier, Factors: json.RawMessage(`{"weighted_score":71}`)})
			})
		}
		var sc *store.LeadScore
		var p store.Prospect
		write(t, s, userID, func(tx *store.Tx) (err error) {
			if sc, err = tx.LeadScoreOf(ctx, pid); err != nil {
				return err
			}
			p, err = tx.Prospect(ctx, pid)
			return err
		})
		if sc == nil || sc.Tier != "A" || sc.OverallScore != 71 || p.Tier == nil || *p.Tier != "A" {
			t.Fatalf("score %+v, prospect tier %v; want one row with tier A", sc, p.Tier)
		}
	})
}

// A running campaign whose discovery finished completes only once every
// prospect that should get a draft has one.
func TestCampaignWaitsForDrafts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		s, userID, c, pid, cid := withProspect(t, e)
		complete := func() bool {
			t.Helper()
			var done bool
			write(t, s, userID, func(tx *store.Tx) (err error) {
				done, err = tx.CompleteCampaignIfDone(ctx, c.ID, store.CompletionRules{OutreachTiers: settings.DefaultOutreachTiers(), Reachable: store.ContactRule{RequireEmail: true, ExcludeVerification: []string{"invalid"}}})
				return err
			})
			return done
		}
		write(t, s, userID, func(tx *store.Tx) error {
			if _, err := tx.SetCampaignStatus(ctx, c.ID, store.CampaignRunning, nil); err != nil {
				return err
			}
			if err := tx.MarkDiscoveryFinished(ctx, c.ID, true); err != nil {
				return err
			}
			if _, err := tx.AdvanceProspect(ctx, pid, []string{store.ProspectDiscovered}, store.ProspectQualified); err != nil {
				return err
			}
			return tx.UpsertLeadScore(ctx, store.LeadScoreParams{ProspectID: pid, Overall: 80, Tier: "A", TierReason: "Tier A"})
		})
		if complete() {
			t.Fatal("completed while a tier A prospect with a reachable contact had no draft")
		}
		write(t, s, userID, func(tx *store.Tx) error {
			_, err := tx.SaveDraft(ctx, draft(c, pid, cid, "hello"))
			return err
		})
		if !complete() {
			t.Fatal("did not complete once the draft existed")
		}
	})
}
