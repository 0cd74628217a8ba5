package sending

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/auth"
	"github.com/prospectorhq/prospector/internal/fetch"
	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// Mailbox defaults and bounds (the contract's).
const (
	DefaultDailyLimit      = 30
	maxDailyLimit          = 500
	DefaultWarmupStart     = 5
	DefaultWarmupIncrement = 2
	maxWarmupIncrement     = 100
	maxHostChars           = 253
	maxUsernameChars       = 254
	maxPasswordChars       = 1000
	maxFromNameChars       = 100
)

// Connection security of a mail server.
const (
	SecuritySTARTTLS = "starttls"
	SecurityTLS      = "tls"
	SecurityNone     = "none"
)

var securities = []string{SecuritySTARTTLS, SecurityTLS, SecurityNone}

// WarmupInput is the warm-up ramp as the user sends it.
type WarmupInput struct {
	Enabled   *bool `json:"enabled"`
	Start     *int  `json:"start"`
	Increment *int  `json:"increment"`
}

// MailboxInput is a mailbox as the user sends it: on create, what is left
// out takes its default; on PATCH, what is left out stays, and a password
// is replaced only when given. An empty imap_host removes the IMAP settings.
type MailboxInput struct {
	Email        *string      `json:"email"`
	FromName     *string      `json:"from_name"`
	SMTPHost     *string      `json:"smtp_host"`
	SMTPPort     *int         `json:"smtp_port"`
	SMTPSecurity *string      `json:"smtp_security"`
	SMTPUsername *string      `json:"smtp_username"`
	SMTPPassword *string      `json:"smtp_password"`
	IMAPHost     *string      `json:"imap_host"`
	IMAPPort     *int         `json:"imap_port"`
	IMAPSecurity *string      `json:"imap_security"`
	IMAPUsername *string      `json:"imap_username"`
	IMAPPassword *string      `json:"imap_password"`
	DailyLimit   *int         `json:"daily_limit"`
	Warmup       *WarmupInput `json:"warmup"`
	// DKIMSelector and DKIMPrivateKey (PEM, write-only) sign the
	// mailbox's mail with DKIM on its address's domain; an empty selector
	// removes the signing.
	DKIMSelector   *string `json:"dkim_selector"`
	DKIMPrivateKey *string `json:"dkim_private_key"`
}

// MailboxView is a mailbox as the user sees it: never a password, only
// whether one is set.
type MailboxView struct {
	mailstore.Mailbox
	Warmup          Warmup `json:"warmup"`
	HasSMTPPassword bool   `json:"has_smtp_password"`
	HasIMAPPassword bool   `json:"has_imap_password"`
	HasDKIMKey      bool   `json:"has_dkim_key"`
	// SentToday counts its sends of the last 24 hours (what its cap is
	// measured on), BounceRate7d the share of its last 7 days' messages
	// that bounced (0 to 1).
	SentToday    int     `json:"sent_today"`
	BounceRate7d float64 `json:"bounce_rate_7d"`
	// RepliesDetected is false without IMAP: replies and bounces to this
	// mailbox cannot be read, and Notice says so.
	RepliesDetected bool    `json:"replies_detected"`
	Notice          *string `json:"notice"`
}

// Warmup is the ramp of a new mailbox: at most Start messages on its first
// day, Increment more each day after, up to its daily limit.
type Warmup struct {
	Enabled   bool `json:"enabled"`
	Start     int  `json:"start"`
	Increment int  `json:"increment"`
}

func viewOf(m mailstore.Mailbox, t mailstore.MailboxTally) MailboxView {
	v := MailboxView{Mailbox: m, Warmup: Warmup{m.WarmupEnabled, m.WarmupStart, m.WarmupIncrement},
		HasSMTPPassword: m.SMTPPassword != "", HasIMAPPassword: m.IMAPPassword != nil && *m.IMAPPassword != "",
		HasDKIMKey: m.DKIMPrivateKey != nil, RepliesDetected: m.IMAPHost != nil, SentToday: t.SentToday}
	if tried := t.Tried7d; tried > 0 {
		v.BounceRate7d = float64(t.Bounced7d) / float64(tried)
	}
	if !v.RepliesDetected {
		n := "Replies and bounces are not detected for this mailbox: add its IMAP settings to have them read."
		v.Notice = &n
	}
	return v
}

// CreateMailbox validates and stores a new mailbox for userID, its
// passwords sealed under SECRET_KEY and bound to the user.
func (s *Service) CreateMailbox(ctx context.Context, userID string, in MailboxInput) (MailboxView, error) {
	m := mailstore.Mailbox{SMTPSecurity: SecuritySTARTTLS, DailyLimit: DefaultDailyLimit,
		WarmupEnabled: true, WarmupStart: DefaultWarmupStart, WarmupIncrement: DefaultWarmupIncrement}
	m, plain, err := s.applyMailbox(m, in, true)
	if err != nil {
		return MailboxView{}, err
	}
	if err := s.seal(userID, &m, plain); err != nil {
		return MailboxView{}, err
	}
	err = records(s.store).Write(ctx, userID, func(tx Records) (err error) {
		m, err = tx.CreateMailbox(ctx, m)
		return err
	})
	if store.IsConflict(err, "email") {
		return MailboxView{}, apperr.Conflict("You already have a mailbox for %s.", m.Email)
	}
	if err != nil {
		return MailboxView{}, fmt.Errorf("create mailbox: %w", err)
	}
	return viewOf(m, mailstore.MailboxTally{}), nil
}

// UpdateMailbox applies a patch to one of userID's mailboxes.
func (s *Service) UpdateMailbox(ctx context.Context, userID, id string, in MailboxInput) (MailboxView, error) {
	var m mailstore.Mailbox
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		cur, err := tx.Mailbox(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("mailbox")
		}
		if err != nil {
			return err
		}
		next, plain, err := s.applyMailbox(cur, in, false)
		if err != nil {
			return err
		}
		if err := s.seal(userID, &next, plain); err != nil {
			return err
		}
		m, err = tx.UpdateMailbox(ctx, next)
		return err
	})
	if store.IsConflict(err, "email") {
		return MailboxView{}, apperr.Conflict("You already have another mailbox with that address.")
	}
	if err != nil {
		return MailboxView{}, err
	}
	return s.Mailbox(ctx, userID, m.ID)
}

// Mailbox returns one of userID's mailboxes.
func (s *Service) Mailbox(ctx context.Context, userID, id string) (MailboxView, error) {
	var m mailstore.Mailbox
	var tallies map[string]mailstore.MailboxTally
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		if m, err = tx.Mailbox(ctx, id); err != nil {
			return err
		}
		tallies, err = tx.MailboxTallies(ctx, tx.Now())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return MailboxView{}, apperr.NotFound("mailbox")
	}
	return viewOf(m, tallies[m.ID]), err
}

// Mailboxes lists userID's mailboxes, newest first.
func (s *Service) Mailboxes(ctx context.Context, userID string, page store.Page) ([]MailboxView, string, error) {
	var ms []mailstore.Mailbox
	var next string
	var tallies map[string]mailstore.MailboxTally
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		if ms, next, err = tx.ListMailboxes(ctx, page); err != nil {
			return err
		}
		tallies, err = tx.MailboxTallies(ctx, tx.Now())
		return err
	})
	views := make([]MailboxView, len(ms))
	for i, m := range ms {
		views[i] = viewOf(m, tallies[m.ID])
	}
	return views, next, err
}

// DeleteMailbox removes one of userID's mailboxes. Its scheduled
// follow-ups lose their mailbox and go through the campaign's others (or
// wait, saying why), so each is queued again.
func (s *Service) DeleteMailbox(ctx context.Context, userID, id string) error {
	err := records(s.store).WriteRetrying(ctx, userID, func(tx Records) error {
		if err := tx.DeleteMailbox(ctx, id); err != nil {
			return err
		}
		return s.resumeAll(ctx, tx)
	})
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("mailbox")
	}
	return err
}

// PauseMailbox stops sends from a mailbox until it is resumed.
func (s *Service) PauseMailbox(ctx context.Context, userID, id string) (MailboxView, error) {
	reason := "Paused by you."
	return s.setMailboxStatus(ctx, userID, id, mailstore.MailboxPaused, &reason)
}

// ResumeMailbox lets a paused mailbox send again: the messages that
// waited for it are queued again.
func (s *Service) ResumeMailbox(ctx context.Context, userID, id string) (MailboxView, error) {
	return s.setMailboxStatus(ctx, userID, id, mailstore.MailboxActive, nil)
}

func (s *Service) setMailboxStatus(ctx context.Context, userID, id, status string, reason *string) (MailboxView, error) {
	var m mailstore.Mailbox
	err := records(s.store).Write(ctx, userID, func(tx Records) (err error) {
		if m, err = tx.SetMailboxStatus(ctx, id, status, reason); err != nil || status != mailstore.MailboxActive {
			return err
		}
		// A first step waiting for any mailbox, or a follow-up for this
		// one: every running campaign's scheduled messages (the queue keeps
		// one job of each), and its sequences waiting for a mailbox.
		return s.resumeAll(ctx, tx)
	})
	if errors.Is(err, store.ErrNotFound) {
		return MailboxView{}, apperr.NotFound("mailbox")
	}
	if err != nil {
		return MailboxView{}, err
	}
	return s.Mailbox(ctx, userID, m.ID)
}

// plainPasswords are the passwords a request gave, before sealing.
type plainPasswords struct{ smtp, imap, dkim *string }

// seal replaces the given passwords by their sealed form in m.
func (s *Service) seal(userID string, m *mailstore.Mailbox, p plainPasswords) error {
	if p.smtp != nil {
		sealed, err := s.box.Seal(userID, *p.smtp)
		if err != nil {
			return fmt.Errorf("seal smtp password: %w", err)
		}
		m.SMTPPassword = sealed
	}
	if p.imap != nil {
		sealed, err := s.box.Seal(userID, *p.imap)
		if err != nil {
			return fmt.Errorf("seal imap password: %w", err)
		}
		m.IMAPPassword = &sealed
	}
	if p.dkim != nil {
		sealed, err := s.box.Seal(userID, *p.dkim)
		if err != nil {
			return fmt.Errorf("seal DKIM key: %w", err)
		}
		m.DKIMPrivateKey = &sealed
	}
	return nil
}

// applyMailbox puts in onto m and validates the result as a whole, field by
// field. creating requires what a new mailbox cannot do without.
func (s *Service) applyMailbox(m mailstore.Mailbox, in MailboxInput, creating bool) (mailstore.Mailbox, plainPasswords, error) {
	fields := apperr.Fields{}
	var plain plainPasswords
	if in.Email != nil {
		if e, err := auth.NormalizeEmail(*in.Email); err != nil {
			fields.Add("email", "must be a valid email address")
		} else {
			m.Email = e
		}
	}
	if in.FromName != nil {
		m.FromName = strings.TrimSpace(*in.FromName)
		textfield.Check(fields, "from_name", m.FromName, textfield.Line, maxFromNameChars)
	}
	setString(&m.SMTPHost, in.SMTPHost)
	setString(&m.SMTPSecurity, in.SMTPSecurity)
	setString(&m.SMTPUsername, in.SMTPUsername)
	if in.SMTPPort != nil {
		m.SMTPPort = *in.SMTPPort
	}
	if in.SMTPPassword != nil {
		plain.smtp = in.SMTPPassword
	}
	if creating {
		if m.Email == "" && fields["email"] == "" {
			fields.Add("email", "is required")
		}
		if m.SMTPPort == 0 {
			m.SMTPPort = defaultPort("smtp", m.SMTPSecurity)
		}
		if m.SMTPUsername == "" {
			m.SMTPUsername = m.Email // most providers sign in with the address
		}
		if plain.smtp == nil {
			fields.Add("smtp_password", "is required")
		}
	}
	s.checkServer(fields, "smtp", m.SMTPHost, m.SMTPPort, m.SMTPSecurity, m.SMTPUsername, plain.smtp)

	if in.IMAPHost != nil && strings.TrimSpace(*in.IMAPHost) == "" {
		m.IMAPHost, m.IMAPPort, m.IMAPSecurity, m.IMAPUsername, m.IMAPPassword = nil, nil, nil, nil, nil
	} else if in.IMAPHost != nil || m.IMAPHost != nil {
		host, port, security, user := store.OrEmpty(m.IMAPHost), derefInt(m.IMAPPort), store.OrEmpty(m.IMAPSecurity), store.OrEmpty(m.IMAPUsername)
		setString(&host, in.IMAPHost)
		setString(&security, in.IMAPSecurity)
		setString(&user, in.IMAPUsername)
		if security == "" {
			security = SecurityTLS
		}
		if in.IMAPPort != nil {
			port = *in.IMAPPort
		} else if port == 0 {
			port = defaultPort("imap", security)
		}
		if user == "" {
			user = m.Email
		}
		plain.imap = in.IMAPPassword
		if m.IMAPPassword == nil && plain.imap == nil {
			fields.Add("imap_password", "is required with imap_host")
		}
		s.checkServer(fields, "imap", host, port, security, user, plain.imap)
		m.IMAPHost, m.IMAPPort, m.IMAPSecurity, m.IMAPUsername = &host, &port, &security, &user
	} else if in.IMAPPort != nil || in.IMAPSecurity != nil || in.IMAPUsername != nil || in.IMAPPassword != nil {
		fields.Add("imap_host", "is required with the other IMAP settings")
	}

	if in.DailyLimit != nil {
		m.DailyLimit = *in.DailyLimit
		if m.DailyLimit < 1 || m.DailyLimit > maxDailyLimit {
			fields.Add("daily_limit", "must be a whole number from 1 to %d", maxDailyLimit)
		}
	}
	if w := in.Warmup; w != nil {
		if w.Enabled != nil {
			m.WarmupEnabled = *w.Enabled
		}
		if w.Start != nil {
			m.WarmupStart = *w.Start
			if m.WarmupStart < 1 || m.WarmupStart > maxDailyLimit {
				fields.Add("warmup.start", "must be a whole number from 1 to %d", maxDailyLimit)
			}
		}
		if w.Increment != nil {
			m.WarmupIncrement = *w.Increment
			if m.WarmupIncrement < 0 || m.WarmupIncrement > maxWarmupIncrement {
				fields.Add("warmup.increment", "must be a whole number from 0 to %d", maxWarmupIncrement)
			}
		}
	}
	plain.dkim = applyDKIM(fields, &m, in)
	return m, plain, fields.Err()
}

// maxDKIMKeyChars bounds a DKIM private key's PEM (a 4096-bit RSA key is
// about 3,300 characters).
const maxDKIMKeyChars = 10_000

// applyDKIM puts the DKIM settings of in onto m and checks that the key
// signs for the mailbox's domain; it returns the key to seal, if one was
// given.
func applyDKIM(fields apperr.Fields, m *mailstore.Mailbox, in MailboxInput) *string {
	if in.DKIMSelector != nil {
		if sel := strings.TrimSpace(*in.DKIMSelector); sel == "" {
			m.DKIMSelector, m.DKIMPrivateKey = nil, nil
		} else {
			m.DKIMSelector = &sel
		}
	}
	key := in.DKIMPrivateKey
	switch {
	case m.DKIMSelector == nil && key != nil:
		fields.Add("dkim_selector", "is required with dkim_private_key")
	case m.DKIMSelector != nil && key == nil && m.DKIMPrivateKey == nil:
		fields.Add("dkim_private_key", "is required with dkim_selector")
	case key != nil && len(*key) > maxDKIMKeyChars:
		fields.Add("dkim_private_key", "must be at most %d characters", maxDKIMKeyChars)
	case key != nil && m.Email != "":
		_, err := mail.NewDKIMSigner(mail.DKIMKey{Domain: domainOf(m.Email), Selector: *m.DKIMSelector, PrivateKeyPEM: []byte(*key)})
		if err != nil {
			fields.Add("dkim_private_key", "%s", mail.Reason(err))
		}
	}
	return key
}

// checkServer validates one mail server's settings (prefix smtp or imap).
// Hosts go through the fetcher's address rule: a private, loopback,
// link-local or metadata address is refused unless SEND_ALLOWLIST names it
// (tests, the demo), and credentials never cross an unencrypted connection
// except to a loopback address.
func (s *Service) checkServer(fields apperr.Fields, prefix, host string, port int, security, user string, password *string) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	switch {
	case host == "":
		fields.Add(prefix+"_host", "is required")
	case len(host) > maxHostChars || !validHost(host):
		fields.Add(prefix+"_host", "must be a host name such as smtp.example.com")
	default:
		if what := s.refusedHost(host, port); what != "" {
			fields.Add(prefix+"_host", "is %s: a mail server must be reachable on the Internet", what)
		}
	}
	if port < 1 || port > 65535 {
		fields.Add(prefix+"_port", "must be a port number from 1 to 65535")
	}
	switch {
	case !slices.Contains(securities, security):
		fields.Add(prefix+"_security", "must be one of %s", strings.Join(securities, ", "))
	case security == SecurityNone && !isLoopback(host):
		fields.Add(prefix+"_security", "must be starttls or tls: the password would cross the network unencrypted")
	}
	if user == "" {
		fields.Add(prefix+"_username", "is required")
	} else {
		textfield.Check(fields, prefix+"_username", user, textfield.Line, maxUsernameChars)
	}
	if password != nil {
		if *password == "" {
			fields.Add(prefix+"_password", "must not be empty")
		} else if len(*password) > maxPasswordChars || !textfield.Clean(*password, textfield.Line) {
			fields.Add(prefix+"_password", "must be at most %d characters of text", maxPasswordChars)
		}
	}
}

// refusedHost is what kind of non-public address host is, unless the
// allowlist names host:port; a name is checked again when it is dialled.
func (s *Service) refusedHost(host string, port int) string {
	if s.allow[net.JoinHostPort(host, strconv.Itoa(port))] {
		return ""
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "a loopback address"
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return fetch.BlockedAs(ip)
	}
	return ""
}

func validHost(host string) bool {
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return true
	}
	return textfield.Hostname(host)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && ip.Unmap().IsLoopback()
}

// defaultPort is the usual port of a protocol under a security mode.
func defaultPort(protocol, security string) int {
	switch {
	case protocol == "smtp" && security == SecurityTLS:
		return 465
	case protocol == "smtp" && security == SecurityNone:
		return 25
	case protocol == "smtp":
		return 587
	case security == SecurityTLS:
		return 993
	}
	return 143
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

func derefInt(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}
