package agent

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/prospectorhq/prospector/internal/providers"
)

// AnthropicOptions configures NewAnthropic. Zero values take the defaults.
type AnthropicOptions struct {
	APIKey string // required (config ANTHROPIC_API_KEY)
	// BaseURL is the host root, e.g. "http://127.0.0.1:8089"; the SDK
	// appends v1/messages. Empty means https://api.anthropic.com.
	BaseURL string
	// MaxRetries is passed to option.WithMaxRetries: the SDK retries
	// connection errors, 408, 409, 429 and every 5xx (529 overloaded
	// included), waiting for retry-after-ms / retry-after when the response
	// has one, else 0.5s·2^n (at most 8s) with jitter. Default 3; a negative
	// value means no retry.
	MaxRetries int
	// AttemptTimeout bounds one HTTP attempt (option.WithRequestTimeout);
	// default 60s.
	AttemptTimeout time.Duration
	// Timeout bounds a whole Structured call: every attempt, back-off and
	// the repair round; default 3m.
	Timeout time.Duration
	// MaxConcurrent caps the calls in flight at once (a semaphore shared by
	// all callers of this client); default 4.
	MaxConcurrent int
	// MaxFieldBytes is the byte budget of each data block; DefaultFieldBytes when 0.
	MaxFieldBytes int
	// Recorder receives one providers.Call per HTTP attempt: failed attempts
	// with their status and a *providers.Error, successful ones with the
	// token total as Credits and the estimated CostUSD.
	Recorder   providers.Recorder
	HTTPClient *http.Client
	// SDKOptions are appended last, for tests and special cases.
	SDKOptions []option.RequestOption
}

// Anthropic implements LLM over the Anthropic Messages API.
type Anthropic struct {
	client     anthropic.Client
	rec        providers.Recorder
	sem        chan struct{}
	timeout    time.Duration
	fieldBytes int
	guard      Prompt
}

var _ LLM = (*Anthropic)(nil)

// NewAnthropic returns a client. It reads no environment variable: the
// config package supplies the key and base URL.
func NewAnthropic(o AnthropicOptions) (*Anthropic, error) {
	if strings.TrimSpace(o.APIKey) == "" {
		return nil, &providers.Error{Service: Service, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey, Message: "ANTHROPIC_API_KEY is not set"}
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 3
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.AttemptTimeout <= 0 {
		o.AttemptTimeout = 60 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Minute
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 4
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	a := &Anthropic{
		rec:        o.Recorder,
		sem:        make(chan struct{}, o.MaxConcurrent),
		timeout:    o.Timeout,
		fieldBytes: o.MaxFieldBytes,
		guard:      MustPrompt("guard"),
	}
	if a.rec == nil {
		a.rec = providers.NopRecorder{}
	}
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithHTTPClient(o.HTTPClient),
		// The Messages API documents x-api-key; the v2 SDK's WithAPIKey
		// sends Authorization: Bearer instead, which servers that follow
		// the documentation refuse.
		option.WithHeader("x-api-key", o.APIKey),
		option.WithMaxRetries(o.MaxRetries),
		option.WithRequestTimeout(o.AttemptTimeout),
		option.WithMiddleware(a.recordFailures),
	}
	if o.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(o.BaseURL))
	}
	a.client = anthropic.NewClient(append(opts, o.SDKOptions...)...)
	return a, nil
}

// recordFailures reports every attempt that did not succeed; successful
// attempts are reported by Structured, which knows their usage.
func (a *Anthropic) recordFailures(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	start := time.Now()
	res, err := next(req)
	if err == nil && res.StatusCode < 300 {
		return res, nil
	}
	c := providers.Call{Service: Service, Endpoint: Endpoint, Duration: time.Since(start)}
	pe := &providers.Error{Service: Service, Kind: providers.KindUnavailable, Err: err}
	if res != nil {
		c.Status = res.StatusCode
		pe.Status = res.StatusCode
		pe.Kind = kindOf(res.StatusCode)
		pe.RetryAfter = retryAfter(res.Header)
	}
	c.Err = pe
	a.rec.RecordCall(req.Context(), c)
	return res, err
}

func kindOf(status int) providers.Kind {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return providers.KindAuth
	case status == http.StatusPaymentRequired:
		return providers.KindQuota
	case status == http.StatusTooManyRequests:
		return providers.KindRateLimited
	case status == http.StatusNotFound:
		return providers.KindNotFound
	case status >= 500 || status == http.StatusRequestTimeout || status == http.StatusConflict:
		return providers.KindUnavailable
	case status >= 400:
		return providers.KindInvalid
	}
	return providers.KindUnknown
}

func retryAfter(h http.Header) time.Duration {
	if v, err := strconv.ParseFloat(h.Get("retry-after"), 64); err == nil && v > 0 {
		return time.Duration(v * float64(time.Second))
	}
	return 0
}

// Structured implements LLM. out must be a non-nil pointer to a struct; its
// type gives the forced tool's input schema. An answer that breaks the
// schema is sent back once with the problems listed; a second bad answer
// is an *OutputError. API failures are *providers.Error.
func (a *Anthropic) Structured(ctx context.Context, req Request, out any) (Result, error) {
	res := Result{Model: req.Model}
	if err := checkRequest(&req); err != nil {
		return res, err
	}
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return res, errors.New("agent: out must be a non-nil pointer to a struct")
	}
	schema, err := SchemaOf(out)
	if err != nil {
		return res, err
	}
	select {
	case a.sem <- struct{}{}:
		defer func() { <-a.sem }()
	case <-ctx.Done():
		return res, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()

	id, system := splitSystem(req.System)
	res.PromptVersion = a.guard.ID()
	if id != "" {
		res.PromptVersion = id + "+" + res.PromptVersion
	}
	system = strings.TrimSpace(strings.TrimSpace(system) + "\n\n" + a.guard.Text)

	tool := anthropic.ToolParam{
		Name: req.ToolName,
		InputSchema: anthropic.ToolInputSchemaParam{
			Properties:  schema["properties"],
			Required:    schema["required"].([]string),
			ExtraFields: map[string]any{"additionalProperties": false},
		},
	}
	if req.ToolDescription != "" {
		tool.Description = anthropic.String(req.ToolDescription)
	}
	params := anthropic.MessageNewParams{
		Model:     req.Model,
		MaxTokens: int64(req.MaxTokens),
		System:    []anthropic.TextBlockParam{{Text: system}},
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(
			UserMessage(req.Data, req.Instructions, req.ToolName, a.fieldBytes)))},
		Tools: []anthropic.ToolUnionParam{{OfTool: &tool}},
		ToolChoice: anthropic.ToolChoiceUnionParam{OfTool: &anthropic.ToolChoiceToolParam{
			Name: req.ToolName, DisableParallelToolUse: anthropic.Bool(true),
		}},
	}

	for round := 0; ; round++ {
		start := time.Now()
		msg, err := a.client.Messages.New(ctx, params)
		if err != nil {
			return res, apiError(err)
		}
		in, outTok := int(msg.Usage.InputTokens), int(msg.Usage.OutputTokens)
		cost := Cost(req.Model, in, outTok)
		res.InputTokens += in
		res.OutputTokens += outTok
		res.CostUSD += cost
		if msg.Model != "" {
			res.Model = msg.Model
		}
		a.rec.RecordCall(ctx, providers.Call{
			Service: Service, Endpoint: Endpoint, Status: http.StatusOK,
			Credits: in + outTok, CostUSD: cost, Duration: time.Since(start),
		})

		input, toolUseID, problems := toolInput(msg, req.ToolName, schema)
		if len(problems) == 0 {
			if err := json.Unmarshal(input, out); err != nil {
				problems = []string{"$: " + err.Error()}
			} else {
				capStrings(rv, "")
				return res, nil
			}
		}
		if round == 1 {
			return res, &OutputError{Problems: problems}
		}
		res.Repaired = true
		fix := "Your previous answer was not valid for the " + req.ToolName + " tool:\n- " +
			strings.Join(problems, "\n- ") + "\nCall " + req.ToolName + " again with corrected input that matches its schema exactly."
		var reply anthropic.MessageParam
		if toolUseID != "" {
			reply = anthropic.NewUserMessage(anthropic.NewToolResultBlock(toolUseID, fix, true))
		} else {
			reply = anthropic.NewUserMessage(anthropic.NewTextBlock(fix))
		}
		params.Messages = append(params.Messages, msg.ToParam(), reply)
	}
}

// toolInput finds the tool_use block for name and validates its input.
func toolInput(msg *anthropic.Message, name string, schema Schema) (json.RawMessage, string, []string) {
	for _, block := range msg.Content {
		tu, ok := block.AsAny().(anthropic.ToolUseBlock)
		if !ok || tu.Name != name {
			continue
		}
		var v any
		if err := json.Unmarshal(tu.Input, &v); err != nil {
			return nil, tu.ID, []string{"$: input is not valid JSON"}
		}
		return tu.Input, tu.ID, Validate(schema, v)
	}
	reason := "no " + name + " tool call in the answer"
	if msg.StopReason == anthropic.StopReasonMaxTokens {
		reason += " (stopped at max_tokens)"
	}
	return nil, "", []string{reason}
}

// apiError turns an SDK error into a *providers.Error.
func apiError(err error) error {
	var ae *anthropic.Error
	if errors.As(err, &ae) {
		pe := &providers.Error{
			Service: Service, Kind: kindOf(ae.StatusCode), Status: ae.StatusCode,
			Code: string(ae.Type()), Message: ae.Message,
		}
		if ae.Response != nil {
			pe.RetryAfter = retryAfter(ae.Response.Header)
		}
		return pe
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &providers.Error{Service: Service, Kind: providers.KindUnavailable, Message: "request failed", Err: err}
}
