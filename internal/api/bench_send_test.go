package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// BenchmarkSendThroughput approves 10,000 one-step sequences (20 bulk
// approvals of 500) in a campaign sending through 20 mailboxes with no
// gap, and measures how fast the send stage (River's send jobs, the
// exactly-once claim and settle, SMTP) gets them to a real SMTP server on
// loopback: messages a second from the first approval to the 10,000th
// message at the server, which also counts each message exactly once.
// DESIGN.md's target is at least 100 a second. Run it once per engine:
//
//	go test ./internal/api -run '^$' -bench BenchmarkSendThroughput -benchtime 1x
func BenchmarkSendThroughput(b *testing.B) {
	const mailboxes, perMailbox = 20, 500
	const total = mailboxes * perMailbox
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				smtpSrv, err := sandboxsmtp.Start(sandboxsmtp.Options{Keep: 1})
				if err != nil {
					b.Fatal(err)
				}
				srv := apptest.Start(b, e, apptest.Options{Env: map[string]string{"SEND_ALLOWLIST": smtpSrv.Addr()}})
				c, me := srv.SignUp(b)
				ids := benchSequences(b, srv, c, me.ID, smtpSrv, mailboxes, perMailbox)
				b.StartTimer()
				start := time.Now()
				for i := 0; i < len(ids); i += 500 {
					resp := c.JSON("POST", "/api/outreach/approve", map[string]any{"ids": ids[i : i+500]})
					if resp.Status != http.StatusOK {
						b.Fatalf("approve = %d %s", resp.Status, resp.Body)
					}
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				err = smtpSrv.Wait(ctx, total)
				cancel()
				elapsed := time.Since(start)
				b.StopTimer()
				if err != nil {
					b.Fatalf("the server received %d of %d messages: %v", smtpSrv.Count(), total, err)
				}
				// Every job has finished: nothing more may arrive.
				srv.WaitJobsIdle(b)
				if n, dups := smtpSrv.Count(), smtpSrv.Duplicates(); n != total || len(dups) != 0 {
					b.Fatalf("the server received %d messages (%d duplicated), want %d exactly once", n, len(dups), total)
				}
				b.ReportMetric(float64(total)/elapsed.Seconds(), "msgs/s")
				srv.Stop()
				smtpSrv.Close()
			}
		})
	}
}

// benchSequences gives the user a sender profile, n mailboxes on smtpSrv
// (each allowed per messages a day, no warm-up), a completed campaign
// sending through them at any hour with no gap, and n × per drafts to
// distinct addresses; it returns the drafts' ids.
func benchSequences(b *testing.B, srv *apptest.Server, c *apptest.Client, userID string, smtpSrv *sandboxsmtp.Server, n, per int) []string {
	b.Helper()
	if resp := c.JSON("PUT", "/api/settings/sending", map[string]any{"sender_name": "Dana Reyes",
		"postal_address": "100 Congress Ave, Suite 200, Austin, TX 78701"}); resp.Status != http.StatusOK {
		b.Fatalf("sender profile = %d %s", resp.Status, resp.Body)
	}
	host, port, _ := net.SplitHostPort(smtpSrv.Addr())
	portNum, _ := strconv.Atoi(port)
	var boxes []string
	for i := range n {
		resp := c.JSON("POST", "/api/mailboxes", map[string]any{"email": fmt.Sprintf("sender%d@reyes-growth.example", i),
			"smtp_host": host, "smtp_port": portNum, "smtp_security": "none", "smtp_username": sandboxsmtp.DefaultUsername,
			"smtp_password": sandboxsmtp.DefaultPassword, "daily_limit": per, "warmup": map[string]any{"enabled": false}})
		var m mailboxView
		resp.JSON(b, &m)
		if resp.Status != http.StatusCreated {
			b.Fatalf("mailbox = %d %s", resp.Status, resp.Body)
		}
		boxes = append(boxes, m.ID)
	}
	sendingJSON, _ := json.Marshal(map[string]any{"mailbox_ids": boxes, "min_gap_seconds": 0, "max_gap_seconds": 0,
		"schedule": map[string]any{"days": []int{1, 2, 3, 4, 5, 6, 7}, "start": "00:00", "end": "24:00"}})
	ctx := context.Background()
	var ids []string
	err := srv.App.Store.Write(ctx, userID, func(tx *store.Tx) error {
		camp, err := tx.CreateCampaign(ctx, store.CampaignParams{Name: "Bench", BusinessType: "plumber", TargetLocation: "Austin, TX",
			TargetCriteria: []byte(`{}`), Sending: sendingJSON})
		if err != nil {
			return err
		}
		if _, err := tx.SetCampaignStatus(ctx, camp.ID, store.CampaignCompleted, nil); err != nil {
			return err
		}
		emails := []byte(`[{"step": 1, "delay_days": 0, "subject": "A faster site", "body": "Hi,\n\nYour site is slow on a phone.\n\nWorth a look?"}]`)
		for chunk := 0; chunk < n*per; chunk += 500 {
			batch := make([]store.NewProspect, 500)
			for i := range batch {
				email := fmt.Sprintf("owner%d@bench-%d.example", chunk+i, (chunk+i)%97)
				batch[i] = store.NewProspect{CampaignID: camp.ID, CompanyName: "Bench Plumbing", Source: "manual",
					SourceID: store.NewID(), Contact: &store.NewContact{Email: &email, IsPrimary: true, Source: "manual"}}
			}
			pids, err := tx.InsertProspects(ctx, batch)
			if err != nil {
				return err
			}
			for _, pid := range pids {
				cs, err := tx.ContactsOf(ctx, pid)
				if err != nil {
					return err
				}
				d, err := tx.SaveDraft(ctx, mailstore.NewDraft{CampaignID: camp.ID, ProspectID: pid, ContactID: cs[0].ID,
					SequenceType: "cold_email", Subject: "A faster site", Emails: emails, GeneratedBy: "template",
					PromptVersion: "bench", Checks: []byte(`{}`)})
				if err != nil {
					return err
				}
				ids = append(ids, d.ID)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}
