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
					c, _ := srv.SignUp(b)
					resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": "demo", "business_type": "plumber",
						"target_location": "Austin, TX", "target_criteria": map[string]any{"max_results": 200}})
					var camp struct{ ID string }
					resp.JSON(b, &camp)
					start := time.Now()
					c.JSON("POST", "/api/campaigns/"+camp.ID+"/start", nil)
					var st stats
					for {
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
					tokens, cost := anthropicUsage(b, srv)
					b.ReportMetric(float64(tokens)/n, "tokens/prospect")
					b.ReportMetric(cost/n*1000, "usd_per_1k_prospects")
					b.Logf("%s claude=%s: %d prospects in %s, status %s, by_tier %v, by_status %v, drafts %d",
						e.Name, claude, st.LeadsFound, elapsed.Round(time.Millisecond), st.Status, st.ByTier, st.ByStatus, st.Outreach["drafts"])
					b.Logf("score histogram (overall_score, 10-point buckets):\n%s", scoreHistogram(b, srv))
					srv.Stop()
				}
			})
		}
	}
}

// anthropicUsage sums the api_usage rows of Claude calls: tokens (recorded
// as credits_used) and the estimated cost.
func anthropicUsage(b *testing.B, srv *apptest.Server) (int, float64) {
	b.Helper()
	const q = `SELECT coalesce(sum(credits_used), 0), coalesce(sum(cost_estimate), 0) FROM api_usage WHERE service = 'anthropic'`
	var tokens int
	var cost float64
	var err error
	if srv.Engine == store.Postgres {
		err = srv.App.Store.PGPool().QueryRow(context.Background(), q).Scan(&tokens, &cost)
	} else {
		err = srv.App.Store.SQLiteWriter().QueryRowContext(context.Background(), q).Scan(&tokens, &cost)
	}
	if err != nil {
		b.Fatal(err)
	}
	return tokens, cost
}

func scoreHistogram(b *testing.B, srv *apptest.Server) string {
	b.Helper()
	const q = `SELECT (overall_score / 10) * 10 AS bucket, tier, count(*) FROM lead_scores GROUP BY 1, 2`
	type key struct {
		bucket int
		tier   string
	}
	counts := map[key]int{}
	scan := func(bucket int, tier string, n int) { counts[key{bucket, tier}] = n }
	ctx := context.Background()
	if srv.Engine == store.Postgres {
		rows, err := srv.App.Store.PGPool().Query(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var bucket, n int
			var tier string
			if err := rows.Scan(&bucket, &tier, &n); err != nil {
				b.Fatal(err)
			}
			scan(bucket, tier, n)
		}
		rows.Close()
	} else {
		rows, err := srv.App.Store.SQLiteWriter().QueryContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var bucket, n int
			var tier string
			if err := rows.Scan(&bucket, &tier, &n); err != nil {
				b.Fatal(err)
			}
			scan(bucket, tier, n)
		}
		rows.Close()
	}
	buckets := map[int]map[string]int{}
	for k, n := range counts {
		if buckets[k.bucket] == nil {
			buckets[k.bucket] = map[string]int{}
		}
		buckets[k.bucket][k.tier] += n
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
