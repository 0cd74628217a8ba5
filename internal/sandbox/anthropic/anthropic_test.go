package anthropic

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

const anthropicTestBody = `{
  "model": "claude-haiku-4-5", "max_tokens": 500,
  "system": [{"type":"text","text":"You qualify leads."}],
  "messages": [{"role":"user","content":[{"type":"text","text":"<data name=\"website_text\">Lone Star Plumbing fixes leaks in Austin</data>\nTask: record it."}]}],
  "tools": [{"name":"record_lead","input_schema":{"type":"object",
    "properties":{"score":{"type":"integer","minimum":0,"maximum":100},
      "reason":{"type":"string","maxLength":12},
      "pitch_angle":{"type":"string","enum":["speed","mobile"]},
      "tags":{"type":"array","maxItems":1,"items":{"type":"string","maxLength":30}},
      "ok":{"type":"boolean"}},
    "required":["score","reason","pitch_angle"]}}],
  "tool_choice": {"type":"tool","name":"record_lead"}
}`

func anthropicPost(t *testing.T, h http.Handler, body string, hdr map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/messages", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("content-type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	return res, out
}

var anthropicGood = map[string]string{"x-api-key": DefaultKey, "anthropic-version": "2023-06-01"}

func TestAnthropicFakeErrors(t *testing.T) {
	tests := []struct {
		name       string
		hdr        map[string]string
		faults     []Fault
		body       string
		status     int
		errType    string
		retryAfter string
	}{
		{"no key", map[string]string{"anthropic-version": "2023-06-01"}, nil, anthropicTestBody, 401, "authentication_error", ""},
		{"wrong key", map[string]string{"x-api-key": "nope", "anthropic-version": "2023-06-01"}, nil, anthropicTestBody, 401, "authentication_error", ""},
		{"no version", map[string]string{"x-api-key": DefaultKey}, nil, anthropicTestBody, 400, "invalid_request_error", ""},
		{"rate limited", anthropicGood, []Fault{RateLimited}, anthropicTestBody, 429, "rate_limit_error", "1"},
		{"overloaded", anthropicGood, []Fault{Overloaded}, anthropicTestBody, 529, "overloaded_error", "1"},
		{"server error", anthropicGood, []Fault{ServerError}, anthropicTestBody, 500, "api_error", ""},
		{"bad json", anthropicGood, nil, "{", 400, "invalid_request_error", ""},
		{"unknown tool", anthropicGood, nil, strings.Replace(anthropicTestBody, `"name":"record_lead"}`, `"name":"other"}`, 1), 400, "invalid_request_error", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := anthropicPost(t, NewHandler(Options{Faults: tt.faults}), tt.body, tt.hdr)
			if res.StatusCode != tt.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d %q, want %d", res.StatusCode, res.Header.Get("Content-Type"), tt.status)
			}
			e, _ := out["error"].(map[string]any)
			if out["type"] != "error" || e["type"] != tt.errType || e["message"] == "" {
				t.Errorf("body = %v", out)
			}
			if got := res.Header.Get("retry-after"); got != tt.retryAfter {
				t.Errorf("retry-after = %q, want %q", got, tt.retryAfter)
			}
		})
	}
}

func TestAnthropicFakeToolUse(t *testing.T) {
	var seen []byte
	h := NewHandler(Options{OnRequest: func(b []byte) { seen = b }})
	hdr := map[string]string{"x-api-key": DefaultKey, "anthropic-version": "2023-06-01"}
	res, out := anthropicPost(t, h, anthropicTestBody, hdr)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %v", res.StatusCode, out)
	}
	if !bytes.Equal(seen, []byte(anthropicTestBody)) {
		t.Error("OnRequest did not get the body")
	}
	if out["type"] != "message" || out["role"] != "assistant" || out["model"] != "claude-haiku-4-5" || out["stop_reason"] != "tool_use" || !strings.HasPrefix(out["id"].(string), "msg_") {
		t.Errorf("envelope = %v", out)
	}
	usage := out["usage"].(map[string]any)
	if usage["input_tokens"].(float64) < 1 || usage["output_tokens"].(float64) < 1 {
		t.Errorf("usage = %v", usage)
	}
	block := out["content"].([]any)[0].(map[string]any)
	in := block["input"].(map[string]any)
	if block["type"] != "tool_use" || block["name"] != "record_lead" {
		t.Errorf("block = %v", block)
	}
	score := in["score"].(float64)
	reason := in["reason"].(string)
	if score < 0 || score > 100 || score != float64(int(score)) {
		t.Errorf("score = %v", score)
	}
	if reason == "" || utf8.RuneCountInString(reason) > 12 {
		t.Errorf("reason = %q", reason)
	}
	words := strings.Fields(strings.ToLower(strings.TrimSuffix(reason, ".")))
	for _, w := range words {
		if !strings.Contains("lone star plumbing fixes leaks in austin", w) {
			t.Errorf("reason word %q not from the data block", w)
		}
	}
	if p := in["pitch_angle"]; p != "speed" && p != "mobile" {
		t.Errorf("pitch_angle = %v", p)
	}
	if tags := in["tags"].([]any); len(tags) != 1 {
		t.Errorf("tags = %v", tags)
	}
	// Deterministic: the same request gets the same answer.
	_, again := anthropicPost(t, h, anthropicTestBody, hdr)
	a, _ := json.Marshal(out)
	b, _ := json.Marshal(again)
	if !bytes.Equal(a, b) {
		t.Errorf("answers differ:\n%s\n%s", a, b)
	}
}

func TestAnthropicFakeBadOutputOnce(t *testing.T) {
	h := NewHandler(Options{Faults: []Fault{BadOutput}})
	_, first := anthropicPost(t, h, anthropicTestBody, anthropicGood)
	_, second := anthropicPost(t, h, anthropicTestBody, anthropicGood)
	in1 := first["content"].([]any)[0].(map[string]any)["input"].(map[string]any)
	in2 := second["content"].([]any)[0].(map[string]any)["input"].(map[string]any)
	if _, ok := in1["score"]; ok {
		t.Errorf("bad output kept a required field: %v", in1)
	}
	if _, ok := in2["score"]; !ok {
		t.Errorf("second answer not repaired: %v", in2)
	}
}
