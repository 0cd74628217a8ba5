package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const accessTTL = 15 * time.Minute

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func newTestIssuer(t *testing.T, clock *fakeClock) *TokenIssuer {
	t.Helper()
	ti, err := NewTokenIssuer(testSecret, accessTTL, clock.Now)
	if err != nil {
		t.Fatalf("NewTokenIssuer: %v", err)
	}
	return ti
}

func mustIssue(t *testing.T, ti *TokenIssuer) (string, time.Time) {
	t.Helper()
	tok, exp, err := ti.Issue("user-1", "session-1")
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return tok, exp
}

func assertVerifyErr(t *testing.T, ti *TokenIssuer, token string, want error) {
	t.Helper()
	c, err := ti.Verify(token)
	if err != want {
		t.Fatalf("Verify error = %v, want %v", err, want)
	}
	if err != nil && c != (Claims{}) {
		t.Fatalf("Verify returned claims %+v alongside an error", c)
	}
}

// validClaims are the claims Issue would produce at now, for tests that
// forge tokens with one thing wrong.
func validClaims(now time.Time) accessClaims {
	return accessClaims{
		SessionID: "session-1",
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   "user-1",
			Audience:  jwt.ClaimStrings{tokenAudience},
			ExpiresAt: jwt.NewNumericDate(now.Add(accessTTL)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        "jti-1",
		},
	}
}

func signHS256(t *testing.T, claims jwt.Claims, key []byte) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

func TestNewTokenIssuerRejectsWeakConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		secret []byte
		ttl    time.Duration
	}{
		{"nil secret", nil, accessTTL},
		{"31-byte secret", testSecret[:31], accessTTL},
		{"zero ttl", testSecret, 0},
		{"negative ttl", testSecret, -time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewTokenIssuer(tc.secret, tc.ttl, nil); err == nil {
				t.Fatalf("NewTokenIssuer succeeded, want an error")
			}
		})
	}
}

func TestTokenRoundTrip(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	ti := newTestIssuer(t, clock)
	tok, exp := mustIssue(t, ti)

	wantExp := clock.Now().Truncate(time.Second).Add(accessTTL)
	if !exp.Equal(wantExp) {
		t.Fatalf("expiresAt = %v, want %v", exp, wantExp)
	}
	c, err := ti.Verify(tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.UserID != "user-1" || c.SessionID != "session-1" {
		t.Fatalf("claims = %+v, want user-1/session-1", c)
	}
	if !c.ExpiresAt.Equal(exp) || !c.IssuedAt.Equal(clock.Now().Truncate(time.Second)) {
		t.Fatalf("claims times = %v..%v, want %v..%v", c.IssuedAt, c.ExpiresAt, clock.Now(), exp)
	}
	tok2, _ := mustIssue(t, ti)
	c2, err := ti.Verify(tok2)
	if err != nil {
		t.Fatalf("Verify second token: %v", err)
	}
	if c.TokenID == "" || c.TokenID == c2.TokenID {
		t.Fatalf("token ids %q and %q are not unique", c.TokenID, c2.TokenID)
	}
}

// TestTokenWireFormat pins the claim names other services and the browser may
// read, which a refactor of the claims struct could silently change.
func TestTokenWireFormat(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	tok, exp := mustIssue(t, newTestIssuer(t, clock))
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var header, payload map[string]any
	decodeSegment(t, parts[0], &header)
	decodeSegment(t, parts[1], &payload)

	if header["alg"] != "HS256" {
		t.Fatalf("alg = %v, want HS256", header["alg"])
	}
	now := float64(clock.Now().Unix())
	for name, want := range map[string]any{
		"sub": "user-1",
		"sid": "session-1",
		"iss": "prospector",
		"aud": []any{"prospector-api"},
		"iat": now,
		"nbf": now,
		"exp": float64(exp.Unix()),
	} {
		got, _ := json.Marshal(payload[name])
		wantJSON, _ := json.Marshal(want)
		if string(got) != string(wantJSON) {
			t.Errorf("claim %s = %s, want %s", name, got, wantJSON)
		}
	}
	if jti, _ := payload["jti"].(string); len(jti) < 16 {
		t.Errorf("jti = %v, want a random string", payload["jti"])
	}
}

func decodeSegment(t *testing.T, seg string, into any) {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("decode segment: %v", err)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		t.Fatalf("unmarshal segment: %v", err)
	}
}

// TestTokenLifetime issues a token on one clock and verifies it on another:
// it is valid for accessTTL, and a token minted by another instance whose
// clock runs ahead of ours is accepted within the leeway.
func TestTokenLifetime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		issued, verified time.Duration // after the start, on each clock
		want             error
	}{
		{"fresh", 0, 0, nil},
		{"last second", 0, accessTTL - time.Second, nil},
		{"at exp", 0, accessTTL, ErrTokenExpired},
		// The clock-skew leeway must not stretch the lifetime.
		{"within leeway after exp", 0, accessTTL + 10*time.Second, ErrTokenExpired},
		{"a minute after", 0, accessTTL + time.Minute, ErrTokenExpired},
		{"long after", 0, 30 * 24 * time.Hour, ErrTokenExpired},
		// Minted by an instance whose clock runs ahead of ours.
		{"20s ahead", 20 * time.Second, 0, nil},
		{"30s ahead", 30 * time.Second, 0, nil},
		{"31s ahead", 31 * time.Second, 0, ErrTokenInvalid},
		{"an hour ahead", time.Hour, 0, ErrTokenInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			issuer, verifier := newFakeClock(), newFakeClock()
			issuer.Advance(tc.issued)
			tok, _ := mustIssue(t, newTestIssuer(t, issuer))
			verifier.Advance(tc.verified)
			assertVerifyErr(t, newTestIssuer(t, verifier), tok, tc.want)
		})
	}
}

func TestTokenForgeries(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	ti := newTestIssuer(t, clock)
	now := clock.Now()
	valid := validClaims(now)
	b64url := base64.RawURLEncoding

	// withClaims returns valid claims with one change, signed correctly.
	withClaims := func(change func(*accessClaims)) string {
		c := validClaims(now)
		change(&c)
		return signHS256(t, c, testSecret)
	}

	payload, err := json.Marshal(valid)
	if err != nil {
		t.Fatal(err)
	}
	// An RS256 header with an HMAC signature keyed by our secret is the
	// classic key-confusion forgery against libraries that pick the
	// verification method from the header.
	rs256Input := b64url.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + b64url.EncodeToString(payload)
	mac := hmac.New(sha256.New, testSecret)
	mac.Write([]byte(rs256Input))
	rs256 := rs256Input + "." + b64url.EncodeToString(mac.Sum(nil))

	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, valid).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, valid).SignedString(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	genuine, _ := mustIssue(t, ti)
	gp := strings.Split(genuine, ".")

	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"control: valid forged claims are accepted", signHS256(t, valid, testSecret), nil},
		{"alg none", none, ErrTokenInvalid},
		{"alg none, signature stripped", strings.TrimSuffix(none, "."), ErrTokenInvalid},
		{"RS256 header", rs256, ErrTokenInvalid},
		{"HS512 with our secret", hs512, ErrTokenInvalid},
		{"wrong secret", signHS256(t, valid, []byte("another-secret-of-at-least-32-bytes!")), ErrTokenInvalid},
		{"payload swapped", gp[0] + "." + b64url.EncodeToString([]byte(`{"sub":"admin"}`)) + "." + gp[2], ErrTokenInvalid},
		{"signature removed", gp[0] + "." + gp[1] + ".", ErrTokenInvalid},
		{"wrong audience", withClaims(func(c *accessClaims) { c.Audience = jwt.ClaimStrings{"prospector-web"} }), ErrTokenInvalid},
		{"no audience", withClaims(func(c *accessClaims) { c.Audience = nil }), ErrTokenInvalid},
		{"wrong issuer", withClaims(func(c *accessClaims) { c.Issuer = "someone-else" }), ErrTokenInvalid},
		{"no issuer", withClaims(func(c *accessClaims) { c.Issuer = "" }), ErrTokenInvalid},
		{"no subject", withClaims(func(c *accessClaims) { c.Subject = "" }), ErrTokenInvalid},
		{"no session", withClaims(func(c *accessClaims) { c.SessionID = "" }), ErrTokenInvalid},
		{"no jti", withClaims(func(c *accessClaims) { c.ID = "" }), ErrTokenInvalid},
		{"no exp", withClaims(func(c *accessClaims) { c.ExpiresAt = nil }), ErrTokenInvalid},
		{"no iat", withClaims(func(c *accessClaims) { c.IssuedAt = nil }), ErrTokenInvalid},
		{"no nbf", withClaims(func(c *accessClaims) { c.NotBefore = nil }), ErrTokenInvalid},
		{"not valid yet", withClaims(func(c *accessClaims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Hour)) }), ErrTokenInvalid},
		{"expired", withClaims(func(c *accessClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour)) }), ErrTokenExpired},
		// Refreshing cannot fix a token that is wrong in another way too.
		{"expired and wrong audience", withClaims(func(c *accessClaims) {
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour))
			c.Audience = jwt.ClaimStrings{"elsewhere"}
		}), ErrTokenInvalid},
		{"expired and no session", withClaims(func(c *accessClaims) {
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour))
			c.SessionID = ""
		}), ErrTokenInvalid},
		// Only a genuine token may be reported as expired.
		{"expired with wrong secret", func() string {
			c := validClaims(now)
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour))
			return signHS256(t, c, []byte("another-secret-of-at-least-32-bytes!"))
		}(), ErrTokenInvalid},
		{"empty", "", ErrTokenInvalid},
		{"garbage", "not a token", ErrTokenInvalid},
		{"dots only", "..", ErrTokenInvalid},
		{"two segments", gp[0] + "." + gp[1], ErrTokenInvalid},
		{"trailing space", genuine + " ", ErrTokenInvalid},
		{"bearer prefix left on", "Bearer " + genuine, ErrTokenInvalid},
		{"oversized", genuine + strings.Repeat("A", maxTokenLen), ErrTokenInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertVerifyErr(t, ti, tc.token, tc.want)
		})
	}
}

func TestTokenErrorsLeakNothing(t *testing.T) {
	t.Parallel()
	ti := newTestIssuer(t, newFakeClock())
	_, err := ti.Verify("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	if !errors.Is(err, ErrTokenInvalid) || errors.Unwrap(err) != nil {
		t.Fatalf("Verify error = %#v, want the bare ErrTokenInvalid", err)
	}
}

func TestIssueRequiresIDs(t *testing.T) {
	t.Parallel()
	ti := newTestIssuer(t, newFakeClock())
	for _, ids := range [][2]string{{"", "s"}, {"u", ""}} {
		if _, _, err := ti.Issue(ids[0], ids[1]); err == nil {
			t.Errorf("Issue(%q, %q) succeeded, want an error", ids[0], ids[1])
		}
	}
}

func TestTokenIssuerCopiesSecret(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	secret := append([]byte(nil), testSecret...)
	ti, err := NewTokenIssuer(secret, accessTTL, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := mustIssue(t, ti)
	secret[0] ^= 0xff
	assertVerifyErr(t, ti, tok, nil)
}
