package auth

import (
	"container/list"
	"fmt"
	"sync"
	"time"
)

// defaultMaxThrottleKeys bounds memory when someone sprays attempts across
// many emails or addresses: at five timestamps a key this stays in the tens of
// megabytes.
const defaultMaxThrottleKeys = 100_000

// Throttle counts attempts per key (failed logins per email or client
// address, signups per client address) over a sliding window and blocks a
// key once it has too many.
// It is safe for concurrent use, runs no goroutine, and holds a bounded number
// of keys, forgetting the least recently failed one first when full.
//
// State lives in one process; several instances each keep their own.
type Throttle struct {
	maxFailures int
	window      time.Duration
	now         func() time.Time
	maxKeys     int

	mu sync.Mutex
	// byKey indexes lru, whose elements hold *throttleEntry ordered by
	// last failure, oldest at the front: expired entries gather there, so
	// pruning is a walk from the front that stops at the first live entry.
	byKey map[string]*list.Element
	lru   *list.List
}

type throttleEntry struct {
	key string
	// failures holds the most recent failures, oldest first, at most
	// maxFailures of them: older ones can no longer decide anything.
	failures []time.Time
}

// NewThrottle returns a throttle that blocks a key once maxFailures failures
// fall within window. now is the clock; nil means time.Now. It panics when
// maxFailures or window is not positive, which is a configuration bug.
func NewThrottle(maxFailures int, window time.Duration, now func() time.Time) *Throttle {
	return newThrottle(maxFailures, window, now, defaultMaxThrottleKeys)
}

func newThrottle(maxFailures int, window time.Duration, now func() time.Time, maxKeys int) *Throttle {
	if maxFailures < 1 || window <= 0 || maxKeys < 1 {
		panic(fmt.Sprintf("auth: NewThrottle(%d, %s): both must be positive", maxFailures, window))
	}
	if now == nil {
		now = time.Now
	}
	return &Throttle{
		maxFailures: maxFailures,
		window:      window,
		now:         now,
		maxKeys:     maxKeys,
		byKey:       make(map[string]*list.Element),
		lru:         list.New(),
	}
}

// Check reports whether key is blocked and, if so, how long until its next
// attempt may be made, in whole seconds of at least one, ready for a
// Retry-After header. Check records nothing.
func (t *Throttle) Check(key string) (retryAfter time.Duration, blocked bool) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.check(key, now)
}

func (t *Throttle) check(key string, now time.Time) (retryAfter time.Duration, blocked bool) {
	t.prune(now)

	el, ok := t.byKey[key]
	if !ok {
		return 0, false
	}
	e := el.Value.(*throttleEntry)
	e.dropExpired(now, t.window)
	if len(e.failures) == 0 {
		t.remove(el)
		return 0, false
	}
	if len(e.failures) < t.maxFailures {
		return 0, false
	}
	// The key is free again once the oldest of the failures that block it
	// leaves the window.
	wait := e.failures[len(e.failures)-t.maxFailures].Add(t.window).Sub(now)
	return roundUpSeconds(wait), true
}

// Fail records a failed attempt for key. Calling it for a key that is
// already blocked pushes the end of its block further out.
func (t *Throttle) Fail(key string) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fail(key, now)
}

func (t *Throttle) fail(key string, now time.Time) {
	t.prune(now)

	el, ok := t.byKey[key]
	if !ok {
		if len(t.byKey) >= t.maxKeys {
			t.remove(t.lru.Front())
		}
		el = t.lru.PushBack(&throttleEntry{key: key, failures: make([]time.Time, 0, t.maxFailures)})
		t.byKey[key] = el
	} else {
		t.lru.MoveToBack(el)
	}
	e := el.Value.(*throttleEntry)
	e.dropExpired(now, t.window)
	if len(e.failures) == t.maxFailures {
		// Shift in place so the slice never grows past maxFailures.
		copy(e.failures, e.failures[1:])
		e.failures = e.failures[:len(e.failures)-1]
	}
	e.failures = append(e.failures, now)
}

// Reservation is an attempt Reserve counted before it was made. Cancel takes
// it back when the attempt turned out not to count: it succeeded, or it was
// never evaluated.
type Reservation struct {
	t   *Throttle
	key string
	at  time.Time
}

// Reserve counts an attempt for key before it is made, unless key is already
// blocked; checking and counting happen under one lock, so of many parallel
// attempts at most maxFailures get through, where a Check now and a Fail
// after the work would let every one of them through. A blocked key gets
// the same retry delay as Check's and counts nothing.
func (t *Throttle) Reserve(key string) (r Reservation, retryAfter time.Duration, ok bool) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if wait, blocked := t.check(key, now); blocked {
		return Reservation{}, wait, false
	}
	t.fail(key, now)
	return Reservation{t: t, key: key, at: now}, 0, true
}

// Cancel takes back the attempt r counted, if the throttle still holds it.
// The zero Reservation cancels nothing.
func (r Reservation) Cancel() {
	if r.t == nil {
		return
	}
	t := r.t
	t.mu.Lock()
	defer t.mu.Unlock()
	el, ok := t.byKey[r.key]
	if !ok {
		return
	}
	e := el.Value.(*throttleEntry)
	// Newest first: the reservation is most likely among the latest.
	for i := len(e.failures) - 1; i >= 0; i-- {
		if e.failures[i].Equal(r.at) {
			e.failures = append(e.failures[:i], e.failures[i+1:]...)
			break
		}
	}
	// The entry keeps its place in lru even when its last failure is now an
	// older one: prune then finds it a little late, which costs memory for
	// a while, never correctness (Check drops expired failures itself).
	if len(e.failures) == 0 {
		t.remove(el)
	}
}

// Reset forgets key, as after a successful login.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.byKey[key]; ok {
		t.remove(el)
	}
}

// prune drops entries whose last failure has left the window. Each entry is
// removed once, so the cost is amortised over the calls that created them.
func (t *Throttle) prune(now time.Time) {
	for el := t.lru.Front(); el != nil; el = t.lru.Front() {
		e := el.Value.(*throttleEntry)
		if len(e.failures) > 0 && !expired(e.failures[len(e.failures)-1], now, t.window) {
			break
		}
		t.remove(el)
	}
}

func (t *Throttle) remove(el *list.Element) {
	delete(t.byKey, el.Value.(*throttleEntry).key)
	t.lru.Remove(el)
}

func (e *throttleEntry) dropExpired(now time.Time, window time.Duration) {
	i := 0
	for i < len(e.failures) && expired(e.failures[i], now, window) {
		i++
	}
	if i > 0 {
		n := copy(e.failures, e.failures[i:])
		e.failures = e.failures[:n]
	}
}

func expired(failedAt, now time.Time, window time.Duration) bool {
	return !now.Before(failedAt.Add(window))
}

func roundUpSeconds(d time.Duration) time.Duration {
	secs := (d + time.Second - 1) / time.Second
	return max(secs, 1) * time.Second
}
