package app

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/sandbox"
	sandboximap "github.com/prospectorhq/prospector/internal/sandbox/imap"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/web"
)

// demoIMAPPollInterval is IMAP_POLL_INTERVAL in the demo unless set.
const demoIMAPPollInterval = "5s"

// DemoEmail is the demo account's login.
const DemoEmail = "demo@prospector.test"

// demo runs the whole product offline: the sandbox's fictional services, the
// real clients pointed at them, SQLite in a fresh folder, a demo account and
// a demo campaign ready to start.
func demo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", "", "data folder (default: a fresh temporary folder)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		dir, err := os.MkdirTemp("", "prospector-demo-")
		if err != nil {
			fmt.Fprintf(stderr, "prospector: demo: %v\n", err)
			return 1
		}
		*dataDir = dir
	} else if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		// A folder named for the first time is made, as `serve` makes DATA_DIR.
		fmt.Fprintf(stderr, "prospector: demo: data folder: %v\n", err)
		return 1
	}

	sb, err := sandbox.Start(ctx, sandbox.Options{WebsitePorts: true})
	if err != nil {
		fmt.Fprintf(stderr, "prospector: demo: start sandbox: %v\n", err)
		return 1
	}
	defer sb.Close()
	if _, err := sb.WriteCA(*dataDir); err != nil {
		fmt.Fprintf(stderr, "prospector: demo: sandbox CA: %v\n", err)
		return 1
	}

	env := map[string]string{
		"DATA_DIR":     *dataDir,
		"DATABASE_URL": "sqlite:" + filepath.Join(*dataDir, "prospector.db"),
	}
	for k, v := range sb.Env() {
		env[k] = v
	}
	demoEnv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if v := getenv(k); v != "" || k != "IMAP_POLL_INTERVAL" {
			return v
		}
		// The businesses' answers arrive seconds after a send: read the
		// demo inbox often, so replies show within seconds of approving.
		return demoIMAPPollInterval
	}
	cfg, err := config.Load(demoEnv)
	if err != nil {
		fmt.Fprintf(stderr, "prospector: configuration: %v\n", err)
		return 1
	}
	log := NewLogger(stderr, cfg)
	a, err := New(ctx, cfg, Options{Logger: log, Serve: true, Work: true, SandboxMail: SandboxMail(sb)})
	if err != nil {
		fmt.Fprintf(stderr, "prospector: %v\n", err)
		return 1
	}
	defer a.Close()
	// Upgrading in the demo ends on the sandbox's payment page, whose "Pay"
	// delivers signed Stripe webhooks to this server.
	sb.Stripe().SetWebhook("http://" + a.Addr() + "/api/webhooks/stripe")

	password, err := a.demoAccount(ctx, sb)
	if err != nil {
		fmt.Fprintf(stderr, "prospector: demo account: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Prospector demo: http://%s\n", a.Addr())
	fmt.Fprintf(stdout, "Log in as %s, password %s\n", DemoEmail, password)
	fmt.Fprintf(stdout, "Data folder: %s\n", *dataDir)
	fmt.Fprintf(stdout, "Every business, website and number here is fictional sandbox data; no real service is called.\n")
	fmt.Fprintf(stdout, "Open the URL in a browser and log in: the dashboard has the demo campaign, ready to start.\n")
	fmt.Fprintf(stdout, "To upgrade, POST /api/billing/checkout {\"plan\":\"growth\"} and open the url: the sandbox payment page's Pay button sends signed Stripe webhooks, and GET /api/billing shows the new credits.\n")
	fmt.Fprintf(stdout, "Or use the JSON API: log in with POST /api/auth/login, find the demo campaign with GET /api/campaigns, start it with POST /api/campaigns/{id}/start and watch GET /api/campaigns/{id}/stats.\n")

	if err := a.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "prospector: %v\n", err)
		return 1
	}
	return 0
}

// demoAccount creates the demo login (or gives an existing one a new
// password), its sender profile and a mailbox on the sandbox's SMTP and
// IMAP servers, and a draft campaign sending through it, ready to start;
// it returns the password.
func (a *App) demoAccount(ctx context.Context, sb *sandbox.Sandbox) (string, error) {
	raw := make([]byte, 10)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	password := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	company := "Demo Agency"
	name := "Demo User"

	var userID string
	g, err := a.Auth.Signup(ctx, auth.SignupParams{Email: DemoEmail, Password: password, FullName: &name, CompanyName: &company})
	switch {
	case err == nil:
		userID = g.Profile.ID
	case apperr.CodeOf(err) == apperr.CodeEmailTaken:
		hash, err := auth.HashPassword(password)
		if err != nil {
			return "", err
		}
		err = a.Store.Write(ctx, "", func(tx *store.Tx) error {
			creds, err := tx.CredentialsByEmail(ctx, DemoEmail)
			if err != nil {
				return err
			}
			userID = creds.UserID
			return tx.SetPasswordHash(ctx, userID, hash)
		})
		if err != nil {
			return "", err
		}
	default:
		return "", err
	}

	mailboxID, err := a.demoSender(ctx, userID, sb)
	if err != nil {
		return "", errors.Join(errors.New("demo sender"), err)
	}
	svc := a.campaigns()
	var existing []store.Campaign
	err = a.Store.Read(ctx, userID, func(tx *store.Tx) error {
		var err error
		existing, _, err = tx.ListCampaigns(ctx, store.Page{Limit: 1})
		return err
	})
	if err != nil {
		return "", err
	}
	if len(existing) == 0 {
		_, err = svc.Create(ctx, userID, campaign.Input{
			Name: "Plumbers in Austin, TX (sandbox)", BusinessType: "plumber", TargetLocation: "Austin, TX",
			TargetCriteria: []byte(`{"max_results": 200}`),
			// Every hour of every day, a few seconds apart: approving a
			// draft in the demo sends it within seconds, whenever it runs.
			Sending: []byte(`{"mailbox_ids": ["` + mailboxID + `"], "schedule": {"days": [1, 2, 3, 4, 5, 6, 7], "start": "00:00", "end": "24:00"},
				"min_gap_seconds": 2, "max_gap_seconds": 5}`),
		})
		if err != nil {
			return "", errors.Join(errors.New("create demo campaign"), err)
		}
	}
	return password, nil
}

// demoSender gives the demo account a sender profile, plainly fictional,
// so its drafts are signed, and a mailbox that sends through the sandbox's
// SMTP server and whose inbox is on its IMAP server, and returns that
// mailbox's id. A profile or mailbox already there is kept, its servers
// pointed at this run's sandbox.
func (a *App) demoSender(ctx context.Context, userID string, sb *sandbox.Sandbox) (string, error) {
	svc := a.sending
	p, err := svc.Profile(ctx, userID)
	if err != nil {
		return "", err
	}
	if p.SenderName == "" {
		_, err = svc.PutProfile(ctx, userID, sending.ProfileInput{
			SenderName: "Dana Demo", CompanyName: "Demo Agency (fictional)",
			PostalAddress: "100 Sandbox Street, Suite 1, Austin, TX 78701 (a fictional address for the demo)",
			Signature:     "Dana Demo\nDemo Agency (fictional)", DefaultTimezone: "America/Chicago",
		})
		if err != nil {
			return "", err
		}
	}
	host, portNum, err := splitHostPort(sb.SMTP.Addr())
	if err != nil {
		return "", err
	}
	imapHost, imapPort, err := splitHostPort(sb.IMAP.Addr())
	if err != nil {
		return "", err
	}
	email, name, security := "dana@demo-agency.example", "Dana Demo", sending.SecurityNone
	user, password := sandboxsmtp.DefaultUsername, sandboxsmtp.DefaultPassword
	// The inbox is made fresh with each run's sandbox. Plain text on
	// loopback, as for SMTP: the mail clients trust the system's roots
	// only, not the sandbox CA.
	imapPassword := sandboximap.DefaultPassword
	if err := sb.IMAP.AddUser(email, imapPassword); err != nil {
		return "", err
	}
	// No warm-up and a high limit: the sandbox is no reputation to protect.
	limit, warmup := 500, false
	server := sending.MailboxInput{SMTPHost: &host, SMTPPort: &portNum, SMTPSecurity: &security, SMTPUsername: &user, SMTPPassword: &password,
		IMAPHost: &imapHost, IMAPPort: &imapPort, IMAPSecurity: &security, IMAPUsername: &email, IMAPPassword: &imapPassword,
		DailyLimit: &limit, Warmup: &sending.WarmupInput{Enabled: &warmup}}
	existing, _, err := svc.Mailboxes(ctx, userID, store.Page{Limit: 100})
	if err != nil {
		return "", err
	}
	for _, m := range existing {
		if m.Email == email {
			// A restarted demo's sandbox listens on a new port.
			_, err := svc.UpdateMailbox(ctx, userID, m.ID, server)
			return m.ID, err
		}
	}
	server.Email, server.FromName = &email, &name
	m, err := svc.CreateMailbox(ctx, userID, server)
	if err != nil {
		return "", err
	}
	return m.ID, nil
}

// splitHostPort is a listener's "host:port" as a mailbox's host and port.
func splitHostPort(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(port)
	return host, n, err
}

// SandboxMail reads what sb's SMTP server received, for the dashboard's
// sandbox mail page.
func SandboxMail(sb *sandbox.Sandbox) func() []web.SandboxMessage {
	if sb.SMTP == nil {
		return nil
	}
	return func() []web.SandboxMessage {
		got := sb.SMTP.Messages()
		out := make([]web.SandboxMessage, len(got))
		for i, m := range got {
			out[i] = web.SandboxMessage{From: m.From, To: m.To, At: m.At, Data: m.Data}
		}
		return out
	}
}
