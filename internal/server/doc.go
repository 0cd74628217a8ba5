// Package server is Prospector's one HTTP server: it owns the mux, the
// middleware every request passes through and the http.Server, and mounts
// surfaces. A surface is a route table in its own package, with who may call
// on each line, and its own way of answering a refusal (the JSON API renders
// its error shape; the dashboard redirects to /login or renders a page).
//
// Every request passes, outermost first:
//
//	request id → logger and client address in the context → access log
//	(by route pattern) → the handler's deadline → header size mark → mux
//
// and then the guard its route's line chose (see Access):
//
//	panic recovery → headers over MaxHeaderBytes refused → access level
//	(Public, Visitor, User, Internal) → the longer deadline, when the route asked
//	for it → handler
//
// The server mounts one surface of its own: "/", the fallback for paths no
// other surface claims, which answers a small HTML page (404, or 405 when
// the path exists under other methods). A surface with its own shape claims
// its prefix ("/api/" answers in the JSON error shape).
//
// The composition, as app.buildServer writes it:
//
//	srv.Mount(server.Health{...}) // /healthz, /readyz: public, for load balancers
//	srv.Mount(jsonAPI)            // /api/…: internal/api, the JSON contract
//	srv.Mount(dashboard)          // /, /login, /app/…: internal/web; cookie sessions, CSRF on every form, signed-out visitors redirected to /login by its Fail
//	// next, one line each:
//	// srv.Mount(tracking)  — /t/o/{token}, /t/c/{token}, /u/{token}: Public lines, the signed token is the check
//	// srv.Mount(webhooks)  — POST /api/webhooks/stripe, POST /api/webhooks/instantly: Public lines, each handler verifies its own signature or shared secret
//
// # Deadlines
//
// The server has no whole-server WriteTimeout or ReadTimeout: either would
// cut a Server-Sent Event stream (a ReadTimeout too, because net/http's
// background read hits it and cancels the request's context). Instead each
// request gets a deadline for reading its body and writing its answer,
// set with http.ResponseController: Config.HandlerTimeout for ordinary
// routes, Config.LongHandlerTimeout for routes guarded through
// Access.Long (the CSV import and export). A streaming handler calls
// ExtendDeadline before each event or heartbeat it writes, so a live stream
// stays open for as long as it keeps writing while a client that stopped
// reading is still cut off. Middleware that wraps the ResponseWriter
// implements Unwrap so the controller reaches the connection.
package server
