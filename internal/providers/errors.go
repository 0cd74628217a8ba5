package providers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Service identifiers, as stored in api_usage.service. Google Places keeps the
// spec's "google_maps" name so usage rows line up with the discovery source.
const (
	ServiceGooglePlaces = "google_maps"
	ServiceYelp         = "yelp"
	ServiceNominatim    = "nominatim"
	ServiceOverpass     = "overpass"
	ServiceHunter       = "hunter"
	ServicePageSpeed    = "pagespeed"
)

// Kind sorts failures by what the caller should do about them.
type Kind int

// Kinds of failure.
const (
	KindUnknown     Kind = iota
	KindAuth             // key missing, invalid, revoked or not allowed to use the API: a human must fix it
	KindQuota            // daily/monthly allowance spent: retrying soon is pointless
	KindRateLimited      // too fast: retry after a pause
	KindInvalid          // the request was wrong (a bug or a bad user input)
	KindNotFound         // the service knows nothing of what was asked
	KindUnavailable      // 5xx, timeout or network failure: retry later
	KindRejected         // the service refuses this client (User-Agent, usage policy, block)
)

var kindNames = [...]string{"unknown", "auth", "quota", "rate_limited", "invalid", "not_found", "unavailable", "rejected"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Retryable reports whether an immediate retry (after a back-off) can help.
func (k Kind) Retryable() bool { return k == KindRateLimited || k == KindUnavailable }

// CodeNoAPIKey is the Code of the error a client returns, without sending
// anything, when it has no key: a service without a key is off, never faked.
const CodeNoAPIKey = "no_api_key"

// Error is the one error type every client returns for a failed call. Message
// is the service's own text (never a URL or key), safe to log; Describe gives
// the sentence to show a user.
type Error struct {
	Service    string
	Kind       Kind
	Status     int    // HTTP status; 0 for network failures and for errors found in a 200 body
	Code       string // the service's code, e.g. "TOKEN_INVALID", "PERMISSION_DENIED"
	Message    string
	RetryAfter time.Duration // how long the service asked us to wait, when it said so
	Err        error         // underlying cause (network error, decode error), if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Service)
	b.WriteString(": ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d ", e.Status)
	}
	if e.Code != "" {
		b.WriteString(e.Code)
	} else {
		b.WriteString(e.Kind.String())
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// AsError returns the *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func isKind(err error, k Kind) bool {
	e, ok := AsError(err)
	return ok && e.Kind == k
}

// IsAuth reports a missing, invalid or unauthorised API key.
func IsAuth(err error) bool { return isKind(err, KindAuth) }

// IsQuota reports a spent daily or monthly allowance.
func IsQuota(err error) bool { return isKind(err, KindQuota) }

// IsRateLimited reports a "slow down" answer that retries did not get past.
func IsRateLimited(err error) bool { return isKind(err, KindRateLimited) }

// IsUnavailable reports a server error, timeout or network failure.
func IsUnavailable(err error) bool { return isKind(err, KindUnavailable) }

// IsInvalid reports a request the service refused as malformed.
func IsInvalid(err error) bool { return isKind(err, KindInvalid) }

// IsRejected reports the service refusing this client as a whole.
func IsRejected(err error) bool { return isKind(err, KindRejected) }

// IsNoAPIKey reports that the client had no key and sent nothing.
func IsNoAPIKey(err error) bool {
	e, ok := AsError(err)
	return ok && e.Code == CodeNoAPIKey
}

// RetryAfterOf returns the wait the service asked for, so a job can
// reschedule itself instead of sleeping.
func RetryAfterOf(err error) (time.Duration, bool) {
	e, ok := AsError(err)
	if !ok || e.RetryAfter <= 0 {
		return 0, false
	}
	return e.RetryAfter, true
}

// DisplayName is the name users know a service by.
func DisplayName(service string) string {
	switch service {
	case ServiceGooglePlaces:
		return "Google Places"
	case ServiceYelp:
		return "Yelp"
	case ServiceNominatim:
		return "OpenStreetMap geocoding (Nominatim)"
	case ServiceOverpass:
		return "OpenStreetMap (Overpass)"
	case ServiceHunter:
		return "Hunter"
	case ServicePageSpeed:
		return "PageSpeed Insights"
	case "instantly": // providers/instantly.Service, which imports this package
		return "Instantly"
	}
	return service
}

// Describe turns err into a sentence for a user ("Yelp rejected the API key").
// It never includes the service's raw message for auth failures, which can
// echo part of the key.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	e, ok := AsError(err)
	if !ok {
		switch {
		case errors.Is(err, context.Canceled):
			return "the request was cancelled"
		case errors.Is(err, context.DeadlineExceeded):
			return "the request ran out of time"
		}
		return "the request failed"
	}
	name := DisplayName(e.Service)
	switch {
	case e.Code == CodeNoAPIKey:
		return "no " + name + " API key is configured"
	case e.Kind == KindAuth:
		return name + " rejected the API key"
	case e.Kind == KindQuota:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("%s quota exhausted; it resets in %s", name, roundWait(e.RetryAfter))
		}
		return name + " quota exhausted"
	case e.Kind == KindRateLimited:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("%s is rate limiting requests; try again in %s", name, roundWait(e.RetryAfter))
		}
		return name + " is rate limiting requests; try again later"
	case e.Kind == KindUnavailable:
		return name + " is unavailable right now; try again later"
	case e.Kind == KindRejected:
		return name + " refused the request: " + nonEmpty(e.Message, "usage policy")
	case e.Kind == KindInvalid:
		return name + " rejected the request: " + nonEmpty(e.Message, "invalid request")
	case e.Kind == KindNotFound:
		return name + " found nothing for this request"
	}
	return name + " failed: " + nonEmpty(e.Message, e.Code)
}

func roundWait(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
