package auth

import (
	"encoding/base64"
	"testing"
)

func TestNewOpaqueToken(t *testing.T) {
	t.Parallel()
	const n = 1000
	seen := make(map[string]bool, n)
	hashes := make(map[string]bool, n)
	for range n {
		tok, hash, err := NewOpaqueToken()
		if err != nil {
			t.Fatalf("NewOpaqueToken: %v", err)
		}
		raw, err := base64.RawURLEncoding.Strict().DecodeString(tok)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 32 bytes of raw URL base64 (err %v)", tok, err)
		}
		if hash != HashOpaqueToken(tok) {
			t.Fatalf("returned hash %q differs from HashOpaqueToken %q", hash, HashOpaqueToken(tok))
		}
		if seen[tok] || hashes[hash] {
			t.Fatalf("token or hash repeated after %d tokens", len(seen))
		}
		seen[tok], hashes[hash] = true, true
	}
}

func TestHashOpaqueToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		token string
		want  string
	}{
		// FIPS 180-2 test vectors: the stored form must stay plain
		// SHA-256 hex, or every stored refresh token is lost.
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	} {
		t.Run(tc.token, func(t *testing.T) {
			if got := HashOpaqueToken(tc.token); got != tc.want {
				t.Fatalf("HashOpaqueToken(%q) = %s, want %s", tc.token, got, tc.want)
			}
		})
	}
}
