package signedlink_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/signedlink"
)

func signer(t *testing.T, secret string) *signedlink.Signer {
	t.Helper()
	s, err := signedlink.New([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokensReadBackAndRefuseEveryTamper(t *testing.T) {
	s := signer(t, strings.Repeat("k", 32))
	tok, err := s.Make(signedlink.Unsubscribe, "01a2a2a2-0000-7000-8000-000000000001", "01a2a2a2-0000-7000-8000-000000000002")
	if err != nil {
		t.Fatal(err)
	}
	fields, err := s.Read(signedlink.Unsubscribe, tok, 2)
	if err != nil || fields[0] != "01a2a2a2-0000-7000-8000-000000000001" || fields[1] != "01a2a2a2-0000-7000-8000-000000000002" {
		t.Fatalf("Read = %v, %v", fields, err)
	}
	if strings.ContainsAny(tok, "/+=?#&") {
		t.Errorf("token %q is not safe in a URL path", tok)
	}
	payload, sig, _ := strings.Cut(tok, ".")
	other, _ := s.Make(signedlink.Unsubscribe, "01a2a2a2-0000-7000-8000-000000000009", "01a2a2a2-0000-7000-8000-000000000002")
	otherPayload, _, _ := strings.Cut(other, ".")
	flipped := []byte(sig)
	flipped[0] ^= 1
	// A signature of 32 bytes is 43 characters whose last carries 4 bits;
	// setting its 2 unused bits (always 0 in a token we made) spells the
	// same bytes another way.
	respelled := []byte(sig)
	respelled[len(respelled)-1] = base64URL[strings.IndexByte(base64URL, sig[len(sig)-1])|3]
	for name, bad := range map[string]struct {
		purpose, token string
		n              int
	}{
		"another purpose":           {signedlink.Open, tok, 2},
		"another user's payload":    {signedlink.Unsubscribe, otherPayload + "." + sig, 2},
		"a changed signature":       {signedlink.Unsubscribe, payload + "." + string(flipped), 2},
		"no signature":              {signedlink.Unsubscribe, payload, 2},
		"empty":                     {signedlink.Unsubscribe, "", 2},
		"wrong field count":         {signedlink.Unsubscribe, tok, 3},
		"not base64":                {signedlink.Unsubscribe, "%%%." + sig, 2},
		"huge":                      {signedlink.Unsubscribe, strings.Repeat("a", 5000) + "." + sig, 2},
		"another server's secret":   {signedlink.Unsubscribe, mustMake(t, signer(t, strings.Repeat("z", 32))), 2},
		"a truncated signature":     {signedlink.Unsubscribe, tok[:len(tok)-2], 2},
		"an extra character at end": {signedlink.Unsubscribe, tok + "A", 2},
		"another spelling":          {signedlink.Unsubscribe, payload + "." + string(respelled), 2},
	} {
		if _, err := s.Read(bad.purpose, bad.token, bad.n); !errors.Is(err, signedlink.ErrInvalid) {
			t.Errorf("%s: Read = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := s.Make(signedlink.Click, "a|b"); err == nil {
		t.Error("Make accepted a field holding the separator")
	}
	if _, err := signedlink.New([]byte("short")); err == nil {
		t.Error("New accepted a short secret")
	}
}

func mustMake(t *testing.T, s *signedlink.Signer) string {
	t.Helper()
	tok, err := s.Make(signedlink.Unsubscribe, "01a2a2a2-0000-7000-8000-000000000001", "01a2a2a2-0000-7000-8000-000000000002")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
