package store

import "context"

// View is the store as one domain package sees it: transactions whose
// methods are only those of R, the narrow interface of *Tx the package
// declares in its records.go. A call to anything else does not compile, so
// the interface is an exact list of the tables and queries a package
// depends on, and what a test double would have to provide.
type View[R any] struct {
	store *Store
	as    func(*Tx) R
}

// NewView narrows s to R. as is almost always func(tx *Tx) R { return tx },
// which is where the compiler checks that *Tx has every method of R.
func NewView[R any](s *Store, as func(*Tx) R) View[R] {
	return View[R]{store: s, as: as}
}

// Read runs fn in a read-only transaction for userID.
func (v View[R]) Read(ctx context.Context, userID string, fn func(R) error) error {
	return v.store.Read(ctx, userID, func(tx *Tx) error { return fn(v.as(tx)) })
}

// Write runs fn in a read-write transaction for userID and commits when fn
// returns nil.
func (v View[R]) Write(ctx context.Context, userID string, fn func(R) error) error {
	return v.store.Write(ctx, userID, func(tx *Tx) error { return fn(v.as(tx)) })
}

// Handle is a transaction handed on to be written in by someone else (the
// job queue inserts its jobs in it, the chain completes a campaign in it),
// without any of its methods: the narrow views embed it so a domain package
// can pass its transaction along while seeing only its own records.
type Handle interface {
	// UserID is the tenant the transaction acts for ("" for system work).
	UserID() string
	handle() *Tx
}

func (tx *Tx) handle() *Tx { return tx }

// TxOf opens a Handle back into its transaction, for the packages that
// write in a transaction they were handed: the job queue and the chain.
func TxOf(h Handle) *Tx { return h.handle() }
