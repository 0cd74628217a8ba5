// Command prospectlist seeds one campaign with many prospects and reports the
// latency of the prospect list (store.ListProspects, the query behind
// GET /api/prospects) per kind of search, with the query plans, on SQLite or
// PostgreSQL. It is the store-level companion of BenchmarkProspectList in
// internal/api: the same data, no HTTP, and plans to look at.
//
//	make bench-tools && bin/prospectlist -db sqlite:/tmp/pl.db   (or go run ./bench/prospectlist …)
//	go run ./bench/prospectlist -db 'postgres://prospector:prospector@127.0.0.1:5432/prospector_test?sslmode=disable'
//
// On PostgreSQL it creates a scratch database next to the one named (the
// role needs CREATEDB) and drops it afterwards unless -keep is given.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
)

func main() {
	dbURL := flag.String("db", "", "sqlite:PATH or postgres://… (required)")
	n := flag.Int("n", 100_000, "prospects to seed in one campaign")
	runs := flag.Int("runs", 100, "timed runs per query kind")
	analyze := flag.Bool("analyze", false, "PostgreSQL: ANALYZE after seeding (the API benchmark does not)")
	explain := flag.Bool("explain", true, "print each query's plan")
	keep := flag.Bool("keep", false, "PostgreSQL: keep the scratch database")
	conns := flag.Int("conns", 0, "connection pool size (0: the store's default)")
	flag.Parse()
	if *dbURL == "" {
		flag.Usage()
		os.Exit(2)
	}
	ctx := context.Background()
	target := *dbURL
	if !strings.HasPrefix(target, "sqlite:") {
		scratch, drop, err := scratchDatabase(ctx, target)
		if err != nil {
			log.Fatal(err)
		}
		if !*keep {
			defer drop()
		}
		target = scratch
	}
	s, err := store.Open(ctx, target, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	userID, campaignID, err := seed(ctx, s, *n)
	if err != nil {
		log.Fatal(err)
	}
	if *analyze && s.Engine() == store.Postgres {
		if _, err := s.PGPool().Exec(ctx, "ANALYZE"); err != nil {
			log.Fatal(err)
		}
	}

	if *conns > 0 {
		// Migrate holds one connection for its lock while it writes with
		// another: time the reads on a second store of the size asked for.
		s2, err := store.Open(ctx, target, store.Options{MaxConns: *conns})
		if err != nil {
			log.Fatal(err)
		}
		defer s2.Close()
		s = s2
	}

	kinds := []struct{ name, q, status, tier string }{
		{name: "rare", q: "business 4242"},
		{name: "common", q: "cedar"},
		{name: "none", q: "zzz-no-match"},
		{name: "nofilt"},
		{name: "short", q: "ce"},
		{name: "short0", q: "zq"},
		{name: "old", q: "heritage"},
		{name: "status", status: "disqualified"},
		{name: "status0", status: "enriching"},
		{name: "tier", tier: "warm"},
		{name: "tier0", tier: "hot"},
	}
	for _, k := range kinds {
		f := store.ProspectFilter{CampaignID: campaignID, Query: k.q, Status: k.status, Tier: k.tier}
		lat := make([]time.Duration, 0, *runs)
		var got int
		for range *runs {
			start := time.Now()
			err := s.Read(ctx, userID, func(tx *store.Tx) error {
				list, _, err := tx.ListProspects(ctx, f, store.Page{Limit: 50})
				got = len(list)
				return err
			})
			lat = append(lat, time.Since(start))
			if err != nil {
				log.Fatalf("%s: %v", k.name, err)
			}
		}
		slices.Sort(lat)
		fmt.Printf("%-8s q=%-15q status=%-12s tier=%-4s rows=%-3d p50=%7.2fms p99=%7.2fms\n", k.name, k.q, k.status, k.tier, got,
			ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]))
		if s.Engine() == store.Postgres && *conns == 1 {
			var generic, custom int64
			err := s.PGPool().QueryRow(ctx, `SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)
				FROM pg_prepared_statements WHERE statement LIKE '%FROM prospects p WHERE%'`).Scan(&generic, &custom)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("    list statements so far: %d generic plans, %d custom plans\n", generic, custom)
		}
		if *explain {
			plan, err := explainList(ctx, s, userID, f)
			if err != nil {
				log.Fatalf("explain %s: %v", k.name, err)
			}
			fmt.Println(indent(plan))
		}
	}
	if err := timeStats(ctx, s, userID, campaignID, *runs); err != nil {
		log.Fatal(err)
	}
}

// errRollback undoes a timed write.
var errRollback = errors.New("rollback")

// timeStats reports the latency of the campaign's stats (GET
// /api/campaigns/{id}/stats) and of CompleteCampaignIfDone on the campaign
// with its discovery finished and nothing left waiting (rolled back each time).
func timeStats(ctx context.Context, s *store.Store, userID, campaignID string, runs int) error {
	lat := make([]time.Duration, 0, runs)
	for range runs {
		start := time.Now()
		err := s.Read(ctx, userID, func(tx *store.Tx) error {
			_, err := tx.CampaignStats(ctx, campaignID)
			return err
		})
		lat = append(lat, time.Since(start))
		if err != nil {
			return fmt.Errorf("stats: %w", err)
		}
	}
	slices.Sort(lat)
	fmt.Printf("%-8s p50=%7.2fms p99=%7.2fms\n", "stats", ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]))
	if err := exec(ctx, s, userID, `UPDATE campaigns SET status = 'running', discovery_finished_at = updated_at WHERE id = $1`, campaignID); err != nil {
		return err
	}
	lat = lat[:0]
	rules := store.CompletionRules{OutreachTiers: []string{"hot", "warm"}, Reachable: store.ContactRule{RequireEmail: true}}
	for range runs {
		var done bool
		start := time.Now()
		err := s.Write(ctx, userID, func(tx *store.Tx) error {
			var err error
			if done, err = tx.CompleteCampaignIfDone(ctx, campaignID, rules); err != nil {
				return err
			}
			return errRollback
		})
		lat = append(lat, time.Since(start))
		if !errors.Is(err, errRollback) || !done {
			return fmt.Errorf("complete: done %v, %w", done, err)
		}
	}
	slices.Sort(lat)
	fmt.Printf("%-8s p50=%7.2fms p99=%7.2fms\n", "complete", ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]))
	return nil
}

// exec runs one statement as the tenant, with $1… placeholders.
func exec(ctx context.Context, s *store.Store, userID, query string, args ...any) error {
	if s.Engine() == store.SQLite {
		_, err := s.SQLiteWriter().ExecContext(ctx, sqlitePlaceholders(query), args...)
		return err
	}
	tx, err := s.PGPool().Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", userID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, query, args...); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// seed creates a user, a campaign and n prospects shaped like the API
// benchmark's CSV import: "Business N Plumbing LLC", its website, and one of
// five cities. The oldest tenth are "Heritage Business N …" (a term with many
// matches, all old). Then each prospect is scored: one in a hundred
// qualified warm (none with a contact), six in ten disqualified cold, the
// rest qualified cold; no prospect is enriching or hot.
func seed(ctx context.Context, s *store.Store, n int) (userID, campaignID string, err error) {
	userID = store.NewID()
	start := time.Now()
	err = s.Write(ctx, userID, func(tx *store.Tx) error {
		if _, err := tx.CreateUser(ctx, store.CreateUserParams{ID: userID, Email: userID + "@example.test",
			PasswordHash: "x", Plan: "starter", LeadCredits: 500}); err != nil {
			return err
		}
		c, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "bench", BusinessType: "plumber",
			TargetLocation: "Austin, TX", TargetCriteria: json.RawMessage(`{}`)})
		if err != nil {
			return err
		}
		campaignID = c.ID
		cities := []string{"Austin", "Round Rock", "Cedar Park", "Pflugerville", "Georgetown"}
		batch := make([]store.NewProspect, 0, 500)
		for i := range n {
			website := fmt.Sprintf("https://www.business%d.example/", i)
			name := fmt.Sprintf("Business %d Plumbing LLC", i)
			if i < n/10 {
				name = "Heritage " + name
			}
			batch = append(batch, store.NewProspect{CampaignID: c.ID, CompanyName: name,
				Website: &website, City: &cities[i%len(cities)], Source: "manual", SourceID: fmt.Sprintf("name:%d", i)})
			if len(batch) == cap(batch) || i == n-1 {
				if _, err := tx.InsertProspects(ctx, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	// The status and tier by the prospect's number, which its source_id holds.
	num := "CAST(substr(source_id, 6) AS INTEGER)"
	if s.Engine() == store.Postgres {
		num = "substr(source_id, 6)::int"
	}
	err = exec(ctx, s, userID, `UPDATE prospects SET
		status = CASE WHEN `+num+` % 100 = 0 THEN 'qualified' WHEN `+num+` % 10 < 6 THEN 'disqualified' ELSE 'qualified' END,
		tier = CASE WHEN `+num+` % 100 = 0 THEN 'warm' ELSE 'cold' END
		WHERE campaign_id = $1`, campaignID)
	fmt.Printf("seeded %d prospects in %v\n", n, time.Since(start).Round(time.Millisecond))
	return userID, campaignID, err
}

// explainList prints the plans of the queries behind a list for f: the
// search candidates, when the term is one the trigram index can narrow, and
// the list itself. The SQL mirrors prospectWhere and searchCandidates in
// internal/store/prospects.go, and ListProspects; keep them in step.
func explainList(ctx context.Context, s *store.Store, userID string, f store.ProspectFilter) (string, error) {
	var b strings.Builder
	pg := s.Engine() == store.Postgres
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Query) + "%"
	var candidates []string
	byID := false
	if f.Query != "" && store.Searchable(s.Engine(), f.Query) {
		phrase := `"` + strings.ReplaceAll(f.Query, `"`, `""`) + `"`
		many := false
		if !pg {
			query := `SELECT rowid FROM prospects_fts WHERE prospects_fts MATCH ?1 LIMIT ?2`
			plan, ids, err := explain(ctx, s, userID, "", query, []any{phrase, store.SearchCandidateLimit + 1})
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "count (%d):\n%s\n", len(ids), plan)
			many = len(ids) > store.SearchCandidateLimit
		}
		if !many {
			query := `SELECT x.id FROM prospects_fts f CROSS JOIN prospects x ON x.rowid = f.rowid
				WHERE f.prospects_fts MATCH ?1 AND x.user_id = ?2`
			args := []any{phrase, userID}
			searchPattern := ""
			if pg {
				// The query inside prospect_search_ids (migration 0009), with
				// the pattern set for its policy as the function sets it.
				query = `SELECT s.id FROM prospect_search s
					WHERE s.user_id = $1 AND s.doc LIKE lower($2) LIMIT $3`
				args = []any{userID, pattern, store.SearchCandidateLimit + 1}
				searchPattern = pattern
			}
			plan, ids, err := explain(ctx, s, userID, searchPattern, query, args)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "candidates (%d):\n%s\n", len(ids), plan)
			candidates, byID = ids, len(ids) <= store.SearchCandidateLimit
		}
	}
	conds := []string{"p.user_id = $1"}
	args := []any{userID}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.CampaignID != "" {
		switch {
		case byID && pg:
			conds = append(conds, "(p.campaign_id = "+arg(f.CampaignID)+") IS TRUE")
		case byID:
			conds = append(conds, "+p.campaign_id = "+arg(f.CampaignID))
		default:
			conds = append(conds, "p.campaign_id = "+arg(f.CampaignID))
		}
	}
	if f.Status != "" {
		conds = append(conds, "p.status = "+arg(f.Status))
	}
	if f.Tier != "" {
		conds = append(conds, "p.tier = "+arg(f.Tier))
	}
	like := func(op string) string {
		return "(p.company_name " + op + " " + arg(pattern) + ` ESCAPE '\' OR p.website ` + op + " " + arg(pattern) +
			` ESCAPE '\' OR p.city ` + op + " " + arg(pattern) + ` ESCAPE '\')`
	}
	bounded := f.Query != "" && !byID
	switch {
	case f.Query == "" || bounded:
	case !pg:
		conds = append(conds, like("LIKE"))
		if byID {
			list, _ := json.Marshal(candidates)
			conds = append(conds, "p.id IN (SELECT value FROM json_each("+arg(string(list))+"))")
		}
	case byID:
		conds = append(conds, "p.id = ANY ("+arg(candidates)+"::uuid[])")
	case store.Searchable(store.Postgres, f.Query):
		conds = append(conds, "p.id IN (SELECT s.id FROM prospect_search s WHERE s.doc LIKE lower("+arg(pattern)+`) ESCAPE '\')`)
	default:
		conds = append(conds, like("ILIKE"))
	}
	query := `SELECT p.id FROM prospects p WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY p.id DESC LIMIT 51`
	if bounded {
		// A search the index cannot narrow reads at most
		// store.SearchScanLimit rows per page (ListProspects).
		var term string
		switch {
		case pg && store.Searchable(store.Postgres, f.Query):
			term = "(SELECT s.doc FROM prospect_search s WHERE s.id = p.id) LIKE lower(" + arg(pattern) + `) ESCAPE '\'`
		case pg:
			term = "prospect_search_doc(p.company_name, p.website, p.city) LIKE lower(" + arg(pattern) + `) ESCAPE '\'`
		default:
			term = like("LIKE")
		}
		query = fmt.Sprintf(`SELECT p.id FROM (SELECT * FROM prospects p WHERE %s ORDER BY p.id DESC LIMIT %d) p WHERE %s
			ORDER BY p.id DESC LIMIT 51`, strings.Join(conds, " AND "), store.SearchScanLimit(s.Engine()), term)
	}
	if !pg {
		query = sqlitePlaceholders(query)
	}
	plan, _, err := explain(ctx, s, userID, "", query, args)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "list:\n%s", plan)
	return b.String(), nil
}

// sqlitePlaceholders turns $N into ?N, which SQLite binds the same way.
func sqlitePlaceholders(query string) string {
	return regexp.MustCompile(`\$(\d+)`).ReplaceAllString(query, "?$1")
}

// explain runs query for the ids it selects and returns its plan with
// them: EXPLAIN ANALYZE in the tenant's transaction on PostgreSQL (with
// app.search_pattern set to searchPattern, lowercased, when not empty),
// EXPLAIN QUERY PLAN on SQLite.
func explain(ctx context.Context, s *store.Store, userID, searchPattern, query string, args []any) (string, []string, error) {
	if s.Engine() == store.SQLite {
		db := s.SQLiteWriter()
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return "", nil, err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return "", nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		plan, err := explainSQLite(ctx, db, query, args)
		return plan, ids, err
	}
	tx, err := s.PGPool().Begin(ctx)
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", userID); err != nil {
		return "", nil, err
	}
	if searchPattern != "" {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.search_pattern', lower($1), true)", searchPattern); err != nil {
			return "", nil, err
		}
	}
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return "", nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", nil, err
	}
	rows, err = tx.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+query, args...)
	if err != nil {
		return "", nil, err
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(lines, "\n"), ids, err
}

func explainSQLite(ctx context.Context, db *sql.DB, query string, args []any) (string, error) {
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	depth := map[int]int{}
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return "", err
		}
		depth[id] = depth[parent] + 1
		fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", depth[id]-1), detail)
	}
	return b.String(), rows.Err()
}

func scratchDatabase(ctx context.Context, base string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	// The test suites' prefix: storetest drops what a crashed run leaves.
	name := fmt.Sprintf("prospector_t_%d_%06d", time.Now().Unix(), rand.IntN(1_000_000))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			log.Print(err)
			return
		}
		defer c.Close(context.Background())
		// An autovacuum worker may still be in it, which only waiting ends.
		for try := 0; ; try++ {
			_, err := c.Exec(context.Background(), "DROP DATABASE "+name)
			if err == nil || try == 60 {
				if err != nil {
					log.Printf("drop %s: %v", name, err)
				}
				return
			}
			time.Sleep(time.Second)
		}
	}
	return u.String(), drop, nil
}
