package billing_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// BenchmarkWebhook measures one Stripe webhook from signed bytes to
// committed effect: verify the signature, check the event id, look up the
// customer's account, grant the period's credits with their ledger entry
// and record the event. It reports the p99 of the handling time.
//
//	go test -run '^$' -bench Webhook ./internal/billing/
func BenchmarkWebhook(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			ctx := context.Background()
			c := &clock{now: start}
			s := storetest.OpenWith(b, e, store.Options{})
			prices, _ := billing.NewPrices(map[string]string{"growth": priceGrowth, "scale": priceScale})
			svc, _ := billing.NewService(billing.Config{Store: s, WebhookSecret: secret, Prices: prices, Now: c.Now})
			bn := bundle{svc: svc, store: s, clock: c, run: store.NewID()[24:]}
			const users = 50
			ids := make([]string, users)
			for i := range ids {
				ids[i] = storetest.NewUser(b, s, storetest.UserParams{}).ID
				payload := checkoutCompleted(bn.id(fmt.Sprint("evt_c", i)), ids[i], bn.id(fmt.Sprint("cus_", i)), bn.id(fmt.Sprint("sub_", i)))
				signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
				if _, err := svc.Webhook(ctx, signed.Payload, signed.Header); err != nil {
					b.Fatal(err)
				}
			}
			durations := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				u := i % users
				payload := invoice(bn.id(fmt.Sprint("evt_p", i)), "invoice.paid", ids[u], bn.id(fmt.Sprint("cus_", u)), bn.id(fmt.Sprint("sub_", u)),
					priceGrowth, start.AddDate(0, 1+i/users, 0))
				signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
				t0 := time.Now()
				out, err := svc.Webhook(ctx, signed.Payload, signed.Header)
				durations = append(durations, time.Since(t0))
				if err != nil || out != billing.Applied {
					b.Fatalf("webhook: %v %v", out, err)
				}
			}
			b.StopTimer()
			slices.Sort(durations)
			p99 := durations[min(len(durations)-1, len(durations)*99/100)]
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
		})
	}
}
