package auth

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/burst"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// testHasher stands in for argon2id: it keeps the password in clear, counts
// calls and the most that ran at once, and, when gate is set, holds every
// call until the gate is closed, announcing each on entered.
type testHasher struct {
	gate    chan struct{}
	entered chan struct{}

	mu                      sync.Mutex
	calls, running, maxSeen int
}

func (h *testHasher) enter() {
	h.mu.Lock()
	h.calls++
	h.running++
	h.maxSeen = max(h.maxSeen, h.running)
	h.mu.Unlock()
	if h.entered != nil {
		h.entered <- struct{}{}
	}
	if h.gate != nil {
		<-h.gate
	}
}

func (h *testHasher) leave() {
	h.mu.Lock()
	h.running--
	h.mu.Unlock()
}

func (h *testHasher) Hash(password string) (string, error) {
	h.enter()
	defer h.leave()
	return "test$" + password, nil
}

func (h *testHasher) Verify(encoded, password string) (bool, error) {
	h.enter()
	defer h.leave()
	return encoded == "test$"+password, nil
}

func (h *testHasher) VerifyDummy(string) {
	h.enter()
	h.leave()
}

func (h *testHasher) stats() (calls, maxSeen int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, h.maxSeen
}

func newTestService(t *testing.T, e storetest.Engine, h passwordHasher) *Service {
	t.Helper()
	svc, err := NewService(storetest.Open(t, e), []byte("test-secret-key-that-is-long-enough-0123456789"), nil,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	svc.hasher = h
	svc.hashes.freeMemory = func() {}
	return svc
}

func uniqueEmail(prefix string) string { return prefix + "-" + store.NewID() + "@example.test" }

func codeOf(err error) string {
	if err == nil {
		return "ok"
	}
	return apperr.CodeOf(err)
}

func signUp(t *testing.T, svc *Service, email, password string) {
	t.Helper()
	if _, err := svc.Signup(t.Context(), SignupParams{Email: email, Password: password, ClientAddr: "192.0.2.1"}); err != nil {
		t.Fatalf("signup %s: %v", email, err)
	}
}

// Issue 9: the throttle was checked before hashing and counted after, so
// 200 parallel wrong passwords for one account were all evaluated.
func TestParallelWrongLoginsEvaluateAtMostTheLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		for _, tc := range []struct {
			name string
			addr func(i int) string
		}{
			{"from one address", func(int) string { return "198.51.100.7" }},
			{"from as many addresses", func(i int) string { return fmt.Sprintf("198.51.%d.%d", i/250, 1+i%250) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				h := &testHasher{}
				svc := newTestService(t, e, h)
				email := uniqueEmail("victim")
				signUp(t, svc, email, "the right password")
				h.mu.Lock()
				h.calls = 0
				h.mu.Unlock()

				codes := parallel(200, func(i int) error {
					_, err := svc.Login(context.Background(), email, "not the password", tc.addr(i))
					return err
				})
				if codes[apperr.CodeInvalidCredentials] != maxLoginFailures || codes[apperr.CodeRateLimited] != 200-maxLoginFailures {
					t.Fatalf("answers %v, want %d invalid_credentials and the rest rate_limited", codes, maxLoginFailures)
				}
				if calls, _ := h.stats(); calls != maxLoginFailures {
					t.Fatalf("%d passwords evaluated, want %d", calls, maxLoginFailures)
				}
				// The account is blocked, even for the right password.
				if _, err := svc.Login(t.Context(), email, "the right password", "203.0.113.9"); codeOf(err) != apperr.CodeRateLimited {
					t.Fatalf("right password after the burst: %v, want rate_limited", err)
				}
			})
		}
	})
}

// A successful login takes back its own count for the address, and clears
// the account's failures, as before reservations.
func TestSuccessfulLoginIsNotCounted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc := newTestService(t, e, &testHasher{})
		email := uniqueEmail("regular")
		signUp(t, svc, email, "the right password")
		const addr = "198.51.100.20"
		for i := range 3 * maxLoginFailures {
			if _, err := svc.Login(t.Context(), email, "the right password", addr); err != nil {
				t.Fatalf("login %d: %v", i, err)
			}
		}
		for i := range maxLoginFailures - 1 {
			if _, err := svc.Login(t.Context(), email, "not the password", addr); codeOf(err) != apperr.CodeInvalidCredentials {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
		if _, err := svc.Login(t.Context(), email, "the right password", addr); err != nil {
			t.Fatalf("right password after four failures: %v", err)
		}
	})
}

// Hashes run behind a bound whatever mix of requests asks for them; callers
// past the bound and its queue are answered rate_limited without hashing.
func TestConcurrentHashesNeverExceedTheBound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		const slots, queue, callers = 2, 3, 30
		h := &testHasher{gate: make(chan struct{}), entered: make(chan struct{}, callers)}
		svc := newTestService(t, e, h)
		svc.hashes = newHashLimiter(slots, queue, time.Hour, time.Now)
		svc.hashes.freeMemory = func() {}

		results := make(chan string, callers)
		for i := range callers {
			addr := fmt.Sprintf("198.51.100.%d", 1+i)
			go func() {
				var err error
				if i%2 == 0 {
					_, err = svc.Login(context.Background(), uniqueEmail("nobody"), "a wrong password", addr)
				} else {
					_, err = svc.Signup(context.Background(), SignupParams{Email: uniqueEmail("new"), Password: "a long enough password", ClientAddr: addr})
				}
				results <- codeOf(err)
			}()
		}
		deadline := time.After(time.Minute)
		wait := func(what string, ch <-chan struct{}) {
			select {
			case <-ch:
			case <-deadline:
				t.Fatalf("gave up waiting for %s", what)
			}
		}
		for range slots {
			wait("a hash to start", h.entered)
		}
		// While the gate holds the running hashes, only callers turned away
		// can answer: everyone past the bound and the queue.
		for i := range callers - slots - queue {
			select {
			case code := <-results:
				if code != apperr.CodeRateLimited {
					t.Fatalf("answer %d while every slot is held: %s, want rate_limited", i, code)
				}
			case <-deadline:
				t.Fatal("gave up waiting for the callers past the queue")
			}
		}
		if calls, maxSeen := h.stats(); calls != slots || maxSeen != slots {
			t.Fatalf("%d hashes started, %d at once, with %d slots", calls, maxSeen, slots)
		}
		close(h.gate)
		for range slots + queue {
			select {
			case code := <-results:
				if code != apperr.CodeInvalidCredentials && code != "ok" {
					t.Errorf("admitted caller answered %s", code)
				}
			case <-deadline:
				t.Fatal("gave up waiting for the admitted callers")
			}
		}
		if calls, maxSeen := h.stats(); calls != slots+queue || maxSeen > slots {
			t.Fatalf("%d hashes, at most %d at once; want %d, never more than %d at once", calls, maxSeen, slots+queue, slots)
		}
	})
}

// withTakenEmail is a service on a test hasher with one account signed
// up: the hasher, the service and the account's email.
func withTakenEmail(t *testing.T, e storetest.Engine) (*testHasher, *Service, string) {
	t.Helper()
	h := &testHasher{}
	svc := newTestService(t, e, h)
	taken := uniqueEmail("taken")
	signUp(t, svc, taken, "a long enough password")
	return h, svc, taken
}

// Issue 9: signup was not throttled, so anyone could check at full speed
// whether an email is registered.
func TestSignupIsThrottledPerClientAddress(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		_, svc, taken := withTakenEmail(t, e)
		const addr = "198.51.100.30"

		// Invalid forms count nothing: they neither hash nor tell anything.
		for range 2 * maxSignups {
			if _, err := svc.Signup(t.Context(), SignupParams{Email: "not-an-email", Password: "short", ClientAddr: addr}); codeOf(err) != apperr.CodeValidation {
				t.Fatalf("invalid signup: %v", err)
			}
		}
		for i := range maxSignups {
			email := taken
			want := apperr.CodeEmailTaken
			if i%4 == 0 {
				email, want = uniqueEmail("new"), "ok"
			}
			if _, err := svc.Signup(t.Context(), SignupParams{Email: email, Password: "a long enough password", ClientAddr: addr}); codeOf(err) != want {
				t.Fatalf("signup %d: %v, want %s", i, err, want)
			}
		}
		_, err := svc.Signup(t.Context(), SignupParams{Email: uniqueEmail("new"), Password: "a long enough password", ClientAddr: addr})
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeRateLimited || e.RetryAfter <= 0 {
			t.Fatalf("signup past the limit: %v, want rate_limited with a retry delay", err)
		}
		if _, err := svc.Signup(t.Context(), SignupParams{Email: taken, Password: "a long enough password", ClientAddr: addr}); codeOf(err) != apperr.CodeRateLimited {
			t.Fatalf("taken email past the limit: %v, want rate_limited, not an answer about the email", err)
		}
		// Another address is not affected.
		if _, err := svc.Signup(t.Context(), SignupParams{Email: taken, Password: "a long enough password", ClientAddr: "198.51.100.31"}); codeOf(err) != apperr.CodeEmailTaken {
			t.Fatalf("taken email from another address: %v", err)
		}
	})
}

// A taken email is answered before any hashing; 150 parallel signups for it
// hash nothing at all.
func TestSignupOfATakenEmailDoesNotHash(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h, svc, taken := withTakenEmail(t, e)
		before, _ := h.stats()
		codes := parallel(150, func(int) error {
			_, err := svc.Signup(context.Background(), SignupParams{Email: taken, Password: "another long password", ClientAddr: "198.51.100.40"})
			return err
		})
		if codes[apperr.CodeEmailTaken] != maxSignups || codes[apperr.CodeRateLimited] != 150-maxSignups {
			t.Fatalf("answers %v, want %d email_taken and the rest rate_limited", codes, maxSignups)
		}
		if after, _ := h.stats(); after != before {
			t.Fatalf("%d hashes for signups of a taken email, want none", after-before)
		}
	})
}

// parallel runs fn n times at once and counts the answers by code.
func parallel(n int, fn func(i int) error) map[string]int {
	return burst.Tally(n, func(i int) string { return codeOf(fn(i)) })
}

// Issue 9: the address bound was the account's (5), so five typos on five
// accounts behind one office router locked every account out for 15 minutes.
// Now the address allows a hundred failures, while each account keeps its 5.
func TestLoginAddressBoundIsAHundredFailures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		svc := newTestService(t, e, &testHasher{})
		const office = "198.51.100.50"
		var accounts []string
		for i := range 7 {
			email := uniqueEmail(fmt.Sprintf("colleague%d", i))
			signUp(t, svc, email, "the right password")
			accounts = append(accounts, email)
		}
		// Six colleagues mistype their password a few times each.
		failures := 0
		for _, email := range accounts[:6] {
			for range maxLoginFailures - 1 {
				if _, err := svc.Login(t.Context(), email, "a typo in it", office); codeOf(err) != apperr.CodeInvalidCredentials {
					t.Fatalf("typo for %s: %v, want invalid_credentials", email, err)
				}
				failures++
			}
		}
		if _, err := svc.Login(t.Context(), accounts[6], "the right password", office); err != nil {
			t.Fatalf("a seventh colleague after %d typos from the office: %v, want signed in", failures, err)
		}
		// Guesses sprayed over many accounts, each under its own bound, are
		// still stopped by the address's.
		for i := failures; i < maxLoginFailuresByAddr; i++ {
			email := fmt.Sprintf("spray%d@example.test", i)
			if _, err := svc.Login(t.Context(), email, "a guess", office); codeOf(err) != apperr.CodeInvalidCredentials {
				t.Fatalf("failure %d from the address: %v, want invalid_credentials", i+1, err)
			}
		}
		_, err := svc.Login(t.Context(), accounts[6], "the right password", office)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeRateLimited || e.RetryAfter <= 0 {
			t.Fatalf("after %d failures from one address: %v, want rate_limited with a retry delay", maxLoginFailuresByAddr, err)
		}
		// Another address is not affected.
		if _, err := svc.Login(t.Context(), accounts[6], "the right password", "203.0.113.50"); err != nil {
			t.Fatalf("from another address: %v, want signed in", err)
		}
	})
}
