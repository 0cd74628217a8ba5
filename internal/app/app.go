// Package app assembles Prospector: configuration, logger, database,
// migrations, services, the HTTP server and the job workers, started in that
// order and stopped in reverse along one path.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	"riverqueue.com/riverui"

	"github.com/prospectorhq/prospector/internal/admin"
	"github.com/prospectorhq/prospector/internal/api"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/billing"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/links"
	"github.com/prospectorhq/prospector/internal/metrics"
	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/privacy"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/instantly"
	"github.com/prospectorhq/prospector/internal/ratelimit"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/tracking"
	"github.com/prospectorhq/prospector/internal/web"
)

// Options choose what this process runs.
type Options struct {
	Logger *slog.Logger
	// Serve starts the HTTP API; Work starts the job workers. `serve` does
	// both, `worker` only works.
	Serve bool
	Work  bool
	// Now overrides the clock (tests).
	Now func() time.Time
	// ShutdownGrace is how long shutdown waits for in-flight requests and
	// running jobs before cancelling them (default 20 s; jobs cancelled
	// then are retried by the next worker).
	ShutdownGrace time.Duration
	// SandboxMail, when the sandbox runs (the demo, tests), reads what its
	// SMTP server received, for the dashboard's sandbox mail page.
	SandboxMail func() []web.SandboxMessage
	// Live times the campaigns' live progress streams (tests tick faster).
	Live api.LiveOptions
}

// App is one running Prospector process.
type App struct {
	cfg   *config.Config
	log   *slog.Logger
	opts  Options
	Store *store.Store
	Queue *pipeline.Queue
	Auth  *auth.Service
	keys  *keys.Box // seals the users' own API keys
	// mailOptions reach mailboxes' servers through the address guard.
	mailOptions sending.MailOptions
	// sending is the sending rules, shared by the send stage's workers and
	// the HTTP surfaces.
	sending  *sending.Service
	tracking *tracking.Service
	// billing is plans, credits and Stripe, shared by the API and the
	// monthly reset job.
	billing  *billing.Service
	server   *server.Server
	listener net.Listener
	// redis holds the shared rate limits (REDIS_URL); nil without it.
	redis *redis.Client
	// metrics and metricsServer exist with METRICS_ADDR only.
	metrics       *metrics.Metrics
	metricsServer *metrics.Server
	metricsServed bool
	// jobsDashboard is River's dashboard at /admin/jobs, with ADMIN_EMAILS
	// only.
	jobsDashboard *riverui.Handler
}

// New opens the database, applies migrations and builds every service. It
// binds the listen address (so tests can use port 0 and read Addr) but
// serves nothing until Run.
func New(ctx context.Context, cfg *config.Config, opts Options) (_ *App, err error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	a := &App{cfg: cfg, log: opts.Logger, opts: opts}
	if cfg.SecretGenerated {
		a.log.Info("generated a SECRET_KEY; set SECRET_KEY in production", slog.String("path", cfg.SecretKeyPath()))
	}
	storeOpts := store.Options{Logger: a.log, Now: opts.Now, OwnerURL: cfg.DatabaseOwnerURL}
	pipelineCfg := pipeline.Config{Logger: a.log, Work: opts.Work, IMAPPollInterval: cfg.IMAPPollInterval}
	if cfg.MetricsAddr != "" {
		a.metrics = metrics.New()
		storeOpts.Observer = a.metrics
		pipelineCfg.Jobs = a.metrics
	}
	a.Store, err = store.Open(ctx, cfg.DatabaseURL, storeOpts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			a.Store.Close() // the one cleanup of every failure below
			if a.metricsServer != nil {
				a.metricsServer.Shutdown(context.WithoutCancel(ctx), false) //nolint:errcheck // failing already
			}
		}
	}()
	var recorder providers.Recorder = usageRecorder{a.Store, a.log}
	if a.metrics != nil {
		recorder = callRecorders{recorder, a.metrics}
		if a.metricsServer, err = metrics.Listen(cfg.MetricsAddr, a.metrics, a.log); err != nil {
			return nil, err
		}
	}
	if err = a.migrate(ctx); err != nil {
		return nil, err
	}
	if a.keys, err = keys.NewBox(cfg.SecretKey); err != nil {
		return nil, err
	}
	if a.mailOptions, err = newMailOptions(cfg); err != nil {
		return nil, err
	}
	settings := providers.Settings{UserAgent: cfg.OutboundUA, Recorder: recorder, Logger: a.log}
	// Always built: a user's own key (BYOK) works without the server's.
	if a.mailOptions.Instantly, err = instantly.New(instantly.Config{APIKey: cfg.Keys.Instantly,
		BaseURL: cfg.BaseURLs.Instantly, Settings: settings}); err != nil {
		return nil, fmt.Errorf("instantly client: %w", err)
	}
	a.Queue = pipeline.NewQueue(a.Store, pipelineCfg)
	if a.sending, err = sending.NewService(a.Store, a.keys, a.Queue, a.mailOptions, a.log); err != nil {
		return nil, err
	}
	if a.tracking, err = tracking.NewService(a.Store, a.sending, a.mailOptions.Links, a.log); err != nil {
		return nil, err
	}
	stages, err := newStages(cfg, a.Store, a.keys, settings, a.log, a.Queue, opts.Now)
	if err != nil {
		return nil, err
	}
	stages.Send = a.sending.Send
	stages.Sync = a.sending.SyncInstantly
	stages.ReadInbox = func(ctx context.Context, userID, mailboxID string) error {
		_, err := a.tracking.ReadInbox(ctx, userID, mailboxID)
		return err
	}
	if a.billing, err = newBilling(cfg, a.Store, settings, a.log, opts.Now); err != nil {
		return nil, err
	}
	stages.ResetCredits = a.billing.ResetDue
	if err = a.Queue.Attach(stages); err != nil {
		return nil, err
	}
	if a.Auth, err = auth.NewService(a.Store, cfg.SecretKey, opts.Now, a.log); err != nil {
		return nil, err
	}
	if opts.Serve {
		if err = a.buildServer(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *App) migrate(ctx context.Context) error {
	applied, err := a.Store.Migrate(ctx)
	if err != nil {
		return err
	}
	n, err := pipeline.Migrate(ctx, a.Store)
	if err != nil {
		return err
	}
	if len(applied) > 0 || n > 0 {
		a.log.Info("database migrated", slog.Int("prospector", len(applied)), slog.Int("river", n))
	}
	return nil
}

func (a *App) buildServer() error {
	public, err := url.Parse(a.cfg.PublicURL)
	if err != nil {
		return fmt.Errorf("PUBLIC_URL: %w", err)
	}
	var limit ratelimit.Limiter
	switch {
	case a.cfg.RateLimitPerMinute == 0:
	case a.cfg.RedisURL != "":
		opts, err := redis.ParseURL(a.cfg.RedisURL)
		if err != nil {
			return errors.New("REDIS_URL: not a redis:// or rediss:// URL")
		}
		// go-redis logs on its own (a dial that fails) to standard error
		// by default; the setting is the library's, for the whole process.
		redis.SetLogger(ratelimit.NewRedisLogger(a.log))
		a.redis = redis.NewClient(opts)
		limit = ratelimit.NewRedis(a.redis, a.cfg.RateLimitPerMinute, a.log)
	default:
		limit = ratelimit.NewMemory(a.cfg.RateLimitPerMinute)
	}
	serverCfg := server.Config{
		Logger:         a.log,
		Auth:           a.Auth,
		InternalToken:  a.cfg.InternalAPIToken,
		PublicOrigin:   public.Scheme + "://" + public.Host,
		TrustedProxies: a.cfg.TrustedProxies,
		RateLimit:      limit,
	}
	if a.metrics != nil {
		serverCfg.Requests = a.metrics
	}
	a.server, err = server.New(serverCfg)
	if err != nil {
		return err
	}
	svc, err := newServices(a.Store, a.Queue, a.keys, a.sending)
	if err != nil {
		return err
	}
	privacyService, err := privacy.NewService(a.Store, a.Auth, svc.prospects, a.log)
	if err != nil {
		return err
	}
	jsonAPI, err := api.New(api.Deps{
		Store:         a.Store,
		Auth:          a.Auth,
		Campaigns:     a.campaigns(),
		Outreach:      svc.outreach,
		Prospects:     svc.prospects,
		APIKeys:       svc.apiKeys,
		Sending:       svc.sending,
		Tracking:      a.tracking,
		Suppressions:  svc.suppressions,
		Privacy:       privacyService,
		Billing:       a.billing,
		Logger:        a.log,
		SecureCookies: public.Scheme == "https",
		Live:          a.opts.Live,
	})
	if err != nil {
		return err
	}
	dashboard, err := web.New(web.Deps{Auth: a.Auth, Campaigns: a.campaigns(), Outreach: svc.outreach, Sending: svc.sending, Tracking: a.tracking, Suppressions: svc.suppressions,
		Prospects: svc.prospects, APIKeys: svc.apiKeys, Privacy: privacyService, Billing: a.billing, SecureCookies: public.Scheme == "https",
		SandboxMail: a.opts.SandboxMail})
	if err != nil {
		return err
	}
	a.server.Mount(server.Health{Ready: func(r *http.Request) error { return a.Ready(r.Context()) }})
	a.server.Mount(jsonAPI)
	a.server.Mount(dashboard)
	a.server.Mount(links.Surface{Unsubscribes: a.tracking, Tracking: a.tracking})
	if len(a.cfg.AdminEmails) > 0 {
		if a.jobsDashboard, err = a.Queue.Dashboard(admin.JobsPath); err != nil {
			return err
		}
		adminSurface, err := admin.New(admin.Surface{Jobs: a.jobsDashboard, Admins: a.cfg.AdminEmails, Profiles: a.Auth, Logger: a.log})
		if err != nil {
			return err
		}
		a.server.Mount(adminSurface)
	}
	a.listener, err = net.Listen("tcp", a.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("LISTEN_ADDR: %w", err)
	}
	return nil
}

// campaigns is the campaign rules over this app's store, queue and sending.
func (a *App) campaigns() *campaign.Service {
	return &campaign.Service{Store: a.Store, Jobs: a.Queue, Sending: a.sending, InstantlyKey: a.cfg.Keys.Instantly != ""}
}

// Addr is the address the HTTP server listens on ("" when not serving).
func (a *App) Addr() string {
	if a.listener == nil {
		return ""
	}
	return a.listener.Addr().String()
}

// Route is the pattern of the HTTP route that would answer a method
// request for path ("" when not serving or none would).
func (a *App) Route(method, path string) string {
	if a.server == nil {
		return ""
	}
	return a.server.Route(method, path)
}

// MetricsAddr is the address /metrics is served on ("" without
// METRICS_ADDR).
func (a *App) MetricsAddr() string {
	if a.metricsServer == nil {
		return ""
	}
	return a.metricsServer.Addr()
}

// Ready reports whether the database answers and both schemas are current.
func (a *App) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.Store.Ping(ctx); err != nil {
		return err
	}
	if err := a.Store.CheckSchema(ctx); err != nil {
		return err
	}
	return pipeline.CheckMigrations(ctx, a.Store)
}

// Run serves until ctx is cancelled, then shuts down: stop accepting and
// finish in-flight requests, then stop the workers softly, then hard.
func (a *App) Run(ctx context.Context) error {
	// Cancelling River's start context is its abrupt stop (running jobs'
	// contexts are cancelled at once); shutdown below stops it softly
	// first, so the workers must not see ctx end.
	if err := a.Queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	if a.metricsServer != nil {
		a.log.Info("serving metrics", slog.String("addr", a.metricsServer.Addr()))
		a.metricsServer.Serve()
		a.metricsServed = true
	}
	// The job dashboard's background work (its cached counts) runs until
	// the server has shut down.
	dashCtx, stopDashboard := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDashboard()
	if a.jobsDashboard != nil {
		if err := a.jobsDashboard.Start(dashCtx); err != nil {
			return fmt.Errorf("start job dashboard: %w", err)
		}
	}
	serveErr := make(chan error, 1)
	if a.server != nil {
		go func() {
			a.log.Info("serving", slog.String("addr", a.Addr()))
			if err := a.server.Serve(a.listener); !errors.Is(err, http.ErrServerClosed) {
				serveErr <- err
				return
			}
			serveErr <- nil
		}()
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-serveErr:
	}
	a.log.Info("shutting down")

	grace := a.opts.ShutdownGrace
	if grace <= 0 {
		grace = 20 * time.Second
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if a.server != nil {
		if err := a.server.Shutdown(stopCtx); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("http shutdown: %w", err))
		}
	}
	stopDashboard()
	if err := a.Queue.Stop(stopCtx); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("stop workers: %w", err))
	}
	// Metrics last, so a scrape during shutdown still answers.
	if a.metricsServer != nil {
		if err := a.metricsServer.Shutdown(stopCtx, a.metricsServed); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("metrics shutdown: %w", err))
		}
	}
	return runErr
}

// Close releases the database. Call it after Run returns.
func (a *App) Close() error {
	if a.listener != nil {
		a.listener.Close()
	}
	if a.redis != nil {
		a.redis.Close()
	}
	if a.metricsServer != nil && !a.metricsServed {
		a.metricsServer.Shutdown(context.Background(), false) //nolint:errcheck // closing the listener only
	}
	return a.Store.Close()
}
