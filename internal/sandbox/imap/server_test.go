package imap

import (
	"bytes"
	"crypto/tls"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/prospectorhq/prospector/internal/sandbox/ca"
	"github.com/prospectorhq/prospector/internal/sandbox/fake"
)

const (
	user     = "dana@demo-agency.example"
	password = "inbox-password"
)

func start(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Users == nil {
		opts.Users = map[string]string{user: password}
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// dial is a client of s over implicit TLS that verifies the certificate
// against s.CertPool, not yet logged in.
func dial(t *testing.T, s *Server) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialTLS(s.TLSAddr(), &imapclient.Options{TLSConfig: &tls.Config{ServerName: "localhost", RootCAs: s.CertPool()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// login is a logged-in client of s.
func login(t *testing.T, s *Server) *imapclient.Client {
	t.Helper()
	c := dial(t, s)
	if err := c.Login(user, password).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// reply is a small reply with a Message-ID.
func reply(id string) []byte {
	return []byte("From: Maria Lopez <maria@lakeside-dental.example>\r\nTo: dana@demo-agency.example\r\nSubject: Re: your website\r\nMessage-ID: <" + id + ">\r\nIn-Reply-To: <step1@demo-agency.example>\r\n\r\nThanks, tell me more.\r\n")
}

func deliver(t *testing.T, s *Server, raw []byte) uint32 {
	t.Helper()
	uid, err := s.Deliver(user, raw)
	if err != nil {
		t.Fatal(err)
	}
	return uid
}

// fetchAll fetches every message of the selected mailbox with section.
func fetchAll(t *testing.T, c *imapclient.Client, section *goimap.FetchItemBodySection) []*imapclient.FetchMessageBuffer {
	t.Helper()
	msgs, err := c.Fetch(goimap.UIDSet{{Start: 1, Stop: 0}}, &goimap.FetchOptions{UID: true, Flags: true, BodySection: []*goimap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func seen(t *testing.T, s *Server) []uint32 {
	t.Helper()
	msgs, err := s.Messages(user)
	if err != nil {
		t.Fatal(err)
	}
	var out []uint32
	for _, m := range msgs {
		if m.Seen() {
			out = append(out, m.UID)
		}
	}
	return out
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, o := range []Options{{Addr: "0.0.0.0:0"}, {TLSAddr: "192.0.2.1:0"}, {Addr: "example.com:143"}} {
		if s, err := Start(o); err == nil {
			s.Close()
			t.Errorf("Start(%+v) listened", o)
		}
	}
}

func TestDeliverThenFetch(t *testing.T) {
	s := start(t, Options{})
	first, second := reply("r1@lakeside-dental.example"), reply("r2@lakeside-dental.example")
	if uid := deliver(t, s, first); uid != 1 {
		t.Errorf("first UID %d, want 1", uid)
	}
	c := login(t, s)
	sel, err := c.Select(Inbox, &goimap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Inbox(user)
	if err != nil {
		t.Fatal(err)
	}
	if sel.UIDValidity != st.UIDValidity || sel.UIDNext != 2 || sel.NumMessages != 1 || st.UIDNext != 2 || st.Messages != 1 {
		t.Errorf("EXAMINE says %+v, Inbox %+v; want one message, UIDNEXT 2, the same UIDVALIDITY", sel, st)
	}
	// Delivered while the client has the INBOX open: it sees it at its
	// next command, as on a real server.
	if uid := deliver(t, s, second); uid != 2 {
		t.Errorf("second UID %d, want 2", uid)
	}
	if err := c.Noop().Wait(); err != nil {
		t.Fatal(err)
	}
	if n := c.Mailbox().NumMessages; n != 2 {
		t.Errorf("after NOOP the client counts %d messages, want 2", n)
	}
	msgs := fetchAll(t, c, &goimap.FetchItemBodySection{Peek: true})
	if len(msgs) != 2 {
		t.Fatalf("fetched %d messages, want 2", len(msgs))
	}
	for i, want := range [][]byte{first, second} {
		if got := msgs[i].FindBodySection(&goimap.FetchItemBodySection{}); !bytes.Equal(got, want) || msgs[i].UID != goimap.UID(i+1) {
			t.Errorf("message %d: UID %d, bytes %q; want UID %d, %q", i, msgs[i].UID, got, i+1, want)
		}
	}
	if _, err := s.Deliver("nobody@demo-agency.example", first); !errors.Is(err, ErrNoSuchUser) {
		t.Errorf("Deliver to an unknown user: %v, want ErrNoSuchUser", err)
	}
}

func TestExamineIsReadOnly(t *testing.T) {
	s := start(t, Options{})
	deliver(t, s, reply("r1@lakeside-dental.example"))
	deliver(t, s, reply("r2@lakeside-dental.example"))

	c := login(t, s)
	if _, err := c.Select(Inbox, &goimap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	// BODY[] without PEEK: a read-write mailbox would mark it read.
	fetchAll(t, c, &goimap.FetchItemBodySection{})
	if got := seen(t, s); len(got) != 0 {
		t.Errorf("after EXAMINE and FETCH BODY[], %v are \\Seen; want none", got)
	}
	if err := c.Store(goimap.UIDSet{{Start: 1, Stop: 1}}, &goimap.StoreFlags{Op: goimap.StoreFlagsAdd, Flags: []goimap.Flag{goimap.FlagSeen}}, nil).Close(); err == nil {
		t.Error("STORE in an EXAMINEd mailbox succeeded")
	}
	if got := seen(t, s); len(got) != 0 {
		t.Errorf("after a refused STORE, %v are \\Seen", got)
	}

	// The same FETCH after SELECT marks the message read: the difference
	// the reader of replies must not make.
	if _, err := c.Select(Inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fetch(goimap.UIDSet{{Start: 2, Stop: 2}}, &goimap.FetchOptions{BodySection: []*goimap.FetchItemBodySection{{}}}).Collect(); err != nil {
		t.Fatal(err)
	}
	if got := seen(t, s); !slices.Equal(got, []uint32{2}) {
		t.Errorf("after SELECT and FETCH BODY[] of UID 2, \\Seen: %v; want [2]", got)
	}

	want := []string{"LOGIN", "EXAMINE INBOX", "UID FETCH 1:* (UID FLAGS BODY[])", "UID STORE 1 +FLAGS (\\Seen)", "SELECT INBOX", "UID FETCH 2 (UID BODY[])"}
	if got := s.Commands(user); !slices.Equal(got, want) {
		t.Errorf("commands\n%q\nwant\n%q", got, want)
	}
}

func TestLogin(t *testing.T) {
	s := start(t, Options{Users: map[string]string{user: password, "sam@demo-agency.example": "other"}})
	cases := []struct {
		name, user, password string
		ok                   bool
	}{
		{"right", user, password, true},
		{"case-insensitive user", strings.ToUpper(user), password, true},
		{"wrong password", user, "other", false},
		{"unknown user", "nobody@demo-agency.example", password, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := dial(t, s).Login(tc.user, tc.password).Wait()
			var ie *goimap.Error
			switch {
			case tc.ok && err != nil:
				t.Errorf("LOGIN: %v", err)
			case !tc.ok && (!errors.As(err, &ie) || ie.Code != goimap.ResponseCodeAuthenticationFailed):
				t.Errorf("LOGIN: %v, want NO [AUTHENTICATIONFAILED]", err)
			}
		})
	}
	if got := s.Commands(user); !slices.Equal(got, []string{"LOGIN", "LOGIN", "LOGIN (refused)"}) {
		t.Errorf("commands %q", got)
	}
	if err := s.AddUser(strings.ToUpper(user), "x"); err == nil {
		t.Error("AddUser took a name already there")
	}
}

func TestTLS(t *testing.T) {
	authority, err := ca.New("Test sandbox CA", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, Options{CA: authority, Hostnames: []string{"imap.demo.example"}})
	for _, name := range []string{"localhost", "127.0.0.1", DefaultHostname, "imap.demo.example"} {
		c, err := imapclient.DialTLS(s.TLSAddr(), &imapclient.Options{TLSConfig: &tls.Config{ServerName: name, RootCAs: authority.Pool()}})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := c.Login(user, password).Wait(); err != nil {
			t.Errorf("%s: LOGIN: %v", name, err)
		}
		c.Close()
	}
	c, err := imapclient.DialStartTLS(s.Addr(), &imapclient.Options{TLSConfig: &tls.Config{ServerName: "localhost", RootCAs: s.CertPool()}})
	if err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	if err := c.Login(user, password).Wait(); err != nil {
		t.Errorf("LOGIN after STARTTLS: %v", err)
	}
	c.Close()
	if c, err := imapclient.DialTLS(s.TLSAddr(), &imapclient.Options{TLSConfig: &tls.Config{ServerName: "imap.example.com", RootCAs: s.CertPool()}}); err == nil {
		c.Close()
		t.Error("the certificate is valid for a name it was not issued for")
	}
	if c, err := imapclient.DialTLS(s.TLSAddr(), &imapclient.Options{TLSConfig: &tls.Config{ServerName: "localhost"}}); err == nil {
		c.Close()
		t.Error("the certificate verified without the sandbox's CA")
	}
	if !bytes.Equal(s.CACertPEM(), authority.PEM) {
		t.Error("CACertPEM is not the CA given")
	}
}

func TestRequireTLS(t *testing.T) {
	for _, require := range []bool{false, true} {
		s := start(t, Options{RequireTLS: require})
		c, err := imapclient.DialInsecure(s.Addr(), nil)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Login(user, password).Wait()
		c.Close()
		if require != (err != nil) {
			t.Errorf("RequireTLS %v: LOGIN in plain text: %v", require, err)
		}
	}
}

func TestResetUIDValidity(t *testing.T) {
	s := start(t, Options{})
	for _, id := range []string{"a", "b", "c"} {
		deliver(t, s, reply(id+"@lakeside-dental.example"))
	}
	c := login(t, s)
	if _, err := c.Select(Inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	// UID 1 read, UID 2 deleted and expunged: UIDs 1 and 3 remain.
	if err := c.Store(goimap.UIDSet{{Start: 1, Stop: 1}}, &goimap.StoreFlags{Op: goimap.StoreFlagsAdd, Flags: []goimap.Flag{goimap.FlagSeen}, Silent: true}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(goimap.UIDSet{{Start: 2, Stop: 2}}, &goimap.StoreFlags{Op: goimap.StoreFlagsAdd, Flags: []goimap.Flag{goimap.FlagDeleted}, Silent: true}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Expunge().Close(); err != nil {
		t.Fatal(err)
	}
	before, err := s.Inbox(user)
	if err != nil {
		t.Fatal(err)
	}
	validity, err := s.ResetUIDValidity(user)
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.Inbox(user)
	if err != nil {
		t.Fatal(err)
	}
	if validity == before.UIDValidity || after.UIDValidity != validity || after.UIDNext != 3 || after.Messages != 2 {
		t.Errorf("before %+v, after %+v (reset said %d): want a new UIDVALIDITY, two messages, UIDNEXT 3", before, after, validity)
	}
	c2 := login(t, s)
	sel, err := c2.Select(Inbox, &goimap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.UIDValidity != validity {
		t.Errorf("EXAMINE says UIDVALIDITY %d, want %d", sel.UIDValidity, validity)
	}
	msgs := fetchAll(t, c2, &goimap.FetchItemBodySection{Peek: true})
	if len(msgs) != 2 || msgs[0].UID != 1 || msgs[1].UID != 2 ||
		!bytes.Equal(msgs[0].FindBodySection(&goimap.FetchItemBodySection{}), reply("a@lakeside-dental.example")) ||
		!bytes.Equal(msgs[1].FindBodySection(&goimap.FetchItemBodySection{}), reply("c@lakeside-dental.example")) {
		t.Fatalf("after the reset: %d messages, want a and c as UIDs 1 and 2", len(msgs))
	}
	if got := seen(t, s); !slices.Equal(got, []uint32{1}) {
		t.Errorf("\\Seen after the reset: %v, want [1] (flags kept)", got)
	}
	// Another server (a demo started again) never reuses a UIDVALIDITY.
	t0 := time.Now()
	a := start(t, Options{Now: func() time.Time { return t0 }})
	b := start(t, Options{Now: func() time.Time { return t0.Add(time.Hour) }})
	sa, _ := a.Inbox(user)
	sb, _ := b.Inbox(user)
	if sa.UIDValidity == sb.UIDValidity {
		t.Errorf("two servers started an hour apart give the same UIDVALIDITY %d", sa.UIDValidity)
	}
}

func TestFaults(t *testing.T) {
	hold := make(chan struct{})
	var calls []string
	s := start(t, Options{Record: func(command, u string) (fake.Fault, time.Duration) {
		calls = append(calls, command+" "+u)
		switch command {
		case "FETCH":
			return fake.Fault{Status: 1}, 0
		case "SEARCH":
			close(hold)
			return fake.Fault{}, time.Hour // cut short by Close
		}
		return fake.Fault{}, 0
	}})
	deliver(t, s, reply("r1@lakeside-dental.example"))
	c := login(t, s)
	if _, err := c.Select(Inbox, &goimap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	_, err := c.Fetch(goimap.UIDSet{{Start: 1, Stop: 0}}, &goimap.FetchOptions{UID: true}).Collect()
	var ie *goimap.Error
	if !errors.As(err, &ie) || ie.Type != goimap.StatusResponseTypeNo || ie.Code != goimap.ResponseCodeUnavailable {
		t.Errorf("FETCH under a fault: %v, want NO [UNAVAILABLE]", err)
	}
	search := c.UIDSearch(&goimap.SearchCriteria{}, nil)
	<-hold
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := search.Wait(); err == nil {
		t.Error("a SEARCH held by a latency answered after Close")
	}
	want := []string{"LOGIN " + user, "EXAMINE " + user, "FETCH " + user, "SEARCH " + user}
	if !slices.Equal(calls, want) {
		t.Errorf("Record saw %q, want %q", calls, want)
	}
}
