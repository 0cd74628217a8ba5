package config

import (
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"
)

// parseMetricsAddr reads METRICS_ADDR: empty (metrics off) or host:port
// ("127.0.0.1:9090", ":9090" for every interface).
func parseMetricsAddr(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	_, port, err := net.SplitHostPort(v)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("METRICS_ADDR: %q is not host:port (e.g. 127.0.0.1:9090)", v)
	}
	return v, nil
}

// parseAdminEmails reads ADMIN_EMAILS: comma-separated addresses of the
// operators, lowercased, for the job dashboard.
func parseAdminEmails(v string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(v, ",") {
		e := strings.ToLower(strings.TrimSpace(part))
		if e == "" {
			continue
		}
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || a.Name != "" {
			return nil, fmt.Errorf("ADMIN_EMAILS: %q is not an email address", e)
		}
		out = append(out, e)
	}
	return out, nil
}
