package server

import (
	"errors"
	"net/http"
	"time"
)

// withDeadline gives every request, routed or not, the ordinary handler
// deadline before anything reads its body or writes its answer.
func withDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setDeadline(w, d)
		next.ServeHTTP(w, r)
	})
}

// ExtendDeadline moves the deadline of the request w answers to d from now,
// for reading and writing alike. A streaming handler (Server-Sent Events)
// calls it before each event or heartbeat: the stream lives as long as it
// keeps writing, and a client that stopped reading is cut off d after the
// last write. It fails only when the writer cannot reach a connection (a
// test's ResponseRecorder), which a handler may ignore.
func ExtendDeadline(w http.ResponseWriter, d time.Duration) error {
	rc := http.NewResponseController(w)
	at := time.Now().Add(d)
	// The read deadline matters even for a GET: once the body is read,
	// net/http keeps a background read open and cancels the request's
	// context when that read times out.
	return errors.Join(rc.SetReadDeadline(at), rc.SetWriteDeadline(at))
}

// setDeadline is ExtendDeadline for the middleware, where a writer without
// deadlines (a ResponseRecorder in tests) is no failure.
func setDeadline(w http.ResponseWriter, d time.Duration) {
	_ = ExtendDeadline(w, d)
}
