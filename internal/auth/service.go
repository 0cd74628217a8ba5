package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/accountstore"
	"github.com/prospectorhq/prospector/internal/textfield"
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

// Login throttling: failures per email and per client address in one
// window. The address bound is far higher than the account's because one
// address is often a whole office behind its router: five typos there must
// not lock every colleague out, while spraying guesses across accounts from
// one address is still stopped after a hundred.
const (
	maxLoginFailures       = 5
	maxLoginFailuresByAddr = 100
	loginWindow            = 15 * time.Minute
)

// Signup throttling per client address. Every signup that passes validation
// counts, taken email or not: each answer tells whether an email is
// registered. Twenty in fifteen minutes is more than one office signs up,
// and turns checking a list of emails into a matter of days.
const (
	maxSignups   = 20
	signupWindow = 15 * time.Minute
)

// Service signs users up and in, rotates refresh tokens and authenticates
// requests. It knows nothing of HTTP: the caller passes the client address
// and sets cookies from what it returns.
type Service struct {
	store        *store.Store
	tokens       *TokenIssuer
	loginByEmail *Throttle
	loginByAddr  *Throttle
	signupByAddr *Throttle
	hasher       passwordHasher
	hashes       *hashLimiter
	now          func() time.Time
	log          *slog.Logger
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
	slots := hashSlots()
	return &Service{
		store:        s,
		tokens:       tokens,
		loginByEmail: NewThrottle(maxLoginFailures, loginWindow, now),
		loginByAddr:  NewThrottle(maxLoginFailuresByAddr, loginWindow, now),
		signupByAddr: NewThrottle(maxSignups, signupWindow, now),
		hasher:       argon2idHasher{},
		hashes:       newHashLimiter(slots, slots*hashQueuePerSlot, maxHashWait, time.Now),
		now:          now,
		log:          log,
	}, nil
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
	// ClientAddr is who is signing up, for throttling (as for Login).
	ClientAddr string
}

// Signup creates an account and logs it in. Each client address gets
// maxSignups attempts per signupWindow; a taken email is answered before
// any hashing, so neither a burst nor a scan of emails costs a hash each.
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
	attempt, wait, ok := s.signupByAddr.Reserve(p.ClientAddr)
	if !ok {
		return Grant{}, &apperr.Error{Code: apperr.CodeRateLimited, RetryAfter: wait,
			Message: "Too many sign-ups from your network. Please wait and try again."}
	}
	taken, err := s.emailTaken(ctx, email)
	if err != nil {
		attempt.Cancel()
		return Grant{}, fmt.Errorf("signup: %w", err)
	}
	if taken {
		return Grant{}, errEmailTaken()
	}
	release, err := s.hashes.acquire(ctx)
	if err != nil {
		attempt.Cancel() // turned away before the answer: it tells nothing
		return Grant{}, err
	}
	hash, err := s.hasher.Hash(p.Password)
	release()
	if err != nil {
		return Grant{}, fmt.Errorf("signup: %w", err)
	}
	userID := store.NewID()
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		_, err := tx.CreateUser(ctx, store.CreateUserParams{
			ID: userID, Email: email, PasswordHash: hash, FullName: p.FullName, CompanyName: p.CompanyName,
			Plan: DefaultPlan, LeadCredits: DefaultLeadCredits, GrantReason: "starter plan: free lead credits for the first month",
		})
		return err
	})
	if store.IsConflict(err, "email") {
		// Taken since the check above, by a signup running alongside.
		return Grant{}, errEmailTaken()
	}
	if err != nil {
		return Grant{}, fmt.Errorf("signup: %w", err)
	}
	return s.startSession(ctx, userID)
}

func errEmailTaken() error {
	return apperr.New(apperr.CodeEmailTaken, "An account with this email already exists.")
}

// emailTaken is the cheap check before hashing; the unique index still
// decides between two signups for one email at once.
func (s *Service) emailTaken(ctx context.Context, email string) (bool, error) {
	err := records(s.store).Read(ctx, "", func(tx Records) error {
		_, err := tx.CredentialsByEmail(ctx, email)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// maxProfileChars bounds the optional full_name and company_name.
const maxProfileChars = 200

func cleanOptional(fields apperr.Fields, name string, v *string) *string {
	if v == nil {
		return nil
	}
	t := strings.TrimSpace(*v)
	if t == "" {
		return nil
	}
	textfield.Check(fields, name, t, textfield.Line, maxProfileChars)
	return &t
}

// Login checks a password. Unknown emails and wrong passwords fail alike, in
// the same time; five failures in fifteen minutes for an email, or a hundred
// from one client address, block further tries for a while. An attempt is counted before its
// hash and taken back when it succeeds, so parallel tries cannot all slip
// in before the first failure is counted.
func (s *Service) Login(ctx context.Context, email, password, clientAddr string) (Grant, error) {
	normalized, emailErr := NormalizeEmail(email)
	byAddr, wait, ok := s.loginByAddr.Reserve(clientAddr)
	if !ok {
		return Grant{}, loginBlocked(wait)
	}
	var byEmail Reservation
	if emailErr == nil {
		if byEmail, wait, ok = s.loginByEmail.Reserve(normalized); !ok {
			byAddr.Cancel()
			return Grant{}, loginBlocked(wait)
		}
	}
	// notEvaluated takes the attempt back: the password was never checked.
	notEvaluated := func(err error) (Grant, error) {
		byAddr.Cancel()
		byEmail.Cancel()
		return Grant{}, err
	}

	var creds store.Credentials
	known := false
	if emailErr == nil {
		err := records(s.store).Read(ctx, "", func(tx Records) error {
			var err error
			creds, err = tx.CredentialsByEmail(ctx, normalized)
			return err
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return notEvaluated(fmt.Errorf("login: %w", err))
		}
		known = err == nil
	}
	release, err := s.hashes.acquire(ctx)
	if err != nil {
		return notEvaluated(err)
	}
	if !known {
		s.hasher.VerifyDummy(password)
		release()
		return Grant{}, invalidCredentials()
	}
	match, err := s.hasher.Verify(creds.PasswordHash, password)
	release()
	if err != nil {
		return notEvaluated(fmt.Errorf("login: verify: %w", err))
	}
	if !match {
		return Grant{}, invalidCredentials()
	}
	// Success clears the account's failures, but only takes back this
	// attempt for the address: one account's right password must not
	// reset a count that other accounts' wrong ones built up.
	byAddr.Cancel()
	s.loginByEmail.Reset(normalized)
	if NeedsRehash(creds.PasswordHash) {
		s.rehash(ctx, creds.UserID, password)
	}
	return s.startSession(ctx, creds.UserID)
}

func loginBlocked(wait time.Duration) error {
	return &apperr.Error{Code: apperr.CodeRateLimited, RetryAfter: wait,
		Message: "Too many failed sign-in attempts. Please wait and try again."}
}

func invalidCredentials() error {
	return apperr.New(apperr.CodeInvalidCredentials, "The email or password is incorrect.")
}

// rehash upgrades a stored hash to the current parameters; failing to, or
// finding every hash slot taken, is not worth failing a login over.
func (s *Service) rehash(ctx context.Context, userID, password string) {
	release, ok := s.hashes.tryAcquire()
	if !ok {
		return // busy: the next login upgrades it
	}
	hash, err := s.hasher.Hash(password)
	release()
	if err == nil {
		err = records(s.store).Write(ctx, "", func(tx Records) error { return tx.SetPasswordHash(ctx, userID, hash) })
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
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		if err := tx.CreateSession(ctx, accountstore.CreateSessionParams{ID: sessionID, UserID: userID, CookieHash: &cookieHash, ExpiresAt: expires}); err != nil {
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
		rt      accountstore.RefreshToken
	)
	err = records(s.store).Write(ctx, "", func(tx Records) error {
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
	err = records(s.store).Read(ctx, rt.UserID, func(tx Records) error {
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
	return records(s.store).Write(ctx, "", func(tx Records) error { return tx.RevokeSession(ctx, sessionID, "logout") })
}

// Profile returns userID's profile (their plan and lead credits among it),
// as GET /api/auth/me and the dashboard's header show it.
func (s *Service) Profile(ctx context.Context, userID string) (store.Profile, error) {
	var p store.Profile
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		var err error
		p, err = tx.Profile(ctx)
		return err
	})
	if err != nil {
		return store.Profile{}, fmt.Errorf("profile: %w", err)
	}
	return p, nil
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
	err = records(s.store).Read(ctx, "", func(tx Records) error {
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
	var sess accountstore.Session
	err := records(s.store).Read(ctx, "", func(tx Records) error {
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
