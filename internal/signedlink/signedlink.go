// Package signedlink makes and reads the tokens of the public links in
// outgoing mail (unsubscribe, open and click tracking): anyone may follow
// such a link without logging in, so the token itself must prove that we
// made it, for whom and for which message, and nothing in it can be
// changed or guessed.
//
// A token is base64url(payload) "." base64url(HMAC-SHA256(key, purpose |
// payload)), the key derived from SECRET_KEY for this use alone. The
// purpose (unsubscribe, open, click) is signed but not written, so a token
// made for one link does not open another.
package signedlink

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Purposes a token may be made for.
const (
	Unsubscribe = "unsubscribe"
	Open        = "open"
	Click       = "click"
	// UnsubscribeSequence names a sequence, not a message: the link in
	// mail Instantly sends, whose messages Prospector does not build.
	UnsubscribeSequence = "unsubscribe_sequence"
	// InstantlyWebhook is the per-user secret Instantly sends back with
	// every webhook event (X-Prospector-Secret): it names the user.
	InstantlyWebhook = "instantly_webhook"
)

// maxTokenLen bounds what Read looks at: a token from a path is at most a
// few hundred characters; anything longer is not ours.
const maxTokenLen = 2048

// ErrInvalid is every reason a token is refused: malformed, forged, made
// for another purpose. Callers answer it as not found.
var ErrInvalid = errors.New("signedlink: invalid token")

// Signer makes and checks tokens under one key.
type Signer struct {
	key []byte
}

// New derives the link key from secret (SECRET_KEY).
func New(secret []byte) (*Signer, error) {
	if len(secret) < 32 {
		return nil, errors.New("signedlink: the secret must be at least 32 bytes")
	}
	key, err := hkdf.Key(sha256.New, secret, nil, "prospector signed links v1", 32)
	if err != nil {
		return nil, fmt.Errorf("signedlink: derive key: %w", err)
	}
	return &Signer{key: key}, nil
}

// Make returns a token for purpose carrying fields (each without a "|"):
// e.g. the user and the message an unsubscribe link names.
func (s *Signer) Make(purpose string, fields ...string) (string, error) {
	for _, f := range fields {
		if strings.Contains(f, "|") {
			return "", fmt.Errorf("signedlink: field %q holds a |", f)
		}
	}
	payload := strings.Join(fields, "|")
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(s.mac(purpose, payload)), nil
}

// Read checks token for purpose and returns its n fields; any problem is
// ErrInvalid. The signature is compared in constant time.
func (s *Signer) Read(purpose, token string, n int) ([]string, error) {
	if len(token) > maxTokenLen {
		return nil, ErrInvalid
	}
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return nil, ErrInvalid
	}
	payload, err := enc.DecodeString(p)
	if err != nil {
		return nil, ErrInvalid
	}
	got, err := enc.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(purpose, string(payload))) {
		return nil, ErrInvalid
	}
	fields := strings.Split(string(payload), "|")
	if len(fields) != n {
		return nil, ErrInvalid
	}
	return fields, nil
}

func (s *Signer) mac(purpose, payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// Strict: a token has one spelling. Without it the unused bits of the last
// character are ignored, so four strings read as the same token, and a
// test's "forged" token can be the real one.
var enc = base64.RawURLEncoding.Strict()
