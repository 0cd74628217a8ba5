// Package auth is Prospector's authentication: who a request is.
//
// Its building blocks touch neither the database nor HTTP, so each is tested
// on its own with an injected clock: argon2id password hashing
// (password.go), the password and email policies (email.go), short-lived JWT
// access tokens (token.go), opaque refresh and session tokens (opaque.go)
// and in-memory login throttling (throttle.go).
//
// Service (service.go) puts them together on top of the store: signup,
// login, refresh-token rotation with reuse detection, logout, and
// authenticating a Bearer token or a session cookie into an Identity. It
// knows nothing of HTTP; the server layer reads the header or cookie and
// calls it.
package auth
