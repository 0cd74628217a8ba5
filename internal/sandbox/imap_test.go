package sandbox_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"slices"
	"strings"
	"testing"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/prospectorhq/prospector/internal/sandbox"
	sandboximap "github.com/prospectorhq/prospector/internal/sandbox/imap"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

// TestIMAPInbox reads a delivered answer from the sandbox's IMAP server as
// Prospector will: over TLS verified with the sandbox CA (the one file
// WriteCA writes), on an address SEND_ALLOWLIST lets mailboxes use.
func TestIMAPInbox(t *testing.T) {
	t.Parallel()
	sb := sandboxtest.Start(t, sandbox.Options{})
	const user = "dana@demo-agency.example"
	if err := sb.IMAP.AddUser(user, sandboximap.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	raw := []byte("From: Maria Lopez <maria@lakeside-dental.example>\r\nTo: dana@demo-agency.example\r\nSubject: Re: hello\r\nMessage-ID: <r1@lakeside-dental.example>\r\n\r\nYes, call me.\r\n")
	uid, err := sb.IMAP.Deliver(user, raw)
	if err != nil {
		t.Fatal(err)
	}

	allow := strings.Split(sb.Env()["SEND_ALLOWLIST"], ",")
	for _, addr := range []string{sb.IMAP.Addr(), sb.IMAP.TLSAddr()} {
		if !slices.Contains(allow, addr) {
			t.Errorf("SEND_ALLOWLIST %v lacks the IMAP listener %s", allow, addr)
		}
	}

	c, err := imapclient.DialTLS(sb.IMAP.TLSAddr(), &imapclient.Options{TLSConfig: &tls.Config{ServerName: sandboximap.DefaultHostname, RootCAs: sb.CertPool()}})
	if err != nil {
		t.Fatalf("TLS with the sandbox CA: %v", err)
	}
	defer c.Close()
	if err := c.Login(user, sandboximap.DefaultPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", &goimap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	section := &goimap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(goimap.UIDSetNum(goimap.UID(uid)), &goimap.FetchOptions{BodySection: []*goimap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !bytes.Equal(msgs[0].FindBodySection(section), raw) {
		t.Fatalf("fetched %d messages, want the one delivered", len(msgs))
	}

	// Faults apply per command, like every other service's.
	sb.SetFault(sandbox.IMAP, sandbox.Fault{Status: 503, Times: 1})
	err = c.Noop().Wait() // NOOP is not a faulted command
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UIDSearch(&goimap.SearchCriteria{}, nil).Wait()
	var ie *goimap.Error
	if !errors.As(err, &ie) || ie.Code != goimap.ResponseCodeUnavailable {
		t.Errorf("SEARCH under a fault: %v, want NO [UNAVAILABLE]", err)
	}
	if n := sb.RequestCount(sandbox.IMAP); n != 4 {
		t.Errorf("%d IMAP requests recorded, want 4 (LOGIN, EXAMINE, FETCH, SEARCH)", n)
	}
}
