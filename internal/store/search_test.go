package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// The prospect search (ProspectFilter.Query) goes through a trigram index
// when it helps, but must answer exactly what the plain scan answered: a
// case-insensitive substring of company_name, website or city, with LIKE's
// case folding on SQLite (ASCII letters only) and ILIKE's on PostgreSQL.
// These tests compare every search with that scan, run as raw SQL (likeScan),
// page by page, on both engines.

type searchRow struct {
	name          string
	website, city *string
}

// searchRows are the tenant's prospects in its first campaign, oldest first.
var searchRows = []searchRow{
	{"Riverbend Plumbing", ptr("https://riverbend.example"), ptr("Austin")},
	{"ACME Drains & Sewer", nil, ptr("Round Rock")},
	{"Hill Country Pipes", ptr("https://www.hillcountrypipes.example"), nil},
	{"100% Pure Water", ptr("https://pure_water.example"), ptr("Cedar Park")},
	{`Joe's "Best" Pipes`, ptr("https://joes.example"), ptr("Georgetown")},
	{"Café Éclair Plumbing", ptr("https://cafe-eclair.example"), ptr("Pflugerville")},
	{"ÉCOLE DES TUYAUX", nil, ptr("Montréal")},
	{`Back\slash Services`, nil, ptr("Austin")},
	{"Kelvin \u212a Heating", nil, ptr("Leander")}, // U+212A KELVIN SIGN, which PostgreSQL lowercases to k
	{"Plumbing 日本語 Works", ptr("https://xn--wgv71a.example"), ptr("Austin")},
}

// zetaRows is more rows containing "zeta" than the store fetches as search
// candidates (searchCandidateLimit, 2000), so "zeta" takes the scan while
// "zeta services 1999" goes by candidates.
const zetaRows = 2050

type searchFixture struct {
	s                   *store.Store
	engine              store.Engine
	user, other         string
	campaign, campaign2 string
	ids                 map[string]string // company name → id, the tenant's rows
}

func newSearchFixture(t *testing.T, s *store.Store, e store.Engine) *searchFixture {
	t.Helper()
	ctx := context.Background()
	f := &searchFixture{s: s, engine: e, ids: map[string]string{}}
	f.user = storetest.NewUser(t, s, storetest.UserParams{}).ID
	f.other = storetest.NewUser(t, s, storetest.UserParams{}).ID
	f.campaign = newCampaign(t, s, f.user, "search").ID
	f.campaign2 = newCampaign(t, s, f.user, "search 2").ID
	otherCampaign := newCampaign(t, s, f.other, "other").ID

	insert := func(userID, campaignID string, rows []searchRow) []string {
		var ids []string
		write(t, s, userID, func(tx *store.Tx) error {
			for start := 0; start < len(rows); start += 500 {
				var batch []store.NewProspect
				for _, r := range rows[start:min(start+500, len(rows))] {
					batch = append(batch, store.NewProspect{CampaignID: campaignID, CompanyName: r.name, Website: r.website,
						City: r.city, Source: "manual", SourceID: "name:" + r.name})
				}
				got, err := tx.InsertProspects(ctx, batch)
				if err != nil {
					return err
				}
				ids = append(ids, got...)
			}
			return nil
		})
		return ids
	}
	for i, id := range insert(f.user, f.campaign, searchRows) {
		f.ids[searchRows[i].name] = id
	}
	zeta := make([]searchRow, zetaRows)
	for i := range zeta {
		zeta[i] = searchRow{name: fmt.Sprintf("Zeta Services %d", i), city: ptr("Dallas")}
	}
	insert(f.user, f.campaign, zeta)
	f.ids["Sewer Pros"] = insert(f.user, f.campaign2, []searchRow{{"Sewer Pros", nil, ptr("Cedar Park")}})[0]
	// The other tenant has rows like the tenant's, which its searches must never return.
	insert(f.other, otherCampaign, append(slices.Clone(searchRows),
		searchRow{"Zeta Services 1999", nil, nil}, searchRow{"Sewer Pros", nil, ptr("Cedar Park")}))
	return f
}

// search lists every page of the tenant's search, pageSize rows a page.
func (f *searchFixture) search(t *testing.T, filter store.ProspectFilter, pageSize int) []string {
	t.Helper()
	ctx := context.Background()
	var names []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("%+v: more than 100 pages", filter)
		}
		var list []store.Prospect
		var next string
		err := f.s.Read(ctx, f.user, func(tx *store.Tx) error {
			var err error
			list, next, err = tx.ListProspects(ctx, filter, store.Page{Limit: pageSize, After: cursor})
			return err
		})
		if err != nil {
			t.Fatalf("%+v: %v", filter, err)
		}
		for _, p := range list {
			names = append(names, p.CompanyName)
		}
		if next == "" {
			return names
		}
		cursor = next
	}
}

// likeScan is the search as the store ran it before the trigram indexes: the
// LIKE (SQLite) or ILIKE (PostgreSQL) on the three columns, newest first.
func (f *searchFixture) likeScan(t *testing.T, filter store.ProspectFilter) []string {
	t.Helper()
	ctx := context.Background()
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(filter.Query) + "%"
	like := "LIKE"
	if f.engine == store.Postgres {
		like = "ILIKE"
	}
	query := `SELECT company_name FROM prospects WHERE user_id = $1 AND (company_name ` + like + ` $2 ESCAPE '\' OR website ` +
		like + ` $2 ESCAPE '\' OR city ` + like + ` $2 ESCAPE '\')`
	args := []any{f.user, pattern}
	if filter.CampaignID != "" {
		query += ` AND campaign_id = $3`
		args = append(args, filter.CampaignID)
	}
	query += ` ORDER BY id DESC`
	var names []string
	if f.engine == store.SQLite {
		rows, err := f.s.SQLiteWriter().QueryContext(ctx, strings.NewReplacer("$1", "?1", "$2", "?2", "$3", "?3").Replace(query), args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return names
	}
	err := pgx.BeginTxFunc(ctx, f.s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", f.user); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		names, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// checkIndex fails the test when the search index has drifted from the
// tenant's prospects: FTS5's own integrity check against its content table on
// SQLite, a comparison of prospect_search with prospects on PostgreSQL.
func (f *searchFixture) checkIndex(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if f.engine == store.SQLite {
		if _, err := f.s.SQLiteWriter().ExecContext(ctx,
			`INSERT INTO prospects_fts (prospects_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Fatalf("prospects_fts integrity check: %v", err)
		}
		return
	}
	for _, user := range []string{f.user, f.other} {
		err := pgx.BeginTxFunc(ctx, f.s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", user); err != nil {
				return err
			}
			var missing, stale int
			err := tx.QueryRow(ctx, `SELECT
				(SELECT count(*) FROM prospects p LEFT JOIN prospect_search s ON s.id = p.id
				 WHERE s.id IS NULL OR s.user_id <> p.user_id OR s.doc <> prospect_search_doc(p.company_name, p.website, p.city)),
				(SELECT count(*) FROM prospect_search s WHERE s.user_id = $1 AND NOT EXISTS (SELECT 1 FROM prospects p WHERE p.id = s.id))`,
				user).Scan(&missing, &stale)
			if err == nil && (missing != 0 || stale != 0) {
				err = fmt.Errorf("%d prospects missing or outdated in prospect_search, %d stale rows", missing, stale)
			}
			return err
		})
		if err != nil {
			t.Fatalf("prospect_search: %v", err)
		}
	}
}

// expect compares a search with likeScan, in pages of several sizes, and the
// LIKE scan with want unless want is nil ([]string{} expects no rows).
func (f *searchFixture) expect(t *testing.T, filter store.ProspectFilter, want []string) {
	t.Helper()
	scan := f.likeScan(t, filter)
	if want != nil && !slices.Equal(scan, want) {
		t.Fatalf("q=%q: the LIKE scan finds %q, the test expects %q", filter.Query, scan, want)
	}
	for _, size := range []int{200, 3} {
		if size == 3 && len(scan) > 60 {
			continue // paging by three through thousands of rows would show nothing more
		}
		if got := f.search(t, filter, size); !slices.Equal(got, scan) {
			t.Fatalf("q=%q campaign=%q, pages of %d: search = %q, LIKE scan = %q", filter.Query, filter.CampaignID, size, got, scan)
		}
	}
}

func TestProspectSearchMatchesLikeScan(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		f := newSearchFixture(t, storetest.Open(t, e), e.Name)
		f.checkIndex(t)
		sqlite := e.Name == store.SQLite
		either := func(onSQLite, onPostgres []string) []string {
			if sqlite {
				return onSQLite
			}
			return onPostgres
		}
		cases := []struct {
			name, q  string
			campaign string // "" for all campaigns, "2" for the second
			want     []string
		}{
			{name: "company name", q: "riverbend", want: []string{"Riverbend Plumbing"}},
			{name: "upper case term", q: "RIVERBEND", want: []string{"Riverbend Plumbing"}},
			{name: "mixed case term and row", q: "cOuNtRy PiPeS", want: []string{"Hill Country Pipes"}},
			{name: "website only", q: "hillcountrypipes.EXAMPLE", want: []string{"Hill Country Pipes"}},
			{name: "city only", q: "round rock", want: []string{"ACME Drains & Sewer"}},
			{name: "city of two rows", q: "austin", want: []string{"Plumbing 日本語 Works", `Back\slash Services`, "Riverbend Plumbing"}},
			{name: "term across words", q: "drains & sew", want: []string{"ACME Drains & Sewer"}},
			{name: "term across columns matches nothing", q: "plumbing https", want: []string{}},
			{name: "two columns of one row", q: "eclair", want: []string{"Café Éclair Plumbing"}},
			{name: "newest first", q: "pipes", want: []string{`Joe's "Best" Pipes`, "Hill Country Pipes"}},
			{name: "one character", q: "q", want: nil},
			{name: "two characters", q: "ex", want: nil},
			{name: "two characters, few rows", q: "xn", want: []string{"Plumbing 日本語 Works"}},
			{name: "percent is literal", q: "%", want: []string{"100% Pure Water"}},
			{name: "percent in a longer term", q: "100% pure", want: []string{"100% Pure Water"}},
			{name: "underscore is literal", q: "_", want: []string{"100% Pure Water"}},
			{name: "underscore in a longer term", q: "pure_water", want: []string{"100% Pure Water"}},
			{name: "underscore does not match any character", q: "pure_wat_r", want: []string{}},
			{name: "double quote", q: `"`, want: []string{`Joe's "Best" Pipes`}},
			{name: "quoted word", q: `"best"`, want: []string{`Joe's "Best" Pipes`}},
			{name: "quote inside a longer term", q: `s "b`, want: []string{`Joe's "Best" Pipes`}},
			{name: "apostrophe", q: "'", want: []string{`Joe's "Best" Pipes`}},
			{name: "apostrophe in a longer term", q: "joe's", want: []string{`Joe's "Best" Pipes`}},
			{name: "backslash", q: `\`, want: []string{`Back\slash Services`}},
			{name: "backslash in a longer term", q: `k\sl`, want: []string{`Back\slash Services`}},
			{name: "FTS5 syntax is text", q: `NEAR(a b) OR *`, want: []string{}},
			{name: "unicode, same case", q: "café", want: []string{"Café Éclair Plumbing"}},
			{name: "unicode, one character", q: "é", want: []string{"ÉCOLE DES TUYAUX", "Café Éclair Plumbing"}}, // Montréal
			{name: "unicode upper case, one character", q: "É", want: []string{"ÉCOLE DES TUYAUX", "Café Éclair Plumbing"}},
			{name: "non-ASCII letters fold only on PostgreSQL", q: "éclair", want: either(
				[]string{}, []string{"Café Éclair Plumbing"})},
			{name: "non-ASCII upper case term", q: "MONTRÉAL", want: either(
				[]string{}, []string{"ÉCOLE DES TUYAUX"})},
			{name: "ASCII letters fold around a non-ASCII one", q: "école des", want: either(
				[]string{}, []string{"ÉCOLE DES TUYAUX"})},
			{name: "kelvin sign", q: "k heat", want: either([]string{}, []string{"Kelvin \u212a Heating"})},
			{name: "kelvin sign itself", q: "\u212a heat", want: []string{"Kelvin \u212a Heating"}},
			{name: "CJK", q: "日本語", want: []string{"Plumbing 日本語 Works"}},
			{name: "rare term among many", q: "zeta services 1999", want: []string{"Zeta Services 1999"}},
			{name: "term in more rows than the candidate limit", q: "zeta"},
			{name: "common term, one campaign", q: "services", campaign: "1"},
			{name: "no match", q: "zzz-no-match", want: []string{}},
			{name: "second campaign only", q: "cedar park", campaign: "2", want: []string{"Sewer Pros"}},
			{name: "all campaigns", q: "cedar park", want: []string{"Sewer Pros", "100% Pure Water"}},
		}
		for _, c := range cases {
			filter := store.ProspectFilter{Query: c.q}
			switch c.campaign {
			case "1":
				filter.CampaignID = f.campaign
			case "2":
				filter.CampaignID = f.campaign2
			}
			t.Run(c.name, func(t *testing.T) { f.expect(t, filter, c.want) })
		}
		if got := len(f.likeScan(t, store.ProspectFilter{Query: "zeta"})); got != zetaRows {
			t.Fatalf("q=zeta finds %d rows, want all %d", got, zetaRows)
		}

		t.Run("with a status filter", func(t *testing.T) {
			ctx := context.Background()
			for _, status := range []string{store.ProspectDiscovered, store.ProspectQualified} {
				var list []store.Prospect
				err := f.s.Read(ctx, f.user, func(tx *store.Tx) error {
					var err error
					list, _, err = tx.ListProspects(ctx, store.ProspectFilter{Query: "pipes", Status: status}, store.Page{Limit: 50})
					return err
				})
				want := 2
				if status != store.ProspectDiscovered {
					want = 0
				}
				if err != nil || len(list) != want {
					t.Fatalf("q=pipes status=%s: %d rows, err %v; want %d", status, len(list), err, want)
				}
			}
		})

		t.Run("export", func(t *testing.T) {
			ctx := context.Background()
			for _, q := range []string{"pipes", "zeta services 19", "zeta"} {
				var names []string
				err := f.s.Read(ctx, f.user, func(tx *store.Tx) error {
					return tx.ExportProspects(ctx, store.ProspectFilter{Query: q}, func(r *store.ExportRow) error {
						names = append(names, r.CompanyName)
						return nil
					})
				})
				if err != nil {
					t.Fatal(err)
				}
				if scan := f.likeScan(t, store.ProspectFilter{Query: q}); !slices.Equal(names, scan) {
					t.Fatalf("export q=%q: %d rows, LIKE scan %d", q, len(names), len(scan))
				}
			}
		})
	})
}

// TestProspectSearchFollowsWrites changes, deletes and cascades rows and
// checks after each step that the index agrees with the table and the search
// with the LIKE scan.
func TestProspectSearchFollowsWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		ctx := context.Background()
		f := newSearchFixture(t, storetest.Open(t, e), e.Name)
		q := func(q string) store.ProspectFilter { return store.ProspectFilter{Query: q} }

		// A listing update replaces what the index knows of the row.
		write(t, f.s, f.user, func(tx *store.Tx) error {
			return tx.UpdateProspectListing(ctx, f.ids["Riverbend Plumbing"], store.ProspectListing{
				Website: ptr("https://newbend.example"), City: ptr("Bastrop")})
		})
		f.checkIndex(t)
		f.expect(t, q("riverbend.example"), []string{})
		f.expect(t, q("newbend"), []string{"Riverbend Plumbing"})
		f.expect(t, q("bastrop"), []string{"Riverbend Plumbing"})
		f.expect(t, q("riverbend"), []string{"Riverbend Plumbing"})
		write(t, f.s, f.user, func(tx *store.Tx) error {
			return tx.UpdateProspectListing(ctx, f.ids["Hill Country Pipes"], store.ProspectListing{})
		})
		f.checkIndex(t)
		f.expect(t, q("hillcountrypipes"), []string{})
		f.expect(t, q("country pipes"), []string{"Hill Country Pipes"})

		// A deleted prospect is gone from the search.
		f.deleteProspect(t, f.ids[`Joe's "Best" Pipes`])
		f.checkIndex(t)
		f.expect(t, q("pipes"), []string{"Hill Country Pipes"})
		f.expect(t, q("joe's"), []string{})

		// Deleting a campaign cascades to its prospects, and to the index.
		f.expect(t, q("sewer"), []string{"Sewer Pros", "ACME Drains & Sewer"})
		write(t, f.s, f.user, func(tx *store.Tx) error { return tx.DeleteCampaign(ctx, f.campaign2) })
		f.checkIndex(t)
		f.expect(t, q("sewer"), []string{"ACME Drains & Sewer"})
		f.expect(t, q("sewer pros"), []string{})
		f.expect(t, q("cedar park"), []string{"100% Pure Water"})

		// Rows inserted after the deletions reuse nothing of the old ones.
		write(t, f.s, f.user, func(tx *store.Tx) error {
			_, err := tx.InsertProspects(ctx, []store.NewProspect{{CampaignID: f.campaign, CompanyName: "Sewer Pros Again",
				City: ptr("Cedar Park"), Source: "manual", SourceID: "again"}})
			return err
		})
		f.checkIndex(t)
		f.expect(t, q("sewer pros"), []string{"Sewer Pros Again"})
		f.expect(t, q("zeta"), nil)

		if e.Name == store.SQLite {
			// prospects_fts keys rows by prospects' implicit rowid, which
			// SQLite keeps across VACUUM only because the table has indexes.
			if _, err := f.s.SQLiteWriter().ExecContext(ctx, "VACUUM"); err != nil {
				t.Fatal(err)
			}
			f.checkIndex(t)
			f.expect(t, q("sewer"), []string{"Sewer Pros Again", "ACME Drains & Sewer"})
			f.expect(t, q("zeta services 1999"), []string{"Zeta Services 1999"})
		}
	})
}

// deleteProspect deletes one of the tenant's prospects with plain SQL (the
// store has no such method yet; the index must follow whatever deletes rows).
func (f *searchFixture) deleteProspect(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	if f.engine == store.SQLite {
		if _, err := f.s.SQLiteWriter().ExecContext(ctx, "DELETE FROM prospects WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		return
	}
	err := pgx.BeginTxFunc(ctx, f.s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", f.user); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, "DELETE FROM prospects WHERE id = $1", id)
		if err == nil && tag.RowsAffected() != 1 {
			err = fmt.Errorf("deleted %d rows", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestProspectSearchMigrationIndexesExistingRows undoes migration 0003 on a
// database that holds prospects, applies it again and checks that it indexed
// them all: the migration must work on a live database, not only a new one.
func TestProspectSearchMigrationIndexesExistingRows(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		if e.Name == store.Postgres {
			e.URL = storetest.FreshPostgresURL // this test drops tables other tests use
		}
		s := storetest.Open(t, e)
		f := newSearchFixture(t, s, e.Name)

		undo := `DROP TRIGGER prospects_fts_insert; DROP TRIGGER prospects_fts_delete; DROP TRIGGER prospects_fts_update;
			DROP TABLE prospects_fts; DELETE FROM schema_migrations WHERE version = 3`
		if e.Name == store.Postgres {
			undo = `DROP TRIGGER prospect_search_insert ON prospects; DROP TRIGGER prospect_search_delete ON prospects;
				DROP TRIGGER prospect_search_update ON prospects; DROP TABLE prospect_search;
				DROP FUNCTION prospect_search_insert(), prospect_search_delete(), prospect_search_update(),
				prospect_search_doc(text, text, text); DELETE FROM schema_migrations WHERE version = 3`
		}
		var err error
		if e.Name == store.SQLite {
			_, err = s.SQLiteWriter().ExecContext(ctx, undo)
		} else {
			_, err = s.PGPool().Exec(ctx, undo)
		}
		if err != nil {
			t.Fatalf("undo migration 0003: %v", err)
		}
		if err := s.CheckSchema(ctx); err == nil {
			t.Fatal("CheckSchema after undoing 0003 = nil, want outdated")
		}
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 1 || applied[0].Version != 3 {
			t.Fatalf("migrate applied %+v, err %v; want 0003 alone", applied, err)
		}
		f.checkIndex(t)
		f.expect(t, store.ProspectFilter{Query: "riverbend"}, []string{"Riverbend Plumbing"})
		f.expect(t, store.ProspectFilter{Query: "zeta services 1999"}, []string{"Zeta Services 1999"})
		f.expect(t, store.ProspectFilter{Query: "zeta"}, nil)
		f.expect(t, store.ProspectFilter{Query: "sewer", CampaignID: f.campaign2}, []string{"Sewer Pros"})
	})
}

// TestProspectSearchUsesIndex takes rows out of the search index behind the
// store's back to show which searches the index answers. A term in few rows
// goes by the index alone, so the row is no longer found; a short term goes
// by the scan, which still finds it. A term in more rows than the candidate
// limit is scanned too, on PostgreSQL tested on the index's side table.
func TestProspectSearchUsesIndex(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		ctx := context.Background()
		f := newSearchFixture(t, storetest.Open(t, e), e.Name)
		var zeta1999 string
		err := f.s.Read(ctx, f.user, func(tx *store.Tx) error {
			list, _, err := tx.ListProspects(ctx, store.ProspectFilter{Query: "zeta services 1999"}, store.Page{Limit: 5})
			if err == nil && len(list) == 1 {
				zeta1999 = list[0].ID
			}
			return err
		})
		if err != nil || zeta1999 == "" {
			t.Fatalf("zeta services 1999: id %q, err %v", zeta1999, err)
		}
		for _, id := range []string{f.ids["Riverbend Plumbing"], zeta1999} {
			if e.Name == store.SQLite {
				_, err = f.s.SQLiteWriter().ExecContext(ctx, `INSERT INTO prospects_fts (prospects_fts, rowid, company_name, website, city)
					SELECT 'delete', rowid, company_name, website, city FROM prospects WHERE id = ?`, id)
			} else {
				// As the tenant: row-level security is forced on prospect_search too.
				err = pgx.BeginTxFunc(ctx, f.s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
					if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", f.user); err != nil {
						return err
					}
					tag, err := tx.Exec(ctx, `DELETE FROM prospect_search WHERE id = $1`, id)
					if err == nil && tag.RowsAffected() != 1 {
						err = fmt.Errorf("deleted %d rows from prospect_search", tag.RowsAffected())
					}
					return err
				})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		has := func(q, name string) bool {
			return slices.Contains(f.search(t, store.ProspectFilter{Query: q}, 200), name)
		}
		if has("riverbend", "Riverbend Plumbing") {
			t.Error("q=riverbend found the row missing from the index: the search did not use the index")
		}
		if !has("ri", "Riverbend Plumbing") {
			t.Error("q=ri (too short for the index) did not find the row")
		}
		if has("zeta services 1999", "Zeta Services 1999") {
			t.Error("q=zeta services 1999 found the row missing from the index: the search did not use the index")
		}
		if got, want := has("zeta", "Zeta Services 1999"), e.Name == store.SQLite; got != want {
			t.Errorf("q=zeta (more than 2000 rows) found the row missing from the index: %v, want %v", got, want)
		}
	})
}

// TestSearchThenWriteInOneTransaction searches, then changes a row the
// search did not find, in one transaction: the index must still follow the
// change. On PostgreSQL the search narrows prospect_search's policy to its
// pattern (prospect_search_ids); a pattern left set would hide the row from
// the trigger that updates it.
func TestSearchThenWriteInOneTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		ctx := context.Background()
		f := newSearchFixture(t, storetest.Open(t, e), e.Name)
		write(t, f.s, f.user, func(tx *store.Tx) error {
			list, _, err := tx.ListProspects(ctx, store.ProspectFilter{Query: "riverbend"}, store.Page{Limit: 10})
			if err != nil || len(list) != 1 {
				return fmt.Errorf("q=riverbend: %d rows, %v", len(list), err)
			}
			return tx.UpdateProspectListing(ctx, f.ids["Hill Country Pipes"], store.ProspectListing{
				Website: ptr("https://hilldrains.example")})
		})
		f.checkIndex(t)
		f.expect(t, store.ProspectFilter{Query: "hilldrains"}, []string{"Hill Country Pipes"})
	})
}

// TestProspectSearchIndexServesForcedRowSecurity shows the plan of the
// search's query (the one in prospect_search_ids, with its pattern set as
// the function sets it): with row-level security forced on prospect_search,
// the trigram index must still answer it, for the role that owns the table
// and for an application's role that does not (DATABASE_OWNER_URL). Sequential
// scans are off so that the plan shows whether the index can be used at all,
// whatever the table's size.
func TestProspectSearchIndexServesForcedRowSecurity(t *testing.T) {
	check := func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s, store.Postgres)
		var plan []string
		err := pgx.BeginTxFunc(ctx, s.PGPool(), pgx.TxOptions{}, func(tx pgx.Tx) error {
			for _, set := range []string{"SELECT set_config('app.user_id', $1, true)",
				"SELECT set_config('app.search_pattern', '%riverbend%', true) WHERE $1 <> ''",
				"SELECT set_config('enable_seqscan', 'off', true) WHERE $1 <> ''"} {
				if _, err := tx.Exec(ctx, set, f.user); err != nil {
					return err
				}
			}
			rows, err := tx.Query(ctx, `EXPLAIN SELECT s.id FROM prospect_search s
				WHERE s.user_id = $1 AND s.doc LIKE '%riverbend%' LIMIT 2001`, f.user)
			if err != nil {
				return err
			}
			plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(plan, "\n"), "idx_prospect_search_doc") {
			t.Errorf("the search does not use the trigram index:\n%s", strings.Join(plan, "\n"))
		}
		if got := f.search(t, store.ProspectFilter{Query: "riverbend"}, 10); !slices.Equal(got, []string{"Riverbend Plumbing"}) {
			t.Errorf("q=riverbend = %q", got)
		}
	}
	t.Run("owner", func(t *testing.T) {
		t.Parallel()
		for _, e := range storetest.Engines() {
			if e.Name == store.Postgres {
				check(t, storetest.Open(t, e))
				return
			}
		}
		t.Skip("TEST_DATABASE_URL not set: row-level security exists only on PostgreSQL")
	})
	t.Run("application role", func(t *testing.T) {
		t.Parallel()
		check(t, storetest.OpenSplit(t))
	})
}
