package instantly

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		header   http.Header
		body     string
		wantKind providers.Kind
		wantCode string
		wantMsg  string
		wantWhy  error
	}{
		{"documented 402", 402, nil, `{"statusCode":402,"error":"Payment Required","message":"Workspace does not have an active paid plan"}`,
			providers.KindQuota, "", "Workspace does not have an active paid plan", ErrPaymentRequired},
		{"401", 401, nil, `{"statusCode":401,"error":"Unauthorized","message":"Invalid authorization header or API key"}`,
			providers.KindAuth, "", "Invalid authorization header or API key", ErrUnauthorized},
		{"403", 403, nil, `{"statusCode":403,"error":"Forbidden","message":"scope"}`, providers.KindAuth, "", "scope", ErrForbidden},
		{"validation with a code", 400, nil, `{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body must have required property 'name'"}`,
			providers.KindInvalid, "FST_ERR_VALIDATION", "body must have required property 'name'", ErrInvalid},
		{"422", 422, nil, `{"message":"x"}`, providers.KindInvalid, "", "x", ErrInvalid},
		{"only an error word", 404, nil, `{"error":"Not Found"}`, providers.KindNotFound, "", "Not Found", ErrNotFound},
		{"429 without a body", 429, nil, ``, providers.KindRateLimited, "", "", ErrRateLimited},
		{"HTML from a proxy", 502, http.Header{"Content-Type": {"text/html"}}, `<html><body><h1>502 Bad Gateway</h1></body></html>`,
			providers.KindUnavailable, "", "502 Bad Gateway", ErrUnavailable},
		{"plain text", 503, nil, "upstream connect error", providers.KindUnavailable, "", "upstream connect error", ErrUnavailable},
	}
	for _, tt := range tests {
		h := tt.header
		if h == nil {
			h = http.Header{}
		}
		pe := classify(&providers.Response{Status: tt.status, Header: h, Body: []byte(tt.body), Received: time.Now()})
		pe.Status, pe.Service = tt.status, Service // as the Doer fills them in
		if pe.Kind != tt.wantKind || pe.Code != tt.wantCode || pe.Message != tt.wantMsg {
			t.Errorf("%s: classify = %+v, want %v %q %q", tt.name, pe, tt.wantKind, tt.wantCode, tt.wantMsg)
		}
		if err := wrap("create the campaign", pe); !errors.Is(err, tt.wantWhy) {
			t.Errorf("%s: reason of %v, want %v", tt.name, err, tt.wantWhy)
		}
	}
}

// TestAuthMessagesAreNotRepeated: what Instantly says about a refused key
// is dropped, as it could echo part of the key.
func TestAuthMessagesAreNotRepeated(t *testing.T) {
	t.Parallel()
	for _, status := range []int{401, 403} {
		pe := &providers.Error{Service: Service, Kind: providers.KindAuth, Status: status, Message: "key ik_live_abc… is invalid"}
		var e *Error
		if !errors.As(wrap("pause the campaign", pe), &e) || e.Message != "" {
			t.Errorf("%d: message kept: %+v", status, e)
		}
	}
}
