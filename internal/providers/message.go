package providers

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseRetryAfter reads a Retry-After header, given either as delay-seconds
// or as an HTTP date (RFC 9110 §10.2.3), relative to now. A date in the past
// means "now" (0, true).
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Clamp absurd values instead of overflowing time.Duration.
		return time.Duration(min(secs, 365*24*3600)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

const maxMessageLen = 300

var (
	tagRE   = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// TextMessage makes a short, single-line message out of an error body that
// is not in the service's JSON format (an HTML page from a proxy, plain
// text). It never tries to decode JSON, so an HTML 504 page cannot make a
// client fail on a decode error instead of reporting the 504.
func TextMessage(h http.Header, body []byte) string {
	s := string(body)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	ct := strings.ToLower(h.Get("Content-Type"))
	if strings.Contains(ct, "html") || strings.HasPrefix(strings.TrimSpace(s), "<") {
		s = html.UnescapeString(tagRE.ReplaceAllString(s, " "))
	}
	s = strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
	if len(s) > maxMessageLen {
		cut := maxMessageLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
