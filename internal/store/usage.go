package store

import (
	"context"
	"time"
)

// UsageByService counts the tenant's recorded external calls per service.
func (tx *Tx) UsageByService(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	if err := tx.requireTenant(); err != nil {
		return out, err
	}
	err := eachRow(ctx, tx.q, "usage by service", func(r row) error { return scanCount(r, out) },
		`SELECT service, count(*) FROM api_usage WHERE user_id = $1 GROUP BY service`, tx.userID)
	return out, err
}

// UsageTotals sums the tenant's api_usage rows of one service: calls,
// credits (for Claude, tokens) and estimated cost in USD.
func (tx *Tx) UsageTotals(ctx context.Context, service string) (calls, credits int, cost float64, err error) {
	if err := tx.requireTenant(); err != nil {
		return 0, 0, 0, err
	}
	err = tx.q.queryRow(ctx, `SELECT count(*), coalesce(sum(credits_used), 0), coalesce(sum(cost_estimate), 0)
		FROM api_usage WHERE user_id = $1 AND service = $2`, tx.userID, service).Scan(&calls, &credits, &cost)
	return calls, credits, cost, wrap(err, "usage totals")
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
func (tx *Tx) RecordUsage(ctx context.Context, u Usage) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	var meta any
	if len(u.Metadata) > 0 {
		meta = string(u.Metadata)
	}
	at := u.At
	if at.IsZero() {
		at = tx.now
	}
	_, err := tx.q.exec(ctx,
		`INSERT INTO api_usage (id, user_id, service, endpoint, credits_used, cost_estimate, metadata, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		NewID(), tx.userID, u.Service, u.Endpoint, u.CreditsUsed, u.CostEstimate, meta, at.UTC())
	return wrap(err, "record usage")
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
func (tx *Tx) UsageSummary(ctx context.Context, from, to time.Time, byDay bool) ([]UsageRow, error) {
	if err := tx.requireTenant(); err != nil {
		return nil, err
	}
	key := "service"
	if byDay {
		key = "substr(created_at, 1, 10)"
		if tx.engine == Postgres {
			key = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
		}
	}
	return queryAll(ctx, tx.q, "usage summary", func(r row) (u UsageRow, err error) {
		err = r.Scan(&u.Key, &u.Calls, &u.Credits, &u.CostEstimate)
		return u, err
	}, `SELECT `+key+` AS k, count(*), coalesce(sum(credits_used), 0), coalesce(sum(cost_estimate), 0)
		FROM api_usage WHERE user_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY k ORDER BY k`,
		tx.userID, from.UTC(), to.UTC())
}
