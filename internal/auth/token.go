package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	tokenIssuer   = "prospector"
	tokenAudience = "prospector-api"

	// minSecretLen matches the HS256 output size; a shorter key would be the
	// weakest part of the signature.
	minSecretLen = 32

	// clockSkew tolerates servers whose clocks run slightly apart, for nbf
	// and iat only: a token is never honoured after its exp.
	clockSkew = 30 * time.Second

	// maxTokenLen bounds the work spent on garbage; our tokens are ~350 bytes.
	maxTokenLen = 4096
)

var (
	// ErrTokenExpired means the token was genuine but has expired: the client
	// should refresh.
	ErrTokenExpired = errors.New("auth: access token expired")
	// ErrTokenInvalid covers every other reason to reject a token. The
	// reason is deliberately not exposed.
	ErrTokenInvalid = errors.New("auth: access token invalid")

	errIncompleteClaims = errors.New("auth: token lacks required claims")
)

// Claims is what a verified access token says about its bearer.
type Claims struct {
	UserID    string
	SessionID string
	TokenID   string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// accessClaims is the wire form of an access token's payload.
type accessClaims struct {
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// Validate is called by the jwt parser after its own checks, so that a token
// missing a claim we rely on is rejected along with the rest.
func (c accessClaims) Validate() error {
	if c.Subject == "" || c.SessionID == "" || c.ID == "" || c.IssuedAt == nil || c.NotBefore == nil {
		return errIncompleteClaims
	}
	return nil
}

// TokenIssuer issues and verifies HS256 access tokens. It is safe for
// concurrent use.
type TokenIssuer struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
	parser *jwt.Parser
}

// NewTokenIssuer returns an issuer signing with secret, which must be at least
// 32 bytes. now is the clock used both to stamp and to check tokens; nil means
// time.Now.
func NewTokenIssuer(secret []byte, ttl time.Duration, now func() time.Time) (*TokenIssuer, error) {
	if len(secret) < minSecretLen {
		return nil, fmt.Errorf("auth: token secret must be at least %d bytes, got %d", minSecretLen, len(secret))
	}
	if ttl < time.Second {
		return nil, fmt.Errorf("auth: token lifetime must be at least one second, got %s", ttl)
	}
	if now == nil {
		now = time.Now
	}
	return &TokenIssuer{
		// Copied so that a caller reusing its buffer cannot change our key.
		secret: append([]byte(nil), secret...),
		ttl:    ttl,
		now:    now,
		parser: jwt.NewParser(
			// Pinning the algorithm is what defeats alg=none and the
			// RS256-with-HMAC-key confusion.
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer(tokenIssuer),
			jwt.WithAudience(tokenAudience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(clockSkew),
			jwt.WithTimeFunc(now),
		),
	}, nil
}

// Issue returns a signed access token for the given user and session, and the
// moment it stops being accepted.
func (ti *TokenIssuer) Issue(userID, sessionID string) (token string, expiresAt time.Time, err error) {
	if userID == "" || sessionID == "" {
		return "", time.Time{}, errors.New("auth: issue token: user and session ids are required")
	}
	// JWT times have whole-second precision; truncating here keeps the
	// returned expiry equal to the one inside the token.
	now := ti.now().UTC().Truncate(time.Second)
	exp := now.Add(ti.ttl).Truncate(time.Second)
	claims := accessClaims{
		SessionID: sessionID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   userID,
			Audience:  jwt.ClaimStrings{tokenAudience},
			ExpiresAt: jwt.NewNumericDate(exp),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        rand.Text(),
		},
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(ti.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: sign token: %w", err)
	}
	return signed, exp, nil
}

// Verify checks a token's signature and claims and returns its claims. The
// error is ErrTokenExpired or ErrTokenInvalid, nothing more specific, so that
// callers cannot leak why a token was refused.
func (ti *TokenIssuer) Verify(token string) (Claims, error) {
	if token == "" || len(token) > maxTokenLen {
		return Claims{}, ErrTokenInvalid
	}
	var c accessClaims
	_, err := ti.parser.ParseWithClaims(token, &c, ti.key)
	if err != nil {
		if onlyExpired(err) {
			return Claims{}, ErrTokenExpired
		}
		return Claims{}, ErrTokenInvalid
	}
	// The parser applied the clock-skew leeway to exp as well; exp is ours
	// to enforce strictly, since both ends of it were set by this server.
	if !ti.now().Before(c.ExpiresAt.Time) {
		return Claims{}, ErrTokenExpired
	}
	return Claims{
		UserID:    c.Subject,
		SessionID: c.SessionID,
		TokenID:   c.ID,
		IssuedAt:  c.IssuedAt.UTC(),
		ExpiresAt: c.ExpiresAt.UTC(),
	}, nil
}

func (ti *TokenIssuer) key(t *jwt.Token) (any, error) {
	// WithValidMethods already refuses other algorithms; this guards against
	// that option being lost in a refactor.
	if t.Method != jwt.SigningMethodHS256 {
		return nil, ErrTokenInvalid
	}
	return ti.secret, nil
}

// claimErrors are the parser's reasons other than expiry to refuse a token
// whose signature checked out. It reports all of them at once, so an expired
// token that is also wrong in another way must still count as invalid:
// telling the client to refresh would not help it.
var claimErrors = []error{
	jwt.ErrTokenRequiredClaimMissing,
	jwt.ErrTokenInvalidAudience,
	jwt.ErrTokenInvalidIssuer,
	jwt.ErrTokenInvalidSubject,
	jwt.ErrTokenInvalidId,
	jwt.ErrTokenNotValidYet,
	jwt.ErrTokenUsedBeforeIssued,
	errIncompleteClaims,
}

// onlyExpired relies on the parser checking the signature before the claims:
// an expiry error therefore only ever comes from a correctly signed token.
func onlyExpired(err error) bool {
	if !errors.Is(err, jwt.ErrTokenExpired) {
		return false
	}
	for _, other := range claimErrors {
		if errors.Is(err, other) {
			return false
		}
	}
	return true
}
