package billingstore

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// UsageByService counts the tenant's recorded external calls per service.
func (tx *Billing) UsageByService(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	if err := tx.RequireTenant(); err != nil {
		return out, err
	}
	err := txn.EachRow(ctx, tx, "usage by service", func(r txn.Row) error { return txn.ScanCount(r, out) },
		`SELECT service, count(*) FROM api_usage WHERE user_id = $1 GROUP BY service`, tx.UserID())
	return out, err
}

// UsageTotals sums the tenant's api_usage rows of one service: calls,
// credits (for Claude, tokens) and estimated cost in USD.
func (tx *Billing) UsageTotals(ctx context.Context, service string) (calls, credits int, cost float64, err error) {
	if err := tx.RequireTenant(); err != nil {
		return 0, 0, 0, err
	}
	err = tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(credits_used), 0), coalesce(sum(cost_estimate), 0)
		FROM api_usage WHERE user_id = $1 AND service = $2`, tx.UserID(), service).Scan(&calls, &credits, &cost)
	return calls, credits, cost, txn.Wrap(err, "usage totals")
}

// Usage is one call to an external service, for cost tracking.
type Usage struct {
	Service      string
	Endpoint     string
	CreditsUsed  int
	CostEstimate float64
	Metadata     []byte // JSON, optional
	At           time.Time
}

// RecordUsage writes an api_usage row for the tenant.
func (tx *Billing) RecordUsage(ctx context.Context, u Usage) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	var meta any
	if len(u.Metadata) > 0 {
		meta = string(u.Metadata)
	}
	at := u.At
	if at.IsZero() {
		at = tx.Now()
	}
	_, err := tx.Exec(ctx,
		`INSERT INTO api_usage (id, user_id, service, endpoint, credits_used, cost_estimate, metadata, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		txn.NewID(), tx.UserID(), u.Service, u.Endpoint, u.CreditsUsed, u.CostEstimate, meta, at.UTC())
	return txn.Wrap(err, "record usage")
}

// UsageRow is api_usage summed over one service or one UTC day.
type UsageRow struct {
	Key          string
	Calls        int
	Credits      int
	CostEstimate float64
}

// UsageSummary sums the tenant's api_usage rows created in [from, to),
// per service (byDay false, by name) or per UTC day ("2026-12-03", in
// order).
func (tx *Billing) UsageSummary(ctx context.Context, from, to time.Time, byDay bool) ([]UsageRow, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	key := "service"
	if byDay {
		key = "substr(created_at, 1, 10)"
		if tx.Engine() == txn.Postgres {
			key = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
		}
	}
	return txn.QueryAll(ctx, tx, "usage summary", func(r txn.Row) (u UsageRow, err error) {
		err = r.Scan(&u.Key, &u.Calls, &u.Credits, &u.CostEstimate)
		return u, err
	}, `SELECT `+key+` AS k, count(*), coalesce(sum(credits_used), 0), coalesce(sum(cost_estimate), 0)
		FROM api_usage WHERE user_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY k ORDER BY k`,
		tx.UserID(), from.UTC(), to.UTC())
}
