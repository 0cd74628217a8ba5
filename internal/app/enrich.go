package app

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/enrich"
	"github.com/prospectorhq/prospector/internal/enrich/verify"
	"github.com/prospectorhq/prospector/internal/fetch"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/hunter"
	"github.com/prospectorhq/prospector/internal/providers/pagespeed"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// newEnricher builds enrichment from configuration: the hardened fetcher
// always; PageSpeed and Hunter when keyed; research when given.
func newEnricher(cfg *config.Config, s *store.Store, settings providers.Settings, log *slog.Logger,
	research *enrich.Researcher, handoff stage.Handoff) (*enrich.Enricher, error) {
	roots, err := fetchRoots(cfg.FetchCAFile)
	if err != nil {
		return nil, err
	}
	fetcher, err := fetch.New(fetch.Config{UserAgent: cfg.OutboundUA, Allowlist: cfg.FetchAllowlist, Resolver: cfg.DNSResolver, RootCAs: roots})
	if err != nil {
		return nil, fmt.Errorf("fetcher: %w", err)
	}
	website := &enrich.WebsiteAnalyzer{Fetcher: fetcher, Logger: log}
	if cfg.Keys.PageSpeed != "" {
		if website.PageSpeed, err = pagespeed.New(pagespeed.Config{APIKey: cfg.Keys.PageSpeed, BaseURL: cfg.BaseURLs.PageSpeed, Settings: settings}); err != nil {
			return nil, fmt.Errorf("pagespeed client: %w", err)
		}
	}
	people := &enrich.PeopleFinder{Verify: verify.Config{SMTPProbe: cfg.SMTPProbe, HeloName: cfg.SMTPProbeHelo}}
	if cfg.DNSResolver != "" {
		people.Verify.Resolver = fetch.NewResolver(cfg.DNSResolver)
	}
	if cfg.Keys.Hunter != "" {
		// One short poll when verification is still running (202): an
		// address left unknown is better than a job holding a worker for
		// Hunter's default 15 s of polling.
		hc := hunter.Config{APIKey: cfg.Keys.Hunter, BaseURL: cfg.BaseURLs.Hunter, Settings: settings,
			VerifyPolls: 1, VerifyPollInterval: time.Second}
		if people.Hunter, err = hunter.New(hc); err != nil {
			return nil, fmt.Errorf("hunter client: %w", err)
		}
	}
	return enrich.NewEnricher(enrich.EnricherConfig{Store: s, Logger: log, Handoff: handoff, Website: website,
		People: people, Research: research})
}

// fetchRoots is the system's roots plus FETCH_CA_FILE's certificates.
func fetchRoots(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return nil, nil //nolint:nilnil // nil means the system roots to the fetcher
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("FETCH_CA_FILE: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("FETCH_CA_FILE: %s holds no PEM certificate", caFile)
	}
	return pool, nil
}
