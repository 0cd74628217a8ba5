package app

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/metrics"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/billingstore"
)

// usageRecorder writes an api_usage row for every external call, billed to
// the account the call was made for (providers.WithAccount).
type usageRecorder struct {
	store *store.Store
	log   *slog.Logger
}

func (u usageRecorder) RecordCall(ctx context.Context, c providers.Call) {
	userID := providers.AccountFrom(ctx)
	if userID == "" {
		u.log.WarnContext(ctx, "external call without an account; usage not recorded", slog.String("service", c.Service))
		return
	}
	meta := map[string]any{"status": c.Status, "duration_ms": c.Duration.Milliseconds()}
	if c.Err != nil {
		meta["error"] = providers.Describe(c.Err)
	}
	b, _ := json.Marshal(meta)
	// The call happened even if the job is being cancelled: record it anyway.
	ctx = context.WithoutCancel(ctx)
	err := u.store.Write(ctx, userID, func(tx *store.Tx) error {
		return tx.RecordUsage(ctx, billingstore.Usage{Service: c.Service, Endpoint: c.Endpoint, CreditsUsed: c.Credits,
			CostEstimate: c.CostUSD, Metadata: b})
	})
	if err != nil {
		u.log.ErrorContext(ctx, "record api usage", slog.String("service", c.Service), slog.Any("error", err))
	}
}

// callRecorders tells every external call to the usage table and to the
// metrics.
type callRecorders struct {
	usage   providers.Recorder
	metrics *metrics.Metrics
}

func (c callRecorders) RecordCall(ctx context.Context, call providers.Call) {
	c.metrics.ExternalCall(call.Service, call.Status, call.Duration)
	c.usage.RecordCall(ctx, call)
}
