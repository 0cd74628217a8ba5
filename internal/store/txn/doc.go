// Package txn is what every query of the store is written with: the
// tenant-carrying transaction (Tx), the little the queries need from either
// driver (Querier, with $N placeholders rebound for SQLite), the errors
// callers test for, and the list helpers (pages, conditions, scanning).
//
// It lives apart from package store so that the store's tables can be kept
// in more than one package (store, mailstore) while their queries share one
// set of primitives; nothing outside internal/store imports it.
package txn
