package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// BenchmarkUnsubscribeP99 offers POST /u/{token} at 200 requests a second
// for 5 seconds per iteration (DESIGN.md's target: p99 under 5 ms) and
// reports the latency percentiles: a measurement, not an assertion.
func BenchmarkUnsubscribeP99(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			srv := apptest.Start(b, e, apptest.Options{})
			_, me := srv.SignUp(b)
			ctx := context.Background()
			var tokens []string
			signer, err := signedlink.New([]byte(srv.Env["SECRET_KEY"]))
			if err != nil {
				b.Fatal(err)
			}
			// One campaign, sequence and message per token, so each POST
			// does the whole work (suppress, cancel) for a new address.
			const n = 1000
			err = srv.App.Store.Write(ctx, me.ID, func(tx *store.Tx) error {
				c, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "b", BusinessType: "b", TargetLocation: "l", TargetCriteria: []byte(`{}`)})
				if err != nil {
					return err
				}
				batch := make([]store.NewProspect, n)
				for i := range batch {
					email := "p" + store.NewID() + "@bench.example"
					batch[i] = store.NewProspect{CampaignID: c.ID, CompanyName: "B", Source: "manual", SourceID: store.NewID(),
						Contact: &store.NewContact{Email: &email, Source: "manual"}}
				}
				ids, err := tx.InsertProspects(ctx, batch)
				if err != nil {
					return err
				}
				for _, pid := range ids {
					cs, err := tx.ContactsOf(ctx, pid)
					if err != nil {
						return err
					}
					o, err := tx.SaveDraft(ctx, mailstore.NewDraft{CampaignID: c.ID, ProspectID: pid, ContactID: cs[0].ID, SequenceType: "cold_email",
						Subject: "s", Emails: []byte(`[]`), GeneratedBy: "template", PromptVersion: "t", Checks: []byte(`{}`)})
					if err != nil {
						return err
					}
					m, _, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: c.ID, SequenceID: o.ID, ProspectID: pid, ContactID: cs[0].ID,
						Step: 1, ToEmail: *cs[0].Email, Subject: "s", Body: "b", Provider: "smtp", ScheduledAt: time.Now().Add(time.Hour)})
					if err != nil {
						return err
					}
					tok, _ := signer.Make(signedlink.Unsubscribe, me.ID, m.ID)
					tokens = append(tokens, tok)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.ResetTimer()
			var all []time.Duration
			for range b.N {
				var mu sync.Mutex
				var wg sync.WaitGroup
				tick := time.NewTicker(5 * time.Millisecond) // 200 a second
				for i := range n {
					<-tick.C
					wg.Add(1)
					go func(tok string) {
						defer wg.Done()
						start := time.Now()
						resp, err := client.Post(srv.URL+"/u/"+url.PathEscape(tok), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
						d := time.Since(start)
						if err != nil || resp.StatusCode != http.StatusOK {
							b.Errorf("POST = %v %v", resp, err)
							return
						}
						resp.Body.Close()
						mu.Lock()
						all = append(all, d)
						mu.Unlock()
					}(tokens[i])
				}
				tick.Stop()
				wg.Wait()
			}
			slices.Sort(all)
			if len(all) > 0 {
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}
