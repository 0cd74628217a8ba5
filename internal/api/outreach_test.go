package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type step struct {
	Step      int    `json:"step"`
	DelayDays int    `json:"delay_days"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
}

type sequence struct {
	ID          string         `json:"id"`
	CampaignID  string         `json:"campaign_id"`
	ProspectID  string         `json:"prospect_id"`
	ContactID   string         `json:"contact_id"`
	Status      string         `json:"status"`
	Emails      []step         `json:"emails"`
	GeneratedBy string         `json:"generated_by"`
	Checks      map[string]any `json:"checks"`
	ApprovedBy  *string        `json:"approved_by"`
	ApprovedAt  *string        `json:"approved_at"`
}

type prospectView struct {
	ID          string `json:"id"`
	CompanyName string `json:"company_name"`
	Status      string `json:"status"`
	Tier        string `json:"tier"`
	Score       *struct {
		OverallScore   int            `json:"overall_score"`
		Tier           string         `json:"tier"`
		TierReason     string         `json:"tier_reason"`
		ScoringFactors map[string]any `json:"scoring_factors"`
	} `json:"score"`
	Outreach []sequence `json:"outreach"`
}

// noKeys runs the sandbox (its DNS answers for the fictional businesses'
// mail domains) with every keyed service off, Claude included.
var noKeys = map[string]string{"HUNTER_API_KEY": " ", "PAGESPEED_API_KEY": " ", "ANTHROPIC_API_KEY": " ",
	"GOOGLE_MAPS_API_KEY": " ", "YELP_API_KEY": " "}

func startNoKeys(t *testing.T, e storetest.Engine, env map[string]string) *apptest.Server {
	t.Helper()
	merged := withEnv(noKeys)
	for k, v := range env {
		merged[k] = v
	}
	return apptest.Start(t, e, apptest.Options{Env: merged, Sandbox: &sandbox.Options{}})
}

// mailDomains returns two sandbox domains that receive mail, so addresses
// on them verify as deliverable (or unknown) rather than invalid.
func mailDomains(t *testing.T, srv *apptest.Server) (string, string) {
	t.Helper()
	var out []string
	for _, b := range srv.Sandbox.Town("plumber", "Austin, TX").Businesses {
		if b.Domain != "" && b.Site != nil && b.Site.MX {
			out = append(out, b.Domain)
		}
		if len(out) == 2 {
			return out[0], out[1]
		}
	}
	t.Fatal("no sandbox domains with mail")
	return "", ""
}

// draftedCampaign imports three prospects (two with an address to write
// to), runs the pipeline to the end and returns the campaign id and the
// prospects by company name.
func draftedCampaign(t *testing.T, srv *apptest.Server, c *apptest.Client, criteria map[string]any) (string, map[string]prospectView) {
	t.Helper()
	d1, d2 := mailDomains(t, srv)
	if criteria == nil {
		criteria = map[string]any{}
	}
	criteria["sources"] = []string{}
	if _, ok := criteria["tiers_for_outreach"]; !ok {
		criteria["tiers_for_outreach"] = []string{"A", "B", "C"}
	}
	id := createCampaign(t, c, map[string]any{"name": "Review", "business_type": "plumber", "target_location": "Austin, TX",
		"target_criteria": criteria})["id"].(string)
	csv := "company_name,email,first_name,last_name,title\n" +
		"Acme Plumbing,maria@" + d1 + ",Maria,Lopez,Owner\n" +
		"Best Pipes,office@" + d2 + ",,,\n" +
		"Nobody Home,,,,\n"
	if resp, res := importCSV(t, c, id, []byte(csv)); resp.Status != 200 || res.Imported != 3 {
		t.Fatalf("import = %d %s", resp.Status, resp.Body)
	}
	if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusAccepted {
		t.Fatalf("start = %d %s", resp.Status, resp.Body)
	}
	waitStatus(t, c, id, "completed")
	var l struct {
		Data []struct {
			ID string `json:"id"`
		}
	}
	c.Get("/api/prospects?campaign_id="+id).JSON(t, &l)
	out := map[string]prospectView{}
	for _, p := range l.Data {
		var v prospectView
		c.Get("/api/prospects/"+p.ID).JSON(t, &v)
		out[v.CompanyName] = v
	}
	return id, out
}

func TestPipelineScoresAndDraftsWithoutKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, _ := srv.SignUp(t)
		id, ps := draftedCampaign(t, srv, c, nil)
		if len(ps) != 3 {
			t.Fatalf("prospects = %d, want 3", len(ps))
		}
		for name, p := range ps {
			if p.Score == nil || p.Score.TierReason == "" || p.Score.ScoringFactors["weights"] == nil || p.Tier != p.Score.Tier {
				t.Errorf("%s: score = %+v, tier %q; want a score with reason, factors and the prospect's tier", name, p.Score, p.Tier)
			}
		}
		for _, name := range []string{"Acme Plumbing", "Best Pipes"} {
			p := ps[name]
			if p.Status != "outreach_pending" || len(p.Outreach) != 1 {
				t.Fatalf("%s: status %s with %d sequences, want outreach_pending with one draft", name, p.Status, len(p.Outreach))
			}
			s := p.Outreach[0]
			if s.Status != "draft" || s.GeneratedBy != "template" || s.CampaignID != id || s.Checks == nil {
				t.Errorf("%s: sequence %+v", name, s)
			}
			if len(s.Emails) != 3 {
				t.Fatalf("%s: %d emails, want 3", name, len(s.Emails))
			}
			for i, m := range s.Emails {
				if m.Step != i+1 || m.DelayDays != []int{0, 3, 7}[i] || m.Subject == "" || m.Body == "" {
					t.Errorf("%s step %d = %+v", name, i+1, m)
				}
				if n := len(strings.Fields(m.Body)); n >= 120 {
					t.Errorf("%s step %d has %d words, want under 120", name, i+1, n)
				}
			}
		}
		if !strings.Contains(ps["Acme Plumbing"].Outreach[0].Emails[0].Body, "Maria") {
			t.Errorf("first email does not greet the owner by name: %q", ps["Acme Plumbing"].Outreach[0].Emails[0].Body)
		}
		if p := ps["Nobody Home"]; p.Status != "qualified" || len(p.Outreach) != 0 {
			t.Errorf("prospect without an address: status %s, %d sequences; want qualified and none", p.Status, len(p.Outreach))
		}
		camp := c.Get("/api/campaigns/" + id).Map(t)
		if camp["leads_qualified"] != float64(3) {
			t.Errorf("leads_qualified = %v, want 3", camp["leads_qualified"])
		}
		if st := getStats(t, c, id); st.Outreach["drafts"] != 2 {
			t.Errorf("stats outreach = %v, want 2 drafts", st.Outreach)
		}
	})
}

func TestOutreachReviewAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, me := srv.SignUp(t)
		mallory, _ := srv.SignUp(t)
		id, ps := draftedCampaign(t, srv, c, nil)
		acme := ps["Acme Plumbing"]
		seq := acme.Outreach[0]

		var list struct {
			Data []sequence `json:"data"`
		}
		c.Get("/api/outreach?campaign_id="+id+"&status=draft").JSON(t, &list)
		if len(list.Data) != 2 {
			t.Errorf("drafts of the campaign = %d, want 2", len(list.Data))
		}
		c.Get("/api/outreach?prospect_id="+acme.ID).JSON(t, &list)
		if len(list.Data) != 1 || list.Data[0].ID != seq.ID {
			t.Errorf("sequences of one prospect = %+v", list.Data)
		}
		for _, q := range []string{"status=bogus", "campaign_id=nope", "prospect_id=1", "limit=0"} {
			if resp := c.Get("/api/outreach?" + q); resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" {
				t.Errorf("list ?%s = %d %s, want 400 validation_failed", q, resp.Status, resp.Body)
			}
		}
		if resp := c.Get("/api/outreach/" + seq.ID); resp.Status != 200 {
			t.Errorf("get = %d", resp.Status)
		}

		// Edit: the new text is kept and checked.
		edited := []step{
			{Step: 1, DelayDays: 0, Subject: "Your website", Body: "Hi Maria, act now: this is a free offer for Acme Plumbing."},
			{Step: 2, DelayDays: 4, Subject: "Following up", Body: "Hi Maria, just checking in."},
		}
		resp := c.JSON("PATCH", "/api/outreach/"+seq.ID+"/edit", map[string]any{"emails": edited})
		if resp.Status != 200 {
			t.Fatalf("edit = %d %s", resp.Status, resp.Body)
		}
		var got sequence
		resp.JSON(t, &got)
		if len(got.Emails) != 2 || got.Emails[0].Body != edited[0].Body || got.Status != "draft" {
			t.Errorf("edited = %+v", got)
		}
		if spam, _ := got.Checks["spam_words"].([]any); len(spam) == 0 || got.Checks["passed"] != false {
			t.Errorf("checks after adding spam words = %v, want them found and passed false", got.Checks)
		}

		// Bad edits.
		for name, body := range map[string]string{
			"malformed":     `{"emails": [`,
			"unknown field": `{"emails": [{"step":1,"delay_days":0,"subject":"a","body":"b"}], "status": "approved"}`,
			"wrong type":    `{"emails": "hello"}`,
			"no emails":     `{"emails": []}`,
			"missing":       `{}`,
			"empty subject": `{"emails": [{"step":1,"delay_days":0,"subject":"","body":"b"}]}`,
			"bad order":     `{"emails": [{"step":2,"delay_days":0,"subject":"a","body":"b"}]}`,
		} {
			resp := c.Do("PATCH", "/api/outreach/"+seq.ID+"/edit", "application/json", strings.NewReader(body))
			if resp.Status != 400 {
				t.Errorf("edit with %s = %d %s, want 400", name, resp.Status, resp.Body)
			}
		}
		big := bytes.Repeat([]byte("a"), 2<<20)
		huge := `{"emails":[{"step":1,"delay_days":0,"subject":"a","body":"` + string(big) + `"}]}`
		if resp := c.Do("PATCH", "/api/outreach/"+seq.ID+"/edit", "application/json", strings.NewReader(huge)); resp.Status != 413 {
			t.Errorf("oversize edit = %d, want 413", resp.Status)
		}

		// Another user sees nothing and changes nothing.
		for _, r := range []struct{ method, path string }{
			{"GET", "/api/outreach/" + seq.ID}, {"PATCH", "/api/outreach/" + seq.ID + "/edit"},
			{"POST", "/api/outreach/" + seq.ID + "/approve"}, {"GET", "/api/outreach/not-an-id"},
		} {
			var body any
			if r.method == "PATCH" {
				body = map[string]any{"emails": edited}
			}
			if resp := mallory.JSON(r.method, r.path, body); resp.Status != 404 || resp.ErrorCode(t) != "not_found" {
				t.Errorf("mallory %s %s = %d %s, want 404", r.method, r.path, resp.Status, resp.Body)
			}
		}
		mallory.Get("/api/outreach").JSON(t, &list)
		if len(list.Data) != 0 {
			t.Errorf("mallory lists %d sequences", len(list.Data))
		}
		if resp := mallory.JSON("POST", "/api/outreach/generate", map[string]any{"prospect_id": acme.ID}); resp.Status != 404 {
			t.Errorf("mallory generate = %d, want 404", resp.Status)
		}
		anon := srv.Client(t)
		if resp := anon.Get("/api/outreach"); resp.Status != 401 {
			t.Errorf("no auth = %d, want 401", resp.Status)
		}

		// Approve, then the sequence is frozen.
		resp = c.JSON("POST", "/api/outreach/"+seq.ID+"/approve", nil)
		resp.JSON(t, &got)
		if resp.Status != 200 || got.Status != "approved" || got.ApprovedBy == nil || *got.ApprovedBy != me.ID || got.ApprovedAt == nil {
			t.Fatalf("approve = %d %s", resp.Status, resp.Body)
		}
		if resp := c.JSON("PATCH", "/api/outreach/"+seq.ID+"/edit", map[string]any{"emails": edited}); resp.Status != 409 || resp.ErrorCode(t) != "conflict" {
			t.Errorf("edit after approval = %d %s, want 409 conflict", resp.Status, resp.Body)
		}
		if resp := c.JSON("POST", "/api/outreach/"+seq.ID+"/approve", nil); resp.Status != 200 {
			t.Errorf("approving again = %d, want 200", resp.Status)
		}

		// Generate: bad input, nobody to write to, and an approved sequence stays.
		for name, body := range map[string]string{
			"malformed": `{`, "unknown field": `{"prospect_id":"` + acme.ID + `","x":1}`, "wrong type": `{"prospect_id": 5}`,
			"missing": `{}`, "not an id": `{"prospect_id":"abc"}`,
		} {
			if resp := c.Do("POST", "/api/outreach/generate", "application/json", strings.NewReader(body)); resp.Status != 400 {
				t.Errorf("generate with %s = %d %s, want 400", name, resp.Status, resp.Body)
			}
		}
		if resp := c.JSON("POST", "/api/outreach/generate", map[string]any{"prospect_id": ps["Nobody Home"].ID}); resp.Status != 409 {
			t.Errorf("generate without a contact = %d %s, want 409", resp.Status, resp.Body)
		}
		if resp := c.JSON("POST", "/api/outreach/generate", map[string]any{"prospect_id": acme.ID}); resp.Status != 409 || resp.ErrorCode(t) != "conflict" {
			t.Fatalf("regenerating an approved sequence = %d %s, want 409 conflict", resp.Status, resp.Body)
		}
		// Regenerating the other prospect replaces its draft in place.
		best := ps["Best Pipes"]
		if resp := c.JSON("POST", "/api/outreach/generate", map[string]any{"prospect_id": best.ID}); resp.Status != 202 {
			t.Fatalf("generate = %d %s", resp.Status, resp.Body)
		}
		srv.WaitJobsIdle(t)
		c.Get("/api/outreach?prospect_id="+acme.ID).JSON(t, &list)
		if len(list.Data) != 1 || list.Data[0].Status != "approved" || len(list.Data[0].Emails) != 2 {
			t.Errorf("after asking to regenerate an approved prospect: %+v, want the one approved, edited sequence", list.Data)
		}
		c.Get("/api/outreach?prospect_id="+best.ID).JSON(t, &list)
		if len(list.Data) != 1 || list.Data[0].ID != best.Outreach[0].ID || list.Data[0].Status != "draft" {
			t.Errorf("after regenerating a draft: %+v, want the same single draft", list.Data)
		}
	})
}

func TestScoreEndpoints(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		const token = "internal-token-0123456789-0123456789"
		srv := startNoKeys(t, e, map[string]string{"INTERNAL_API_TOKEN": token})
		c, mallory := twoUsers(t, srv)
		pid := firstProspect(t, c, seedProspects(t, c, 1))
		if resp := c.JSON("POST", "/api/prospects/"+pid+"/score", nil); resp.Status != 202 {
			t.Fatalf("score = %d %s", resp.Status, resp.Body)
		}
		srv.WaitJobsIdle(t)
		var v prospectView
		c.Get("/api/prospects/"+pid).JSON(t, &v)
		if v.Score == nil || v.Score.Tier == "" || v.Tier == "" {
			t.Errorf("after scoring: %+v", v)
		}
		for _, path := range []string{"/api/prospects/" + pid + "/score", "/api/prospects/nope/score"} {
			if resp := mallory.JSON("POST", path, nil); resp.Status != 404 {
				t.Errorf("mallory POST %s = %d, want 404", path, resp.Status)
			}
		}
		svc := srv.Client(t)
		svc.Token = token
		if resp := svc.JSON("POST", "/api/internal/jobs/score", map[string]any{"prospect_id": pid}); resp.Status != 202 {
			t.Errorf("internal score = %d %s", resp.Status, resp.Body)
		}
		for name, body := range map[string]string{"missing": `{}`, "malformed": `{`, "unknown": `{"prospect_id":"` + pid + `","x":1}`} {
			if resp := svc.Do("POST", "/api/internal/jobs/score", "application/json", strings.NewReader(body)); resp.Status != 400 {
				t.Errorf("internal score %s = %d, want 400", name, resp.Status)
			}
		}
		if resp := svc.JSON("POST", "/api/internal/jobs/score", map[string]any{"prospect_id": "0195e2a0-0000-7000-8000-000000000000"}); resp.Status != 404 {
			t.Errorf("internal score of an unknown prospect = %d, want 404", resp.Status)
		}
		c.Token = "wrong"
		if resp := srv.Client(t).JSON("POST", "/api/internal/jobs/score", map[string]any{"prospect_id": pid}); resp.Status != 401 {
			t.Errorf("internal score without the token = %d, want 401", resp.Status)
		}
	})
}

func TestCampaignScoringAndSequenceSettings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, _ := srv.SignUp(t)
		for name, criteria := range map[string]map[string]any{
			"unknown weight":     {"score_weights": map[string]any{"website": 1}},
			"negative weight":    {"score_weights": map[string]any{"website_opportunity": -1}},
			"weights not object": {"score_weights": 3},
			"thresholds order":   {"tier_thresholds": map[string]any{"a": 40, "b": 60}},
			"thresholds range":   {"tier_thresholds": map[string]any{"a": 140, "b": 60}},
			"delays start":       {"sequence_delays": []int{1, 3}},
			"delays order":       {"sequence_delays": []int{0, 5, 3}},
			"delays too many":    {"sequence_delays": []int{0, 1, 2, 3, 4, 5}},
			"delays type":        {"sequence_delays": "0,3,7"},
		} {
			key := ""
			for k := range criteria {
				key = k
			}
			resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": "x", "business_type": "plumber",
				"target_location": "Austin, TX", "target_criteria": criteria})
			var body struct {
				Error struct {
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			resp.JSON(t, &body)
			if resp.Status != 400 || body.Error.Fields["target_criteria."+key] == "" {
				t.Errorf("%s: %d %s, want 400 naming target_criteria.%s", name, resp.Status, resp.Body, key)
			}
		}
		// Valid settings apply: two steps on days 0 and 2; with every
		// weight on contact quality, a named owner's verified address
		// outranks a role address.
		_, ps := draftedCampaign(t, srv, c, map[string]any{"sequence_delays": []int{0, 2},
			"score_weights": map[string]any{"contact_quality": 1}, "tier_thresholds": map[string]any{"a": 90, "b": 20}})
		seq := ps["Acme Plumbing"].Outreach
		if len(seq) != 1 || len(seq[0].Emails) != 2 || seq[0].Emails[1].DelayDays != 2 {
			t.Fatalf("sequence with custom delays = %+v", seq)
		}
		if a, b := ps["Acme Plumbing"].Score, ps["Best Pipes"].Score; a == nil || b == nil || a.OverallScore <= b.OverallScore {
			t.Errorf("owner score %v vs role address %v: want the owner higher", a, b)
		}
	})
}
