package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// The verification statuses, as the contacts table's
// email_verification_status column stores them.
const (
	StatusValid    = "valid"
	StatusInvalid  = "invalid"
	StatusCatchAll = "catch_all"
	StatusUnknown  = "unknown"
)

// defaultTimeout bounds each network step (one DNS lookup, one SMTP
// conversation) when Config.Timeout is zero. Ten seconds is long enough for
// a slow authoritative server and short enough that a batch of prospects
// does not stall on a dead one.
const defaultTimeout = 10 * time.Second

// HunterVerifier is Hunter's email verifier (GET /email-verifier), as the
// Hunter client package offers it. Status is Hunter's own word: valid,
// invalid, accept_all, webmail, disposable or unknown. The client handles
// Hunter's 202 "still verifying" answers, retries and its own timeouts.
type HunterVerifier interface {
	Verify(ctx context.Context, email string) (status string, err error)
}

// Config configures a Verifier. The zero value verifies with syntax, lists
// and DNS through the system resolver, which is what most installations
// want.
type Config struct {
	// Resolver looks up MX and address records; nil means
	// net.DefaultResolver. DNS_RESOLVER builds one whose Dial points at the
	// configured server.
	Resolver *net.Resolver
	// SMTPProbe turns on the RCPT probe. It is off by default: see the
	// package documentation for why.
	SMTPProbe bool
	// HeloName is the name the probe introduces itself with (EHLO). It is
	// required when SMTPProbe is set, and should be a name whose A record
	// and reverse DNS match the probing host, or receivers will not take
	// the probe seriously.
	HeloName string
	// MailFrom is the probe's envelope sender; empty sends the null sender
	// "<>", which is what a bounce uses and the least likely to be mistaken
	// for a real message.
	MailFrom string
	// Dialer connects to mail servers; nil means a net.Dialer that refuses
	// internal addresses (see refuseInternal). Tests point it at a
	// loopback server.
	Dialer func(ctx context.Context, network, addr string) (net.Conn, error)
	// Timeout bounds each DNS lookup and the whole SMTP conversation; zero
	// means ten seconds.
	Timeout time.Duration
	// Hunter, when set, is asked about addresses whose domain accepts mail.
	Hunter HunterVerifier
}

// Verifier checks email addresses. It is safe for concurrent use.
type Verifier struct {
	resolver *net.Resolver
	dial     func(ctx context.Context, network, addr string) (net.Conn, error)
	timeout  time.Duration
	hunter   HunterVerifier
	probe    bool
	helo     string
	from     string
}

// New returns a Verifier for cfg. It fails only on a probe configuration
// that could not work: no HELO name, or a sender that is not an address.
func New(cfg Config) (*Verifier, error) {
	v := &Verifier{
		resolver: cfg.Resolver,
		dial:     cfg.Dialer,
		timeout:  cfg.Timeout,
		hunter:   cfg.Hunter,
		probe:    cfg.SMTPProbe,
		helo:     strings.TrimSpace(cfg.HeloName),
	}
	if v.resolver == nil {
		v.resolver = net.DefaultResolver
	}
	if v.dial == nil {
		d := &net.Dialer{Control: refuseInternal}
		v.dial = d.DialContext
	}
	if v.timeout <= 0 {
		v.timeout = defaultTimeout
	}
	if v.probe {
		if v.helo == "" || strings.ContainsAny(v.helo, " \t\r\n") {
			return nil, errors.New("verify: SMTP probe needs a HELO name without spaces")
		}
		if from := strings.TrimSpace(cfg.MailFrom); from != "" {
			addr, err := Normalize(from)
			if err != nil {
				return nil, fmt.Errorf("verify: SMTP probe sender: %w", err)
			}
			v.from = addr
		}
	}
	return v, nil
}

// Result is what Verify learned about one address.
type Result struct {
	// Email is the address in normalized form, or the input trimmed when it
	// is not an address at all.
	Email string
	// Status is StatusValid, StatusInvalid, StatusCatchAll or
	// StatusUnknown.
	Status string
	// Verified is true only for StatusValid: the contacts table's
	// email_verified column.
	Verified bool
	// Reasons says, in short phrases and in order, what each check found.
	// They never hold error text from a service, which could carry a key.
	Reasons []string
	// Role is set for function mailboxes (info@, sales@): reachable, but
	// not a person.
	Role bool
	// Disposable is set for throwaway-mail domains; such an address is
	// invalid for outreach.
	Disposable bool
	// FreeProvider is set for free webmail and consumer ISP domains.
	FreeProvider bool
	// MX lists the hosts that receive the domain's mail, most preferred
	// first; for a domain without MX records it is the domain itself.
	MX []string
}

func (r *Result) reason(format string, args ...any) {
	r.Reasons = append(r.Reasons, fmt.Sprintf(format, args...))
}

// Verify checks one address; it never fails, since "we could not tell" is
// itself an answer (StatusUnknown). Checks run cheapest first and stop as
// soon as the answer is settled, so an invalid address never costs a Hunter
// credit or an SMTP connection.
func (v *Verifier) Verify(ctx context.Context, email string) Result {
	r := Result{Email: strings.TrimSpace(email), Status: StatusUnknown}
	addr, err := Normalize(email)
	if err != nil {
		r.Status = StatusInvalid
		r.reason("syntax: %s", strings.TrimPrefix(err.Error(), ErrSyntax.Error()+": "))
		return r
	}
	r.Email = addr
	_, domain := splitAddress(addr)
	r.Role = IsRoleAccount(addr)
	r.FreeProvider = IsFreeProvider(domain)
	r.Disposable = IsDisposable(domain)
	if r.Role {
		r.reason("role account")
	}
	if r.FreeProvider {
		r.reason("free email provider")
	}
	if r.Disposable {
		r.Status = StatusInvalid
		r.reason("disposable email domain")
		return r
	}

	v.lookupMailHosts(ctx, domain, &r)
	if r.Status == StatusInvalid {
		return r
	}
	if v.hunter != nil {
		v.askHunter(ctx, addr, &r)
	}
	if v.probe && r.Status == StatusUnknown && len(r.MX) > 0 && ctx.Err() == nil {
		v.smtpProbe(ctx, addr, &r)
	}
	r.Verified = r.Status == StatusValid
	return r
}
