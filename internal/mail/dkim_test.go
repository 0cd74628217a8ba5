package mail

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prospectorhq/prospector/internal/golden"

	"github.com/emersion/go-msgauth/dkim"
)

// testKeys are made once per test binary: an RSA-2048 key takes a moment.
var testKeys = sync.OnceValues(func() (*rsa.PrivateKey, ed25519.PrivateKey) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	_, ek, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return rk, ek
})

// keyPEM is a key in the PEM form a user pastes: PKCS#8, or PKCS#1 for
// RSA when pkcs1 is set.
func keyPEM(t *testing.T, key crypto.Signer, pkcs1 bool) []byte {
	t.Helper()
	if rk, ok := key.(*rsa.PrivateKey); ok && pkcs1 {
		return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)})
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// TestDKIMSignsGoldenMessages signs every golden message with an RSA and
// an Ed25519 key and checks the signature with two verifiers: the one
// below, written from RFC 6376 alone, and go-msgauth's. The signed
// message must be the golden bytes with one DKIM-Signature field before
// them, covering every header a receiver acts on.
func TestDKIMSignsGoldenMessages(t *testing.T) {
	rk, ek := testKeys()
	keys := []struct {
		name  string
		key   crypto.Signer
		pkcs1 bool
		algo  string
	}{
		{"rsa-pkcs8", rk, false, "rsa-sha256"},
		{"rsa-pkcs1", rk, true, "rsa-sha256"},
		{"ed25519", ek, false, "ed25519-sha256"},
	}
	goldens, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(goldens) < 4 {
		t.Fatalf("golden messages: %v %v", goldens, err)
	}
	for _, k := range keys {
		signer, err := NewDKIMSigner(DKIMKey{Domain: "Reyes-Growth.example.", Selector: "p2025", PrivateKeyPEM: keyPEM(t, k.key, k.pkcs1)})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range goldens {
			t.Run(k.name+"/"+filepath.Base(path), func(t *testing.T) {
				msg, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				signed, err := signer.Sign(msg)
				if err != nil {
					t.Fatal(err)
				}
				field, rest, ok := bytes.Cut(signed, []byte("\r\n"+string(msg)))
				if !ok || len(rest) != 0 || !bytes.HasPrefix(field, []byte("DKIM-Signature:")) {
					t.Fatalf("signed message is not one DKIM-Signature field before the message:\n%s", signed)
				}
				tags := verifyDKIM(t, signed, k.key.Public())
				wantH := "From:To:Subject:Date:Message-ID:"
				if bytes.Contains(msg, []byte("\r\nIn-Reply-To:")) {
					wantH += "In-Reply-To:References:"
				}
				wantH += "List-Unsubscribe:List-Unsubscribe-Post:MIME-Version:Content-Type"
				if head, _, _ := bytes.Cut(msg, []byte("\r\n\r\n")); bytes.Contains(head, []byte("\r\nContent-Transfer-Encoding:")) {
					wantH += ":Content-Transfer-Encoding" // single-part; a multipart message has it on its parts
				}
				for tag, want := range map[string]string{"v": "1", "a": k.algo, "c": "relaxed/relaxed", "d": "reyes-growth.example", "s": "p2025", "h": wantH} {
					if tags[tag] != want {
						t.Errorf("%s=%q, want %q", tag, tags[tag], want)
					}
				}
				verifyWithMsgauth(t, signed, k.key.Public())
			})
		}
	}
}

// TestDKIMVerifierCatchesTampering shows that the verifiers above can
// fail: a message changed after signing, in any signed header or in the
// body, does not verify.
func TestDKIMVerifierCatchesTampering(t *testing.T) {
	rk, _ := testKeys()
	signer, err := NewDKIMSigner(DKIMKey{Domain: "reyes-growth.example", Selector: "p2025", PrivateKeyPEM: keyPEM(t, rk, false)})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := signer.Sign(golden.Read(t, "followup.eml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, old, new string }{
		{"List-Unsubscribe", "<mailto:dana@", "<mailto:evil@"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click", "List-Unsubscribe=Two-Click"},
		{"In-Reply-To", "In-Reply-To: <0101", "In-Reply-To: <0202"},
		{"References", "References: <0101", "References: <0202"},
		{"Subject", "Subject: Re: Lakeside", "Subject: Re: Lakeshore"},
		{"body", "Just floating", "Just flaunting"},
		// Verifiers read the bottom-most instance of a field: a second
		// From below the signed one is what a forger would add.
		{"added From", "MIME-Version: 1.0", "From: \"Evil\" <evil@x.example>\r\nMIME-Version: 1.0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tampered := bytes.Replace(signed, []byte(tc.old), []byte(tc.new), 1)
			if bytes.Equal(tampered, signed) {
				t.Fatalf("%q is not in the message", tc.old)
			}
			if err := independentVerify(tampered, rk.Public()); err == nil {
				t.Error("independent verifier accepted a tampered message")
			}
			if _, err := msgauthVerify(tampered, rk.Public()); err == nil {
				t.Error("go-msgauth accepted a tampered message")
			}
		})
	}
	// Relaxed canonicalization: refolding and extra spaces are not tampering.
	refolded := bytes.Replace(signed, []byte("Subject: Re: Lakeside"), []byte("Subject:   Re:\r\n\t Lakeside"), 1)
	if err := independentVerify(refolded, rk.Public()); err != nil {
		t.Errorf("independent verifier refused a refolded header: %v", err)
	}
}

// TestBuildSignsWithDKIM: a Builder with a signer produces a message that
// verifies, and its bytes after the signature are those of the unsigned
// build.
func TestBuildSignsWithDKIM(t *testing.T) {
	_, ek := testKeys()
	signer, err := NewDKIMSigner(DKIMKey{Domain: "reyes-growth.example", Selector: "s1", PrivateKeyPEM: keyPEM(t, ek, false)})
	if err != nil {
		t.Fatal(err)
	}
	b := fixedBuilder(0xab)
	b.DKIM = signer
	built, err := b.Build(followUp())
	if err != nil {
		t.Fatal(err)
	}
	plain, err := fixedBuilder(0xab).Build(followUp())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(built.Bytes, []byte("DKIM-Signature:")) || !bytes.HasSuffix(built.Bytes, plain.Bytes) {
		t.Errorf("signed build is not the signature before the unsigned build:\n%s", built.Bytes)
	}
	verifyDKIM(t, built.Bytes, ek.Public())
	verifyWithMsgauth(t, built.Bytes, ek.Public())
}

func TestNewDKIMSignerRefuses(t *testing.T) {
	rk, _ := testKeys()
	// Go itself refuses to make a key this small unless told to.
	t.Setenv("GODEBUG", "rsa1024min=0")
	small, err := rsa.GenerateKey(rand.Reader, 768)
	if err != nil {
		t.Fatal(err)
	}
	good := keyPEM(t, rk, false)
	cases := []struct {
		name string
		key  DKIMKey
		want string
	}{
		{"no domain", DKIMKey{Selector: "s", PrivateKeyPEM: good}, "DKIM domain"},
		{"domain with space", DKIMKey{Domain: "a b.example", Selector: "s", PrivateKeyPEM: good}, "DKIM domain"},
		{"selector with CRLF", DKIMKey{Domain: "a.example", Selector: "s\r\nx", PrivateKeyPEM: good}, "DKIM selector"},
		{"not PEM", DKIMKey{Domain: "a.example", Selector: "s", PrivateKeyPEM: []byte("hello")}, "not PEM"},
		{"public key", DKIMKey{Domain: "a.example", Selector: "s", PrivateKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}})}, "not a private key"},
		{"garbage DER", DKIMKey{Domain: "a.example", Selector: "s", PrivateKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})}, "cannot be read"},
		{"short RSA", DKIMKey{Domain: "a.example", Selector: "s", PrivateKeyPEM: keyPEM(t, small, true)}, "768 bits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewDKIMSigner(tc.key)
			if KindOf(err) != KindInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want kind invalid with %q", err, tc.want)
			}
		})
	}
}

// verifyDKIM checks signed with the independent verifier and returns the
// signature's tags.
func verifyDKIM(t *testing.T, signed []byte, pub crypto.PublicKey) map[string]string {
	t.Helper()
	if err := independentVerify(signed, pub); err != nil {
		t.Fatalf("independent verifier: %v\n%s", err, signed)
	}
	header, _, _ := bytes.Cut(signed, []byte("\r\n\r\n"))
	_, tags, err := dkimField(headerFields(string(header) + "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	return tags
}

// verifyWithMsgauth checks signed with go-msgauth's verifier, the public
// key served by a fake DNS lookup.
func verifyWithMsgauth(t *testing.T, signed []byte, pub crypto.PublicKey) {
	t.Helper()
	v, err := msgauthVerify(signed, pub)
	if err != nil {
		t.Fatalf("go-msgauth: %v", err)
	}
	if v.Domain != "reyes-growth.example" {
		t.Errorf("go-msgauth verified d=%q", v.Domain)
	}
}

func msgauthVerify(signed []byte, pub crypto.PublicKey) (*dkim.Verification, error) {
	var record string
	switch k := pub.(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return nil, err
		}
		record = "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
	case ed25519.PublicKey:
		record = "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(k)
	}
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(signed), &dkim.VerifyOptions{
		LookupTXT: func(name string) ([]string, error) {
			if !strings.HasSuffix(name, "._domainkey.reyes-growth.example") {
				return nil, fmt.Errorf("no TXT record for %s", name)
			}
			return []string{record}, nil
		},
	})
	if err != nil {
		return nil, err
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("%d signatures", len(vs))
	}
	return vs[0], vs[0].Err
}

// ---- The independent verifier: RFC 6376 §3.4 (relaxed/relaxed), §3.5
// (tags), §3.7 (hashes), §5.4.2 (which instance of a repeated field is
// signed) and RFC 8463 (Ed25519 signs the SHA-256 of the header data).
// It shares no code with the package or with go-msgauth.

func independentVerify(msg []byte, pub crypto.PublicKey) error {
	rawHeader, body, ok := bytes.Cut(msg, []byte("\r\n\r\n"))
	if !ok {
		return errors.New("no end of header")
	}
	fields := headerFields(string(rawHeader) + "\r\n")
	sigField, tags, err := dkimField(fields)
	if err != nil {
		return err
	}
	if tags["v"] != "1" || tags["c"] != "relaxed/relaxed" {
		return fmt.Errorf("v=%q c=%q", tags["v"], tags["c"])
	}
	signedNames := strings.Split(tags["h"], ":")
	hasFrom := false
	for _, n := range signedNames {
		hasFrom = hasFrom || strings.EqualFold(strings.TrimSpace(n), "from")
	}
	if !hasFrom {
		return errors.New("From is not signed")
	}

	bodyHash := sha256.Sum256(relaxedBody(body))
	if got := base64.StdEncoding.EncodeToString(bodyHash[:]); got != tags["bh"] {
		return fmt.Errorf("body hash %s, signature says %s", got, tags["bh"])
	}

	h := sha256.New()
	used := map[int]bool{}
	for _, name := range signedNames {
		name = strings.TrimSpace(name)
		// The last unused instance, counting from the bottom.
		for i := len(fields) - 1; i >= 0; i-- {
			if !used[i] && strings.EqualFold(fieldName(fields[i]), name) {
				used[i] = true
				h.Write([]byte(relaxedHeader(fields[i]) + "\r\n"))
				break
			}
		}
	}
	h.Write([]byte(relaxedHeader(withoutB(sigField))))
	sum := h.Sum(nil)

	sig, err := base64.StdEncoding.DecodeString(tags["b"])
	if err != nil {
		return fmt.Errorf("b=: %v", err)
	}
	switch tags["a"] {
	case "rsa-sha256":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return errors.New("a=rsa-sha256 with a non-RSA key")
		}
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, sum, sig)
	case "ed25519-sha256":
		k, ok := pub.(ed25519.PublicKey)
		if !ok || !ed25519.Verify(k, sum, sig) {
			return errors.New("ed25519 signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("unknown a=%q", tags["a"])
}

// headerFields splits a header (CRLF line ends, ending in CRLF) into its
// fields, each with its continuation lines and without the last CRLF.
func headerFields(h string) []string {
	var fields []string
	for line := range strings.SplitSeq(strings.TrimSuffix(h, "\r\n"), "\r\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(fields) > 0 {
			fields[len(fields)-1] += "\r\n" + line
			continue
		}
		fields = append(fields, line)
	}
	return fields
}

func fieldName(f string) string {
	name, _, _ := strings.Cut(f, ":")
	return strings.TrimRight(name, " \t")
}

// dkimField finds the (first) DKIM-Signature field and parses its tags,
// whitespace removed from their values (§3.5: b, bh and h may be folded).
func dkimField(fields []string) (string, map[string]string, error) {
	for _, f := range fields {
		if !strings.EqualFold(fieldName(f), "DKIM-Signature") {
			continue
		}
		_, value, _ := strings.Cut(f, ":")
		tags := map[string]string{}
		for tag := range strings.SplitSeq(value, ";") {
			if strings.TrimSpace(tag) == "" {
				continue
			}
			k, v, ok := strings.Cut(tag, "=")
			if !ok {
				return "", nil, fmt.Errorf("malformed tag %q", tag)
			}
			k = strings.TrimSpace(k)
			if _, dup := tags[k]; dup {
				return "", nil, fmt.Errorf("tag %s twice", k)
			}
			tags[k] = strings.Join(strings.Fields(v), "")
		}
		return f, tags, nil
	}
	return "", nil, errors.New("no DKIM-Signature field")
}

// withoutB is the signature field with the b= tag's value emptied
// (§3.7: the field is hashed as if b were empty), bh= left alone.
func withoutB(field string) string {
	name, value, _ := strings.Cut(field, ":")
	tags := strings.Split(value, ";")
	for i, tag := range tags {
		k, _, ok := strings.Cut(tag, "=")
		if ok && strings.TrimSpace(k) == "b" {
			tags[i] = k + "="
		}
	}
	return name + ":" + strings.Join(tags, ";")
}

// relaxedHeader is §3.4.2: the name lower-cased, the value unfolded, runs
// of whitespace made one space, whitespace around the colon and at the end
// removed. No CRLF is appended.
func relaxedHeader(field string) string {
	name, value, _ := strings.Cut(field, ":")
	value = strings.ReplaceAll(value, "\r\n", "")
	return strings.ToLower(strings.TrimRight(name, " \t")) + ":" + squeezeSpace(value, false)
}

// relaxedBody is §3.4.4: trailing whitespace of every line removed, runs
// of whitespace made one space, empty lines at the end removed, and a
// non-empty body ending in one CRLF.
func relaxedBody(body []byte) []byte {
	lines := strings.Split(string(body), "\r\n")
	for i, l := range lines {
		lines[i] = squeezeSpace(l, true)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

// squeezeSpace makes each run of spaces and tabs in s one space and drops
// a trailing run, as both relaxed canonicalizations do; a leading run is
// kept (as one space) only when lead is true: a body line keeps it, a
// header value loses it with the space after the colon.
func squeezeSpace(s string, lead bool) string {
	var b strings.Builder
	space := false
	for _, c := range s {
		if c == ' ' || c == '\t' {
			space = true
			continue
		}
		if space && (lead || b.Len() > 0) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(c)
	}
	return b.String()
}
