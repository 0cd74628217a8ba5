package auth

import (
	"errors"
	"strings"
	"testing"
)

// referenceHash is from the argon2 reference implementation's test suite
// (phc-winner-argon2 src/test.c): password "password", salt "somesalt". It
// proves that our encoding and parameters mean what other implementations
// mean by them.
const referenceHash = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"

func mustHash(t *testing.T, password string) string {
	t.Helper()
	h, err := HashPassword(password)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	return h
}

func assertVerify(t *testing.T, encoded, password string, want bool) {
	t.Helper()
	got, err := VerifyPassword(encoded, password)
	if err != nil {
		t.Fatalf("VerifyPassword(%q): unexpected error %v", password, err)
	}
	if got != want {
		t.Fatalf("VerifyPassword(%q) = %v, want %v", password, got, want)
	}
}

func assertInvalidHash(t *testing.T, encoded string) {
	t.Helper()
	ok, err := VerifyPassword(encoded, "password")
	if !errors.Is(err, ErrInvalidHash) {
		t.Fatalf("VerifyPassword(%q) error = %v, want ErrInvalidHash", encoded, err)
	}
	if ok {
		t.Fatalf("VerifyPassword(%q) = true alongside an error", encoded)
	}
}

func TestHashPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	const pw = "correct horse battery staple ✓"
	h := mustHash(t, pw)

	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the current parameters", h)
	}
	if NeedsRehash(h) {
		t.Fatalf("NeedsRehash(fresh hash) = true")
	}
	if h2 := mustHash(t, pw); h2 == h {
		t.Fatalf("two hashes of one password are equal: salt is not random")
	}

	for _, tc := range []struct {
		name     string
		password string
		want     bool
	}{
		{"same password", pw, true},
		{"other password", "correct horse battery stapler", false},
		{"different case", strings.ToUpper(pw), false},
		{"prefix", pw[:10], false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertVerify(t, h, tc.password, tc.want)
		})
	}
}

func TestVerifyPasswordReferenceVector(t *testing.T) {
	t.Parallel()
	assertVerify(t, referenceHash, "password", true)
	assertVerify(t, referenceHash, "Password", false)
	if !NeedsRehash(referenceHash) {
		t.Fatalf("NeedsRehash(m=256 hash) = false, want true")
	}
}

func TestVerifyPasswordTampered(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		old     string
		new     string
		invalid bool // unusable, rather than merely not matching
	}{
		{"key byte", "$nf65", "$nf66", false},
		{"salt byte", "c29tZXNhbHQ", "c29uZXNhbHQ", false},
		{"time cost", "t=2", "t=3", false},
		{"parallelism", "p=1", "p=2", false},
		{"memory", "m=256", "m=264", false},
		{"highest accepted time and lanes", "t=2,p=1", "t=10,p=16", false},
		// '4' and '5' differ only in bits past the end of the key: a lax
		// decoder would read the same key and accept the password.
		{"key trailing bits", "Gi/4", "Gi/5", true},
		{"salt trailing bits", "c29tZXNhbHQ", "c29tZXNhbHR", true},
		{"key truncated", "Gi/4", "Gi/", true},
		{"key padded", "Gi/4", "Gi/4=", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tampered := strings.Replace(referenceHash, tc.old, tc.new, 1)
			if tampered == referenceHash {
				t.Fatalf("test case did not change the hash")
			}
			if tc.invalid {
				assertInvalidHash(t, tampered)
				return
			}
			assertVerify(t, tampered, "password", false)
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	t.Parallel()
	const salt, key = "c29tZXNhbHQ", "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	for _, tc := range []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"plain text", "password"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=256,t=2,p=1$" + salt + "$" + key},
		{"old version", "$argon2id$v=16$m=256,t=2,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=256,t=2,p=1$" + salt + "$" + key},
		{"no leading dollar", "argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key},
		{"extra field", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key + "$x"},
		{"missing key", "$argon2id$v=19$m=256,t=2,p=1$" + salt},
		{"empty key", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$"},
		{"missing p", "$argon2id$v=19$m=256,t=2$" + salt + "$" + key},
		{"reordered params", "$argon2id$v=19$t=2,m=256,p=1$" + salt + "$" + key},
		{"signed param", "$argon2id$v=19$m=+256,t=2,p=1$" + salt + "$" + key},
		{"negative param", "$argon2id$v=19$m=-256,t=2,p=1$" + salt + "$" + key},
		{"non-numeric param", "$argon2id$v=19$m=lots,t=2,p=1$" + salt + "$" + key},
		{"param over 32 bits", "$argon2id$v=19$m=4294967296,t=2,p=1$" + salt + "$" + key},
		{"salt not base64", "$argon2id$v=19$m=256,t=2,p=1$s@lt!$" + key},
		{"salt too short", "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$" + key},
		{"salt too long", "$argon2id$v=19$m=256,t=2,p=1$" + strings.Repeat("A", 88) + "$" + key},
		{"key too short", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$AAAAAAAAAAAAAAAAAAAA"},
		{"key too long", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + strings.Repeat("A", 88)},
		{"huge input", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + strings.Repeat("A", 1<<20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertInvalidHash(t, tc.encoded)
			if !NeedsRehash(tc.encoded) {
				t.Fatalf("NeedsRehash(malformed) = false")
			}
		})
	}
}

// TestVerifyPasswordRefusesParameterBombs would run out of memory or time,
// not merely fail, if any of these reached argon2.
func TestVerifyPasswordRefusesParameterBombs(t *testing.T) {
	t.Parallel()
	const tail = "$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	for _, params := range []string{
		"m=1048577,t=2,p=1", // 1 GiB + 1 KiB
		"m=4294967295,t=2,p=1",
		"m=256,t=11,p=1",
		"m=256,t=4294967295,p=1",
		"m=256,t=0,p=1", // argon2 panics on zero rounds
		"m=256,t=2,p=0", // and on zero lanes
		"m=256,t=2,p=17",
		"m=256,t=2,p=256", // would wrap to 0 as a uint8
		"m=8,t=2,p=2",     // under 8 KiB per lane
		"m=0,t=2,p=1",
	} {
		t.Run(params, func(t *testing.T) {
			assertInvalidHash(t, "$argon2id$v=19$"+params+tail)
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()
	key := make([]byte, argonKeyLen)
	salt := make([]byte, argonSaltLen)
	for _, tc := range []struct {
		name string
		hash argonHash
		want bool
	}{
		{"current", argonHash{params: currentParams, salt: salt, key: key}, false},
		{"less memory", argonHash{params: argonParams{memory: 12288, time: 3, threads: 1}, salt: salt, key: key}, true},
		{"more memory", argonHash{params: argonParams{memory: 65536, time: 2, threads: 1}, salt: salt, key: key}, true},
		{"other time", argonHash{params: argonParams{memory: argonMemoryKiB, time: 3, threads: 1}, salt: salt, key: key}, true},
		{"other threads", argonHash{params: argonParams{memory: argonMemoryKiB, time: 2, threads: 2}, salt: salt, key: key}, true},
		{"short salt", argonHash{params: currentParams, salt: salt[:8], key: key}, true},
		{"long key", argonHash{params: currentParams, salt: salt, key: make([]byte, 64)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NeedsRehash(encodeHash(tc.hash)); got != tc.want {
				t.Fatalf("NeedsRehash = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVerifyDummy(t *testing.T) {
	t.Parallel()
	// Equal cost comes from the dummy using the current parameters: a
	// cheaper dummy would make unknown emails answer faster.
	d := dummyHash()
	if NeedsRehash(d) {
		t.Fatalf("dummy hash %q does not use the current parameters", d)
	}
	if d != dummyHash() {
		t.Fatalf("dummy hash is recomputed on each call")
	}
	VerifyDummy("whatever the user typed")
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		pw   string
		want error
	}{
		{"empty", "", ErrPasswordTooShort},
		{"9 characters", strings.Repeat("a", 9), ErrPasswordTooShort},
		{"10 characters", strings.Repeat("a", 10), nil},
		{"256 characters", strings.Repeat("a", 256), nil},
		{"257 characters", strings.Repeat("a", 257), ErrPasswordTooLong},
		// Runes, not bytes: 9 two-byte runes are 18 bytes but too short.
		{"9 accented letters", strings.Repeat("é", 9), ErrPasswordTooShort},
		{"10 accented letters", strings.Repeat("é", 10), nil},
		{"256 emoji", strings.Repeat("🔑", 256), nil},
		{"257 emoji", strings.Repeat("🔑", 257), ErrPasswordTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := ValidatePassword(tc.pw); err != tc.want {
				t.Fatalf("ValidatePassword = %v, want %v", err, tc.want)
			}
		})
	}
}
