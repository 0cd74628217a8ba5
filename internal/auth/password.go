package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// The current parameters follow the OWASP minimum for argon2id. They are
// written into every hash, so raising them later only affects new hashes;
// NeedsRehash tells the login path when an old one should be upgraded.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// Stored hashes are trusted input, but a corrupted or hand-edited row must
// not be able to make one login allocate gigabytes or spin for minutes.
const (
	maxArgonMemoryKiB = 1 << 20 // 1 GiB
	maxArgonTime      = 10
	maxArgonThreads   = 16
	minArgonSaltLen   = 8 // RFC 9106 minimum; the reference test vectors use 8
	maxArgonSaltLen   = 64
	minArgonKeyLen    = 16
	maxArgonKeyLen    = 64
	maxEncodedHashLen = 256
)

// Password length limits, counted in characters (runes) because that is what
// a person typing a password counts.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

var (
	// ErrInvalidHash reports a stored password hash that cannot be used. It
	// points at bad data or a bug, never at a wrong password.
	ErrInvalidHash = errors.New("auth: invalid password hash")

	// ErrPasswordTooShort and ErrPasswordTooLong are ValidatePassword's
	// answers; their text is written to be shown to the user as is.
	ErrPasswordTooShort = fmt.Errorf("password must be at least %d characters long", MinPasswordLen)
	ErrPasswordTooLong  = fmt.Errorf("password must be at most %d characters long", MaxPasswordLen)
)

// b64 is strict so that a hash differing only in the unused trailing bits of
// its last character is rejected instead of decoding to the same bytes.
var b64 = base64.RawStdEncoding.Strict()

type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
}

var currentParams = argonParams{memory: argonMemoryKiB, time: argonTime, threads: argonThreads}

type argonHash struct {
	params argonParams
	salt   []byte
	key    []byte
}

// ValidatePassword applies the password policy of the signup and
// password-change forms. The error message is meant for the user.
func ValidatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return ErrPasswordTooShort
	case n > MaxPasswordLen:
		return ErrPasswordTooLong
	}
	return nil
}

// HashPassword returns an argon2id hash of password in PHC string format with
// a fresh random salt and the current parameters.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: generate salt: %w", err)
	}
	return encodeHash(derive(password, currentParams, salt, argonKeyLen)), nil
}

// VerifyPassword reports whether password matches the encoded hash. A
// mismatch is (false, nil); an error means the stored hash itself is unusable
// and should be logged, while the user is told only that the credentials are
// invalid.
func VerifyPassword(encoded, password string) (bool, error) {
	h, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), h.salt, h.params.time, h.params.memory, h.params.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than the
// current ones, so that the caller can store a fresh hash after a successful
// login. An unparseable hash needs rehashing too.
func NeedsRehash(encoded string) bool {
	h, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	return h.params != currentParams || len(h.salt) != argonSaltLen || len(h.key) != argonKeyLen
}

// dummyHash only has to cost what a real hash costs to verify; its content
// is irrelevant because the result of checking against it is thrown away.
// It is built from random bytes rather than by hashing, so that the first
// login for an unknown email is not slower than the following ones.
var dummyHash = sync.OnceValue(func() string {
	h := argonHash{params: currentParams, salt: make([]byte, argonSaltLen), key: make([]byte, argonKeyLen)}
	// crypto/rand.Read never fails since Go 1.24.
	_, _ = rand.Read(h.salt)
	_, _ = rand.Read(h.key)
	return encodeHash(h)
})

// VerifyDummy spends the time of one VerifyPassword with the current
// parameters. Login calls it when no account has the given email, so that
// response times do not reveal which emails are registered.
func VerifyDummy(password string) {
	_, _ = VerifyPassword(dummyHash(), password)
}

func derive(password string, p argonParams, salt []byte, keyLen uint32) argonHash {
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, keyLen)
	return argonHash{params: p, salt: salt, key: key}
}

func encodeHash(h argonHash) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.params.memory, h.params.time, h.params.threads,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// decodeHash parses and bounds-checks a PHC string. Error details name the
// offending field but never include the hash itself.
func decodeHash(encoded string) (argonHash, error) {
	if len(encoded) > maxEncodedHashLen {
		return argonHash{}, fmt.Errorf("%w: too long", ErrInvalidHash)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return argonHash{}, fmt.Errorf("%w: not a PHC string", ErrInvalidHash)
	}
	if parts[1] != "argon2id" {
		return argonHash{}, fmt.Errorf("%w: unsupported algorithm", ErrInvalidHash)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return argonHash{}, fmt.Errorf("%w: unsupported version", ErrInvalidHash)
	}
	p, err := parseParams(parts[3])
	if err != nil {
		return argonHash{}, err
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < minArgonSaltLen || len(salt) > maxArgonSaltLen {
		return argonHash{}, fmt.Errorf("%w: bad salt", ErrInvalidHash)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < minArgonKeyLen || len(key) > maxArgonKeyLen {
		return argonHash{}, fmt.Errorf("%w: bad key", ErrInvalidHash)
	}
	return argonHash{params: p, salt: salt, key: key}, nil
}

// parseParams accepts exactly "m=<n>,t=<n>,p=<n>" in that order, which is
// what every argon2 implementation writes; anything else is more likely
// corruption than a dialect worth supporting.
func parseParams(s string) (argonParams, error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return argonParams{}, fmt.Errorf("%w: bad parameters", ErrInvalidHash)
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(fields[i], name)
		if !ok {
			return argonParams{}, fmt.Errorf("%w: bad parameters", ErrInvalidHash)
		}
		v, err := strconv.ParseUint(digits, 10, 32)
		if err != nil {
			return argonParams{}, fmt.Errorf("%w: bad parameters", ErrInvalidHash)
		}
		vals[i] = v
	}
	m, t, p := vals[0], vals[1], vals[2]
	if t < 1 || t > maxArgonTime {
		return argonParams{}, fmt.Errorf("%w: time cost %d out of range", ErrInvalidHash, t)
	}
	if p < 1 || p > maxArgonThreads {
		return argonParams{}, fmt.Errorf("%w: parallelism %d out of range", ErrInvalidHash, p)
	}
	// RFC 9106 requires at least 8 KiB per lane.
	if m < 8*p || m > maxArgonMemoryKiB {
		return argonParams{}, fmt.Errorf("%w: memory %d KiB out of range", ErrInvalidHash, m)
	}
	return argonParams{memory: uint32(m), time: uint32(t), threads: uint8(p)}, nil
}

// passwordHasher is the hashing the Service does. Tests replace it to count
// and hold calls, which is how they see concurrency without timing it.
type passwordHasher interface {
	Hash(password string) (string, error)
	Verify(encoded, password string) (bool, error)
	VerifyDummy(password string)
}

// argon2idHasher is the real one: this file's functions.
type argon2idHasher struct{}

func (argon2idHasher) Hash(password string) (string, error) { return HashPassword(password) }

func (argon2idHasher) Verify(encoded, password string) (bool, error) {
	return VerifyPassword(encoded, password)
}

func (argon2idHasher) VerifyDummy(password string) { VerifyDummy(password) }
