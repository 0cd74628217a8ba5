package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
)

// Lifetimes from the HTTP contract.
const (
	AccessTokenTTL = 15 * time.Minute
	SessionTTL     = 30 * 24 * time.Hour // refresh tokens and browser cookies
)

// Defaults given to every new account.
const (
	DefaultPlan        = "starter"
	DefaultLeadCredits = 500
)

// Login throttling: failures per email and per client address.
const (
	maxLoginFailures = 5
	loginWindow      = 15 * time.Minute
)

// Service signs users up and in, rotates refresh tokens and authenticates
// requests. It knows nothing of HTTP: the caller passes the client address
// and sets cookies from what it returns.
type Service struct {
	store    *store.Store
	tokens   *TokenIssuer
	throttle *Throttle
	now      func() time.Time
	log      *slog.Logger
}

// NewService builds the service. secret signs access tokens.
func NewService(s *store.Store, secret []byte, now func() time.Time, log *slog.Logger) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	tokens, err := NewTokenIssuer(secret, AccessTokenTTL, now)
	if err != nil {
		return nil, fmt.Errorf("auth service: %w", err)
	}
	return &Service{store: s, tokens: tokens, throttle: NewThrottle(maxLoginFailures, loginWindow, now), now: now, log: log}, nil
}

// Grant is what a successful signup, login or refresh hands the client.
type Grant struct {
	Profile      store.Profile
	AccessToken  string
	RefreshToken string
	ExpiresIn    int // seconds until the access token expires
	SessionID    string
	// CookieToken is set on signup and login: the browser session cookie's value.
	CookieToken     string
	CookieExpiresAt time.Time
}

// Identity is who an authenticated request acts for.
type Identity struct {
	UserID    string
	SessionID string
	ViaCookie bool
}

// SignupParams are the signup form.
type SignupParams struct {
	Email       string
	Password    string
	FullName    *string
	CompanyName *string
}

// Signup creates an account and logs it in.
func (s *Service) Signup(ctx context.Context, p SignupParams) (Grant, error) {
	fields := apperr.Fields{}
	email, err := NormalizeEmail(p.Email)
	if err != nil {
		fields.Add("email", "must be a valid email address")
	}
	if err := ValidatePassword(p.Password); err != nil {
		fields.Add("password", "must be 10 to 256 characters")
	}
	p.FullName = cleanOptional(fields, "full_name", p.FullName)
	p.CompanyName = cleanOptional(fields, "company_name", p.CompanyName)
	if err := fields.Err(); err != nil {
		return Grant{}, err
	}
	hash, err := HashPassword(p.Password)
	if err != nil {
		return Grant{}, fmt.Errorf("signup: %w", err)
	}
	userID := store.NewID()
	err = s.store.Write(ctx, userID, func(tx *store.Tx) error {
		_, err := tx.CreateUser(ctx, store.CreateUserParams{
			ID: userID, Email: email, PasswordHash: hash, FullName: p.FullName, CompanyName: p.CompanyName,
			Plan: DefaultPlan, LeadCredits: DefaultLeadCredits,
		})
		return err
	})
	if store.IsConflict(err, "email") {
		return Grant{}, apperr.New(apperr.CodeEmailTaken, "An account with this email already exists.")
	}
	if err != nil {
		return Grant{}, fmt.Errorf("signup: %w", err)
	}
	return s.startSession(ctx, userID)
}

func cleanOptional(fields apperr.Fields, name string, v *string) *string {
	if v == nil {
		return nil
	}
	t := strings.TrimSpace(*v)
	if t == "" {
		return nil
	}
	if utf8.RuneCountInString(t) > 200 {
		fields.Add(name, "must be at most 200 characters")
	}
	return &t
}

// Login checks a password. Unknown emails and wrong passwords fail alike, in
// the same time; five failures in fifteen minutes, per email or per client
// address, block further tries for a while.
func (s *Service) Login(ctx context.Context, email, password, clientAddr string) (Grant, error) {
	normalized, emailErr := NormalizeEmail(email)
	keys := []string{"ip:" + clientAddr}
	if emailErr == nil {
		keys = append(keys, "email:"+normalized)
	}
	for _, k := range keys {
		if wait, blocked := s.throttle.Check(k); blocked {
			return Grant{}, &apperr.Error{Code: apperr.CodeRateLimited, RetryAfter: wait,
				Message: "Too many failed sign-in attempts. Please wait and try again."}
		}
	}
	fail := func() (Grant, error) {
		for _, k := range keys {
			s.throttle.Fail(k)
		}
		return Grant{}, apperr.New(apperr.CodeInvalidCredentials, "The email or password is incorrect.")
	}
	if emailErr != nil {
		VerifyDummy(password)
		return fail()
	}

	var creds store.Credentials
	err := s.store.Read(ctx, "", func(tx *store.Tx) error {
		var err error
		creds, err = tx.CredentialsByEmail(ctx, normalized)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		VerifyDummy(password)
		return fail()
	}
	if err != nil {
		return Grant{}, fmt.Errorf("login: %w", err)
	}
	ok, err := VerifyPassword(creds.PasswordHash, password)
	if err != nil {
		return Grant{}, fmt.Errorf("login: verify: %w", err)
	}
	if !ok {
		return fail()
	}
	s.throttle.Reset("email:" + normalized)
	if NeedsRehash(creds.PasswordHash) {
		s.rehash(ctx, creds.UserID, password)
	}
	return s.startSession(ctx, creds.UserID)
}

// rehash upgrades a stored hash to the current parameters; failing to is
// not worth failing a login over.
func (s *Service) rehash(ctx context.Context, userID, password string) {
	hash, err := HashPassword(password)
	if err == nil {
		err = s.store.Write(ctx, "", func(tx *store.Tx) error { return tx.SetPasswordHash(ctx, userID, hash) })
	}
	if err != nil {
		s.log.WarnContext(ctx, "password rehash failed", slog.Any("error", err))
	}
}

func (s *Service) startSession(ctx context.Context, userID string) (Grant, error) {
	cookie, cookieHash, err := NewOpaqueToken()
	if err != nil {
		return Grant{}, err
	}
	refresh, refreshHash, err := NewOpaqueToken()
	if err != nil {
		return Grant{}, err
	}
	sessionID := store.NewID()
	expires := s.now().Add(SessionTTL)
	var profile store.Profile
	err = s.store.Write(ctx, userID, func(tx *store.Tx) error {
		if err := tx.CreateSession(ctx, store.CreateSessionParams{ID: sessionID, UserID: userID, CookieHash: &cookieHash, ExpiresAt: expires}); err != nil {
			return err
		}
		if err := tx.CreateRefreshToken(ctx, sessionID, refreshHash, expires); err != nil {
			return err
		}
		var err error
		profile, err = tx.Profile(ctx)
		return err
	})
	if err != nil {
		return Grant{}, fmt.Errorf("start session: %w", err)
	}
	g, err := s.grant(profile, sessionID, refresh)
	g.CookieToken, g.CookieExpiresAt = cookie, expires
	return g, err
}

func (s *Service) grant(p store.Profile, sessionID, refresh string) (Grant, error) {
	access, _, err := s.tokens.Issue(p.ID, sessionID)
	if err != nil {
		return Grant{}, fmt.Errorf("issue access token: %w", err)
	}
	return Grant{Profile: p, AccessToken: access, RefreshToken: refresh, SessionID: sessionID,
		ExpiresIn: int(AccessTokenTTL / time.Second)}, nil
}

// Refresh spends a refresh token for a new pair. A token presented twice
// means it was copied: the whole family (session) is revoked.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (Grant, error) {
	if refreshToken == "" {
		return Grant{}, unauthorized()
	}
	hash := HashOpaqueToken(refreshToken)
	next, nextHash, err := NewOpaqueToken()
	if err != nil {
		return Grant{}, err
	}
	var (
		reused  bool
		profile store.Profile
		rt      store.RefreshToken
	)
	err = s.store.Write(ctx, "", func(tx *store.Tx) error {
		var err error
		rt, err = tx.RefreshTokenByHash(ctx, hash)
		if err != nil {
			return err
		}
		now := s.now()
		if rt.UsedAt != nil {
			reused = true
			return tx.RevokeSession(ctx, rt.SessionID, "refresh_token_reused")
		}
		if rt.SessionRevokedAt != nil || !now.Before(rt.ExpiresAt) || !now.Before(rt.SessionExpiresAt) {
			return store.ErrNotFound
		}
		won, err := tx.SpendRefreshToken(ctx, rt.ID)
		if err != nil {
			return err
		}
		if !won {
			reused = true
			return tx.RevokeSession(ctx, rt.SessionID, "refresh_token_reused")
		}
		return tx.CreateRefreshToken(ctx, rt.SessionID, nextHash, rt.SessionExpiresAt)
	})
	if errors.Is(err, store.ErrNotFound) {
		return Grant{}, apperr.New(apperr.CodeUnauthorized, "The refresh token is not valid. Please sign in again.")
	}
	if err != nil {
		return Grant{}, fmt.Errorf("refresh: %w", err)
	}
	if reused {
		s.log.WarnContext(ctx, "refresh token reused; session revoked", slog.String("session_id", rt.SessionID))
		return Grant{}, apperr.New(apperr.CodeTokenReused, "This refresh token was already used. Please sign in again.")
	}
	err = s.store.Read(ctx, rt.UserID, func(tx *store.Tx) error {
		var err error
		profile, err = tx.Profile(ctx)
		return err
	})
	if err != nil {
		return Grant{}, fmt.Errorf("refresh: %w", err)
	}
	return s.grant(profile, rt.SessionID, next)
}

// Logout revokes the session: its cookie, its access tokens, its refresh family.
func (s *Service) Logout(ctx context.Context, sessionID string) error {
	return s.store.Write(ctx, "", func(tx *store.Tx) error { return tx.RevokeSession(ctx, sessionID, "logout") })
}

// AuthenticateBearer verifies an access token and that its session is live.
func (s *Service) AuthenticateBearer(ctx context.Context, token string) (Identity, error) {
	claims, err := s.tokens.Verify(token)
	if errors.Is(err, ErrTokenExpired) {
		return Identity{}, apperr.New(apperr.CodeTokenExpired, "The access token has expired. Refresh it or sign in again.")
	}
	if err != nil {
		return Identity{}, unauthorized()
	}
	err = s.store.Read(ctx, "", func(tx *store.Tx) error {
		sess, err := tx.ActiveSession(ctx, claims.SessionID)
		if err == nil && sess.UserID != claims.UserID {
			err = store.ErrNotFound
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Identity{}, unauthorized()
	}
	if err != nil {
		return Identity{}, fmt.Errorf("authenticate: %w", err)
	}
	return Identity{UserID: claims.UserID, SessionID: claims.SessionID}, nil
}

// AuthenticateCookie finds the live session behind a browser cookie.
func (s *Service) AuthenticateCookie(ctx context.Context, cookie string) (Identity, error) {
	var sess store.Session
	err := s.store.Read(ctx, "", func(tx *store.Tx) error {
		var err error
		sess, err = tx.ActiveSessionByCookie(ctx, HashOpaqueToken(cookie))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Identity{}, unauthorized()
	}
	if err != nil {
		return Identity{}, fmt.Errorf("authenticate cookie: %w", err)
	}
	return Identity{UserID: sess.UserID, SessionID: sess.ID, ViaCookie: true}, nil
}

func unauthorized() error {
	return apperr.New(apperr.CodeUnauthorized, "Sign in to continue.")
}
