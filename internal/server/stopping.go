package server

import (
	"context"
	"net/http"
)

// Stopping is closed when the server begins to shut down. http.Server's
// Shutdown waits for every request in flight, and a live stream would hold
// it until the grace ran out: a streaming handler selects on this and
// ends its stream, so shutdown drains at once. Outside a server's request
// it is nil (never closed).
func Stopping(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(stoppingKey).(chan struct{})
	return ch
}

// withStopping puts the server's stopping channel in every request's
// context.
func withStopping(stopping chan struct{}, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stoppingKey, stopping)))
	})
}
