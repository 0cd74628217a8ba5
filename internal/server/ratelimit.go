package server

import (
	"context"
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// rateKeyOfCaller is whom a request counts against: the signed-in user,
// else the client address. Public routes (tracking pixels, unsubscribe
// links, providers' webhooks) are not limited by address: mail providers'
// image proxies and webhook senders come from a few addresses on behalf of
// many people, and refusing them would lose opens, opt-outs and events.
func rateKeyOfCaller(r *http.Request) string {
	if id := Identity(r.Context()); id.UserID != "" {
		return "user:" + id.UserID
	}
	return "addr:" + ClientAddr(r.Context())
}

// admitRate counts one request against key's allowance, or refuses it with
// 429 rate_limited and the time until the next one is admitted.
func (s *Server) admitRate(ctx context.Context, key string) error {
	if s.rateLimit == nil {
		return nil
	}
	ok, wait := s.rateLimit.Allow(ctx, key, time.Now())
	if ok {
		return nil
	}
	return &apperr.Error{Code: apperr.CodeRateLimited, RetryAfter: wait,
		Message: "Too many requests: slow down and try again in a moment."}
}
