// Package googleapi holds the error conventions Google's APIs share, for
// the Places and PageSpeed Insights fakes: the status names of the
// {"error":{code,message,status}} envelope, the messages of faults, and the
// ErrorInfo detail that carries a reason.
package googleapi

import "net/http"

var statusNames = map[int]string{
	400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
	429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}

// StatusName is the envelope's status for an HTTP status, "" for one
// Google has no name for here.
func StatusName(status int) string { return statusNames[status] }

// ErrorInfo is the details list of an error with a reason such as
// "API_KEY_INVALID".
func ErrorInfo(reason string) []any {
	return []any{map[string]any{
		"@type":    "type.googleapis.com/google.rpc.ErrorInfo",
		"reason":   reason,
		"domain":   "googleapis.com",
		"metadata": map[string]string{"service": "places.googleapis.com"},
	}}
}

// FaultMessage is the message of a fault's status.
func FaultMessage(status int) string {
	switch status {
	case 401:
		return "Request had invalid authentication credentials."
	case 403:
		return "Places API (New) has not been used in project 000000000000 before or it is disabled (sandbox fault)."
	case 429:
		return "Resource has been exhausted (e.g. check quota)."
	case 500:
		return "Internal error encountered."
	case 503:
		return "The service is currently unavailable."
	}
	return http.StatusText(status)
}
