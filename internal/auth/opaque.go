package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// opaqueTokenBytes gives 256 bits of entropy, far beyond guessing range, so a
// plain SHA-256 is enough to store them: unlike passwords there is nothing to
// brute-force, and a fast hash lets the token be looked up by its hash.
const opaqueTokenBytes = 32

// NewOpaqueToken returns a random token to hand to the client and the hash to
// store in its place (refresh tokens, browser session cookies).
func NewOpaqueToken() (token string, hash string, err error) {
	b := make([]byte, opaqueTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: generate token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashOpaqueToken(token), nil
}

// HashOpaqueToken returns the hex SHA-256 of token, the form under which it is
// stored and looked up, so that a leaked database does not yield usable tokens.
func HashOpaqueToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
