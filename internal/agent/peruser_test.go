package agent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers"
)

// namedLLM answers every call with its own name as the model.
type namedLLM struct {
	name  string
	calls atomic.Int32
}

func (n *namedLLM) Structured(_ context.Context, req Request, _ any) (Result, error) {
	n.calls.Add(1)
	return Result{Model: n.name + "/" + req.Model}, nil
}

// fakeKeys is a user's stored keys; a user in failing cannot be read.
type fakeKeys struct {
	keys    map[string]string
	failing map[string]bool
}

func (f fakeKeys) key(_ context.Context, userID string) (string, error) {
	if f.failing[userID] {
		return "", errors.New("sealed key does not open")
	}
	return f.keys[userID], nil
}

// builder counts the clients it builds, one namedLLM per key.
type builder struct {
	built atomic.Int32
	fail  bool
}

func (b *builder) new(apiKey string) (LLM, error) {
	b.built.Add(1)
	if b.fail {
		return nil, errors.New("bad key")
	}
	return &namedLLM{name: "user:" + apiKey}, nil
}

func TestPerUserPicksTheUsersKeyFirst(t *testing.T) {
	keys := fakeKeys{keys: map[string]string{"alice": "sk-alice"}, failing: map[string]bool{"mallory": true}}
	server := &namedLLM{name: "server"}
	for _, tc := range []struct {
		name      string
		user      string
		server    LLM
		buildFail bool
		want      string // the model answering, or "" for an error
		noKey     bool   // the error is ErrNoKey
	}{
		{name: "user's own key wins", user: "alice", server: server, want: "user:sk-alice/m"},
		{name: "user's own key without a server key", user: "alice", want: "user:sk-alice/m"},
		{name: "no user key: server's", user: "bob", server: server, want: "server/m"},
		{name: "no account: server's", user: "", server: server, want: "server/m"},
		{name: "neither key", user: "bob", noKey: true},
		{name: "no account, no server key", user: "", noKey: true},
		{name: "unreadable user key is an error", user: "mallory", server: server},
		{name: "client for the user's key fails", user: "alice", server: server, buildFail: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &PerUser{Default: tc.server, Key: keys.key, New: (&builder{fail: tc.buildFail}).new}
			ctx := context.Background()
			if tc.user != "" {
				ctx = providers.WithAccount(ctx, tc.user)
			}
			res, err := p.Structured(ctx, Request{Model: "m"}, &struct{}{})
			switch {
			case tc.want != "":
				if err != nil || res.Model != tc.want {
					t.Fatalf("answered by %q, %v; want %q", res.Model, err, tc.want)
				}
			case tc.noKey:
				if !errors.Is(err, ErrNoKey) {
					t.Fatalf("err = %v, want ErrNoKey", err)
				}
			default:
				if err == nil || errors.Is(err, ErrNoKey) {
					t.Fatalf("answered by %q, %v; want an error that is not ErrNoKey", res.Model, err)
				}
			}
		})
	}
	if n := server.calls.Load(); n != 2 {
		t.Errorf("the server's client answered %d calls, want 2 (never in place of a user's key)", n)
	}
}

func TestPerUserCachesClientsPerKey(t *testing.T) {
	keys := fakeKeys{keys: map[string]string{"alice": "sk-alice", "alice2": "sk-alice", "bob": "sk-bob"}}
	b := &builder{}
	p := &PerUser{Key: keys.key, New: b.new}
	var wg sync.WaitGroup
	for i := range 50 {
		user := []string{"alice", "alice2", "bob"}[i%3]
		wg.Go(func() {
			ctx := providers.WithAccount(context.Background(), user)
			if _, err := p.Structured(ctx, Request{Model: "m"}, &struct{}{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := b.built.Load(); n != 2 {
		t.Fatalf("built %d clients for 2 distinct keys", n)
	}

	// The cache stays bounded however many keys come by.
	for i := range 2 * maxUserClients {
		if _, err := p.client(fmt.Sprintf("sk-key-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(p.clients); n > maxUserClients {
		t.Fatalf("cache holds %d clients, want at most %d", n, maxUserClients)
	}
}
