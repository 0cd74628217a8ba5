package api_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// importFile builds a CSV of n distinct businesses, offset to keep files distinct.
func importFile(n, offset int) []byte {
	var b strings.Builder
	b.WriteString("company_name,website,phone,address,city,state,zip,email,first_name,last_name,title\n")
	cities := []string{"Austin", "Round Rock", "Cedar Park", "Pflugerville", "Georgetown"}
	for i := offset; i < offset+n; i++ {
		fmt.Fprintf(&b, "Business %d Plumbing LLC,https://www.business%d.example/,(512) %03d-%04d,%d Main St,%s,TX,787%02d,owner@business%d.example,Pat,Lee,Owner\n",
			i, i, 200+i/10000, i%10000, i%9000+1, cities[i%len(cities)], i%100, i)
	}
	return []byte(b.String())
}

// BenchmarkImport50k reports the import rate of a 50,000-row file.
func BenchmarkImport50k(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			srv := apptest.Start(b, e, apptest.Options{})
			c, _ := srv.SignUp(b)
			file := importFile(50_000, 0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				id := createCampaignB(b, c)
				b.StartTimer()
				resp := c.Do("POST", "/api/campaigns/"+id+"/import", "text/csv", strings.NewReader(string(file)))
				if resp.Status != 200 || !strings.Contains(string(resp.Body), `"imported":50000`) {
					b.Fatalf("import = %d %.200s", resp.Status, resp.Body)
				}
			}
			b.ReportMetric(float64(50_000*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkProspectList reports p50/p99 latency of a filtered, searched
// prospect list over HTTP with 100,000 prospects in one campaign.
func BenchmarkProspectList(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			srv := apptest.Start(b, e, apptest.Options{})
			c, _ := srv.SignUp(b)
			id := createCampaignB(b, c)
			for part := 0; part < 2; part++ {
				resp := c.Do("POST", "/api/campaigns/"+id+"/import", "text/csv", strings.NewReader(string(importFile(50_000, part*50_000))))
				if resp.Status != 200 {
					b.Fatalf("seed = %d %.200s", resp.Status, resp.Body)
				}
			}
			queries := map[string]string{
				"rare":   "q=business+4242+",
				"common": "q=cedar",
				"none":   "q=zzz-no-match",
				"nofilt": "",
			}
			for name, q := range queries {
				b.Run(name, func(b *testing.B) {
					path := "/api/prospects?campaign_id=" + id + "&" + q
					lat := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						start := time.Now()
						resp := c.Get(path)
						lat = append(lat, time.Since(start))
						if resp.Status != http.StatusOK {
							b.Fatalf("list = %d", resp.Status)
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

func createCampaignB(b *testing.B, c *apptest.Client) string {
	b.Helper()
	resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": "bench", "business_type": "plumber", "target_location": "Austin, TX"})
	if resp.Status != http.StatusCreated {
		b.Fatalf("create campaign = %d", resp.Status)
	}
	var v struct {
		ID string `json:"id"`
	}
	resp.JSON(b, &v)
	return v.ID
}

// BenchmarkDiscovery1000 discovers 1,000 prospects (five campaigns of 200)
// through the sandbox at zero latency and reports the wall time until every
// source of every campaign has finished, and the process's peak RSS (server,
// sandbox and client together: run it alone). Enrichment runs behind it with
// the websites only (no Hunter or PageSpeed), as it would in production.
func BenchmarkDiscovery1000(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				srv := apptest.Start(b, e, apptest.Options{Sandbox: &sandbox.Options{}, Env: discoveryOnly})
				c, _ := srv.SignUp(b)
				setCreditsB(b, srv, c, 5000)
				var ids []string
				for _, kind := range []string{"plumber", "electrician", "dentist", "roofer", "salon"} {
					resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": kind, "business_type": kind,
						"target_location": "Austin, TX", "target_criteria": map[string]any{"max_results": 200}})
					var v struct{ ID string }
					resp.JSON(b, &v)
					ids = append(ids, v.ID)
				}
				start := time.Now()
				for _, id := range ids {
					if resp := c.JSON("POST", "/api/campaigns/"+id+"/start", nil); resp.Status != http.StatusAccepted {
						b.Fatalf("start = %d", resp.Status)
					}
				}
				found := 0
				for _, id := range ids {
					for {
						var st struct {
							LeadsFound int `json:"leads_found"`
							Sources    map[string]struct {
								Status string `json:"status"`
							} `json:"sources"`
						}
						c.Get("/api/campaigns/"+id+"/stats").JSON(b, &st)
						done := len(st.Sources) > 0
						for _, s := range st.Sources {
							done = done && s.Status != "pending" && s.Status != "running"
						}
						if done {
							found += st.LeadsFound
							break
						}
						time.Sleep(20 * time.Millisecond)
					}
				}
				b.ReportMetric(time.Since(start).Seconds(), "wall_s")
				b.ReportMetric(float64(found), "prospects")
				b.ReportMetric(peakRSSMiB(), "peak_rss_MiB")
				srv.Stop()
			}
		})
	}
}

func setCreditsB(b *testing.B, srv *apptest.Server, c *apptest.Client, n int) {
	b.Helper()
	var me struct{ User struct{ ID string } }
	c.Get("/api/auth/me").JSON(b, &me)
	err := srv.App.Store.Write(context.Background(), me.User.ID, func(tx *store.Tx) error {
		return tx.SetLeadCredits(context.Background(), n)
	})
	if err != nil {
		b.Fatal(err)
	}
}

// peakRSSMiB reads the process's high-water resident set size (Linux).
func peakRSSMiB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkEnrich reports enrichment throughput through the sandbox: three
// campaigns of 100 prospects discovered and enriched end to end, at zero
// latency and with 200 ms added to every website answer; with every service
// (Hunter and PageSpeed, whose documented rate limits the clients keep) and
// with the websites alone.
func BenchmarkEnrich(b *testing.B) {
	services := map[string]map[string]string{"all": nil, "site_only": discoveryOnly}
	for _, e := range storetest.Engines() {
		for _, svc := range []string{"all", "site_only"} {
			for _, latency := range []time.Duration{0, 200 * time.Millisecond} {
				b.Run(fmt.Sprintf("%s/services=%s/site_latency=%s", e.Name, svc, latency), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						srv := apptest.Start(b, e, apptest.Options{Sandbox: &sandbox.Options{}, Env: services[svc]})
						if latency > 0 {
							srv.Sandbox.SetFault(sandbox.Websites, sandbox.Fault{Latency: latency})
						}
						c, _ := srv.SignUp(b)
						var ids []string
						for _, kind := range []string{"plumber", "electrician", "roofer"} {
							resp := c.JSON("POST", "/api/campaigns", map[string]any{"name": kind, "business_type": kind,
								"target_location": "Austin, TX", "target_criteria": map[string]any{"max_results": 100, "sources": []string{"google_maps", "yelp"}}})
							var v struct{ ID string }
							resp.JSON(b, &v)
							ids = append(ids, v.ID)
						}
						start := time.Now()
						for _, id := range ids {
							c.JSON("POST", "/api/campaigns/"+id+"/start", nil)
						}
						enriched := 0
						for _, id := range ids {
							for {
								var st struct {
									Status        string `json:"status"`
									LeadsEnriched int    `json:"leads_enriched"`
								}
								c.Get("/api/campaigns/"+id+"/stats").JSON(b, &st)
								if st.Status != "running" {
									enriched += st.LeadsEnriched
									break
								}
								time.Sleep(100 * time.Millisecond)
							}
						}
						elapsed := time.Since(start)
						b.ReportMetric(float64(enriched)/elapsed.Minutes(), "prospects/min")
						b.ReportMetric(float64(enriched), "prospects")
						b.ReportMetric(peakRSSMiB(), "peak_rss_MiB")
						srv.Stop()
					}
				})
			}
		}
	}
}
