package instantly

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

// Reasons an Instantly call failed, for errors.Is. Each *Error carries one.
var (
	ErrNoAPIKey        = errors.New("no Instantly API key")
	ErrUnauthorized    = errors.New("Instantly refused the API key")
	ErrPaymentRequired = errors.New("the Instantly workspace has no active paid plan")
	ErrForbidden       = errors.New("the Instantly API key lacks the scope")
	ErrRateLimited     = errors.New("Instantly is rate limiting requests")
	ErrUnavailable     = errors.New("Instantly is unavailable")
	ErrInvalid         = errors.New("Instantly rejected the request")
	ErrNotFound        = errors.New("Instantly has no such object")
	ErrFailed          = errors.New("the Instantly call failed")
)

// Error is a failed Instantly call. Its text is a sentence for the user,
// naming what to do; it never holds the key, and for 401/403 not even
// Instantly's own message (an auth message may echo part of a key).
type Error struct {
	// Op says what was being done, e.g. "create the campaign".
	Op string
	// Reason is one of the Err… sentinels above.
	Reason error
	// Status is the HTTP status; 0 when no answer arrived or none was sent.
	Status int
	// Message is Instantly's own message (empty for auth failures).
	Message string
	// RetryAfter is how long Instantly asked us to wait, when it said so or
	// when retrying it was given up on: a job reschedules with it.
	RetryAfter time.Duration

	cause *providers.Error
}

// Error is the sentence shown to the user.
func (e *Error) Error() string {
	status := ""
	if e.Status != 0 {
		status = fmt.Sprintf(" (%d)", e.Status)
	}
	switch e.Reason {
	case ErrNoAPIKey:
		return "no Instantly API key is configured: add one in Settings → API keys (service instantly) or set INSTANTLY_API_KEY"
	case ErrUnauthorized:
		return "Instantly refused the API key" + status + ": check it in Settings → API keys"
	case ErrPaymentRequired:
		return "Instantly refused to " + e.Op + status + ": the workspace has no active paid plan; choose a plan in Instantly's billing settings"
	case ErrForbidden:
		return "Instantly refused to " + e.Op + status + ": the API key lacks the scope for it; create a key with the campaigns, leads and webhooks scopes (or all:all) in Instantly and save it in Settings → API keys"
	case ErrRateLimited:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Instantly is rate limiting requests%s: try again in %s", status, roundWait(e.RetryAfter))
		}
		return "Instantly is rate limiting requests" + status + ": try again in a minute"
	case ErrUnavailable:
		if e.Status == 0 {
			return "Instantly could not be reached to " + e.Op + withDetail(e.Message) + ": try again later"
		}
		return "Instantly is unavailable" + status + ": try again later"
	case ErrInvalid:
		if e.cause != nil && e.cause.Code == codeInvalidInput {
			// Refused here, before anything was sent.
			return "cannot " + e.Op + " in Instantly" + withDetail(e.Message)
		}
		return "Instantly rejected the request to " + e.Op + status + withDetail(e.Message)
	case ErrNotFound:
		return "Instantly could not " + e.Op + status + ": it does not exist in this workspace (deleted in Instantly, or made with another API key)"
	}
	return "Instantly failed to " + e.Op + status + withDetail(e.Message)
}

// Unwrap gives errors.Is the reason and errors.As (providers.AsError) the
// shared error underneath.
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Reason}
	}
	return []error{e.Reason, e.cause}
}

// codeInvalidInput marks an error found before sending anything.
const codeInvalidInput = "invalid_input"

func withDetail(msg string) string {
	if msg == "" {
		return ""
	}
	return ": " + msg
}

func roundWait(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Minute)
	}
	return max(d.Round(time.Second), time.Second)
}

// reasonOf maps the shared error's kind and status to a reason.
func reasonOf(pe *providers.Error) error {
	switch {
	case pe.Code == providers.CodeNoAPIKey:
		return ErrNoAPIKey
	case pe.Status == http.StatusUnauthorized:
		return ErrUnauthorized
	case pe.Status == http.StatusPaymentRequired:
		return ErrPaymentRequired
	case pe.Status == http.StatusForbidden:
		return ErrForbidden
	}
	switch pe.Kind {
	case providers.KindRateLimited:
		return ErrRateLimited
	case providers.KindUnavailable:
		return ErrUnavailable
	case providers.KindInvalid:
		return ErrInvalid
	case providers.KindNotFound:
		return ErrNotFound
	case providers.KindAuth:
		return ErrUnauthorized
	}
	return ErrFailed
}

// wrap turns an error of the Doer into an *Error for op. A context's end is
// passed on as it is: nothing failed at Instantly.
func wrap(op string, err error) error {
	pe, ok := providers.AsError(err)
	if !ok {
		return fmt.Errorf("instantly: %s: %w", op, err)
	}
	e := &Error{Op: op, Reason: reasonOf(pe), Status: pe.Status, Message: pe.Message, RetryAfter: pe.RetryAfter, cause: pe}
	if e.Reason == ErrUnauthorized || e.Reason == ErrForbidden || e.Reason == ErrNoAPIKey {
		e.Message = ""
	}
	if e.Status == 0 && e.Reason == ErrUnavailable && pe.Code == "timeout" {
		e.Message = "no answer in time"
	}
	return e
}

// ErrorResponse is the error body Instantly's server (Fastify) answers:
// {"statusCode": 402, "error": "Payment Required", "message": "…"}, with a
// code such as FST_ERR_VALIDATION on some. Its shape is not documented;
// every field is optional and a body that is not this JSON is read as text.
type ErrorResponse struct {
	StatusCode int    `json:"statusCode,omitempty"`
	Code       string `json:"code,omitempty"`
	Error      string `json:"error,omitempty"`
	Message    string `json:"message,omitempty"`
}

// classify maps Instantly's statuses: 401 and 403 are key problems (KindAuth,
// never retried), 402 the plan (KindQuota), 429 a rate limit and 5xx an
// outage (both retried by the Doer), 400/422 a bad request, 404 a missing
// object.
func classify(r *providers.Response) *providers.Error {
	e := &providers.Error{Kind: kindOf(r.Status)}
	var body ErrorResponse
	if err := json.Unmarshal(r.Body, &body); err == nil && (body.Message != "" || body.Error != "") {
		e.Code = body.Code
		e.Message = providers.TextMessage(http.Header{}, []byte(strings.TrimSpace(cmp.Or(body.Message, body.Error))))
	} else {
		e.Message = providers.TextMessage(r.Header, r.Body)
	}
	return e
}

func kindOf(status int) providers.Kind {
	switch status {
	case http.StatusPaymentRequired:
		return providers.KindQuota
	case http.StatusUnprocessableEntity:
		return providers.KindInvalid
	}
	return providers.ClassifyStatus(status)
}
