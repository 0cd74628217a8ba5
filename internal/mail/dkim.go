package mail

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
)

// signedHeaders are the fields a DKIM signature covers when the message
// has them: those a receiver shows or acts on. List-Unsubscribe and
// List-Unsubscribe-Post must be covered for Gmail and Yahoo to offer the
// one-click button; In-Reply-To and References, so that nobody can move
// a signed message into another thread.
var signedHeaders = []string{
	"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
	"List-Unsubscribe", "List-Unsubscribe-Post",
	"MIME-Version", "Content-Type", "Content-Transfer-Encoding",
}

// DKIMKey is a mailbox's DKIM settings: the signing domain (d=), the
// selector (s=) whose TXT record holds the public key, and the private
// key, PEM-encoded (PKCS#8 RSA or Ed25519, or PKCS#1 RSA).
type DKIMKey struct {
	Domain        string
	Selector      string
	PrivateKeyPEM []byte
}

// DKIMSigner signs messages with one mailbox's key. It is safe for
// concurrent use.
type DKIMSigner struct {
	domain, selector string
	key              crypto.Signer
}

// NewDKIMSigner checks k and parses its key. RSA keys under 1024 bits are
// refused: receivers ignore their signatures (RFC 8301).
func NewDKIMSigner(k DKIMKey) (*DKIMSigner, error) {
	const step = "dkim"
	domain := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(k.Domain)), ".")
	selector := strings.ToLower(strings.TrimSpace(k.Selector))
	if err := checkDNSName(domain); err != nil {
		return nil, invalid(step, "the DKIM domain %q is not a domain name", k.Domain)
	}
	if err := checkDNSName(selector); err != nil {
		return nil, invalid(step, "the DKIM selector %q is not a DNS label", k.Selector)
	}
	block, _ := pem.Decode(k.PrivateKeyPEM)
	if block == nil {
		return nil, invalid(step, "the DKIM private key is not PEM")
	}
	var parsed any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		parsed, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		parsed, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, invalid(step, "the DKIM private key is a %q PEM block, not a private key", block.Type)
	}
	if err != nil {
		// The parser's error can quote key material: not wrapped.
		return nil, invalid(step, "the DKIM private key cannot be read")
	}
	var key crypto.Signer
	switch pk := parsed.(type) {
	case *rsa.PrivateKey:
		if pk.N.BitLen() < 1024 {
			return nil, invalid(step, "the DKIM RSA key has %d bits: at least 1024 are needed, 2048 recommended", pk.N.BitLen())
		}
		key = pk
	case ed25519.PrivateKey:
		key = pk
	default:
		return nil, invalid(step, "the DKIM private key is neither RSA nor Ed25519")
	}
	return &DKIMSigner{domain: domain, selector: selector, key: key}, nil
}

// Sign returns msg with a DKIM-Signature field first, relaxed/relaxed,
// covering the signedHeaders msg has.
func (s *DKIMSigner) Sign(msg []byte) ([]byte, error) {
	keys := presentHeaders(msg)
	if len(keys) == 0 {
		return nil, invalid("dkim", "the message has no From header to sign")
	}
	var out bytes.Buffer
	err := dkim.Sign(&out, bytes.NewReader(msg), &dkim.SignOptions{
		Domain:                 s.domain,
		Selector:               s.selector,
		Signer:                 s.key,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization:   dkim.CanonicalizationRelaxed,
		HeaderKeys:             keys,
	})
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Step: "dkim", Msg: "the message cannot be signed", Err: err}
	}
	return out.Bytes(), nil
}

// presentHeaders is signedHeaders less those msg lacks, in that order.
// Listing an absent field would also be valid (it signs its absence), but
// some verifiers get that case wrong, and a signature that fails is
// worse than none.
func presentHeaders(msg []byte) []string {
	end := bytes.Index(msg, []byte("\r\n\r\n"))
	if end < 0 {
		end = len(msg)
	}
	have := map[string]bool{}
	for line := range strings.SplitSeq(string(msg[:end]), "\r\n") {
		if line == "" || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		if name, _, ok := strings.Cut(line, ":"); ok {
			have[strings.ToLower(name)] = true
		}
	}
	if !have["from"] {
		return nil
	}
	var keys []string
	for _, k := range signedHeaders {
		if have[strings.ToLower(k)] {
			keys = append(keys, k)
		}
	}
	return keys
}

// checkDNSName accepts a dotted name of LDH labels (underscores allowed,
// as DKIM selectors sometimes have them).
func checkDNSName(name string) *Error {
	if name == "" || len(name) > 253 {
		return invalid("dkim", "bad name")
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return invalid("dkim", "bad name")
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return invalid("dkim", "bad name")
			}
		}
	}
	return nil
}
