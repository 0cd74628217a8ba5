package config

import (
	"slices"
	"strings"
	"testing"
)

func TestMetricsAddrAndAdminEmails(t *testing.T) {
	tests := []struct {
		name, metrics, admins string
		wantMetrics           string
		wantAdmins            []string
		wantErr               string
	}{
		{name: "unset: off, nobody", wantAdmins: nil},
		{name: "both", metrics: " 127.0.0.1:9090 ", admins: "Ops@Example.com, , second@example.com",
			wantMetrics: "127.0.0.1:9090", wantAdmins: []string{"ops@example.com", "second@example.com"}},
		{name: "every interface", metrics: ":9090", wantMetrics: ":9090"},
		{name: "no port", metrics: "127.0.0.1", wantErr: "METRICS_ADDR"},
		{name: "bad port", metrics: "127.0.0.1:http", wantErr: "METRICS_ADDR"},
		{name: "not an address", admins: "ops@example.com,nobody", wantErr: "ADMIN_EMAILS"},
		{name: "a name with the address", admins: "Ops <ops@example.com>", wantErr: "ADMIN_EMAILS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(map[string]string{"DATA_DIR": t.TempDir(), "METRICS_ADDR": tt.metrics, "ADMIN_EMAILS": tt.admins}))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.MetricsAddr != tt.wantMetrics || !slices.Equal(c.AdminEmails, tt.wantAdmins) {
				t.Errorf("MetricsAddr %q, AdminEmails %v; want %q, %v", c.MetricsAddr, c.AdminEmails, tt.wantMetrics, tt.wantAdmins)
			}
		})
	}
}
