// Package keys seals the API keys users store for external services (BYOK)
// so that the database never holds them in the clear.
//
// A Box encrypts with AES-256-GCM under a key derived from the app's
// SECRET_KEY by HKDF-SHA256. Each sealed value is one opaque string,
// "v1:" + base64(nonce || ciphertext), with a random 96-bit nonce. The
// owner's user id is the additional data: a sealed value copied to another
// user's row does not open.
//
// A Service is those keys as the user's settings: it checks a key before
// sealing it, stores it and shows it back only as a View (service, last four
// characters, when it was set), for the JSON API and the dashboard alike.
package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Services a user may store a key for. The name is the key's service in
// the store and its path segment in the API.
const (
	Anthropic = "anthropic"
	Instantly = "instantly"
)

// Known reports whether users may store a key for service.
func Known(service string) bool {
	switch service {
	case Anthropic, Instantly:
		return true
	}
	return false
}

// hkdfInfo separates this key from anything else derived from SECRET_KEY.
const hkdfInfo = "prospector api keys v1"

// version prefixes every sealed value, so the scheme can change later
// without guessing which one a stored value used.
const version = "v1:"

// minSecretLen matches the config's floor for SECRET_KEY.
const minSecretLen = 32

// ErrOpen means a sealed value did not open: it was altered, belongs to
// another user, or was sealed under another SECRET_KEY.
var ErrOpen = errors.New("keys: the sealed key does not open")

// Box seals and opens keys. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// NewBox derives the sealing key from secret (the app's SECRET_KEY).
func NewBox(secret []byte) (*Box, error) {
	if len(secret) < minSecretLen {
		return nil, fmt.Errorf("keys: secret must be at least %d bytes, got %d", minSecretLen, len(secret))
	}
	key, err := hkdf.Key(sha256.New, secret, nil, hkdfInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("keys: derive: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	// The random nonce is prepended to the ciphertext by Seal and read back
	// by Open.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext for userID.
func (b *Box) Seal(userID, plaintext string) (string, error) {
	if userID == "" {
		return "", errors.New("keys: seal: a user id is required")
	}
	sealed := b.aead.Seal(nil, nil, []byte(plaintext), []byte(userID))
	return version + base64.StdEncoding.EncodeToString(sealed), nil
}

// Open decrypts a value Seal made for userID. Any failure is ErrOpen, and
// says nothing about the contents.
func (b *Box) Open(userID, sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, version)
	if !ok || userID == "" {
		return "", ErrOpen
	}
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, nil, raw, []byte(userID))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}
