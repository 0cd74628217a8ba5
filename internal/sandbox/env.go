package sandbox

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
)

// Env is the configuration that points Prospector's real clients at this
// sandbox, in the environment variables' names (see DESIGN.md):
//   - the base URLs and keys of every HTTP fake (Start's table): Google
//     Places, Yelp, Nominatim, Overpass, Hunter, PageSpeed, Instantly and
//     Anthropic (so Claude is on, answered by the Messages API fake);
//   - DNS_RESOLVER: the sandbox's DNS server, which knows the fictional
//     domains;
//   - FETCH_ALLOWLIST: the web host's two listeners and nothing else, so
//     the outbound fetcher may reach the fictional websites on loopback;
//   - SEND_ALLOWLIST: the SMTP and IMAP servers' plain-text (and
//     STARTTLS) listeners and the IMAP server's TLS listener, so a
//     mailbox may send and read its inbox on loopback;
//   - FETCH_CA_FILE, once WriteCA has written the sandbox CA to a file: the
//     fetcher must trust that CA (in addition to the system roots) to verify
//     the websites' certificates. It is absent until WriteCA succeeds.
func (s *Sandbox) Env() map[string]string {
	env := map[string]string{
		"DNS_RESOLVER":    s.DNSAddr,
		"FETCH_ALLOWLIST": s.WebHTTPAddr + "," + s.WebHTTPSAddr,
		"SEND_ALLOWLIST":  s.SMTP.Addr() + "," + s.IMAP.Addr() + "," + s.IMAP.TLSAddr(),
	}
	for k, v := range s.env {
		env[k] = v
	}
	s.mu.Lock()
	if s.caFile != "" {
		env["FETCH_CA_FILE"] = s.caFile
	}
	s.mu.Unlock()
	return env
}

// CACertPEM is the sandbox CA's certificate, PEM-encoded: the root the web
// host's and the IMAP server's certificates chain to.
func (s *Sandbox) CACertPEM() []byte { return s.web.CACertPEM() }

// CertPool is a new pool holding only the sandbox CA, for a tls.Config's
// RootCAs in tests.
func (s *Sandbox) CertPool() *x509.CertPool { return s.web.CertPool() }

// CAFileName is the name WriteCA gives the CA file.
const CAFileName = "sandbox-ca.pem"

// WriteCA writes the CA certificate (CACertPEM) to dir/sandbox-ca.pem and
// returns the file's path, which Env then reports as FETCH_CA_FILE. The
// certificate is public; the CA's private key never leaves the process.
func (s *Sandbox) WriteCA(dir string) (string, error) {
	path, err := filepath.Abs(filepath.Join(dir, CAFileName))
	if err != nil {
		return "", fmt.Errorf("sandbox: CA file: %w", err)
	}
	if err := os.WriteFile(path, s.web.CACertPEM(), 0o644); err != nil {
		return "", fmt.Errorf("sandbox: CA file: %w", err)
	}
	s.mu.Lock()
	s.caFile = path
	s.mu.Unlock()
	return path, nil
}
