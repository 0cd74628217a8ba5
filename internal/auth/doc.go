// Package auth holds the storage-free building blocks of Prospector's
// authentication: argon2id password hashing, the password and email policies,
// short-lived JWT access tokens, opaque refresh and session tokens, and
// in-memory login throttling.
//
// Nothing here touches the database or HTTP. The session service and the
// middleware are built on top of these primitives, so each one is kept small
// enough to be tested on its own with an injected clock.
package auth
