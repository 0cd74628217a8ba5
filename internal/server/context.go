package server

import (
	"context"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/auth"
)

type ctxKey int

const (
	identityKey ctxKey = iota
	requestIDKey
	loggerKey
	clientAddrKey
	headerTooLargeKey
	stoppingKey
)

// Identity is the caller a User route admitted (zero on other routes).
func Identity(ctx context.Context) auth.Identity {
	id, _ := ctx.Value(identityKey).(auth.Identity)
	return id
}

// RequestID returns the id given to the request being served.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// Logger is the server's logger, reachable from a surface's error renderer.
// Outside a request it falls back to slog.Default so a renderer called from
// a test without the chain still logs somewhere.
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// ClientAddr is the caller's IP address as the server can vouch for it (the
// connection's peer, or behind Config.TrustedProxies the rightmost
// X-Forwarded-For entry they did not write; see clientAddr): the key for
// login throttling on every surface that signs people in.
func ClientAddr(ctx context.Context) string {
	addr, _ := ctx.Value(clientAddrKey).(string)
	return addr
}
