package keys_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/keys"
)

const (
	secret  = "test-secret-key-that-is-long-enough-0123456789"
	userA   = "0190a0b0-0000-7000-8000-00000000000a"
	userB   = "0190a0b0-0000-7000-8000-00000000000b"
	apiKeyA = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"
)

func newBox(t *testing.T, s string) *keys.Box {
	t.Helper()
	b, err := keys.NewBox([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// flip changes one byte of the ciphertext inside a sealed value.
func flip(t *testing.T, sealed string, at int) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	if err != nil {
		t.Fatal(err)
	}
	raw[at] ^= 0x01
	return "v1:" + base64.StdEncoding.EncodeToString(raw)
}

func TestSealOpen(t *testing.T) {
	box := newBox(t, secret)
	sealed, err := box.Seal(userA, apiKeyA)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, apiKeyA) || strings.Contains(sealed, "abcdefghij") {
		t.Fatalf("sealed = %q, want an opaque v1: value", sealed)
	}
	other := newBox(t, strings.Replace(secret, "test", "prod", 1))

	for _, tc := range []struct {
		name   string
		box    *keys.Box
		userID string
		sealed string
		want   string // "" means Open must fail
	}{
		{name: "round trip", box: box, userID: userA, sealed: sealed, want: apiKeyA},
		{name: "another box, same secret", box: newBox(t, secret), userID: userA, sealed: sealed, want: apiKeyA},
		{name: "wrong user", box: box, userID: userB, sealed: sealed},
		{name: "no user", box: box, userID: "", sealed: sealed},
		{name: "wrong secret", box: other, userID: userA, sealed: sealed},
		{name: "tampered nonce", box: box, userID: userA, sealed: flip(t, sealed, 0)},
		{name: "tampered ciphertext", box: box, userID: userA, sealed: flip(t, sealed, 15)},
		{name: "tampered tag", box: box, userID: userA, sealed: flip(t, sealed, 12+len(apiKeyA)+15)},
		{name: "truncated", box: box, userID: userA, sealed: sealed[:len(sealed)-8]},
		{name: "no version", box: box, userID: userA, sealed: strings.TrimPrefix(sealed, "v1:")},
		{name: "unknown version", box: box, userID: userA, sealed: "v2:" + strings.TrimPrefix(sealed, "v1:")},
		{name: "not base64", box: box, userID: userA, sealed: "v1:!!!"},
		{name: "too short", box: box, userID: userA, sealed: "v1:AAAA"},
		{name: "empty", box: box, userID: userA, sealed: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.box.Open(tc.userID, tc.sealed)
			if tc.want != "" {
				if err != nil || got != tc.want {
					t.Fatalf("Open = %q, %v; want the key back", got, err)
				}
				return
			}
			if !errors.Is(err, keys.ErrOpen) || got != "" {
				t.Fatalf("Open = %q, %v; want ErrOpen and nothing", got, err)
			}
		})
	}
}

func TestSealUsesAFreshNonce(t *testing.T) {
	box := newBox(t, secret)
	a, _ := box.Seal(userA, apiKeyA)
	b, _ := box.Seal(userA, apiKeyA)
	if a == b {
		t.Fatal("sealing the same key twice gave the same value; the nonce must be random")
	}
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, "v1:"))
	if want := 12 + len(apiKeyA) + 16; len(raw) != want {
		t.Fatalf("sealed value holds %d bytes, want nonce (12) + key (%d) + tag (16)", len(raw), len(apiKeyA))
	}
}

func TestNewBoxRefusesAShortSecret(t *testing.T) {
	if _, err := keys.NewBox([]byte("short")); err == nil {
		t.Fatal("NewBox accepted a 5-byte secret")
	}
	box := newBox(t, secret)
	if _, err := box.Seal("", apiKeyA); err == nil {
		t.Fatal("Seal without a user id succeeded")
	}
}

func ExampleBox() {
	box, err := keys.NewBox([]byte("a-secret-key-of-at-least-32-characters"))
	if err != nil {
		panic(err)
	}
	sealed, _ := box.Seal("user-1", "sk-ant-api03-example-key")
	plain, _ := box.Open("user-1", sealed)
	_, err = box.Open("user-2", sealed)
	fmt.Println(strings.HasPrefix(sealed, "v1:"), plain)
	fmt.Println("another user:", err)
	// Output:
	// true sk-ant-api03-example-key
	// another user: keys: the sealed key does not open
}
