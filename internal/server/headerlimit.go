package server

import (
	"context"
	"net/http"
)

// Header limits. net/http refuses a header block over http.Server's
// MaxHeaderBytes itself, before any handler runs, with a plain-text 431 no
// surface can shape. So net/http's bound is set well above ours and ours is
// enforced here, where the surface that owns the path answers the refusal
// in its own shape (the JSON error under /api, a page elsewhere); only a
// header block over netHTTPMaxHeaderBytes still gets net/http's plain text.
const (
	// MaxHeaderBytes is the largest header block (request line and
	// headers) a request may carry.
	MaxHeaderBytes = 64 << 10
	// netHTTPMaxHeaderBytes is http.Server.MaxHeaderBytes: what net/http
	// reads before refusing on its own, four times ours so a client that
	// over-fills a cookie or token by accident is answered in our shape,
	// while a connection still cannot make the server buffer megabytes.
	netHTTPMaxHeaderBytes = 4 * MaxHeaderBytes
)

// withHeaderLimit marks a request whose header block is over limit. The
// mark is read by the route's guard (Access) before anything else, so the
// request is refused before authentication or the handler, in the shape of
// the surface that owns its path.
func withHeaderLimit(limit int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if headerSize(r) > limit {
			r = r.WithContext(context.WithValue(r.Context(), headerTooLargeKey, true))
		}
		next.ServeHTTP(w, r)
	})
}

// headerTooLarge reports whether withHeaderLimit marked the request.
func headerTooLarge(ctx context.Context) bool {
	v, _ := ctx.Value(headerTooLargeKey).(bool)
	return v
}

// headerSize is the size of the request line and headers as sent, to
// within a few bytes: net/http has parsed them, so the raw count is gone,
// and each "Name: value\r\n" line is rebuilt (Host lives apart from Header).
func headerSize(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2
	n += len("Host: ") + len(r.Host) + 2
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + 2 + len(v) + 2
		}
	}
	return n + 2 // the blank line ending the block
}
