// Package agent is Prospector's access to large language models: one small
// interface (LLM) that turns a prompt plus untrusted data into a typed Go
// value, an implementation over the Anthropic Messages API (official Go SDK,
// structured output through a forced tool), the embedded versioned prompts,
// and the helpers that keep untrusted website text from acting as
// instructions (data blocks, cleaning, StripUnsupported).
package agent

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/prospectorhq/prospector/internal/providers"
)

// Default model ids (config: ANTHROPIC_MODEL_WRITER, ANTHROPIC_MODEL_ANALYST).
// Both are undated aliases listed as constants by anthropic-sdk-go v2.15.0
// (anthropic.ModelClaudeSonnet4_6, anthropic.ModelClaudeHaiku4_5).
const (
	DefaultWriterModel  = "claude-sonnet-4-6" // writing sequences
	DefaultAnalystModel = "claude-haiku-4-5"  // research, classification
)

// Service and Endpoint label the providers.Call recorded for each request.
const (
	Service  = "anthropic"
	Endpoint = "messages"
)

// LLM produces structured output: it asks a model for a value shaped like
// out (a pointer to a struct) and decodes the answer into out.
type LLM interface {
	Structured(ctx context.Context, req Request, out any) (Result, error)
}

// Request is one structured-output call.
type Request struct {
	Model string
	// System is the trusted system prompt, typically Prompt(name).System().
	// The containment rules (prompts/guard.txt) are always appended.
	System string
	// Data holds untrusted inputs (website text, business names…). Each is
	// cleaned, truncated and placed in its own <data name="key"> block in
	// the USER message, never in the system prompt.
	Data map[string]string
	// Instructions is the trusted task, placed after the data blocks.
	Instructions    string
	ToolName        string // the forced tool; [a-zA-Z0-9_-]{1,64}
	ToolDescription string
	MaxTokens       int // default 1024
}

// Result reports what a call cost and how it went.
type Result struct {
	Model         string
	InputTokens   int
	OutputTokens  int
	CostUSD       float64
	Repaired      bool   // the first answer broke the schema and a second one was asked for
	PromptVersion string // e.g. "research@1+guard@1"
}

// ErrInvalidOutput is wrapped by the error returned when the model's answer
// still broke the schema after the one repair attempt.
var ErrInvalidOutput = errors.New("agent: model output does not match the schema")

// OutputError lists what was wrong with the model's final answer.
type OutputError struct{ Problems []string }

func (e *OutputError) Error() string {
	return ErrInvalidOutput.Error() + ": " + strings.Join(e.Problems, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalidOutput) match.
func (e *OutputError) Unwrap() error { return ErrInvalidOutput }

// Price is a model's list price in USD per million tokens.
type Price struct{ InputPerMTok, OutputPerMTok float64 }

// Assumed list prices (USD per million tokens, standard tier, no caching or
// batch discount), as published for the Claude 4.5/4.6 generation:
// Haiku $1 in / $5 out, Sonnet $3 in / $15 out, Opus $5 in / $25 out. An
// unknown model is priced as Sonnet. These are estimates for api_usage rows,
// not invoices.
var (
	PriceHaiku  = Price{InputPerMTok: 1, OutputPerMTok: 5}
	PriceSonnet = Price{InputPerMTok: 3, OutputPerMTok: 15}
	PriceOpus   = Price{InputPerMTok: 5, OutputPerMTok: 25}
)

// PriceOf returns the assumed price of model, by family name.
func PriceOf(model string) Price {
	m := strings.ToLower(model)
	switch {
	case strings.Contains(m, "haiku"):
		return PriceHaiku
	case strings.Contains(m, "opus"):
		return PriceOpus
	default:
		return PriceSonnet
	}
}

// Cost estimates the USD cost of a call to model.
func Cost(model string, inputTokens, outputTokens int) float64 {
	p := PriceOf(model)
	return (float64(inputTokens)*p.InputPerMTok + float64(outputTokens)*p.OutputPerMTok) / 1e6
}

func checkRequest(req *Request) error {
	if req.Model == "" {
		return errors.New("agent: Request.Model is required")
	}
	if req.ToolName == "" || len(req.ToolName) > 64 {
		return fmt.Errorf("agent: Request.ToolName %q must have 1 to 64 characters", req.ToolName)
	}
	for _, r := range req.ToolName {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("agent: Request.ToolName %q has a character outside [a-zA-Z0-9_-]", req.ToolName)
		}
	}
	if req.MaxTokens <= 0 {
		req.MaxTokens = 1024
	}
	return nil
}

// FailureKind names why a call failed in words safe to log: the error's
// own text may quote the model's answer or the prospect's data, and logs
// carry neither.
func FailureKind(err error) string {
	var pe *providers.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNoKey):
		return "no_key"
	case errors.Is(err, ErrInvalidOutput):
		return "invalid_output"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &pe):
		return pe.Kind.String()
	default:
		return "unknown"
	}
}
