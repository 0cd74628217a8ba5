package sending

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/providers/instantly"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// Bounds of the sender profile's fields, in characters.
const (
	maxSenderName    = 100
	maxSenderCompany = 200
	minPostalAddress = 10
	maxPostalAddress = 300
	maxSignature     = 1000
	defaultTimezone  = "UTC"
)

// ProfileInput is the sender profile as the user sends it; a PUT replaces
// the whole profile, so a field left out is empty (the time zone: UTC).
type ProfileInput struct {
	SenderName      string `json:"sender_name"`
	CompanyName     string `json:"company_name"`
	PostalAddress   string `json:"postal_address"`
	Signature       string `json:"signature"`
	DefaultTimezone string `json:"default_timezone"`
}

// Profile is the sender profile with what it still lacks before mail can
// be sent.
type Profile struct {
	mailstore.SenderProfile
	// Ready is true when nothing in the profile stops a send.
	Ready bool `json:"sending_ready"`
	// Problems says, in sentences a user can act on, what is missing.
	Problems []string `json:"sending_problems"`
}

// Service applies the sending rules on top of the store.
type Service struct {
	store *store.Store
	box   *keys.Box       // seals mailbox passwords
	allow map[string]bool // SEND_ALLOWLIST host:port pairs
	mail  MailOptions
	jobs  SendQueue
	log   *slog.Logger
	gaps  *gapSource
	// crash, set only by tests, fails a send at one of its two points of
	// no return, as a crash there would.
	crash crashPoints
}

// MailOptions are how the service reaches mail servers.
type MailOptions struct {
	// Allowlist holds the host:port pairs a mailbox may use although they
	// are loopback or private (SEND_ALLOWLIST: tests and the demo).
	Allowlist []string
	// Dial connects to a mail server through the address guard; without
	// it, mailboxes cannot be tested (and the test says so).
	Dial mail.DialFunc
	// RootCAs verify mail servers' certificates; nil for the system's.
	RootCAs *x509.CertPool
	// Links signs the public links in messages (unsubscribe), and
	// PublicURL is where they point (PUBLIC_URL).
	Links     *signedlink.Signer
	PublicURL string
	// Instantly is the client of campaigns that send through Instantly,
	// with the server's key (INSTANTLY_API_KEY) or none; nil turns that
	// provider off.
	Instantly *instantly.Client
	// GapSeed seeds the random gaps between a mailbox's sends; 0 seeds
	// from the clock. Tests fix it.
	GapSeed uint64
}

// NewService returns the sending rules over st; box seals mailbox
// passwords, jobs queues sends, log records what sending did (never an
// address or a message's text).
func NewService(st *store.Store, box *keys.Box, jobs SendQueue, o MailOptions, log *slog.Logger) (*Service, error) {
	if st == nil || box == nil || jobs == nil || log == nil {
		return nil, errors.New("sending: NewService needs a store, a key box, a send queue and a logger")
	}
	allow := make(map[string]bool, len(o.Allowlist))
	for _, pair := range o.Allowlist {
		allow[strings.ToLower(pair)] = true
	}
	return &Service{store: st, box: box, allow: allow, mail: o, jobs: jobs, log: log, gaps: newGapSource(o.GapSeed)}, nil
}

// Profile returns userID's sender profile.
func (s *Service) Profile(ctx context.Context, userID string) (Profile, error) {
	var p mailstore.SenderProfile
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		p, err = tx.SenderProfile(ctx)
		return err
	})
	if err != nil {
		return Profile{}, fmt.Errorf("sender profile: %w", err)
	}
	return withProblems(p), nil
}

// PutProfile validates and stores userID's sender profile. Each field is
// checked on its own; a profile may be saved incomplete (the sender's name
// and postal address are required before a send, not before a save).
func (s *Service) PutProfile(ctx context.Context, userID string, in ProfileInput) (Profile, error) {
	p, err := validateProfile(in)
	if err != nil {
		return Profile{}, err
	}
	err = records(s.store).Write(ctx, userID, func(tx Records) (err error) {
		if p, err = tx.PutSenderProfile(ctx, p); err != nil {
			return err
		}
		// Sequences waiting for a complete profile (or a time zone) may go.
		return s.resumeAll(ctx, tx)
	})
	if err != nil {
		return Profile{}, fmt.Errorf("put sender profile: %w", err)
	}
	return withProblems(p), nil
}

func validateProfile(in ProfileInput) (mailstore.SenderProfile, error) {
	fields := apperr.Fields{}
	p := mailstore.SenderProfile{
		SenderName:      strings.TrimSpace(in.SenderName),
		CompanyName:     strings.TrimSpace(in.CompanyName),
		PostalAddress:   strings.TrimSpace(in.PostalAddress),
		Signature:       strings.TrimSpace(in.Signature),
		DefaultTimezone: strings.TrimSpace(in.DefaultTimezone),
	}
	textfield.Check(fields, "sender_name", p.SenderName, textfield.Line, maxSenderName)
	textfield.Check(fields, "company_name", p.CompanyName, textfield.Line, maxSenderCompany)
	// An address is often written on lines; it is printed as written.
	if textfield.Check(fields, "postal_address", p.PostalAddress, textfield.Lines, maxPostalAddress) &&
		p.PostalAddress != "" && len([]rune(p.PostalAddress)) < minPostalAddress {
		fields.Add("postal_address", "must be a street address or PO box of %d to %d characters", minPostalAddress, maxPostalAddress)
	}
	textfield.Check(fields, "signature", p.Signature, textfield.Lines, maxSignature)
	if p.DefaultTimezone == "" {
		p.DefaultTimezone = defaultTimezone
	} else if _, err := settings.LoadTimezone(p.DefaultTimezone); err != nil {
		fields.Add("default_timezone", "must be an IANA time zone name such as America/Chicago")
	}
	return p, fields.Err()
}

// withProblems says what the profile lacks before mail can be sent.
func withProblems(p mailstore.SenderProfile) Profile {
	problems := []string{}
	if p.SenderName == "" {
		problems = append(problems, "Add the sender's name in Settings → Sending.")
	}
	if p.PostalAddress == "" {
		problems = append(problems, "Add a postal address in Settings → Sending: the law (CAN-SPAM) requires one in every message.")
	}
	return Profile{SenderProfile: p, Ready: len(problems) == 0, Problems: problems}
}
