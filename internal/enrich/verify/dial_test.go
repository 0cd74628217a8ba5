package verify

import (
	"context"
	"net"
	"testing"
	"time"
)

func TestRefuseInternal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		ok   bool
	}{
		{"192.0.2.25:25", true}, // documentation range, but public in form
		{"8.8.8.8:25", true},
		{"[2001:4860:4860::8888]:25", true},
		{"127.0.0.1:25", false},
		{"[::1]:25", false},
		{"10.1.2.3:25", false},
		{"172.16.0.1:25", false},
		{"192.168.1.1:25", false},
		{"169.254.169.254:25", false},
		{"100.64.0.1:25", false},
		{"0.0.0.0:25", false},
		{"0.1.2.3:25", false},
		{"[fd00:ec2::254]:25", false},
		{"[fe80::1]:25", false},
		{"[::ffff:127.0.0.1]:25", false},
		{"224.0.0.1:25", false},
		{"mx.example.com:25", false},
	}
	for _, tt := range tests {
		if err := refuseInternal("tcp", tt.addr, nil); (err == nil) != tt.ok {
			t.Errorf("refuseInternal(%s) = %v, want allowed %v", tt.addr, err, tt.ok)
		}
	}
}

// TestDefaultDialerRefusesLoopback checks that the probe, with no Dialer
// configured, will not connect to a loopback mail server that a hostile
// MX record points at.
func TestDefaultDialerRefusesLoopback(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	v, err := New(Config{SMTPProbe: true, HeloName: "probe.prospector.test", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	if _, err := v.dial(context.Background(), "tcp", net.JoinHostPort(host, port)); err == nil {
		t.Fatal("default dialer connected to a loopback address")
	}
	var r Result
	r.MX = []string{"127.0.0.1"}
	v.smtpProbe(context.Background(), "maria@probe.test", &r)
	if r.Status != "" || !hasReason(r.Reasons, "could not connect") {
		t.Errorf("probe of a loopback MX: status %q, reasons %q", r.Status, r.Reasons)
	}
	if n := len(srv.commands()); n != 0 {
		t.Errorf("the loopback server saw %d sessions", n)
	}
}
