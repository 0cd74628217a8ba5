package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/agent"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(env(map[string]string{"DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != "127.0.0.1:8080" || c.DatabaseURL != "sqlite:"+filepath.Join(dir, "prospector.db") ||
		c.PublicURL != "http://127.0.0.1:8080" || c.BaseURLs.Yelp != "https://api.yelp.com/v3" {
		t.Errorf("defaults = %+v", c)
	}
	if c.Models.Writer != agent.DefaultWriterModel || c.Models.Analyst != agent.DefaultAnalystModel {
		t.Errorf("models = %+v, want %s and %s", c.Models, agent.DefaultWriterModel, agent.DefaultAnalystModel)
	}
	if !strings.HasPrefix(c.OutboundUA, "Prospector/") || !strings.Contains(c.OutboundUA, c.PublicURL) {
		t.Errorf("user agent = %q", c.OutboundUA)
	}
}

func TestGeneratedSecretKeyIsKeptPrivateAndReused(t *testing.T) {
	dir := t.TempDir()
	first, err := Load(env(map[string]string{"DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if !first.SecretGenerated || len(first.SecretKey) < 32 {
		t.Fatalf("first start: generated=%v len=%d", first.SecretGenerated, len(first.SecretKey))
	}
	info, err := os.Stat(filepath.Join(dir, "secret_key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret key file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
	second, err := Load(env(map[string]string{"DATA_DIR": dir}))
	if err != nil || second.SecretGenerated || string(second.SecretKey) != string(first.SecretKey) {
		t.Errorf("second start must reuse the key: generated=%v same=%v err=%v", second.SecretGenerated,
			string(second.SecretKey) == string(first.SecretKey), err)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "key")
	os.WriteFile(secretFile, []byte("from-a-file-0123456789-0123456789-abc\n"), 0o600)
	shortTokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(shortTokenFile, []byte("internal-token-0123456789\n"), 0o600)
	tests := []struct {
		name    string
		env     map[string]string
		wantVar string
	}{
		{"listen addr", map[string]string{"LISTEN_ADDR": "8080"}, "LISTEN_ADDR"},
		{"database url", map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{"owner url with sqlite", map[string]string{"DATABASE_OWNER_URL": "postgres://owner@db/p"}, "DATABASE_OWNER_URL"},
		{"owner url not postgres", map[string]string{"DATABASE_URL": "postgres://app@db/p", "DATABASE_OWNER_URL": "sqlite:x.db"}, "DATABASE_OWNER_URL"},
		{"log level", map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"log format", map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{"short secret", map[string]string{"SECRET_KEY": "short"}, "SECRET_KEY"},
		{"short internal token", map[string]string{"INTERNAL_API_TOKEN": strings.Repeat("t", 31)}, "INTERNAL_API_TOKEN"},
		{"short internal token from a file", map[string]string{"INTERNAL_API_TOKEN_FILE": shortTokenFile}, "INTERNAL_API_TOKEN"},
		{"production without secret", map[string]string{"APP_ENV": "production"}, "SECRET_KEY"},
		{"bad app env", map[string]string{"APP_ENV": "staging-ish"}, "APP_ENV"},
		{"base url", map[string]string{"YELP_BASE_URL": "ftp://yelp"}, "YELP_BASE_URL"},
		{"public url", map[string]string{"PUBLIC_URL": "not a url"}, "PUBLIC_URL"},
		{"allowlist", map[string]string{"FETCH_ALLOWLIST": "127.0.0.1:80,nope"}, "FETCH_ALLOWLIST"},
		{"send allowlist", map[string]string{"SEND_ALLOWLIST": "127.0.0.1:2525,smtp.example.com"}, "SEND_ALLOWLIST"},
		{"dns resolver", map[string]string{"DNS_RESOLVER": "8.8.8.8"}, "DNS_RESOLVER"},
		{"writer model with a space", map[string]string{"ANTHROPIC_MODEL_WRITER": "claude sonnet"}, "ANTHROPIC_MODEL_WRITER"},
		{"writer model too long", map[string]string{"ANTHROPIC_MODEL_WRITER": strings.Repeat("m", 101)}, "ANTHROPIC_MODEL_WRITER"},
		{"analyst model with a newline", map[string]string{"ANTHROPIC_MODEL_ANALYST": "claude-haiku\nx"}, "ANTHROPIC_MODEL_ANALYST"},
		{"analyst model with a tab", map[string]string{"ANTHROPIC_MODEL_ANALYST": "claude\thaiku"}, "ANTHROPIC_MODEL_ANALYST"},
		{"missing secret file", map[string]string{"HUNTER_API_KEY_FILE": "/nonexistent/key"}, "HUNTER_API_KEY_FILE"},
		{"trusted proxy not an address", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"}, "TRUSTED_PROXIES"},
		{"trusted proxy prefix too long", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES"},
		{"trusted proxy with a port", map[string]string{"TRUSTED_PROXIES": "10.0.0.1:8080"}, "TRUSTED_PROXIES"},
		{"trusted proxy with a zone", map[string]string{"TRUSTED_PROXIES": "fe80::1%eth0"}, "TRUSTED_PROXIES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["DATA_DIR"] = t.TempDir()
			_, err := Load(env(tt.env))
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantVar+":") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line starting with %s:", err, tt.wantVar)
			}
		})
	}
	t.Run("secret from file", func(t *testing.T) {
		c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir(), "SECRET_KEY_FILE": secretFile}))
		if err != nil || string(c.SecretKey) != "from-a-file-0123456789-0123456789-abc" {
			t.Fatalf("key = %q, err %v", c.SecretKey, err)
		}
	})
}

func TestInternalAPITokenOf32Characters(t *testing.T) {
	token := strings.Repeat("t", 32)
	c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir(), "INTERNAL_API_TOKEN": " " + token + " "}))
	if err != nil || c.InternalAPIToken != token {
		t.Fatalf("token = %q, err %v; want %q accepted", c.InternalAPIToken, err, token)
	}
	// Unset stays the default: the internal routes are off.
	c, err = Load(env(map[string]string{"DATA_DIR": t.TempDir()}))
	if err != nil || c.InternalAPIToken != "" {
		t.Fatalf("unset token = %q, err %v", c.InternalAPIToken, err)
	}
}

func TestModelsFromEnvironment(t *testing.T) {
	long := strings.Repeat("m", 100)
	c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir(),
		"ANTHROPIC_MODEL_WRITER": " claude-opus-4-1 ", "ANTHROPIC_MODEL_ANALYST": long}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Models.Writer != "claude-opus-4-1" || c.Models.Analyst != long {
		t.Errorf("models = %+v", c.Models)
	}
	if s := c.LogValue().String(); !strings.Contains(s, "model_writer=claude-opus-4-1") {
		t.Errorf("printed config should name the models: %s", s)
	}
	// Blank is unset, as for every other variable.
	c, err = Load(env(map[string]string{"DATA_DIR": t.TempDir(), "ANTHROPIC_MODEL_WRITER": "  "}))
	if err != nil || c.Models.Writer != agent.DefaultWriterModel {
		t.Errorf("blank writer model: %+v, %v", c.Models, err)
	}
}

func TestLogValueRedactsSecrets(t *testing.T) {
	c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir(), "YELP_API_KEY": "yelp-secret-value",
		"DATABASE_URL": "postgres://app:db-password@db:5432/p", "DATABASE_OWNER_URL": "postgres://owner:owner-password@db:5432/p",
		"SECRET_KEY": "0123456789abcdef0123456789abcdef-secret"}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.LogValue().String()
	for _, secret := range []string{"yelp-secret-value", "db-password", "owner-password", "0123456789abcdef"} {
		if strings.Contains(s, secret) {
			t.Errorf("printed config contains %q: %s", secret, s)
		}
	}
	if !strings.Contains(s, "postgres://owner:xxxxx@db:5432/p") || c.DatabaseOwnerURL != "postgres://owner:owner-password@db:5432/p" {
		t.Errorf("printed config should name the owner's database, without its password: %s", s)
	}
	if !strings.Contains(s, "yelp=on") || !strings.Contains(s, "hunter=off") {
		t.Errorf("printed config should say which services are on: %s", s)
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir()}))
	if err != nil || len(c.TrustedProxies) != 0 {
		t.Fatalf("unset: %v, err %v; want none trusted", c.TrustedProxies, err)
	}
	c, err = Load(env(map[string]string{"DATA_DIR": t.TempDir(),
		"TRUSTED_PROXIES": " 10.1.2.3/8, 192.0.2.7,,fd00::/8 , 2001:db8::1, ::ffff:198.51.100.9 "}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "2001:db8::1/128", "198.51.100.9/32"}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("trusted proxies = %v, want %v", got, want)
	}
	if !c.TrustedProxies[0].Contains(netip.MustParseAddr("10.200.0.1")) {
		t.Errorf("10.0.0.0/8 does not contain 10.200.0.1")
	}
}

func TestRateLimitPerMinute(t *testing.T) {
	tests := []struct {
		value   string
		want    int
		wantErr bool
	}{
		{"", 600, false},
		{"0", 0, false},
		{"120", 120, false},
		{"-1", 0, true},
		{"lots", 0, true},
	}
	for _, tt := range tests {
		c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir(), "RATE_LIMIT_PER_MINUTE": tt.value}))
		if (err != nil) != tt.wantErr || (err == nil && c.RateLimitPerMinute != tt.want) {
			t.Errorf("RATE_LIMIT_PER_MINUTE=%q: err %v; want %d (error %v)", tt.value, err, tt.want, tt.wantErr)
		} else if err != nil && !strings.Contains(err.Error(), "RATE_LIMIT_PER_MINUTE") {
			t.Errorf("RATE_LIMIT_PER_MINUTE=%q: error %q does not name the variable", tt.value, err)
		}
	}
}

func TestIMAPPollInterval(t *testing.T) {
	tests := []struct {
		value   string
		want    time.Duration
		wantErr bool
	}{
		{"", time.Minute, false},
		{"5s", 5 * time.Second, false},
		{"1h", time.Hour, false},
		{"500ms", 0, true},
		{"2h", 0, true},
		{"60", 0, true},
	}
	for _, tt := range tests {
		c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir(), "IMAP_POLL_INTERVAL": tt.value}))
		if (err != nil) != tt.wantErr || (err == nil && c.IMAPPollInterval != tt.want) {
			t.Errorf("IMAP_POLL_INTERVAL=%q: err %v; want %s (error %v)", tt.value, err, tt.want, tt.wantErr)
		} else if err != nil && !strings.Contains(err.Error(), "IMAP_POLL_INTERVAL") {
			t.Errorf("IMAP_POLL_INTERVAL=%q: error %q does not name the variable", tt.value, err)
		}
	}
}
