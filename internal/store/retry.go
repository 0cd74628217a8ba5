package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// lockRetries is how many times WriteRetrying runs a transaction that
// PostgreSQL ended to break a deadlock or a serialization conflict.
const lockRetries = 4

// WriteRetrying is Write for a transaction that only touches the database
// (no mail sent, no call out from inside fn) and keeps nothing from one run
// to the next (it assigns its results, never adds to them), so running it
// again is safe:
// when PostgreSQL aborts it as a deadlock's victim or for a serialization
// failure, it is rolled back and run again, a few times, after a short
// pause. A delete that cascades through a campaign's rows takes its locks
// in the opposite order to the pipeline's jobs, which lock a prospect and
// then count it on the campaign; one of the two has to give way, and the
// user's delete should not be the one that fails.
func (s *Store) WriteRetrying(ctx context.Context, userID string, fn func(*Tx) error) error {
	pause := 20 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := s.Write(ctx, userID, fn)
		if err == nil || attempt == lockRetries || !isLockConflict(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause *= 2
	}
}

// WriteRetrying runs fn as Store.WriteRetrying does.
func (v View[R]) WriteRetrying(ctx context.Context, userID string, fn func(R) error) error {
	return v.store.WriteRetrying(ctx, userID, func(tx *Tx) error { return fn(v.as(tx)) })
}

// isLockConflict reports whether PostgreSQL aborted the transaction to
// resolve a deadlock (40P01) or a serialization failure (40001): the
// transaction did nothing and may be run again.
func isLockConflict(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}
