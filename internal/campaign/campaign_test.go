package campaign_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// recordingQueue counts what the campaign rules queue, in the transaction.
type recordingQueue struct {
	discovery, enrich, score, generate, resumed int
	enrichErr                                   error // what EnqueueEnrich answers, when set
}

// SendingChanged counts the times sending was asked to carry on: the queue
// stands in for sending too, as both act in the campaign's transaction.
func (q *recordingQueue) SendingChanged(context.Context, store.Handle, string) error {
	q.resumed++
	return nil
}

func (q *recordingQueue) EnqueueDiscovery(context.Context, store.Handle, string) error {
	q.discovery++
	return nil
}
func (q *recordingQueue) EnqueueEnrich(_ context.Context, _ store.Handle, ids []string, _ bool) error {
	if q.enrichErr != nil {
		return q.enrichErr
	}
	q.enrich += len(ids)
	return nil
}
func (q *recordingQueue) EnqueueScore(_ context.Context, _ store.Handle, ids []string, _ bool) error {
	q.score += len(ids)
	return nil
}
func (q *recordingQueue) EnqueueGenerate(_ context.Context, _ store.Handle, ids []string, _ bool) error {
	q.generate += len(ids)
	return nil
}

func setup(t *testing.T, e storetest.Engine) (*campaign.Service, *recordingQueue, store.Profile, *store.Store) {
	t.Helper()
	s := storetest.Open(t, e)
	q := &recordingQueue{}
	return &campaign.Service{Store: s, Jobs: q, Sending: q}, q, storetest.NewUser(t, s, storetest.UserParams{}), s
}

func validInput(criteria string) campaign.Input {
	return campaign.Input{Name: "Plumbers", BusinessType: "plumber", TargetLocation: "Austin, TX", TargetCriteria: json.RawMessage(criteria)}
}

func TestCreateValidates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc, _, u, _ := setup(t, e)
		ctx := context.Background()
		for _, tc := range []struct {
			name  string
			in    campaign.Input
			field string
		}{
			{"missing name", campaign.Input{BusinessType: "plumber", TargetLocation: "Austin"}, "name"},
			{"long type", campaign.Input{Name: "x", BusinessType: strings.Repeat("a", 101), TargetLocation: "Austin"}, "business_type"},
			{"control character", campaign.Input{Name: "a\x01b", BusinessType: "plumber", TargetLocation: "Austin"}, "name"},
			{"unknown criterion", validInput(`{"colour": "blue"}`), "target_criteria.colour"},
			{"bad source", validInput(`{"sources": ["bing"]}`), "target_criteria.sources"},
		} {
			_, err := svc.Create(ctx, u.ID, tc.in)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeValidation || e.Fields[tc.field] == "" {
				t.Errorf("%s: got %v, want validation_failed on %s", tc.name, err, tc.field)
			}
		}
		c, err := svc.Create(ctx, u.ID, validInput(""))
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != store.CampaignDraft {
			t.Errorf("new campaign is %s, want draft", c.Status)
		}
		var crit map[string]any
		if err := json.Unmarshal(c.TargetCriteria, &crit); err != nil || crit["max_results"] != float64(100) {
			t.Errorf("stored criteria %s lack the default max_results", c.TargetCriteria)
		}
	})
}

func TestLifecycleRules(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc, q, u, _ := setup(t, e)
		ctx := context.Background()
		c, err := svc.Create(ctx, u.ID, validInput(""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Pause(ctx, u.ID, c.ID); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("pausing a draft: %v, want conflict", err)
		}
		if _, err := svc.Start(ctx, u.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if q.discovery != 1 {
			t.Errorf("start queued %d discovery jobs, want 1", q.discovery)
		}
		if q.resumed != 1 {
			t.Errorf("start asked sending to carry on %d times, want 1", q.resumed)
		}
		if _, err := svc.Start(ctx, u.ID, c.ID); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("starting a running campaign: %v, want conflict", err)
		}
		name := "Renamed"
		if _, err := svc.Update(ctx, u.ID, c.ID, campaign.Patch{Name: &name}); err != nil {
			t.Errorf("renaming a running campaign: %v", err)
		}
		loc := "Dallas, TX"
		if _, err := svc.Update(ctx, u.ID, c.ID, campaign.Patch{TargetLocation: &loc}); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("retargeting a running campaign: %v, want conflict", err)
		}
		if _, err := svc.Pause(ctx, u.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.Update(ctx, u.ID, c.ID, campaign.Patch{TargetLocation: &loc}); err != nil || got.TargetLocation != loc {
			t.Errorf("retargeting a paused campaign: %v, %q", err, got.TargetLocation)
		}
	})
}

func TestStartNeedsCreditsOnlyForDiscovery(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc, _, u, s := setup(t, e)
		ctx := context.Background()
		if err := s.Write(ctx, u.ID, func(tx *store.Tx) error { return tx.SetLeadCredits(ctx, 0) }); err != nil {
			t.Fatal(err)
		}
		discover, err := svc.Create(ctx, u.ID, validInput(""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Start(ctx, u.ID, discover.ID); apperr.CodeOf(err) != apperr.CodeInsufficientCredits {
			t.Errorf("start with no credits: %v, want insufficient_credits", err)
		}
		importOnly, err := svc.Create(ctx, u.ID, validInput(`{"sources": []}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Start(ctx, u.ID, importOnly.ID); err != nil {
			t.Errorf("an import-only campaign needs no credits to start: %v", err)
		}
	})
}

func TestOtherUsersCampaignIsNotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc, _, u, s := setup(t, e)
		other := storetest.NewUser(t, s, storetest.UserParams{})
		ctx := context.Background()
		c, err := svc.Create(ctx, u.ID, validInput(""))
		if err != nil {
			t.Fatal(err)
		}
		name := "Mine now"
		for what, err := range map[string]error{
			"start":  second(svc.Start(ctx, other.ID, c.ID)),
			"pause":  second(svc.Pause(ctx, other.ID, c.ID)),
			"update": second(svc.Update(ctx, other.ID, c.ID, campaign.Patch{Name: &name})),
			"stats":  second(svc.Stats(ctx, other.ID, c.ID)),
			"import": second(svc.Import(ctx, other.ID, c.ID, strings.NewReader("company_name\nAcme\n"))),
		} {
			if apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("%s of another user's campaign: %v, want not_found", what, err)
			}
		}
	})
}

func TestImportCountsDuplicates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc, _, u, _ := setup(t, e)
		ctx := context.Background()
		c, err := svc.Create(ctx, u.ID, validInput(`{"sources": []}`))
		if err != nil {
			t.Fatal(err)
		}
		file := "company_name,website,phone\nAcme Plumbing,https://acme.example,\nAcme again,https://www.acme.example/about,\n,https://nameless.example,\n"
		res, err := svc.Import(ctx, u.ID, c.ID, strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 1 || res.Duplicates != 1 || len(res.Rejected) != 1 {
			t.Errorf("first import: %+v, want 1 imported, 1 duplicate, 1 rejected", res)
		}
		res, err = svc.Import(ctx, u.ID, c.ID, strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 0 || res.Duplicates != 2 {
			t.Errorf("the same file again: %+v, want nothing imported, 2 duplicates", res)
		}
	})
}

// bigImport is a file of n businesses (each its own domain and phone)
// whose every tenth row repeats, by domain, a row about 1,500 rows before
// it (so in an earlier chunk), and whose row 7 repeats one already in the
// campaign: distinct is how many of them are new.
func bigImport(n int) (file string, distinct int) {
	var b strings.Builder
	b.WriteString("company_name,website,phone\n")
	b.WriteString("Already There,https://already.example,\n")
	for i := 1; i < n; i++ {
		switch {
		case i == 7:
			b.WriteString("Already Again,https://www.already.example/,\n")
		case i%10 == 0 && i > 1500:
			fmt.Fprintf(&b, "Repeat %d,https://biz%d.example,\n", i, i-1500+1)
		default:
			fmt.Fprintf(&b, "Business %d,https://biz%d.example,512-555-%04d\n", i, i, i)
			distinct++
		}
	}
	return b.String(), distinct
}

func campaignFound(t *testing.T, s *store.Store, userID, campaignID string) (counter, rows int) {
	t.Helper()
	ctx := context.Background()
	err := s.Read(ctx, userID, func(tx *store.Tx) error {
		c, err := tx.Campaign(ctx, campaignID)
		if err != nil {
			return err
		}
		stats, err := tx.CampaignStats(ctx, campaignID)
		if err != nil {
			return err
		}
		for _, n := range stats.ByStatus {
			rows += n
		}
		counter = c.LeadsFound
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return counter, rows
}

func TestImportAcrossChunksIsExact(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc, q, u, s := setup(t, e)
		ctx := context.Background()
		c, err := svc.Create(ctx, u.ID, validInput(`{"sources": []}`))
		if err != nil {
			t.Fatal(err)
		}
		if res, err := svc.Import(ctx, u.ID, c.ID, strings.NewReader("company_name,website\nAlready There,https://already.example\n")); err != nil || res.Imported != 1 {
			t.Fatalf("seed import: %+v, %v", res, err)
		}
		if _, err := svc.Start(ctx, u.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		file, distinct := bigImport(3500) // four chunks
		queued := q.enrich                // start queued the seed's
		res, err := svc.Import(ctx, u.ID, c.ID, strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != distinct || res.Imported+res.Duplicates != 3500 {
			t.Errorf("import = %d imported, %d duplicates; want %d imported of 3,500 rows", res.Imported, res.Duplicates, distinct)
		}
		if counter, rows := campaignFound(t, s, u.ID, c.ID); counter != distinct+1 || rows != distinct+1 {
			t.Errorf("campaign has %d prospects, leads_found %d; want %d", rows, counter, distinct+1)
		}
		if q.enrich-queued != distinct {
			t.Errorf("the running campaign queued %d enrichments, want one per new prospect (%d)", q.enrich-queued, distinct)
		}
		// The same file again adds nothing, across every chunk.
		res, err = svc.Import(ctx, u.ID, c.ID, strings.NewReader(file))
		if err != nil || res.Imported != 0 || res.Duplicates != 3500 {
			t.Errorf("the same file again: %+v, %v; want 0 imported, 3,500 duplicates", res, err)
		}
	})
}

func TestImportFailingPartWayLeavesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc, q, u, s := setup(t, e)
		ctx := context.Background()
		c, err := svc.Create(ctx, u.ID, validInput(`{"sources": []}`))
		if err != nil {
			t.Fatal(err)
		}
		if res, err := svc.Import(ctx, u.ID, c.ID, strings.NewReader("company_name,website\nAlready There,https://already.example\n")); err != nil || res.Imported != 1 {
			t.Fatalf("seed import: %+v, %v", res, err)
		}
		if _, err := svc.Start(ctx, u.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		// Every chunk is written, then queueing the enrichment fails.
		q.enrichErr = errors.New("queue unavailable")
		file, distinct := bigImport(2500)
		if _, err := svc.Import(ctx, u.ID, c.ID, strings.NewReader(file)); err == nil {
			t.Fatal("the import succeeded though its enrichment could not be queued")
		}
		if counter, rows := campaignFound(t, s, u.ID, c.ID); counter != 1 || rows != 1 {
			t.Errorf("after the failed import the campaign has %d prospects, leads_found %d; want the 1 it had", rows, counter)
		}
		// Nothing half-applied stands in the way of trying again.
		q.enrichErr = nil
		res, err := svc.Import(ctx, u.ID, c.ID, strings.NewReader(file))
		if err != nil || res.Imported != distinct {
			t.Errorf("the import again: %+v, %v; want %d imported", res, err, distinct)
		}
	})
}

func second[T any](_ T, err error) error { return err }
