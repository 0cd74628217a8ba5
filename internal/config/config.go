// Package config turns the environment into a typed, validated Config.
//
// Every setting has a default in code; a bad value stops the program at start
// with one line naming the variable. Secrets may also be read from a file
// named by the variable with a _FILE suffix (for container secrets).
package config

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/agent"
)

// Config is everything the program reads from its environment.
type Config struct {
	DataDir     string
	DatabaseURL string
	// DatabaseOwnerURL (PostgreSQL only) connects as the role that owns the
	// tables; with it, DatabaseURL's role gets only the grants the
	// application needs (see internal/store).
	DatabaseOwnerURL string
	ListenAddr       string
	PublicURL        string
	SecretKey        []byte
	SecretGenerated  bool // true when SecretKey was created in DataDir on this start
	InternalAPIToken string
	LogLevel         slog.Level
	LogFormat        string // "text" or "json"
	OutboundUA       string
	FetchAllowlist   []string
	// SendAllowlist is FetchAllowlist for mail servers (SEND_ALLOWLIST):
	// host:port pairs a mailbox may use although loopback or private.
	SendAllowlist []string
	// FetchCAFile adds the PEM certificates in this file to the roots the
	// outbound fetcher trusts (the demo's sandbox CA).
	FetchCAFile string
	DNSResolver string
	// SMTPProbe turns on the RCPT TO probe in email verification; off by
	// default (see internal/enrich/verify). SMTPProbeHelo is the name it
	// introduces itself with.
	SMTPProbe     bool
	SMTPProbeHelo string
	RedisURL      string
	Production    bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For entries
	// are believed (TRUSTED_PROXIES); empty trusts none.
	TrustedProxies []netip.Prefix
	// RateLimitPerMinute bounds each user's API requests, and each client
	// address's on the sign-in pages, per minute (RATE_LIMIT_PER_MINUTE,
	// default 600; 0 turns it off).
	RateLimitPerMinute int
	// IMAPPollInterval is how often each mailbox's inbox is read for
	// replies and bounces (IMAP_POLL_INTERVAL, default 60 s, 1 s to 1 h).
	IMAPPollInterval time.Duration
	// MetricsAddr is where Prometheus's /metrics is served, on a listener
	// of its own (METRICS_ADDR); empty turns metrics off.
	MetricsAddr string
	// AdminEmails are the operators who may open the job dashboard
	// (ADMIN_EMAILS), lowercased.
	AdminEmails []string

	Keys     ServiceKeys
	BaseURLs ServiceURLs
	Models   Models
	// StripePrices are the Stripe Price ids of the paid plans
	// (STRIPE_PRICE_GROWTH, STRIPE_PRICE_SCALE), by plan id; a plan
	// without one cannot be bought here.
	StripePrices map[string]string
}

// Models are the Claude model ids, per use.
type Models struct {
	Writer  string // ANTHROPIC_MODEL_WRITER: writes sequences
	Analyst string // ANTHROPIC_MODEL_ANALYST: research, score adjustment
}

// ServiceKeys are the server-wide API keys. An empty key switches that service off.
type ServiceKeys struct {
	Anthropic           string
	Hunter              string
	Instantly           string
	GoogleMaps          string
	Yelp                string
	PageSpeed           string
	StripeSecret        string
	StripeWebhookSecret string
}

// ServiceURLs are the external services' base URLs, overridable so tests and
// the demo can point the real clients at the sandbox.
type ServiceURLs struct {
	GooglePlaces string
	Yelp         string
	Nominatim    string
	Overpass     string
	Hunter       string
	PageSpeed    string
	Anthropic    string
	Instantly    string
	Stripe       string
}

// Version is set at build time with -ldflags "-X ...config.Version=v1.2.3".
var Version = "dev"

// secretKeyFile is where a generated SECRET_KEY is kept inside DATA_DIR.
const secretKeyFile = "secret_key"

// minSecretLen is the shortest SECRET_KEY or INTERNAL_API_TOKEN accepted: 32
// characters of hex are 128 bits, out of reach of guessing.
const minSecretLen = 32

// Load reads the configuration from getenv (os.Getenv in production, a map in
// tests). It creates DATA_DIR and, when SECRET_KEY is unset outside
// production, a secret key file inside it.
func Load(getenv func(string) string) (*Config, error) {
	var fileErr error
	secret := func(name string) string {
		v, err := readSecret(getenv, name)
		if err != nil && fileErr == nil {
			fileErr = err
		}
		return v
	}
	c := &Config{
		DataDir:          envOr(getenv, "DATA_DIR", "data"),
		ListenAddr:       envOr(getenv, "LISTEN_ADDR", "127.0.0.1:8080"),
		InternalAPIToken: secret("INTERNAL_API_TOKEN"),
		LogFormat:        envOr(getenv, "LOG_FORMAT", "text"),
		DNSResolver:      getenv("DNS_RESOLVER"),
		FetchCAFile:      strings.TrimSpace(getenv("FETCH_CA_FILE")),
		RedisURL:         secret("REDIS_URL"),
		Keys: ServiceKeys{
			Anthropic:           secret("ANTHROPIC_API_KEY"),
			Hunter:              secret("HUNTER_API_KEY"),
			Instantly:           secret("INSTANTLY_API_KEY"),
			GoogleMaps:          secret("GOOGLE_MAPS_API_KEY"),
			Yelp:                secret("YELP_API_KEY"),
			PageSpeed:           secret("PAGESPEED_API_KEY"),
			StripeSecret:        secret("STRIPE_SECRET_KEY"),
			StripeWebhookSecret: secret("STRIPE_WEBHOOK_SECRET"),
		},
		BaseURLs: ServiceURLs{
			GooglePlaces: envOr(getenv, "GOOGLE_PLACES_BASE_URL", "https://places.googleapis.com"),
			Yelp:         envOr(getenv, "YELP_BASE_URL", "https://api.yelp.com/v3"),
			Nominatim:    envOr(getenv, "NOMINATIM_URL", "https://nominatim.openstreetmap.org"),
			Overpass:     envOr(getenv, "OVERPASS_URL", "https://overpass-api.de/api/interpreter"),
			Hunter:       envOr(getenv, "HUNTER_BASE_URL", "https://api.hunter.io/v2"),
			PageSpeed:    envOr(getenv, "PAGESPEED_BASE_URL", "https://www.googleapis.com/pagespeedonline/v5"),
			Anthropic:    envOr(getenv, "ANTHROPIC_BASE_URL", "https://api.anthropic.com"),
			Instantly:    envOr(getenv, "INSTANTLY_BASE_URL", "https://api.instantly.ai/api/v2"),
			Stripe:       envOr(getenv, "STRIPE_API_BASE", "https://api.stripe.com"),
		},
		StripePrices: map[string]string{
			"growth": strings.TrimSpace(getenv("STRIPE_PRICE_GROWTH")),
			"scale":  strings.TrimSpace(getenv("STRIPE_PRICE_SCALE")),
		},
		Models: Models{
			Writer:  envOr(getenv, "ANTHROPIC_MODEL_WRITER", agent.DefaultWriterModel),
			Analyst: envOr(getenv, "ANTHROPIC_MODEL_ANALYST", agent.DefaultAnalystModel),
		},
	}

	if fileErr != nil {
		return nil, fileErr
	}
	// The token is the only thing between the internet and the cross-tenant
	// internal routes, so a short one is refused rather than guessed.
	if t := c.InternalAPIToken; t != "" && len(t) < minSecretLen {
		return nil, fmt.Errorf("INTERNAL_API_TOKEN: must be at least %d characters (e.g. openssl rand -hex 32)", minSecretLen)
	}
	switch env := strings.ToLower(getenv("APP_ENV")); env {
	case "", "development", "dev", "test":
	case "production", "prod":
		c.Production = true
	default:
		return nil, fmt.Errorf("APP_ENV: %q is not one of development, production", env)
	}

	if err := c.LogLevel.UnmarshalText([]byte(envOr(getenv, "LOG_LEVEL", "info"))); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL: %q is not one of debug, info, warn, error", getenv("LOG_LEVEL"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return nil, fmt.Errorf("LOG_FORMAT: %q is not one of text, json", c.LogFormat)
	}
	if _, _, err := net.SplitHostPort(c.ListenAddr); err != nil {
		return nil, fmt.Errorf("LISTEN_ADDR: %q is not host:port", c.ListenAddr)
	}
	if c.DNSResolver != "" {
		if _, _, err := net.SplitHostPort(c.DNSResolver); err != nil {
			return nil, fmt.Errorf("DNS_RESOLVER: %q is not host:port", c.DNSResolver)
		}
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("SMTP_PROBE"))); v {
	case "", "0", "false", "off":
	case "1", "true", "on":
		c.SMTPProbe = true
		c.SMTPProbeHelo = strings.TrimSpace(getenv("SMTP_PROBE_HELO"))
		if c.SMTPProbeHelo == "" {
			return nil, errors.New("SMTP_PROBE_HELO: required when SMTP_PROBE is on (a host name whose DNS matches this server)")
		}
	default:
		return nil, fmt.Errorf("SMTP_PROBE: %q is not true or false", v)
	}
	if c.FetchCAFile != "" {
		if _, err := os.Stat(c.FetchCAFile); err != nil {
			return nil, fmt.Errorf("FETCH_CA_FILE: cannot read %q", c.FetchCAFile)
		}
	}
	var err error
	if c.FetchAllowlist, err = hostPorts("FETCH_ALLOWLIST", getenv("FETCH_ALLOWLIST")); err != nil {
		return nil, err
	}
	if c.SendAllowlist, err = hostPorts("SEND_ALLOWLIST", getenv("SEND_ALLOWLIST")); err != nil {
		return nil, err
	}
	proxies, err := parseTrustedProxies(getenv("TRUSTED_PROXIES"))
	if err != nil {
		return nil, err
	}
	c.TrustedProxies = proxies
	c.RateLimitPerMinute = 600
	if v := strings.TrimSpace(getenv("RATE_LIMIT_PER_MINUTE")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("RATE_LIMIT_PER_MINUTE: %q is not a whole number of requests (0 turns the limit off)", v)
		}
		c.RateLimitPerMinute = n
	}
	c.IMAPPollInterval = time.Minute
	if v := strings.TrimSpace(getenv("IMAP_POLL_INTERVAL")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > time.Hour {
			return nil, fmt.Errorf("IMAP_POLL_INTERVAL: %q is not a duration from 1s to 1h (e.g. 60s, 5m)", v)
		}
		c.IMAPPollInterval = d
	}

	if c.MetricsAddr, err = parseMetricsAddr(getenv("METRICS_ADDR")); err != nil {
		return nil, err
	}
	if c.AdminEmails, err = parseAdminEmails(getenv("ADMIN_EMAILS")); err != nil {
		return nil, err
	}

	for plan, price := range c.StripePrices {
		if price != "" && !strings.HasPrefix(price, "price_") {
			return nil, fmt.Errorf("STRIPE_PRICE_%s: %q is not a Stripe Price id (price_…)", strings.ToUpper(plan), price)
		}
	}

	c.PublicURL = strings.TrimRight(envOr(getenv, "PUBLIC_URL", "http://"+c.ListenAddr), "/")
	if err := checkURL("PUBLIC_URL", c.PublicURL); err != nil {
		return nil, err
	}
	for name, v := range map[string]string{
		"GOOGLE_PLACES_BASE_URL": c.BaseURLs.GooglePlaces, "YELP_BASE_URL": c.BaseURLs.Yelp,
		"NOMINATIM_URL": c.BaseURLs.Nominatim, "OVERPASS_URL": c.BaseURLs.Overpass,
		"HUNTER_BASE_URL": c.BaseURLs.Hunter, "PAGESPEED_BASE_URL": c.BaseURLs.PageSpeed,
		"ANTHROPIC_BASE_URL": c.BaseURLs.Anthropic, "INSTANTLY_BASE_URL": c.BaseURLs.Instantly,
		"STRIPE_API_BASE": c.BaseURLs.Stripe,
	} {
		if err := checkURL(name, v); err != nil {
			return nil, err
		}
	}
	for _, m := range []struct{ name, v string }{
		{"ANTHROPIC_MODEL_WRITER", c.Models.Writer}, {"ANTHROPIC_MODEL_ANALYST", c.Models.Analyst},
	} {
		if err := checkModel(m.name, m.v); err != nil {
			return nil, err
		}
	}
	c.OutboundUA = envOr(getenv, "OUTBOUND_USER_AGENT", fmt.Sprintf("Prospector/%s (+%s)", Version, c.PublicURL))

	c.DatabaseURL = envOr(getenv, "DATABASE_URL", "sqlite:"+filepath.Join(c.DataDir, "prospector.db"))
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return nil, errors.New("DATABASE_URL: must start with sqlite: or postgres://")
	}
	if c.DatabaseOwnerURL = strings.TrimSpace(secret("DATABASE_OWNER_URL")); fileErr != nil {
		return nil, fileErr
	}
	if c.DatabaseOwnerURL != "" {
		if strings.HasPrefix(c.DatabaseURL, "sqlite:") {
			return nil, errors.New("DATABASE_OWNER_URL: only for PostgreSQL (DATABASE_URL is SQLite)")
		}
		if !strings.HasPrefix(c.DatabaseOwnerURL, "postgres://") && !strings.HasPrefix(c.DatabaseOwnerURL, "postgresql://") {
			return nil, errors.New("DATABASE_OWNER_URL: must start with postgres://")
		}
	}

	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("DATA_DIR: cannot create %q: %v", c.DataDir, err)
	}
	secretKey := secret("SECRET_KEY")
	if fileErr != nil {
		return nil, fileErr
	}
	if err := c.loadSecretKey(secretKey); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) loadSecretKey(fromEnv string) error {
	if fromEnv != "" {
		if len(fromEnv) < minSecretLen {
			return fmt.Errorf("SECRET_KEY: must be at least %d characters", minSecretLen)
		}
		c.SecretKey = []byte(fromEnv)
		return nil
	}
	if c.Production {
		return errors.New("SECRET_KEY: required when APP_ENV=production")
	}
	path := filepath.Join(c.DataDir, secretKeyFile)
	if b, err := os.ReadFile(path); err == nil {
		key := strings.TrimSpace(string(b))
		if len(key) < minSecretLen {
			return fmt.Errorf("SECRET_KEY: the generated key in %s is too short; delete it to make a new one", path)
		}
		c.SecretKey = []byte(key)
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("SECRET_KEY: cannot read %s: %v", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("SECRET_KEY: generate: %v", err)
	}
	key := hex.EncodeToString(raw)
	// O_EXCL so two processes starting at once never overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("SECRET_KEY: cannot write %s: %v", path, err)
	}
	defer f.Close()
	if _, err := f.WriteString(key + "\n"); err != nil {
		return fmt.Errorf("SECRET_KEY: cannot write %s: %v", path, err)
	}
	c.SecretKey = []byte(key)
	c.SecretGenerated = true
	return nil
}

// SecretKeyPath is where a generated key is stored, for the start-up log line.
func (c *Config) SecretKeyPath() string { return filepath.Join(c.DataDir, secretKeyFile) }

// LogValue keeps secrets out of logs whenever the config is printed.
func (c *Config) LogValue() slog.Value {
	on := func(key string) string {
		if key == "" {
			return "off"
		}
		return "on"
	}
	return slog.GroupValue(
		slog.String("data_dir", c.DataDir),
		slog.String("database", redactURL(c.DatabaseURL)),
		slog.String("database_owner", cmp.Or(redactURL(c.DatabaseOwnerURL), "off")),
		slog.String("listen_addr", c.ListenAddr),
		slog.String("public_url", c.PublicURL),
		slog.Bool("production", c.Production),
		slog.Int("trusted_proxies", len(c.TrustedProxies)),
		slog.String("internal_api", on(c.InternalAPIToken)),
		slog.String("anthropic", on(c.Keys.Anthropic)),
		slog.String("model_writer", c.Models.Writer),
		slog.String("model_analyst", c.Models.Analyst),
		slog.String("hunter", on(c.Keys.Hunter)),
		slog.String("instantly", on(c.Keys.Instantly)),
		slog.String("google_maps", on(c.Keys.GoogleMaps)),
		slog.String("yelp", on(c.Keys.Yelp)),
		slog.String("pagespeed", on(c.Keys.PageSpeed)),
		slog.String("stripe", on(c.Keys.StripeSecret)),
		slog.String("stripe_webhooks", on(c.Keys.StripeWebhookSecret)),
	)
}

func envOr(getenv func(string) string, name, def string) string {
	if v := strings.TrimSpace(getenv(name)); v != "" {
		return v
	}
	return def
}

// readSecret reads NAME, or the file named by NAME_FILE.
func readSecret(getenv func(string) string, name string) (string, error) {
	if v := strings.TrimSpace(getenv(name)); v != "" {
		return v, nil
	}
	path := strings.TrimSpace(getenv(name + "_FILE"))
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: cannot read %q: %v", name, path, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func checkURL(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: %q is not an http(s) URL", name, v)
	}
	return nil
}

// maxModelLen bounds a model id; real ids are a few dozen characters.
const maxModelLen = 100

// checkModel accepts a model id: not empty, at most maxModelLen bytes, no
// spaces or control characters. Whether the API knows the model is only
// learned on the first call.
func checkModel(name, v string) error {
	if v == "" || len(v) > maxModelLen {
		return fmt.Errorf("%s: %q is not a model id (1 to %d characters)", name, truncate(v, 40), maxModelLen)
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return fmt.Errorf("%s: %q is not a model id (no spaces)", name, truncate(v, 40))
	}
	return nil
}

// truncate shortens s for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// redactURL hides the password in a database URL.
func redactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		return v
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// hostPorts reads a comma-separated list of host:port pairs.
func hostPorts(name, v string) ([]string, error) {
	var out []string
	for _, pair := range strings.Split(v, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(pair); err != nil {
			return nil, fmt.Errorf("%s: %q is not host:port", name, truncate(pair, 60))
		}
		out = append(out, pair)
	}
	return out, nil
}
