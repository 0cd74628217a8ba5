package accountstore

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/txn"
)

// What a whole account is made of, for the data-protection requests
// (export, deletion, erasure; the rules are internal/privacy's). The tables
// are read from the schema rather than listed here: every table with a
// user_id column is a tenant table, plus profiles and users, which are keyed
// by the user's id itself. A table another change adds is therefore
// exported, deleted and scrubbed without anyone remembering to list it.

// Tables keyed by the user's own id rather than a user_id column.
const (
	TableProfiles = "profiles"
	TableUsers    = "users"
)

// identifier is what a table or column name from the schema must look like
// before it is spliced into SQL.
var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// TenantTables lists, sorted, every table with a user_id column, read from
// the schema.
func (tx *Account) TenantTables(ctx context.Context) ([]string, error) {
	q := `SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND p.name = 'user_id' ORDER BY m.name`
	if tx.Engine() == txn.Postgres {
		q = `SELECT c.relname FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_attribute a ON a.attrelid = c.oid
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attname = 'user_id' AND NOT a.attisdropped
			ORDER BY c.relname`
	}
	names, err := txn.QueryAll(ctx, tx, "tenant tables", func(r txn.Row) (s string, err error) { return s, r.Scan(&s) }, q)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if !identifier.MatchString(n) {
			return nil, fmt.Errorf("tenant tables: unexpected table name %q", n)
		}
	}
	return names, nil
}

// Column is one column of a table as the schema declares it.
type Column struct {
	Name string
	// Type is the declared type, lowercased: text, jsonb, timestamptz… on
	// PostgreSQL, TEXT, INTEGER, TIMESTAMP… (as written) on SQLite.
	Type string
}

// textual reports whether the column holds text a person's address could
// be written in (text and JSON; on SQLite JSON is TEXT).
func (c Column) textual() bool {
	t := strings.ToLower(c.Type)
	return t == "text" || t == "json" || t == "jsonb" || strings.HasPrefix(t, "character varying")
}

// Columns lists table's columns in their order.
func (tx *Account) Columns(ctx context.Context, table string) ([]Column, error) {
	if !identifier.MatchString(table) {
		return nil, fmt.Errorf("columns: bad table name %q", table)
	}
	q := `SELECT name, type FROM pragma_table_info($1) ORDER BY cid`
	if tx.Engine() == txn.Postgres {
		q = `SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
			WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`
	}
	return txn.QueryAll(ctx, tx, "columns of "+table, func(r txn.Row) (c Column, err error) {
		err = r.Scan(&c.Name, &c.Type)
		return c, err
	}, q, table)
}

// TenantRows streams the tenant's rows of table (a tenant table, profiles
// or users) to fn, every column, as JSON-ready values: ids and timestamps
// as text (UTC), JSON documents as JSON, booleans as booleans. cols names
// vals' entries; both are reused between calls. Rows come in the order of
// the table's first column (the id, time-ordered, for most).
func (tx *Account) TenantRows(ctx context.Context, table string, fn func(cols []string, vals []any) error) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	if !identifier.MatchString(table) {
		return fmt.Errorf("tenant rows: bad table name %q", table)
	}
	key := "user_id"
	if table == TableProfiles || table == TableUsers {
		key = "id"
	}
	rs, err := tx.Query(ctx, `SELECT * FROM `+table+` WHERE `+key+` = $1 ORDER BY 1`, tx.UserID())
	if err != nil {
		return txn.Wrap(err, "read %s", table)
	}
	defer rs.Close()
	var (
		cols  []string
		conv  func() ([]any, error)
		bools []bool // txn.SQLite: which columns are declared BOOLEAN
	)
	switch r := rs.(type) {
	case txn.PGRows:
		for _, fd := range r.FieldDescriptions() {
			cols = append(cols, fd.Name)
		}
		conv = func() ([]any, error) {
			vals, err := r.Values()
			for i, v := range vals {
				vals[i] = pgExportValue(v)
			}
			return vals, err
		}
	case txn.SQLRows:
		types, err := r.ColumnTypes()
		if err != nil {
			return txn.Wrap(err, "read %s", table)
		}
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i, t := range types {
			cols = append(cols, t.Name())
			bools = append(bools, strings.EqualFold(t.DatabaseTypeName(), "BOOLEAN"))
			ptrs[i] = &vals[i]
		}
		conv = func() ([]any, error) {
			if err := r.Rows.Scan(ptrs...); err != nil {
				return nil, err
			}
			for i, v := range vals {
				vals[i] = sqliteExportValue(v, bools[i])
			}
			return vals, nil
		}
	default:
		return fmt.Errorf("tenant rows: unknown driver rows %T", rs)
	}
	for rs.Next() {
		vals, err := conv()
		if err != nil {
			return txn.Wrap(err, "scan %s", table)
		}
		if err := fn(cols, vals); err != nil {
			return err
		}
	}
	return txn.Wrap(rs.Err(), "read %s", table)
}

func pgExportValue(v any) any {
	switch v := v.(type) {
	case [16]byte:
		return uuid.UUID(v).String()
	case time.Time:
		return v.UTC()
	case pgtype.Numeric:
		f, err := v.Float64Value()
		if err != nil || !f.Valid {
			return nil
		}
		return f.Float64
	}
	return v
}

func sqliteExportValue(v any, boolean bool) any {
	switch v := v.(type) {
	case []byte:
		return sqliteExportValue(string(v), boolean)
	case int64:
		if boolean {
			return v != 0
		}
	case time.Time:
		return v.UTC()
	case string:
		// JSON documents are TEXT on SQLite: answer them as JSON, as
		// PostgreSQL's JSONB columns are.
		if len(v) > 1 && (v[0] == '{' || v[0] == '[') && json.Valid([]byte(v)) {
			return json.RawMessage(v)
		}
	}
	return v
}

// DeleteAccount deletes the tenant's account and everything it owns, in
// this transaction: the users row, whose cascade takes the profile, the
// sessions (and so every refresh token and access token) and every tenant
// row tied to them by a foreign key; then any tenant table's rows that no
// foreign key ties (user_id is all they share); then the tenant's jobs in
// River's table, whose arguments name the user.
func (tx *Account) DeleteAccount(ctx context.Context) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	n, err := tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, tx.UserID())
	if err != nil {
		return txn.Wrap(err, "delete user")
	}
	if n == 0 {
		return txn.ErrNotFound
	}
	tables, err := tx.TenantTables(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := tx.Exec(ctx, `DELETE FROM `+t+` WHERE user_id = $1`, tx.UserID()); err != nil {
			return txn.Wrap(err, "delete %s", t)
		}
	}
	return tx.deleteJobsOf(ctx)
}

// deleteJobsOf deletes River's jobs whose arguments name the tenant (every
// job of ours that acts for a user carries user_id). A job running right
// now finishes against rows that are gone and fails, harmlessly.
func (tx *Account) deleteJobsOf(ctx context.Context) error {
	del := `DELETE FROM river_job WHERE json_extract(args, '$.user_id') = $1`
	if tx.Engine() == txn.Postgres {
		del = `DELETE FROM river_job WHERE args->>'user_id' = $1`
	}
	if exists, err := tx.hasJobTable(ctx); err != nil || !exists {
		return err
	}
	_, err := tx.Exec(ctx, del, tx.UserID())
	return txn.Wrap(err, "delete jobs")
}

// deleteJobsMentioning deletes the tenant's River jobs, except running
// ones, whose recorded errors quote email (a server's "550 <ann@…>
// unknown user"): their messages are gone, and so must the address be.
func (tx *Account) deleteJobsMentioning(ctx context.Context, email string) error {
	del := `DELETE FROM river_job WHERE json_extract(args, '$.user_id') = $1 AND state <> 'running'
		AND errors IS NOT NULL AND lower(json(errors)) LIKE $2 ESCAPE '\'`
	if tx.Engine() == txn.Postgres {
		del = `DELETE FROM river_job WHERE args->>'user_id' = $1 AND state <> 'running'
			AND errors IS NOT NULL AND lower(CAST(errors AS TEXT)) LIKE $2 ESCAPE '\'`
	}
	if exists, err := tx.hasJobTable(ctx); err != nil || !exists {
		return err
	}
	_, err := tx.Exec(ctx, del, tx.UserID(), "%"+txn.EscapeLike(email)+"%")
	return txn.Wrap(err, "delete jobs quoting an erased address")
}

// hasJobTable reports whether River's job table is in this database (the
// store's own tests run without River's migrations).
func (tx *Account) hasJobTable(ctx context.Context) (bool, error) {
	q := `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'river_job'`
	if tx.Engine() == txn.Postgres {
		q = `SELECT to_regclass('river_job') IS NOT NULL`
	}
	var exists bool
	err := tx.QueryRow(ctx, q).Scan(&exists)
	return exists, txn.Wrap(err, "find job table")
}

// Erased counts what EraseEmail removed.
type Erased struct {
	Contacts int64 `json:"contacts"`
	Messages int64 `json:"messages"`
	// Scrubbed is how many other rows had the address in their text
	// (a source's data, research notes, a draft's body, an event's detail)
	// and now read "[erased]" there instead.
	Scrubbed int64 `json:"scrubbed"`
}

// ErasedText replaces an erased address wherever it was written.
const ErasedText = "[erased]"

// Tables whose text is the user's own (their sending addresses, their
// signature) or already holds no address (suppressions hold the hash):
// erasure does not scrub them.
var notScrubbed = map[string]bool{"suppressions": true, "mailboxes": true, "sender_profiles": true, "sessions": true}

// EraseEmail removes a person, by their address (lowercased), from the
// tenant's data: the messages to them (and their events), their contacts
// (and the sequences written to them, with their messages and events), and
// the address from any other text of the tenant's that holds it. The
// address is then suppressed by its hash only (ErasedEmailKey), replacing
// any plain entry, so it is never written to again and never imported
// again (InsertContacts and SaveFoundContacts skip it).
func (tx *Account) EraseEmail(ctx context.Context, email string) (mailstore.Suppression, Erased, error) {
	var e Erased
	if err := tx.RequireTenant(); err != nil {
		return mailstore.Suppression{}, e, err
	}
	var err error
	if e.Messages, err = tx.Exec(ctx, `DELETE FROM messages WHERE user_id = $1 AND lower(to_email) = $2`, tx.UserID(), email); err != nil {
		return mailstore.Suppression{}, e, txn.Wrap(err, "erase messages")
	}
	if e.Contacts, err = tx.Exec(ctx, `DELETE FROM contacts WHERE user_id = $1 AND lower(email) = $2`, tx.UserID(), email); err != nil {
		return mailstore.Suppression{}, e, txn.Wrap(err, "erase contacts")
	}
	if _, err = tx.Exec(ctx, `DELETE FROM suppressions WHERE user_id = $1 AND email = $2`, tx.UserID(), email); err != nil {
		return mailstore.Suppression{}, e, txn.Wrap(err, "erase suppression")
	}
	if e.Scrubbed, err = tx.scrub(ctx, email); err != nil {
		return mailstore.Suppression{}, e, err
	}
	if err := tx.deleteJobsMentioning(ctx, email); err != nil {
		return mailstore.Suppression{}, e, err
	}
	s, _, err := tx.mail.AddSuppression(ctx, mailstore.ErasedEmailKey(email), "", mailstore.SuppressErased)
	return s, e, err
}

// scrub replaces email, in any case, in every text column of the tenant's
// rows of every tenant table with an id (except notScrubbed).
func (tx *Account) scrub(ctx context.Context, email string) (int64, error) {
	tables, err := tx.TenantTables(ctx)
	if err != nil {
		return 0, err
	}
	pattern := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(email))
	like := "%" + txn.EscapeLike(email) + "%"
	var n int64
	for _, t := range tables {
		if notScrubbed[t] {
			continue
		}
		cols, err := tx.Columns(ctx, t)
		if err != nil {
			return n, err
		}
		if !hasColumn(cols, "id") {
			continue
		}
		for _, c := range cols {
			if !c.textual() || !identifier.MatchString(c.Name) {
				continue
			}
			m, err := tx.scrubColumn(ctx, t, c, like, pattern)
			if err != nil {
				return n, err
			}
			n += m
		}
	}
	return n, nil
}

func (tx *Account) scrubColumn(ctx context.Context, table string, c Column, like string, pattern *regexp.Regexp) (int64, error) {
	type hit struct{ id, text string }
	hits, err := txn.QueryAll(ctx, tx, "scrub "+table, func(r txn.Row) (h hit, err error) {
		return h, r.Scan(&h.id, &h.text)
	}, `SELECT CAST(id AS TEXT), CAST(`+c.Name+` AS TEXT) FROM `+table+
		` WHERE user_id = $1 AND lower(CAST(`+c.Name+` AS TEXT)) LIKE $2 ESCAPE '\'`, tx.UserID(), like)
	if err != nil {
		return 0, err
	}
	value := "$1"
	if tx.Engine() == txn.Postgres && c.Type != "text" {
		value = "CAST($1 AS " + c.Type + ")"
	}
	for _, h := range hits {
		if _, err := tx.Exec(ctx, `UPDATE `+table+` SET `+c.Name+` = `+value+` WHERE CAST(id AS TEXT) = $2 AND user_id = $3`,
			pattern.ReplaceAllLiteralString(h.text, ErasedText), h.id, tx.UserID()); err != nil {
			return 0, txn.Wrap(err, "scrub %s", table)
		}
	}
	return int64(len(hits)), nil
}

func hasColumn(cols []Column, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}
