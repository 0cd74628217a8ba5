package sandbox_test

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	claude "github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

type lead struct {
	Summary string `json:"summary" maxLength:"120"`
	Delta   int    `json:"delta" minimum:"-10" maximum:"10"`
}

func claudeFor(t *testing.T, env map[string]string) *claude.Anthropic {
	t.Helper()
	c, err := claude.NewAnthropic(claude.AnthropicOptions{
		APIKey: env["ANTHROPIC_API_KEY"], BaseURL: env["ANTHROPIC_BASE_URL"],
		MaxRetries: 2, AttemptTimeout: 5 * time.Second, Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func leadRequest() claude.Request {
	return claude.Request{
		Model:        claude.DefaultAnalystModel,
		System:       claude.MustPrompt("research").System(),
		Data:         map[string]string{"website_text": "Lone Star Plumbing fixes leaks in Austin."},
		Instructions: "Summarise the business.",
		ToolName:     "record_lead",
	}
}

// The sandbox serves the Messages API fake on a listener of its own and Env
// switches Claude on through it, so the demo and app tests get the real SDK
// client talking to the fake.
func TestStartServesAnthropic(t *testing.T) {
	var seen atomic.Int32
	sb := sandboxtest.Start(t, sandbox.Options{Anthropic: sandbox.AnthropicOptions{
		RetryAfter: "0",
		Faults:     []sandbox.AnthropicFault{sandbox.AnthropicOverloaded},
		OnRequest:  func([]byte) { seen.Add(1) },
	}})
	env := sb.Env()
	if env["ANTHROPIC_API_KEY"] != sandbox.DefaultAnthropicKey || sb.AnthropicAPIKey != sandbox.DefaultAnthropicKey {
		t.Errorf("key = %q / %q", env["ANTHROPIC_API_KEY"], sb.AnthropicAPIKey)
	}
	if env["ANTHROPIC_BASE_URL"] != sb.AnthropicURL || !strings.HasPrefix(sb.AnthropicURL, "http://127.0.0.1:") ||
		sb.AnthropicURL == sb.URL() {
		t.Fatalf("ANTHROPIC_BASE_URL = %q, sandbox root %q", env["ANTHROPIC_BASE_URL"], sb.URL())
	}

	var out lead
	res, err := claudeFor(t, env).Structured(context.Background(), leadRequest(), &out)
	if err != nil {
		t.Fatal(err)
	}
	// The scripted 529 was retried by the SDK.
	if got := sb.RequestCount(sandbox.Anthropic); got != 2 || seen.Load() != 2 {
		t.Errorf("fake saw %d requests (%d bodies), want 2", got, seen.Load())
	}
	if out.Summary == "" || out.Delta < -10 || out.Delta > 10 || res.Repaired || res.InputTokens == 0 {
		t.Errorf("out %+v, result %+v", out, res)
	}
	reqs := sb.Requests(sandbox.Anthropic)
	if len(reqs) != 2 || reqs[0].Path != "/v1/messages" || reqs[0].Header.Get("x-api-key") != sandbox.DefaultAnthropicKey ||
		!strings.Contains(string(reqs[1].Body), "Lone Star Plumbing") {
		t.Errorf("logged requests = %+v", reqs)
	}

	// Labelled like every other fake.
	a := sandboxtest.Do(t, http.MethodGet, sb.AnthropicURL+"/v1/models", nil, "")
	if a.Status != http.StatusNotFound {
		t.Errorf("GET /v1/models = %d", a.Status)
	}
}

func TestAnthropicSandboxFaults(t *testing.T) {
	sb := sandboxtest.Start(t, sandbox.Options{Anthropic: sandbox.AnthropicOptions{APIKey: "sk-ant-custom", RetryAfter: "0"}})
	env := sb.Env()
	if env["ANTHROPIC_API_KEY"] != "sk-ant-custom" {
		t.Fatalf("key = %q", env["ANTHROPIC_API_KEY"])
	}
	c := claudeFor(t, env)

	sb.SetFault(sandbox.Anthropic, sandbox.Fault{Status: http.StatusTooManyRequests})
	var out lead
	_, err := c.Structured(context.Background(), leadRequest(), &out)
	if pe, ok := providers.AsError(err); !ok || pe.Status != http.StatusTooManyRequests || pe.Kind != providers.KindRateLimited {
		t.Fatalf("err = %v, want a 429 rate limit", err)
	}
	if got := sb.RequestCount(sandbox.Anthropic); got != 3 {
		t.Errorf("%d requests, want 3 (two retries)", got)
	}

	sb.ClearFault(sandbox.Anthropic)
	if _, err := c.Structured(context.Background(), leadRequest(), &out); err != nil {
		t.Fatalf("after ClearFault: %v", err)
	}

	wrong := maps.Clone(env)
	wrong["ANTHROPIC_API_KEY"] = sandbox.DefaultAnthropicKey // not this sandbox's key
	if _, err := claudeFor(t, wrong).Structured(context.Background(), leadRequest(), &out); !providers.IsAuth(err) {
		t.Errorf("wrong key: err = %v", err)
	}
}

func TestStartRefusesNonLoopbackAnthropic(t *testing.T) {
	if sb, err := sandbox.Start(t.Context(), sandbox.Options{AnthropicAddr: "0.0.0.0:0"}); err == nil {
		sb.Close()
		t.Fatal("started on a public address")
	}
}
