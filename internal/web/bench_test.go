package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// leadsFile is a CSV of n distinct businesses, numbered from offset.
func leadsFile(n, offset int) string {
	var b strings.Builder
	b.WriteString("company_name,website,phone,city,state,email,first_name\n")
	for i := offset; i < offset+n; i++ {
		fmt.Fprintf(&b, "Business %d Plumbing,https://business%d.example/,(512) %03d-%04d,Austin,TX,owner@business%d.example,Pat\n",
			i, i, 200+i/10000, i%10000, i)
	}
	return b.String()
}

// BenchmarkDashboardPages reports the server time, p50 and p99, of the
// pages DESIGN bounds (campaign list, a 50-row lead table, the review
// queue) for one user with BENCH_PROSPECTS prospects (default 100,000;
// DESIGN's bound is for 1,000,000) in one campaign beside 20 others, with
// 50 drafts to review:
//
//	go test -run '^$' -bench DashboardPages -benchtime 200x ./internal/web/
//	BENCH_PROSPECTS=1000000 go test -run '^$' -bench DashboardPages -benchtime 200x -timeout 60m ./internal/web/
//
// With TEST_DATABASE_URL set it runs on PostgreSQL too.
func BenchmarkDashboardPages(b *testing.B) {
	n := 100_000
	if v := os.Getenv("BENCH_PROSPECTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("BENCH_PROSPECTS=%q", v)
		}
	}
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			srv := apptest.Start(b, e, apptest.Options{})
			br := newBrowser(b, srv)
			userID := br.signUp("bench@example.test")
			var big string
			for i := 0; i < 21; i++ {
				big = br.createCampaign(url.Values{"name": {fmt.Sprintf("Campaign %d", i)}, "sources": {}})
			}
			for done := 0; done < n; done += 50_000 {
				part := min(50_000, n-done)
				a := br.upload("/app/campaigns/"+big+"/import", "file", "leads.csv", leadsFile(part, done))
				if a.status != http.StatusOK || !strings.Contains(a.body, "Imported") {
					b.Fatalf("seed import = %d", a.status)
				}
			}
			for i := 0; i < 50; i++ {
				seedDraft(b, srv, userID, big, fmt.Sprintf("Draft Co %d", i))
			}
			for _, p := range []struct{ name, path string }{
				{"campaigns", "/app/campaigns"},
				{"leads50", "/app/leads?campaign_id=" + big},
				{"review", "/app/emails"},
			} {
				b.Run(p.name, func(b *testing.B) {
					lat := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						start := time.Now()
						a := br.get(p.path)
						lat = append(lat, time.Since(start))
						if a.status != http.StatusOK {
							b.Fatalf("%s = %d", p.path, a.status)
						}
					}
					slices.Sort(lat)
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
					b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
				})
			}
		})
	}
}
