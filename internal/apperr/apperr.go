// Package apperr is the one error type domain code returns when the user did
// something we must answer precisely: a stable machine code, a sentence safe to
// show, and for validation the offending fields. The HTTP edge maps codes to
// statuses in one table; anything that is not an *Error is internal and its
// text is never sent.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Codes shared by every surface. The HTTP contract in DESIGN.md lists them.
const (
	CodeInvalidJSON          = "invalid_json"
	CodeValidation           = "validation_failed"
	CodeUnauthorized         = "unauthorized"
	CodeInvalidCredentials   = "invalid_credentials"
	CodeTokenExpired         = "token_expired"
	CodeTokenReused          = "token_reused"
	CodeForbidden            = "forbidden"
	CodeInsufficientCredits  = "insufficient_credits"
	CodeNotFound             = "not_found"
	CodeEmailTaken           = "email_taken"
	CodeConflict             = "conflict"
	CodePayloadTooLarge      = "payload_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeRateLimited          = "rate_limited"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeInternal             = "internal"
	// CodeUnavailable is a service this server has no key for (billing
	// without STRIPE_SECRET_KEY), or one that did not answer.
	CodeUnavailable = "unavailable"

	// CodeHeaderTooLarge refuses a request whose header block is over the
	// server's limit (431); the contract's table had no code for it.
	CodeHeaderTooLarge = "header_too_large"
)

// Error is a failure the user can act on.
type Error struct {
	Code       string
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Code + ": " + e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + e.Fields[k]
	}
	return e.Code + ": " + e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// New builds an error with a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns err's code, or CodeInternal for anything else.
func CodeOf(err error) string {
	if e, ok := As(err); ok {
		return e.Code
	}
	return CodeInternal
}

// NotFound is the answer for missing rows and for other users' rows alike.
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Message: what + " not found"}
}

// Conflict reports a request that contradicts the current state.
func Conflict(format string, args ...any) *Error {
	return New(CodeConflict, format, args...)
}

// Fields collects validation problems, one message per field, and turns into
// an *Error only when something was wrong.
type Fields map[string]string

// Add records the first problem seen for field.
func (f Fields) Add(field, format string, args ...any) {
	if _, seen := f[field]; !seen {
		f[field] = fmt.Sprintf(format, args...)
	}
}

// Err is nil when no field was added.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return f.invalid()
}

// Invalid reports one field's problem: Fields with a single entry, for the
// checks that stop at the first.
func Invalid(field, message string) *Error {
	return Fields{field: message}.invalid()
}

// invalid is the one validation error every surface renders.
func (f Fields) invalid() *Error {
	return &Error{Code: CodeValidation, Message: "Some fields are not valid.", Fields: f}
}
