package providers

import (
	"fmt"
	"net/url"
	"strings"
)

// BaseURL checks a service's configured base URL (raw, or def when raw is
// empty) and returns it without a trailing slash, ready for paths to be
// appended. It must be an absolute http(s) URL with a host and nothing a
// path cannot follow: no query, fragment or credentials, which would
// otherwise end up in the middle of every request URL (or in logs).
func BaseURL(service, raw, def string) (string, error) {
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%s: base URL %q is not an http(s) URL without query or credentials", service, raw)
	}
	return strings.TrimRight(raw, "/"), nil
}
