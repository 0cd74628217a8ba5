package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type claudeView struct {
	prospectView
	Website    *string `json:"website"`
	Enrichment *struct {
		CompanySummary *string         `json:"company_summary"`
		PainPoints     []string        `json:"pain_points"`
		Research       json.RawMessage `json:"research"`
		Analysis       json.RawMessage `json:"website_analysis"`
	} `json:"enrichment"`
}

// sandboxCampaign runs a 15-prospect sandbox campaign (websites, no Hunter
// or PageSpeed) to the end and returns its prospects' details.
func sandboxCampaign(t *testing.T, env map[string]string) (*apptest.Server, string, []claudeView) {
	t.Helper()
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{Sandbox: &sandbox.Options{}, Env: withEnv(discoveryOnly, flatten(env)...)})
	c, u := srv.SignUp(t)
	id := startCampaign(t, c, map[string]any{"max_results": 15, "sources": []string{"google_maps"}, "tiers_for_outreach": []string{"A", "B", "C"}})
	waitStatus(t, c, id, "completed")
	var l struct {
		Data []struct {
			ID string `json:"id"`
		}
	}
	c.Get("/api/prospects?campaign_id="+id+"&limit=200").JSON(t, &l)
	var out []claudeView
	for _, p := range l.Data {
		var v claudeView
		c.Get("/api/prospects/"+p.ID).JSON(t, &v)
		out = append(out, v)
	}
	return srv, u.ID, out
}

func flatten(m map[string]string) []string {
	var kv []string
	for k, v := range m {
		kv = append(kv, k, v)
	}
	return kv
}

func TestPipelineWithClaude(t *testing.T) {
	srv, userID, ps := sandboxCampaign(t, nil)
	researched, drafted, adjusted := 0, 0, 0
	for _, p := range ps {
		if e := p.Enrichment; e != nil && e.CompanySummary != nil && *e.CompanySummary != "" {
			researched++
			var meta struct {
				Model         string `json:"model"`
				PromptVersion string `json:"prompt_version"`
			}
			if err := json.Unmarshal(e.Research, &meta); err != nil || meta.Model != "claude-haiku-4-5" || !strings.HasPrefix(meta.PromptVersion, "research@") {
				t.Errorf("%s: research provenance %s, want the analyst model and prompt version", p.CompanyName, e.Research)
			}
		}
		if p.Score != nil && p.Score.ScoringFactors["adjustment"] != nil {
			adjusted++
			adj, _ := p.Score.ScoringFactors["adjustment"].(map[string]any)
			if d, _ := adj["applied"].(float64); d < -10 || d > 10 || adj["model"] != "claude-haiku-4-5" || adj["reason"] == "" {
				t.Errorf("%s: adjustment %v, want at most ±10 with the analyst model and a reason", p.CompanyName, adj)
			}
		}
		for _, s := range p.Outreach {
			drafted++
			if s.GeneratedBy != "claude-sonnet-4-6" || len(s.Emails) != 3 {
				t.Errorf("%s: draft by %q with %d emails, want 3 by the writer model", p.CompanyName, s.GeneratedBy, len(s.Emails))
			}
			for _, m := range s.Emails {
				if n := len(strings.Fields(m.Body)); n >= 120 {
					t.Errorf("%s: email of %d words", p.CompanyName, n)
				}
				if link := foreignLink(m.Body, p.Website); link != "" {
					t.Errorf("%s: email links to %q, which is not the business's own site", p.CompanyName, link)
				}
			}
		}
	}
	if researched == 0 || drafted == 0 || adjusted == 0 {
		t.Fatalf("of %d prospects: %d researched, %d scores adjusted, %d drafts; want some of each", len(ps), researched, adjusted, drafted)
	}
	// Every Claude call is an api_usage row of the user's.
	var usage map[string]int
	if err := srv.App.Store.Read(context.Background(), userID, func(tx *store.Tx) (err error) {
		usage, err = tx.UsageByService(context.Background())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if want := researched + adjusted + drafted; usage["anthropic"] < want {
		t.Errorf("anthropic usage rows = %d, want at least %d (one per research, adjustment and draft)", usage["anthropic"], want)
	}
}

// When Claude refuses every call (here a key it does not accept), the
// pipeline still finishes: no research, formula scores, template drafts.
func TestPipelineSurvivesClaudeOutage(t *testing.T) {
	_, _, ps := sandboxCampaign(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-revoked"})
	drafted := 0
	for _, p := range ps {
		if e := p.Enrichment; e == nil || e.CompanySummary != nil {
			t.Errorf("%s: enrichment %+v, want enriched without research", p.CompanyName, e)
		} else if !strings.Contains(string(e.Analysis), "research") {
			t.Errorf("%s: website_analysis does not say research failed: %s", p.CompanyName, e.Analysis)
		}
		if p.Score == nil || p.Score.ScoringFactors["adjustment"] != nil {
			t.Errorf("%s: score %+v, want the formula's alone", p.CompanyName, p.Score)
		}
		for _, s := range p.Outreach {
			drafted++
			if s.GeneratedBy != "template" {
				t.Errorf("%s: draft by %q during an outage, want template", p.CompanyName, s.GeneratedBy)
			}
		}
	}
	if drafted == 0 {
		t.Fatal("no drafts during the outage")
	}
}

// foreignLink returns the first link in text that is not on the business's
// own website (the only link a draft may carry: it is in the inputs).
func foreignLink(text string, website *string) string {
	host := ""
	if website != nil {
		host = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(*website, "https://"), "http://"), "www.")
		host = strings.TrimSuffix(host, "/")
	}
	for _, w := range strings.Fields(text) {
		if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") {
			if host == "" || !strings.Contains(w, host) {
				return w
			}
		}
	}
	return ""
}
