package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// BenchmarkPages times the dashboard's busiest pages, rendered whole by the
// real server over HTTP, for an account whose one big campaign holds
// PAGES_BENCH_PROSPECTS prospects (default 20,000; DESIGN's target is set at
// 1,000,000), half of them scored into tiers, beside 19 small campaigns and
// 200 drafts waiting for review. It reports p50 and p99 per page.
//
//	go test -run '^$' -bench Pages -benchtime 200x ./internal/web/
//	PAGES_BENCH_PROSPECTS=1000000 go test -run '^$' -bench Pages -benchtime 200x -timeout 2h ./internal/web/
func BenchmarkPages(b *testing.B) {
	n := 20_000
	if v := os.Getenv("PAGES_BENCH_PROSPECTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("PAGES_BENCH_PROSPECTS=%q: want a number of at least 1000", v)
		}
	}
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			srv := apptest.Start(b, e, apptest.Options{})
			c := newBenchBrowser(b, srv)
			userID := c.signUp()
			big := c.createCampaign("Everyone in Austin")
			for i := 0; i < 19; i++ {
				c.createCampaign(fmt.Sprintf("Campaign %d", i))
			}
			start := time.Now()
			seedProspects(b, srv.App.Store, userID, big, n)
			for i := 0; i < 200; i++ {
				seedDraft(b, srv, userID, big, fmt.Sprintf("Draft Company %d", i))
			}
			if err := srv.App.Store.RefreshPlannerStats(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d prospects in %s", e.Name, n, time.Since(start).Round(time.Second))

			pages := []struct{ name, path string }{
				{"dashboard", "/app"},
				{"campaigns", "/app/campaigns"},
				{"campaign", "/app/campaigns/" + big},
				{"leads", "/app/leads?campaign_id=" + big},
				{"leads_tier_a", "/app/leads?campaign_id=" + big + "&tier=A"},
				{"leads_search", "/app/leads?campaign_id=" + big + "&q=plumbing+41"},
				{"leads_best", "/app/leads?campaign_id=" + big + "&sort=score"},
				{"leads_best_tier_c", "/app/leads?campaign_id=" + big + "&tier=C&sort=score"},
				{"leads_best_all", "/app/leads?sort=score"},
				{"review_queue", "/app/emails"},
			}
			for _, p := range pages {
				b.Run(p.name, func(b *testing.B) {
					lat := make([]time.Duration, 0, b.N)
					for b.Loop() {
						t0 := time.Now()
						status := c.get(p.path)
						lat = append(lat, time.Since(t0))
						if status != http.StatusOK {
							b.Fatalf("GET %s = %d", p.path, status)
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

// benchBrowser is a signed-in browser for benchmarks: a cookie jar, forms
// posted as the same site would, redirects not followed.
type benchBrowser struct {
	tb   testing.TB
	base string
	http *http.Client
}

func newBenchBrowser(tb testing.TB, srv *apptest.Server) *benchBrowser {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &benchBrowser{tb: tb, base: srv.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *benchBrowser) get(path string) int {
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.tb.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		c.tb.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode
}

func (c *benchBrowser) post(path string, form url.Values) *http.Response {
	c.tb.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.http.Do(req)
	if err != nil {
		c.tb.Fatalf("POST %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func (c *benchBrowser) signUp() string {
	c.tb.Helper()
	if resp := c.post("/signup", url.Values{"email": {"bench@example.test"}, "password": {"correct horse battery"}}); resp.StatusCode != http.StatusSeeOther {
		c.tb.Fatalf("sign up = %d", resp.StatusCode)
	}
	resp, err := c.http.Get(c.base + "/api/auth/me")
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	id, ok := strings.CutPrefix(string(raw), `{"user":{"id":"`)
	if !ok || len(id) < 36 {
		c.tb.Fatalf("me = %d %s", resp.StatusCode, raw)
	}
	return id[:36]
}

func (c *benchBrowser) createCampaign(name string) string {
	c.tb.Helper()
	resp := c.post("/app/campaigns/new", url.Values{"name": {name}, "business_type": {"plumber"},
		"target_location": {"Austin, TX"}, "max_results": {"50"}, "tiers": {"A", "B"}})
	id, ok := strings.CutPrefix(resp.Header.Get("Location"), "/app/campaigns/")
	if resp.StatusCode != http.StatusSeeOther || !ok || !store.ValidID(id) {
		c.tb.Fatalf("create campaign = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return id
}

// seedProspects inserts n prospects into campaignID, 1,000 to a
// transaction, then scores every other one into tiers A, B and C with one
// statement per engine (the pipeline would take hours for a million).
func seedProspects(tb testing.TB, st *store.Store, userID, campaignID string, n int) {
	tb.Helper()
	ctx := context.Background()
	const batch = 1000
	for from := 0; from < n; from += batch {
		rows := make([]store.NewProspect, 0, batch)
		for i := from; i < min(from+batch, n); i++ {
			site := fmt.Sprintf("https://business%d.example", i)
			domain := fmt.Sprintf("business%d.example", i)
			city := []string{"Austin", "Round Rock", "Cedar Park", "Pflugerville"}[i%4]
			rows = append(rows, store.NewProspect{CampaignID: campaignID, CompanyName: fmt.Sprintf("Business %d Plumbing", i),
				Website: &site, Domain: &domain, City: &city, Source: "manual", SourceID: "domain:" + domain})
		}
		err := st.Write(ctx, userID, func(tx *store.Tx) error {
			_, err := tx.InsertProspects(ctx, rows)
			return err
		})
		if err != nil {
			tb.Fatalf("seed prospects: %v", err)
		}
	}
	newID := "lower(hex(randomblob(16)))"
	if st.Engine() == store.Postgres {
		newID = "gen_random_uuid()"
	}
	score := `INSERT INTO lead_scores (id, user_id, prospect_id, overall_score, tier, tier_reason, scored_at)
		SELECT ` + newID + `, user_id, id, 40 + (length(company_name) * 7) % 60,
		  CASE WHEN length(company_name) % 3 = 0 THEN 'A' WHEN length(company_name) % 3 = 1 THEN 'B' ELSE 'C' END,
		  'seeded', discovered_at
		FROM prospects WHERE campaign_id = $1 AND substr(CAST(id AS TEXT), 36, 1) IN ('0', '2', '4', '6', '8', 'a', 'c', 'e')`
	mark := `UPDATE prospects SET status = 'scored', qualified_at = discovered_at,
		tier = (SELECT s.tier FROM lead_scores s WHERE s.prospect_id = prospects.id),
		sort_score = (SELECT s.overall_score FROM lead_scores s WHERE s.prospect_id = prospects.id)
		WHERE campaign_id = $1 AND id IN (SELECT prospect_id FROM lead_scores)`
	err := st.Write(ctx, userID, func(tx *store.Tx) error {
		for _, q := range []string{score, mark} {
			if err := rawExec(ctx, tx, q, campaignID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed scores: %v", err)
	}
}

// rawExec runs one statement on the transaction's driver, for seeding
// what no store method writes in bulk.
func rawExec(ctx context.Context, tx *store.Tx, query string, args ...any) error {
	var err error
	switch raw := tx.Raw().(type) {
	case *sql.Tx:
		_, err = raw.ExecContext(ctx, strings.ReplaceAll(query, "$1", "?1"), args...)
	case pgx.Tx:
		_, err = raw.Exec(ctx, query, args...)
	default:
		err = fmt.Errorf("unknown driver transaction %T", raw)
	}
	return err
}
