package auth

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// Each argon2id hash allocates argonMemoryKiB (19 MiB) for its duration, and
// x/crypto's argon2 allocates it afresh on every call (it takes no buffer to
// reuse). Unbounded, 200 parallel logins held 3.8 GiB at once; so hashes run
// behind a hashLimiter.
const (
	// maxConcurrentHashes caps the machine-sized bound: argon2id here runs
	// on one thread, so more hashes at once than cores only adds memory,
	// and past eight the memory (8 × 19 MiB plus the collector's headroom)
	// matters more than throughput (eight cores verify ~200 logins a
	// second).
	maxConcurrentHashes = 8
	// hashQueuePerSlot is how many callers may wait per running hash: a
	// short queue that a burst fills within one hash's time, so a waiter
	// waits a few hashes at most and everyone past it is told at once.
	hashQueuePerSlot = 4
	// maxHashWait bounds the wait even when hashing is slower than usual
	// (a loaded machine): a login that cannot start by then is told to
	// retry rather than held.
	maxHashWait = 3 * time.Second
	// hashBusyRetry is the Retry-After of a caller turned away: the queue
	// drains in well under a second.
	hashBusyRetry = time.Second
	// freeMemoryEvery spaces out the memory returns after bursts. Each is
	// a full collection, cheap on this heap, but a steady trickle of
	// logins drains the limiter after nearly every one.
	freeMemoryEvery = 5 * time.Second
)

// hashSlots is the machine-sized bound on concurrent hashes.
func hashSlots() int {
	return min(max(2, runtime.GOMAXPROCS(0)), maxConcurrentHashes)
}

// hashLimiter bounds how many password hashes run at once and how many
// callers wait for one; everyone else is answered rate_limited at once,
// without hashing. When the last hash of a burst finishes it returns the
// memory the hashes used to the operating system (see scheduleFree).
type hashLimiter struct {
	slots      chan struct{} // one token per running hash
	maxPending int           // running plus waiting
	maxWait    time.Duration

	now        func() time.Time
	afterFunc  func(time.Duration, func()) // time.AfterFunc, replaced in tests
	freeMemory func()                      // debug.FreeOSMemory, replaced in tests
	freeEvery  time.Duration

	mu            sync.Mutex
	pending       int
	lastFree      time.Time
	freeScheduled bool
}

func newHashLimiter(slots, queue int, maxWait time.Duration, now func() time.Time) *hashLimiter {
	return &hashLimiter{
		slots:      make(chan struct{}, slots),
		maxPending: slots + queue,
		maxWait:    maxWait,
		now:        now,
		afterFunc:  func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		freeMemory: debug.FreeOSMemory,
		freeEvery:  freeMemoryEvery,
	}
}

// errHashBusy is the answer to a caller the limiter turns away.
func errHashBusy() error {
	return &apperr.Error{Code: apperr.CodeRateLimited, RetryAfter: hashBusyRetry,
		Message: "The server is busy. Please try again in a moment."}
}

// acquire waits for a hash slot: at once when one is free, up to maxWait in
// the queue, and not at all when the queue is full. The caller must call
// release exactly once after its hash.
func (l *hashLimiter) acquire(ctx context.Context) (release func(), err error) {
	if !l.enter() {
		return nil, errHashBusy()
	}
	if l.takeFree() {
		return l.release, nil
	}
	timer := time.NewTimer(l.maxWait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	case <-timer.C:
		l.leave()
		return nil, errHashBusy()
	case <-ctx.Done():
		l.leave()
		return nil, ctx.Err()
	}
}

// tryAcquire takes a slot only if one is free now, for work that can be
// skipped (upgrading an old hash after a login).
func (l *hashLimiter) tryAcquire() (release func(), ok bool) {
	if !l.enter() {
		return nil, false
	}
	if l.takeFree() {
		return l.release, true
	}
	l.leave()
	return nil, false
}

// enter counts the caller as pending, unless the queue is full; a caller
// that entered takes a slot or leaves.
func (l *hashLimiter) enter() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending >= l.maxPending {
		return false
	}
	l.pending++
	return true
}

// takeFree takes a slot if one is free, without waiting.
func (l *hashLimiter) takeFree() bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (l *hashLimiter) release() {
	<-l.slots
	l.leave()
}

func (l *hashLimiter) leave() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending--
	if l.pending == 0 {
		l.scheduleFree()
	}
}

// scheduleFree returns the hashes' memory to the operating system once the
// limiter has drained, at most once per freeEvery; a drain sooner than that
// is served when the interval ends, so the last burst is never left holding
// memory. Without this the Go heap keeps what a burst grew it to: the
// collector reuses it but hands it back only slowly, and not at all while
// the server idles between its two-minute forced collections. l.mu is held.
func (l *hashLimiter) scheduleFree() {
	if l.freeScheduled {
		return
	}
	l.freeScheduled = true
	wait := max(l.lastFree.Add(l.freeEvery).Sub(l.now()), 0)
	l.afterFunc(wait, l.freeIfIdle)
}

func (l *hashLimiter) freeIfIdle() {
	l.mu.Lock()
	l.freeScheduled = false
	if l.pending > 0 {
		// A new burst began; the moment it drains schedules again.
		l.mu.Unlock()
		return
	}
	l.lastFree = l.now()
	l.mu.Unlock()
	l.freeMemory()
}
