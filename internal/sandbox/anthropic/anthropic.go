// Package anthropic is the Anthropic Messages API fake: POST /v1/messages,
// as the official Go SDK sends it (x-api-key or Authorization: Bearer,
// anthropic-version, JSON body with model, max_tokens, system, messages,
// tools, tool_choice). It answers a forced tool call with a
// tool_use block whose input is built from the tool's input_schema: strings
// are short plain sentences made of words found in the user message's
// <data …>…</data> blocks, enums take their first value, maxLength,
// maxItems and required are respected. The answer is a pure function of the
// request, so tests and the demo are deterministic. Usage tokens are
// approximated as bytes/4.
//
// Failures, in the API's envelope {"type":"error","error":{"type","message"}}:
// a wrong or missing key is 401 authentication_error; a missing
// anthropic-version header is 400 invalid_request_error; Options.Faults
// (consumed one per request, in order) and the sandbox Fault (fake.Fault) in the
// request's context give 429 rate_limit_error (with retry-after), 529 overloaded_error,
// 500 api_error, or one schema-invalid tool input ("bad_output") so a client's
// repair path can be exercised.
package anthropic

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
)

// Fault names one scripted answer of the fake.
type Fault string

// Scripted faults.
const (
	RateLimited Fault = "rate_limit" // 429 rate_limit_error + retry-after
	Overloaded  Fault = "overloaded" // 529 overloaded_error + retry-after
	ServerError Fault = "api_error"  // 500 api_error, no retry-after
	BadOutput   Fault = "bad_output" // 200 with a tool input that breaks the schema
	MaxTokens   Fault = "max_tokens" // 200, stop_reason max_tokens, no tool_use block
)

// DefaultKey is the key the fake accepts when Options.APIKey is empty.
const DefaultKey = "sk-ant-sandbox-key"

// Options configures NewHandler.
type Options struct {
	// APIKey is the only x-api-key accepted; DefaultKey when empty.
	APIKey string
	// RetryAfter is the retry-after value (seconds) sent with 429 and 529;
	// "1" when empty. Tests use "0".
	RetryAfter string
	// Faults are answered in order, one per request, before normal service
	// resumes. Safe for concurrent use.
	Faults []Fault
	// OnRequest, when set, receives the raw body of every authenticated
	// request, so a test can inspect exactly what was sent.
	OnRequest func(body []byte)
}

type anthropicFake struct {
	opts   Options
	mu     sync.Mutex
	faults []Fault
	seq    int
}

// NewHandler returns the fake of the Anthropic Messages API. Mount
// it at the host root (the SDK's base URL), e.g. httptest.NewServer(h) and
// option.WithBaseURL(srv.URL).
func NewHandler(opts Options) http.Handler {
	if opts.APIKey == "" {
		opts.APIKey = DefaultKey
	}
	if opts.RetryAfter == "" {
		opts.RetryAfter = "1"
	}
	return &anthropicFake{opts: opts, faults: append([]Fault(nil), opts.Faults...)}
}

type anthropicMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type anthropicRequest struct {
	Model     string             `json:"model"`
	MaxTokens int                `json:"max_tokens"`
	System    json.RawMessage    `json:"system"`
	Messages  []anthropicMessage `json:"messages"`
	Tools     []struct {
		Name        string         `json:"name"`
		InputSchema map[string]any `json:"input_schema"`
	} `json:"tools"`
	ToolChoice struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"tool_choice"`
}

func anthropicError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "req_sandbox")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type":       "error",
		"error":      map[string]string{"type": typ, "message": msg},
		"request_id": "req_sandbox",
	})
}

// anthropicKey returns the key of r from the documented x-api-key header.
// A bearer token alone is refused, as the real API's documentation has it.
func anthropicKey(r *http.Request) string {
	return r.Header.Get("x-api-key")
}

func (f *anthropicFake) nextFault() Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	if len(f.faults) == 0 {
		return ""
	}
	x := f.faults[0]
	f.faults = f.faults[1:]
	return x
}

func (f *anthropicFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/messages" {
		anthropicError(w, http.StatusNotFound, "not_found_error", "Not found: "+r.URL.Path)
		return
	}
	if r.Method != http.MethodPost {
		anthropicError(w, http.StatusMethodNotAllowed, "invalid_request_error", "Method not allowed")
		return
	}
	if anthropicKey(r) != f.opts.APIKey {
		anthropicError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return
	}
	if r.Header.Get("anthropic-version") == "" {
		anthropicError(w, http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		anthropicError(w, http.StatusBadRequest, "invalid_request_error", "could not read body")
		return
	}
	if f.opts.OnRequest != nil {
		f.opts.OnRequest(body)
	}
	fault := f.nextFault()
	if sf := fake.FaultOf(r); sf.Status != 0 {
		switch sf.Status {
		case http.StatusTooManyRequests:
			fault = RateLimited
		case 529:
			fault = Overloaded
		default:
			anthropicError(w, sf.Status, cmp.Or(sf.Code, "api_error"), "Sandbox fault")
			return
		}
	}
	switch fault {
	case RateLimited:
		w.Header().Set("retry-after", f.opts.RetryAfter)
		anthropicError(w, http.StatusTooManyRequests, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit (sandbox)")
		return
	case Overloaded:
		w.Header().Set("retry-after", f.opts.RetryAfter)
		anthropicError(w, 529, "overloaded_error", "Overloaded")
		return
	case ServerError:
		anthropicError(w, http.StatusInternalServerError, "api_error", "Internal server error")
		return
	}

	var req anthropicRequest
	if err := json.Unmarshal(body, &req); err != nil {
		anthropicError(w, http.StatusBadRequest, "invalid_request_error", "body is not valid JSON: "+err.Error())
		return
	}
	if req.Model == "" || req.MaxTokens <= 0 || len(req.Messages) == 0 {
		anthropicError(w, http.StatusBadRequest, "invalid_request_error", "model, max_tokens and messages are required")
		return
	}
	words := anthropicWords(anthropicUserText(req.Messages))
	var content []map[string]any
	stop := "end_turn"
	var toolName string
	var schema map[string]any
	if req.ToolChoice.Type == "tool" {
		toolName = req.ToolChoice.Name
	} else if req.ToolChoice.Type == "any" && len(req.Tools) > 0 {
		toolName = req.Tools[0].Name
	}
	for _, t := range req.Tools {
		if t.Name == toolName {
			schema = t.InputSchema
		}
	}
	switch {
	case fault == MaxTokens:
		stop = "max_tokens"
		content = []map[string]any{{"type": "text", "text": strings.Join(anthropicFirstN(words, 5), " ")}}
	case toolName != "" && schema != nil:
		g := &anthropicGen{words: words, seed: anthropicSeed(body)}
		input := g.value(schema, "")
		if fault == BadOutput {
			input = anthropicBadInput(schema)
		}
		stop = "tool_use"
		content = []map[string]any{{
			"type": "tool_use", "id": fmt.Sprintf("toolu_sandbox%08x", g.seed&0xffffffff),
			"name": toolName, "input": input,
		}}
	case toolName != "":
		anthropicError(w, http.StatusBadRequest, "invalid_request_error", "tool_choice names a tool that is not in tools: "+toolName)
		return
	default:
		content = []map[string]any{{"type": "text", "text": anthropicSentence(words, 0, 12)}}
	}
	out, _ := json.Marshal(content)
	resp := map[string]any{
		"id":            fmt.Sprintf("msg_sandbox%012x", anthropicSeed(body)&0xffffffffffff),
		"type":          "message",
		"role":          "assistant",
		"model":         req.Model,
		"content":       content,
		"stop_reason":   stop,
		"stop_sequence": nil,
		"usage": map[string]any{
			"input_tokens":                max(1, len(body)/4),
			"output_tokens":               max(1, len(out)/4),
			"cache_creation_input_tokens": 0,
			"cache_read_input_tokens":     0,
		},
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "req_sandbox")
	_ = json.NewEncoder(w).Encode(resp)
}

// anthropicUserText returns the text of the messages' user turns (strings or text
// blocks; tool_result blocks ignored), all joined, so repair turns still see
// the data of the first turn.
func anthropicUserText(msgs []anthropicMessage) string {
	var b strings.Builder
	for _, m := range msgs {
		if m.Role != "user" {
			continue
		}
		var s string
		if json.Unmarshal(m.Content, &s) == nil {
			b.WriteString(s)
			b.WriteByte('\n')
			continue
		}
		var blocks []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if json.Unmarshal(m.Content, &blocks) == nil {
			for _, bl := range blocks {
				if bl.Type == "text" {
					b.WriteString(bl.Text)
					b.WriteByte('\n')
				}
			}
		}
	}
	return b.String()
}

var anthropicDataRE = regexp.MustCompile(`(?s)<data name="[^"]*">(.*?)</data>`)

// anthropicWords returns the plain words of the data blocks in text, in order,
// lower-cased duplicates removed; a fixed vocabulary when there are none.
func anthropicWords(text string) []string {
	var words []string
	seen := map[string]bool{}
	for _, m := range anthropicDataRE.FindAllStringSubmatch(text, -1) {
		for _, w := range strings.FieldsFunc(m[1], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			lw := strings.ToLower(w)
			if utf8.RuneCountInString(lw) < 2 || seen[lw] {
				continue
			}
			seen[lw] = true
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		words = []string{"local", "business", "service", "customers", "quality", "work"}
	}
	return words
}

func anthropicFirstN(s []string, n int) []string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// anthropicSentence builds a plain sentence of up to n words starting at word i.
func anthropicSentence(words []string, i, n int) string {
	var parts []string
	for k := 0; k < n && k < len(words); k++ {
		parts = append(parts, words[(i+k)%len(words)])
	}
	s := strings.Join(parts, " ")
	if s == "" {
		return "Plain text."
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:] + "."
}

func anthropicSeed(b []byte) uint64 {
	h := sha256.Sum256(b)
	return binary.BigEndian.Uint64(h[:8])
}

type anthropicGen struct {
	words []string
	seed  uint64
	n     int
}

func (g *anthropicGen) next() int {
	g.n++
	return int((g.seed + uint64(g.n)*2654435761) % 1000003)
}

// value generates a value valid against schema (the subset used for tool
// input schemas: object, string, integer, number, boolean, array, enum,
// maxLength, maxItems, minimum, maximum).
func (g *anthropicGen) value(schema map[string]any, name string) any {
	if enum, ok := schema["enum"].([]any); ok && len(enum) > 0 {
		return enum[g.next()%len(enum)]
	}
	switch schema["type"] {
	case "object":
		props, _ := schema["properties"].(map[string]any)
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := map[string]any{}
		for _, k := range keys {
			ps, _ := props[k].(map[string]any)
			out[k] = g.value(ps, k)
		}
		return out
	case "array":
		items, _ := schema["items"].(map[string]any)
		n := 2
		if mx, ok := anthropicNum(schema["maxItems"]); ok && int(mx) < n {
			n = int(mx)
		}
		if mn, ok := anthropicNum(schema["minItems"]); ok && int(mn) > n {
			n = int(mn)
		}
		arr := make([]any, 0, n)
		for range n {
			arr = append(arr, g.value(items, name))
		}
		return arr
	case "integer", "number":
		lo, hi := 0.0, 100.0
		if v, ok := anthropicNum(schema["minimum"]); ok {
			lo = v
		}
		if v, ok := anthropicNum(schema["maximum"]); ok {
			hi = v
		}
		if hi < lo {
			hi = lo
		}
		v := lo + float64(g.next()%(int(hi-lo)+1))
		if schema["type"] == "integer" {
			return int(v)
		}
		return v
	case "boolean":
		return g.next()%2 == 0
	default: // string
		s := anthropicSentence(g.words, g.next()%len(g.words), 8)
		if strings.Contains(name, "email") {
			s = "info@example.com"
		}
		if mx, ok := anthropicNum(schema["maxLength"]); ok && utf8.RuneCountInString(s) > int(mx) {
			s = string([]rune(s)[:int(mx)])
		}
		return s
	}
}

// anthropicBadInput breaks schema: every required property is dropped and the first
// string property, if any, gets a number.
func anthropicBadInput(schema map[string]any) map[string]any {
	out := map[string]any{}
	props, _ := schema["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ps, _ := props[k].(map[string]any); ps["type"] == "string" {
			out[k] = 42
			break
		}
	}
	if len(out) == 0 {
		out["unexpected"] = true
	}
	return out
}

func anthropicNum(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}
