package app

import (
	"fmt"

	"github.com/prospectorhq/prospector/internal/config"
	"github.com/prospectorhq/prospector/internal/fetch"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/signedlink"
)

// newMailOptions builds how the sending service reaches mail servers (every
// connection through the fetcher's address guard, with SEND_ALLOWLIST as its
// exceptions, so a mailbox's host cannot reach our own network) and signs
// the public links in messages.
func newMailOptions(cfg *config.Config) (sending.MailOptions, error) {
	guard, err := fetch.New(fetch.Config{UserAgent: cfg.OutboundUA, Allowlist: cfg.SendAllowlist, Resolver: cfg.DNSResolver})
	if err != nil {
		return sending.MailOptions{}, fmt.Errorf("mail dialer: %w", err)
	}
	signer, err := signedlink.New(cfg.SecretKey)
	if err != nil {
		return sending.MailOptions{}, fmt.Errorf("link signer: %w", err)
	}
	return sending.MailOptions{Allowlist: cfg.SendAllowlist, Dial: guard.DialContext, Links: signer, PublicURL: cfg.PublicURL}, nil
}
