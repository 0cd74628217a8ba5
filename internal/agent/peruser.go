package agent

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"

	"github.com/prospectorhq/prospector/internal/providers"
)

// ErrNoKey means neither the user nor the server has an Anthropic key:
// Claude is off for this call, which is not an outage. Callers fall back
// as they would with no model configured.
var ErrNoKey = errors.New("no Anthropic key: Claude is off")

// maxUserClients bounds PerUser's cache of per-key clients.
const maxUserClients = 256

// PerUser is an LLM that calls Claude with the user's own key when they
// stored one (BYOK) and with the server's otherwise. The user is the
// account on the call's context (providers.WithAccount).
type PerUser struct {
	// Default is the server's client (ANTHROPIC_API_KEY); nil when unset.
	Default LLM
	// Key returns the user's own key, "" when they have none. An error
	// fails the call: a key that cannot be read is never silently replaced
	// by the server's.
	Key func(ctx context.Context, userID string) (string, error)
	// New builds a client for a user's key.
	New func(apiKey string) (LLM, error)

	mu      sync.Mutex
	clients map[[sha256.Size]byte]LLM // by the key's hash, so the map holds no key
}

var _ LLM = (*PerUser)(nil)

// Structured implements LLM with the client the call's user should use.
func (p *PerUser) Structured(ctx context.Context, req Request, out any) (Result, error) {
	llm, err := p.pick(ctx)
	if err != nil {
		return Result{Model: req.Model}, err
	}
	return llm.Structured(ctx, req, out)
}

func (p *PerUser) pick(ctx context.Context) (LLM, error) {
	if userID := providers.AccountFrom(ctx); userID != "" && p.Key != nil {
		key, err := p.Key(ctx, userID)
		if err != nil {
			return nil, fmt.Errorf("agent: the user's Anthropic key: %w", err)
		}
		if key != "" {
			return p.client(key)
		}
	}
	if p.Default == nil {
		return nil, ErrNoKey
	}
	return p.Default, nil
}

// client returns the cached client for key, building it on first use. When
// the cache is full one entry, any, makes room.
func (p *PerUser) client(key string) (LLM, error) {
	sum := sha256.Sum256([]byte(key))
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[sum]; ok {
		return c, nil
	}
	if p.New == nil {
		return nil, errors.New("agent: PerUser.New is not set")
	}
	c, err := p.New(key)
	if err != nil {
		return nil, fmt.Errorf("agent: client for the user's key: %w", err)
	}
	if p.clients == nil {
		p.clients = make(map[[sha256.Size]byte]LLM)
	}
	if len(p.clients) >= maxUserClients {
		for k := range p.clients {
			delete(p.clients, k)
			break
		}
	}
	p.clients[sum] = c
	return c, nil
}
