// Package agenttest runs the real Anthropic client against the sandbox's
// Messages API fake and reads back the requests it sent, so tests of the
// packages built on agent exercise the whole HTTP path without a network.
package agenttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/sandbox"
)

// Requests keeps the request bodies the fake received. Add fits
// sandbox.AnthropicOptions.OnRequest; it is safe for concurrent use.
type Requests struct {
	mu     sync.Mutex
	bodies [][]byte
}

// Add stores a copy of body.
func (r *Requests) Add(body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, bytes.Clone(body))
}

// All returns the stored bodies, in the order received.
func (r *Requests) All() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...)
}

// Only parses the one request received, failing the test unless there was
// exactly one.
func (r *Requests) Only(t testing.TB) SentRequest {
	t.Helper()
	all := r.All()
	if len(all) != 1 {
		t.Fatalf("fake saw %d requests, want 1", len(all))
	}
	return ParseRequest(t, all[0])
}

// SentRequest is the part of a Messages request tests read.
type SentRequest struct {
	Model      string         `json:"model"`
	MaxTokens  int            `json:"max_tokens"`
	System     []Block        `json:"system"`
	Messages   []Message      `json:"messages"`
	Tools      []Tool         `json:"tools"`
	ToolChoice map[string]any `json:"tool_choice"`
}

// Block is a content block; only text blocks carry Text.
type Block struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Message is one turn of the conversation.
type Message struct {
	Role    string  `json:"role"`
	Content []Block `json:"content"`
}

// Tool is a tool definition as sent.
type Tool struct {
	Name        string       `json:"name"`
	InputSchema agent.Schema `json:"input_schema"`
}

// Required lists the property names the input schema requires.
func (t Tool) Required() []string {
	var names []string
	list, _ := t.InputSchema["required"].([]any)
	for _, v := range list {
		if name, ok := v.(string); ok {
			names = append(names, name)
		}
	}
	return names
}

// SystemText is the text of the system blocks, joined.
func (s SentRequest) SystemText() string {
	var b strings.Builder
	for _, x := range s.System {
		b.WriteString(x.Text)
	}
	return b.String()
}

// UserText is the text of every user message's blocks, joined.
func (s SentRequest) UserText() string {
	var b strings.Builder
	for _, m := range s.Messages {
		if m.Role != "user" {
			continue
		}
		for _, c := range m.Content {
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

// ParseRequest decodes a request body the fake received.
func ParseRequest(t testing.TB, body []byte) SentRequest {
	t.Helper()
	var s SentRequest
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("parse Messages request: %v", err)
	}
	return s
}

// Options configures Sandbox. Zero values take the defaults.
type Options struct {
	// APIKey is the key the client sends; sandbox.DefaultAnthropicKey, the
	// one the fake accepts, when empty.
	APIKey string
	// Faults are answered in order before normal service, as
	// sandbox.AnthropicOptions.Faults; 429 and 529 carry retry-after: 0.
	Faults []sandbox.AnthropicFault
	// MaxRetries is agent.AnthropicOptions.MaxRetries: 0 is the client's
	// default, a negative value means no retry.
	MaxRetries int
	// Recorder, when set, receives the client's provider calls.
	Recorder providers.Recorder
}

// Sandbox starts the fake for the length of the test and returns the real
// client pointed at it (5 s per attempt, 20 s per call) and the requests the
// fake receives.
func Sandbox(t testing.TB, opts Options) (*agent.Anthropic, *Requests) {
	t.Helper()
	got := &Requests{}
	srv := httptest.NewServer(sandbox.NewAnthropicHandler(sandbox.AnthropicOptions{
		RetryAfter: "0", Faults: opts.Faults, OnRequest: got.Add,
	}))
	t.Cleanup(srv.Close)
	key := opts.APIKey
	if key == "" {
		key = sandbox.DefaultAnthropicKey
	}
	llm, err := agent.NewAnthropic(agent.AnthropicOptions{
		APIKey: key, BaseURL: srv.URL, MaxRetries: opts.MaxRetries,
		AttemptTimeout: 5 * time.Second, Timeout: 20 * time.Second, Recorder: opts.Recorder,
	})
	if err != nil {
		t.Fatal(err)
	}
	return llm, got
}

// FakeToolInput asks the sandbox's fake, in process, to call toolName
// with input for schema, given the user message text, and returns that
// input: tests check the fake's answers against their schemas with it.
func FakeToolInput(t testing.TB, toolName string, schema agent.Schema, userText string) any {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"model": agent.DefaultAnalystModel, "max_tokens": 1024,
		"messages":    []map[string]any{{"role": "user", "content": []map[string]string{{"type": "text", "text": userText}}}},
		"tools":       []map[string]any{{"name": toolName, "input_schema": schema}},
		"tool_choice": map[string]string{"type": "tool", "name": toolName},
	})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/v1/messages", bytes.NewReader(body))
	req.Header.Set("x-api-key", sandbox.DefaultAnthropicKey)
	req.Header.Set("anthropic-version", "2023-06-01")
	rec := httptest.NewRecorder()
	sandbox.NewAnthropicHandler(sandbox.AnthropicOptions{}).ServeHTTP(rec, req)
	var resp struct {
		Content []struct {
			Type  string `json:"type"`
			Input any    `json:"input"`
		} `json:"content"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusOK || len(resp.Content) != 1 {
		t.Fatalf("fake answer: status %d body %s", rec.Code, rec.Body)
	}
	return resp.Content[0].Input
}
