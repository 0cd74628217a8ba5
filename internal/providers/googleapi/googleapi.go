// Package googleapi reads the error envelope Google's APIs share
// ({"error":{code,message,status,details,errors}}), for the Places and
// PageSpeed Insights clients: the types, where the reason is, and the kind
// of failure each status names. What a reason or message means for one API
// (a Lighthouse failure, a per-day quota) stays with that API's client.
package googleapi

import (
	"encoding/json"

	"github.com/prospectorhq/prospector/internal/providers"
)

// ErrorResponse is Google's error envelope.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is the envelope's content. Details is the google.rpc list
// (ErrorInfo's reason, e.g. API_KEY_INVALID); Errors the legacy one that
// some APIs still send (with e.g. PageSpeed's lighthouseUserError).
type ErrorBody struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Errors  []ErrorItem   `json:"errors,omitempty"`
	Status  string        `json:"status,omitempty"`
	Details []ErrorDetail `json:"details,omitempty"`
}

// ErrorItem is one entry of the legacy errors list.
type ErrorItem struct {
	Message string `json:"message"`
	Domain  string `json:"domain"`
	Reason  string `json:"reason"`
}

// ErrorDetail is one google.rpc detail; only ErrorInfo's fields are kept.
type ErrorDetail struct {
	Type     string            `json:"@type"`
	Reason   string            `json:"reason,omitempty"`
	Domain   string            `json:"domain,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Classify starts a providers.Error from an answer holding Google's
// envelope: the kind its HTTP status implies, the envelope's status as the
// code (the reason of its first ErrorInfo detail instead, when there is
// one) and its message. It returns nil when the body is not Google's JSON
// (a proxy's HTML page, say), which leaves the answer to the default
// mapping.
func Classify(r *providers.Response) (e *providers.Error, body ErrorBody, reason string) {
	var env ErrorResponse
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error.Status == "" && env.Error.Message == "" {
		return nil, env.Error, ""
	}
	b := env.Error
	for _, d := range b.Details {
		if d.Reason != "" {
			reason = d.Reason
			break
		}
	}
	e = &providers.Error{Kind: providers.ClassifyStatus(r.Status), Code: b.Status, Message: b.Message}
	if reason != "" {
		e.Code = reason
	}
	return e, b, reason
}

// LegacyReason is the first reason of the legacy errors list, "" when none
// has one.
func (b ErrorBody) LegacyReason() string {
	for _, it := range b.Errors {
		if it.Reason != "" {
			return it.Reason
		}
	}
	return ""
}

// StatusKind is the kind of failure an envelope's status names, for the
// statuses that name one whatever the API; ok is false for the others
// (RESOURCE_EXHAUSTED among them: whether it clears by itself is the
// message's to say).
func StatusKind(status string) (k providers.Kind, ok bool) {
	switch status {
	case "PERMISSION_DENIED", "UNAUTHENTICATED":
		return providers.KindAuth, true
	case "INVALID_ARGUMENT", "FAILED_PRECONDITION":
		return providers.KindInvalid, true
	case "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED":
		return providers.KindUnavailable, true
	}
	return providers.KindUnknown, false
}
