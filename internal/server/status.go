package server

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// statusOf is the one table from error codes to HTTP statuses, for every
// surface: the JSON API answers it, the dashboard shows its pages with it.
var statusOf = map[string]int{
	apperr.CodeInvalidJSON:          http.StatusBadRequest,
	apperr.CodeValidation:           http.StatusBadRequest,
	apperr.CodeUnauthorized:         http.StatusUnauthorized,
	apperr.CodeInvalidCredentials:   http.StatusUnauthorized,
	apperr.CodeTokenExpired:         http.StatusUnauthorized,
	apperr.CodeTokenReused:          http.StatusUnauthorized,
	apperr.CodeInsufficientCredits:  http.StatusPaymentRequired,
	apperr.CodeForbidden:            http.StatusForbidden,
	apperr.CodeNotFound:             http.StatusNotFound,
	apperr.CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	apperr.CodeEmailTaken:           http.StatusConflict,
	apperr.CodeConflict:             http.StatusConflict,
	apperr.CodePayloadTooLarge:      http.StatusRequestEntityTooLarge,
	apperr.CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	apperr.CodeRateLimited:          http.StatusTooManyRequests,
	apperr.CodeHeaderTooLarge:       http.StatusRequestHeaderFieldsTooLarge,
	apperr.CodeInternal:             http.StatusInternalServerError,
	apperr.CodeUnavailable:          http.StatusServiceUnavailable,
}

// StatusOf is the HTTP status of an error code; false for a code the table
// lacks, which is a programming error the caller answers as internal.
func StatusOf(code string) (int, bool) {
	s, ok := statusOf[code]
	return s, ok
}

// StatusCodes are the error codes StatusOf knows, sorted.
func StatusCodes() []string { return slices.Sorted(maps.Keys(statusOf)) }

// SetRetryAfter tells the client when to try again, in whole seconds
// rounded up (at least one); nothing for d <= 0.
func SetRetryAfter(w http.ResponseWriter, d time.Duration) {
	if d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(int((d+time.Second-1)/time.Second), 1)))
	}
}
