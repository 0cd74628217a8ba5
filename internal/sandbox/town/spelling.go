package town

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"
)

func Hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// idString makes an opaque id of n base64url characters, like the real
// services' ids, from a hash.
func idString(h, salt uint64, n int) string {
	r := rand.New(rand.NewPCG(h, salt))
	buf := make([]byte, (n*3+3)/4)
	for i := 0; i < len(buf); i += 8 {
		var word [8]byte
		binary.LittleEndian.PutUint64(word[:], r.Uint64())
		copy(buf[i:], word[:])
	}
	return base64.RawURLEncoding.EncodeToString(buf)[:n]
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '&':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
