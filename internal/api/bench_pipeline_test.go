package api_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// BenchmarkDemoCampaign runs the demo's campaign (plumbers in Austin, 200
// prospects, every sandbox service) from start to drafts, and reports the
// time per prospect, Claude's tokens per prospect, and (with -v) the tier
// distribution and score histogram. "claude=off" is the same run without
// an Anthropic key: the difference is what research, the score nudge and
// drafting cost. Run with -benchtime=1x.
func BenchmarkDemoCampaign(b *testing.B) {
	for _, e := range storetest.Engines() {
		for _, claude := range []string{"on", "off"} {
			b.Run(fmt.Sprintf("%s/claude=%s", e.Name, claude), func(b *testing.B) {
				env := map[string]string{}
				if claude == "off" {
					env["ANTHROPIC_API_KEY"] = " "
				}
				for i := 0; i < b.N; i++ {
					srv := apptest.Start(b, e, apptest.Options{Sandbox: &sandbox.Options{}, Env: env})
					c, u := srv.SignUp(b)
					resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": "demo", "business_type": "plumber",
						"target_location": "Austin, TX", "target_criteria": map[string]any{"max_results": 200}})
					var camp struct{ ID string }
					resp.JSON(b, &camp)
					start := time.Now()
					c.JSON("POST", "/api/campaigns/"+camp.ID+"/start", nil)
					var st stats
					for {
						st = stats{} // decoding into old maps would keep stale keys
						c.Get("/api/campaigns/"+camp.ID+"/stats").JSON(b, &st)
						if st.Status != "running" {
							break
						}
						time.Sleep(100 * time.Millisecond)
					}
					elapsed := time.Since(start)
					n := float64(st.LeadsFound)
					b.ReportMetric(elapsed.Seconds()*1000/n, "ms/prospect")
					b.ReportMetric(n, "prospects")
					b.ReportMetric(float64(st.Outreach["drafts"]), "drafts")
					tokens, cost := anthropicUsage(b, srv, u.ID)
					b.ReportMetric(float64(tokens)/n, "tokens/prospect")
					b.ReportMetric(cost/n*1000, "usd_per_1k_prospects")
					b.Logf("%s claude=%s: %d prospects in %s, status %s, by_tier %v, by_status %v, drafts %d",
						e.Name, claude, st.LeadsFound, elapsed.Round(time.Millisecond), st.Status, st.ByTier, st.ByStatus, st.Outreach["drafts"])
					b.Logf("score histogram (overall_score, 10-point buckets):\n%s", scoreHistogram(b, c, camp.ID))
					srv.Stop()
				}
			})
		}
	}
}

// anthropicUsage sums the user's api_usage rows of Claude calls: tokens
// (recorded as credits_used) and the estimated cost.
func anthropicUsage(b *testing.B, srv *apptest.Server, userID string) (int, float64) {
	b.Helper()
	var tokens int
	var cost float64
	err := srv.App.Store.Read(context.Background(), userID, func(tx *store.Tx) (err error) {
		_, tokens, cost, err = tx.UsageTotals(context.Background(), "anthropic")
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return tokens, cost
}

// scoreHistogram reads every prospect's score through the API and draws
// 10-point buckets with their tiers.
func scoreHistogram(b *testing.B, c *apptest.Client, campaignID string) string {
	b.Helper()
	buckets := map[int]map[string]int{}
	cursor := ""
	for {
		var l struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			NextCursor string `json:"next_cursor"`
		}
		c.Get("/api/prospects?limit=200&campaign_id="+campaignID+"&cursor="+cursor).JSON(b, &l)
		for _, p := range l.Data {
			var v prospectView
			c.Get("/api/prospects/"+p.ID).JSON(b, &v)
			if v.Score == nil {
				continue
			}
			bkt := v.Score.OverallScore / 10 * 10
			if buckets[bkt] == nil {
				buckets[bkt] = map[string]int{}
			}
			buckets[bkt][v.Score.Tier]++
		}
		if l.NextCursor == "" {
			break
		}
		cursor = l.NextCursor
	}
	var order []int
	for bkt := range buckets {
		order = append(order, bkt)
	}
	sort.Ints(order)
	var out strings.Builder
	for _, bkt := range order {
		total := 0
		for _, n := range buckets[bkt] {
			total += n
		}
		fmt.Fprintf(&out, "  %3d-%3d %4d %s %v\n", bkt, bkt+9, total, strings.Repeat("#", total/2), buckets[bkt])
	}
	return out.String()
}

// BenchmarkPipeline10k is DESIGN.md's pipeline target: 10,000 prospects
// through the sandbox at zero latency, from campaign start to drafts (50
// campaigns: 10 trades × 5 cities, 200 prospects each; every discovery
// source, website analysis, research, scoring and drafting with the
// sandbox's Claude). Hunter and PageSpeed are off: their clients keep the
// real services' documented rate limits (Hunter's verifier 4.5/s alone is
// 37 minutes for 10,000). Reports the wall time to the last campaign's
// completion. Run with -benchtime=1x.
func BenchmarkPipeline10k(b *testing.B) {
	trades := []string{"plumber", "electrician", "dentist", "roofer", "salon", "lawyer", "accountant", "florist", "bakery", "locksmith"}
	cities := []string{"Austin, TX", "Denver, CO", "Tulsa, OK", "Boise, ID", "Akron, OH"}
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				srv := apptest.Start(b, e, apptest.Options{Sandbox: &sandbox.Options{}, Env: discoveryOnly})
				c, _ := srv.SignUp(b)
				setCreditsB(b, srv, c, 20000)
				var ids []string
				for _, city := range cities {
					for _, kind := range trades {
						resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": kind + " " + city, "business_type": kind,
							"target_location": city, "target_criteria": map[string]any{"max_results": 200}})
						var v struct{ ID string }
						resp.JSON(b, &v)
						ids = append(ids, v.ID)
					}
				}
				start := time.Now()
				for _, id := range ids {
					c.JSON("POST", "/api/campaigns/"+id+"/start", nil)
				}
				prospects, drafts := 0, 0
				for _, id := range ids {
					for {
						st := stats{}
						c.Get("/api/campaigns/"+id+"/stats").JSON(b, &st)
						if st.Status != "running" {
							prospects += st.LeadsFound
							drafts += st.Outreach["drafts"]
							break
						}
						time.Sleep(200 * time.Millisecond)
					}
				}
				elapsed := time.Since(start)
				b.ReportMetric(elapsed.Seconds(), "wall_s")
				b.ReportMetric(float64(prospects), "prospects")
				b.ReportMetric(float64(drafts), "drafts")
				b.ReportMetric(float64(prospects)/elapsed.Minutes(), "prospects/min")
				b.ReportMetric(peakRSSMiB(), "peak_rss_MiB")
				srv.Stop()
			}
		})
	}
}
