package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 64)
	tests := []struct {
		in   string
		want string // "" means invalid
		why  string // a substring of the error, for invalid inputs
	}{
		{"maria@example.com", "maria@example.com", ""},
		{"  Maria.Gonzalez@Example.COM ", "maria.gonzalez@example.com", ""},
		{"o'brien+news@shop.co.uk", "o'brien+news@shop.co.uk", ""},
		{"a_b-c@sub.domain-name.io", "a_b-c@sub.domain-name.io", ""},
		{"x@münchen.de", "x@xn--mnchen-3ya.de", ""},
		{"x@xn--mnchen-3ya.de", "x@xn--mnchen-3ya.de", ""},
		{long + "@example.com", long + "@example.com", ""},
		{"", "", "empty"},
		{"maria", "", "no @"},
		{"maria@", "", "empty domain"},
		{"@example.com", "", "empty local part"},
		{"a@b@example.com", "", "more than one @"},
		{".maria@example.com", "", "starts or ends with a dot"},
		{"maria.@example.com", "", "starts or ends with a dot"},
		{"ma..ria@example.com", "", "two dots"},
		{"ma ria@example.com", "", "contains ' '"},
		{`"maria"@example.com`, "", `contains '"'`},
		{"maría@example.com", "", "not ASCII"},
		{long + "a@example.com", "", "longer than 64"},
		{"maria@localhost", "", "no dot"},
		{"maria@[192.0.2.1]", "", "IP-literal"},
		{"maria@192.0.2.1", "", "not alphabetic"},
		{"maria@example.c", "", "not alphabetic"},
		{"maria@-example.com", "", "hyphen"},
		{"maria@example..com", "", "empty label"},
		{"maria@example.com.", "", "empty label"},
		{"maria@exa_mple.com", "", "contains '_'"},
		{"maria@" + strings.Repeat("a", 64) + ".com", "", "label longer than 63"},
		{"m@" + strings.Repeat("abcdefghi.", 26) + "com", "", "domain longer than 253"},
		{long + "@" + strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 58) + ".com", "", "longer than 254"},
		{"\xffmaria@example.com", "", "UTF-8"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", tt.in, got)
			continue
		}
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("Normalize(%q) error = %q, want ErrSyntax mentioning %q", tt.in, err, tt.why)
		}
	}
}

func TestIsRoleAccount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in            string
		role, noReply bool
	}{
		{"info@example.com", true, false},
		{"INFO@example.com", true, false},
		{"office@example.com", true, false},
		{"sales+web@example.com", true, false},
		{"info2@example.com", true, false},
		{"info.austin@example.com", true, false},
		{"sales-east@example.com", true, false},
		{"customer.service@example.com", true, false},
		{"customer_care@example.com", true, false},
		{"hello@example.com", true, false},
		{"careers@example.com", true, false},
		{"enquiries@example.com", true, false},
		{"kontakt@example.de", true, false},
		{"hr@example.com", true, false},
		{"noreply@example.com", true, true},
		{"no-reply@example.com", true, true},
		{"do-not-reply@example.com", true, true},
		{"mailer-daemon@example.com", true, true},
		{"support", true, false},
		{"maria@example.com", false, false},
		{"maria.gonzalez@example.com", false, false},
		{"owner@example.com", false, false},
		{"ceo@example.com", false, false},
		{"pr.smith@example.com", false, false},
		{"hrothgar@example.com", false, false},
		{"information.technology.jones@example.com", true, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := IsRoleAccount(tt.in); got != tt.role {
			t.Errorf("IsRoleAccount(%q) = %v, want %v", tt.in, got, tt.role)
		}
		if got := IsNoReply(tt.in); got != tt.noReply {
			t.Errorf("IsNoReply(%q) = %v, want %v", tt.in, got, tt.noReply)
		}
	}
}

func TestDomainLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in               string
		disposable, free bool
	}{
		{"someone@mailinator.com", true, false},
		{"x@inbox.mailinator.com", true, false},
		{"guerrillamail.com", true, false},
		{"x@YOPMAIL.com", true, false},
		{"x@10minutemail.com", true, false},
		{"x@gmail.com", false, true},
		{"x@yahoo.co.uk", false, true},
		{"x@outlook.com", false, true},
		{"x@joesplumbing.com", false, false},
		{"x@mailinator.com.evil.test", false, false},
		{"x@notgmail.com", false, false},
	}
	for _, tt := range tests {
		if got := IsDisposable(tt.in); got != tt.disposable {
			t.Errorf("IsDisposable(%q) = %v, want %v", tt.in, got, tt.disposable)
		}
		if got := IsFreeProvider(tt.in); got != tt.free {
			t.Errorf("IsFreeProvider(%q) = %v, want %v", tt.in, got, tt.free)
		}
	}
}

// TestListFiles keeps the embedded lists well formed: every domain a valid
// mail domain, every local part plain, nothing listed twice, nothing in two
// lists, and the disposable list a useful size.
func TestListFiles(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	check := func(name, text string, entry func(f []string) error) int {
		n := 0
		err := eachEntry(text, func(f []string) error {
			n++
			if prev, dup := seen[f[0]]; dup {
				return fmt.Errorf("%q already in %s", f[0], prev)
			}
			seen[f[0]] = name
			return entry(f)
		})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return n
	}
	domain := func(f []string) error {
		if len(f) != 1 {
			return fmt.Errorf("%q: one domain per line", f)
		}
		if d, err := normalizeDomain(f[0]); err != nil || d != f[0] {
			return fmt.Errorf("%q is not a lowercase mail domain", f[0])
		}
		return nil
	}
	disposable := check("disposable.txt", disposableText, domain)
	free := check("free.txt", freeText, domain)
	roles := check("roles.txt", rolesText, func(f []string) error {
		if len(f) > 2 || len(f) == 2 && f[1] != "no-reply" {
			return fmt.Errorf("%q: a local part and an optional no-reply mark", f)
		}
		for _, c := range f[0] {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				return fmt.Errorf("%q: letters and digits only (matching joins words)", f[0])
			}
		}
		return nil
	})
	if disposable < 300 {
		t.Errorf("disposable list has %d domains, want at least 300", disposable)
	}
	t.Logf("lists: %d disposable domains, %d free providers, %d role local parts", disposable, free, roles)
}

// fakeHunter answers every address with one status or error.
type fakeHunter struct {
	status string
	err    error
	calls  atomic.Int32
}

func (h *fakeHunter) Verify(ctx context.Context, email string) (string, error) {
	h.calls.Add(1)
	return h.status, h.err
}

func TestVerify(t *testing.T) {
	t.Parallel()
	res := startDNS(t, "testdata/zone.txt")

	tests := []struct {
		email    string
		hunter   *fakeHunter
		status   string
		mx       []string
		reason   string
		flags    string // which of role, disposable, free are set
		hunterOK bool   // Hunter is expected to be asked
	}{
		{email: "not an address", status: StatusInvalid, reason: "syntax: no @ sign"},
		{email: "maria@mailinator.com", status: StatusInvalid, reason: "disposable", flags: "disposable"},
		{email: "maria@valid.test", status: StatusUnknown, mx: []string{"mx1.valid.test", "mx2.valid.test"}, reason: "MX: mx1.valid.test, mx2.valid.test"},
		{email: "Info@Valid.test", status: StatusUnknown, mx: []string{"mx1.valid.test", "mx2.valid.test"}, reason: "role account", flags: "role"},
		{email: "maria@nomx.test", status: StatusUnknown, mx: []string{"nomx.test"}, reason: "implicit MX"},
		{email: "maria@v6only.test", status: StatusUnknown, mx: []string{"v6only.test"}, reason: "implicit MX"},
		{email: "maria@nomail.test", status: StatusInvalid, reason: "no MX and no address"},
		{email: "maria@nxdomain.test", status: StatusInvalid, reason: "no MX and no address"},
		{email: "maria@nullmx.test", status: StatusInvalid, reason: "null MX"},
		{email: "maria@dnstimeout.test", status: StatusUnknown, reason: "MX lookup timed out"},
		{email: "maria@servfail.test", status: StatusUnknown, reason: "MX lookup failed"},

		// Hunter, asked only when the domain can receive mail.
		{email: "maria@valid.test", hunter: &fakeHunter{status: "valid"}, status: StatusValid, reason: "Hunter: valid", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@valid.test", hunter: &fakeHunter{status: "invalid"}, status: StatusInvalid, reason: "Hunter: invalid", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@valid.test", hunter: &fakeHunter{status: "accept_all"}, status: StatusCatchAll, reason: "Hunter: accept_all", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@valid.test", hunter: &fakeHunter{status: "webmail"}, status: StatusValid, reason: "Hunter: webmail", flags: "free", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@valid.test", hunter: &fakeHunter{status: "disposable"}, status: StatusInvalid, reason: "Hunter: disposable", flags: "disposable", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@valid.test", hunter: &fakeHunter{status: "unknown"}, status: StatusUnknown, reason: "Hunter: unknown", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@valid.test", hunter: &fakeHunter{status: "maybe"}, status: StatusUnknown, reason: "Hunter: unexpected status", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@valid.test", hunter: &fakeHunter{err: errors.New("GET https://api.hunter.io/v2/email-verifier?api_key=SECRET: 429")}, status: StatusUnknown, reason: "Hunter: unavailable", hunterOK: true, mx: []string{"mx1.valid.test", "mx2.valid.test"}},
		{email: "maria@dnstimeout.test", hunter: &fakeHunter{status: "valid"}, status: StatusValid, reason: "Hunter: valid", hunterOK: true},
		{email: "maria@nullmx.test", hunter: &fakeHunter{status: "valid"}, status: StatusInvalid, reason: "null MX"},
		{email: "maria@mailinator.com", hunter: &fakeHunter{status: "valid"}, status: StatusInvalid, reason: "disposable", flags: "disposable"},
	}
	for _, tt := range tests {
		name := tt.email
		if tt.hunter != nil {
			name += "/hunter=" + tt.hunter.status
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{Resolver: res, Timeout: 300 * time.Millisecond}
			if tt.hunter != nil {
				cfg.Hunter = tt.hunter
			}
			v, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := v.Verify(context.Background(), tt.email)
			if got.Status != tt.status {
				t.Errorf("Status = %q, want %q (reasons %q)", got.Status, tt.status, got.Reasons)
			}
			if got.Verified != (tt.status == StatusValid) {
				t.Errorf("Verified = %v", got.Verified)
			}
			if fmt.Sprint(got.MX) != fmt.Sprint(tt.mx) {
				t.Errorf("MX = %q, want %q", got.MX, tt.mx)
			}
			if !hasReason(got.Reasons, tt.reason) {
				t.Errorf("Reasons = %q, want one containing %q", got.Reasons, tt.reason)
			}
			var flags []string
			if got.Role {
				flags = append(flags, "role")
			}
			if got.Disposable {
				flags = append(flags, "disposable")
			}
			if got.FreeProvider {
				flags = append(flags, "free")
			}
			if strings.Join(flags, ",") != tt.flags {
				t.Errorf("flags = %q, want %q", flags, tt.flags)
			}
			if tt.hunter != nil && (tt.hunter.calls.Load() > 0) != tt.hunterOK {
				t.Errorf("Hunter called %d times, want called: %v", tt.hunter.calls.Load(), tt.hunterOK)
			}
			for _, r := range got.Reasons {
				if strings.Contains(r, "SECRET") {
					t.Errorf("reason %q leaks the Hunter error text", r)
				}
			}
		})
	}
}

// TestVerifyProbeOrder checks that the SMTP probe runs only when the
// answer is still open: off by default, and skipped after Hunter settled.
func TestVerifyProbeOrder(t *testing.T) {
	t.Parallel()
	res := startDNS(t, "testdata/zone.txt")
	srv := startSMTP(t)

	d := &dialer{target: srv.ln.Addr().String()}
	v, err := New(Config{Resolver: res, Dialer: d.dial})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Verify(context.Background(), "maria@probe.test"); got.Status != StatusUnknown || len(d.addrs()) != 0 {
		t.Errorf("probe off: Status = %q, dialed %q; want unknown and no connection", got.Status, d.addrs())
	}

	h := &fakeHunter{status: "invalid"}
	v, err = New(Config{Resolver: res, Dialer: d.dial, SMTPProbe: true, HeloName: "probe.prospector.test", Hunter: h})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Verify(context.Background(), "maria@probe.test"); got.Status != StatusInvalid || len(d.addrs()) != 0 {
		t.Errorf("Hunter settled: Status = %q, dialed %q; want invalid and no connection", got.Status, d.addrs())
	}

	h.status = "unknown"
	if got := v.Verify(context.Background(), "maria@probe.test"); got.Status != StatusValid || len(d.addrs()) != 1 {
		t.Errorf("Hunter unsure: Status = %q, dialed %q; want the probe's valid", got.Status, d.addrs())
	}
}

func TestVerifyCancelled(t *testing.T) {
	t.Parallel()
	res := startDNS(t, "testdata/zone.txt")
	v, err := New(Config{Resolver: res})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := v.Verify(ctx, "maria@valid.test")
	if got.Status != StatusUnknown || !hasReason(got.Reasons, "cancelled") {
		t.Errorf("Verify(cancelled) = %q %q, want unknown, cancelled", got.Status, got.Reasons)
	}
}

func TestNewConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero value", Config{}, true},
		{"probe", Config{SMTPProbe: true, HeloName: "mx.prospector.test"}, true},
		{"probe with sender", Config{SMTPProbe: true, HeloName: "mx.prospector.test", MailFrom: "Bounce@Prospector.test"}, true},
		{"probe without HELO", Config{SMTPProbe: true}, false},
		{"probe with spaced HELO", Config{SMTPProbe: true, HeloName: "my host"}, false},
		{"probe with bad sender", Config{SMTPProbe: true, HeloName: "mx.prospector.test", MailFrom: "bounce"}, false},
		{"bad sender without probe", Config{MailFrom: "bounce"}, true},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg)
		if (err == nil) != tt.ok {
			t.Errorf("%s: New error = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
