package mail

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	sandboximap "github.com/prospectorhq/prospector/internal/sandbox/imap"
)

// inboxMessage is a message of testdata/inbox, as it arrives.
func inboxMessage(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "inbox", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// numbered is a small reply whose body says n, to tell messages apart.
func numbered(n int) []byte {
	return fmt.Appendf(nil, "From: Maria Lopez <maria@lakeside-dental.example>\r\nTo: dana@reyes-growth.example\r\nSubject: Re: hello\r\nMessage-ID: <r%d@lakeside-dental.example>\r\nIn-Reply-To: <s1@reyes-growth.example>\r\n\r\nReply number %d.\r\n", n, n)
}

func (f imapFixture) deliver(t *testing.T, raws ...[]byte) {
	t.Helper()
	for _, raw := range raws {
		if _, err := f.Deliver(imapUser, raw); err != nil {
			t.Fatal(err)
		}
	}
}

func (f imapFixture) inbox(t *testing.T) sandboximap.InboxState {
	t.Helper()
	st, err := f.Inbox(imapUser)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// poll polls and fails the test on an error.
func poll(t *testing.T, srv Server, from Cursor, max int) ([]Incoming, Cursor) {
	t.Helper()
	msgs, next, err := Poll(t.Context(), srv, from, max)
	if err != nil {
		t.Fatalf("Poll(%+v, %d): %v", from, max, err)
	}
	return msgs, next
}

// wantMessages asserts msgs are raws, whole, with the given UIDs.
func wantMessages(t *testing.T, msgs []Incoming, uids []uint32, raws ...[]byte) {
	t.Helper()
	if len(msgs) != len(raws) {
		t.Fatalf("%d messages (%v), want %d", len(msgs), uidsOf(msgs), len(raws))
	}
	for i, m := range msgs {
		if m.UID != uids[i] || !bytes.Equal(m.Raw, raws[i]) || m.Truncated || m.Size != int64(len(raws[i])) {
			t.Errorf("message %d: UID %d, %d bytes (size %d, truncated %v); want UID %d and the %d bytes delivered", i, m.UID, len(m.Raw), m.Size, m.Truncated, uids[i], len(raws[i]))
		}
	}
}

func uidsOf(msgs []Incoming) []uint32 {
	out := make([]uint32, len(msgs))
	for i, m := range msgs {
		out[i] = m.UID
	}
	return out
}

func TestPollReadsNewMessagesOnly(t *testing.T) {
	for _, security := range []Security{SecurityTLS, SecurityStartTLS, SecurityNone} {
		t.Run(string(security), func(t *testing.T) {
			f := startIMAP(t, sandboximap.Options{})
			srv := f.server(t, security)
			// Mail from before the first poll is not ours to read.
			f.deliver(t, numbered(1), numbered(2))
			msgs, cur := poll(t, srv, Cursor{}, 10)
			if len(msgs) != 0 || cur != (Cursor{UIDValidity: f.inbox(t).UIDValidity, LastUID: 2}) {
				t.Fatalf("first poll: %d messages, cursor %+v; want none, and the INBOX's end", len(msgs), cur)
			}

			reply, ooo := inboxMessage(t, "reply.eml"), inboxMessage(t, "out-of-office.eml")
			f.deliver(t, reply, ooo)
			msgs, next := poll(t, srv, cur, 10)
			wantMessages(t, msgs, []uint32{3, 4}, reply, ooo)
			if next != (Cursor{UIDValidity: cur.UIDValidity, LastUID: 4}) {
				t.Errorf("cursor %+v after UIDs 3 and 4", next)
			}

			msgs, again := poll(t, srv, next, 10)
			if len(msgs) != 0 || again != next {
				t.Errorf("nothing new: %d messages, cursor %+v; want none and %+v", len(msgs), again, next)
			}
		})
	}
}

func TestPollNeverMarksRead(t *testing.T) {
	f := startIMAP(t, sandboximap.Options{})
	srv := f.server(t, SecurityTLS)
	_, cur := poll(t, srv, Cursor{}, 10)
	f.deliver(t, inboxMessage(t, "reply.eml"), inboxMessage(t, "out-of-office.eml"), numbered(3))
	if msgs, _ := poll(t, srv, cur, 10); len(msgs) != 3 {
		t.Fatalf("%d messages, want 3", len(msgs))
	}
	inbox, err := f.Messages(imapUser)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range inbox {
		if len(m.Flags) != 0 {
			t.Errorf("UID %d has flags %v after Poll, want none (still unread)", m.UID, m.Flags)
		}
	}
	// The sandbox keeps EXAMINE read-only as real servers do, so the
	// flags alone would not show a reader that asked for more: what it
	// sent must only examine and peek.
	cmds := f.Commands(imapUser)
	examined := false
	for _, c := range cmds {
		switch {
		case c == "EXAMINE INBOX":
			examined = true
		case c == "LOGIN", c == "UID SEARCH":
		case strings.HasPrefix(c, "UID FETCH ") && strings.Contains(c, "BODY.PEEK[]") && !strings.Contains(c, "BODY["):
		default:
			t.Errorf("Poll sent %q", c)
		}
	}
	if !examined {
		t.Errorf("Poll never EXAMINEd the INBOX: %q", cmds)
	}
}

func TestPollMax(t *testing.T) {
	f := startIMAP(t, sandboximap.Options{})
	srv := f.server(t, SecurityTLS)
	_, cur := poll(t, srv, Cursor{}, 2)
	var raws [][]byte
	for n := range 5 {
		raws = append(raws, numbered(n))
	}
	f.deliver(t, raws...)
	cases := []struct {
		uids []uint32
		raws [][]byte
	}{
		{[]uint32{1, 2}, raws[0:2]},
		{[]uint32{3, 4}, raws[2:4]},
		{[]uint32{5}, raws[4:5]},
		{nil, nil},
	}
	for i, tc := range cases {
		msgs, next := poll(t, srv, cur, 2)
		wantMessages(t, msgs, tc.uids, tc.raws...)
		if want := uint32(min(2*(i+1), 5)); next.LastUID != want {
			t.Errorf("poll %d: cursor %+v, want LastUID %d", i, next, want)
		}
		cur = next
	}
}

func TestPollUIDValidityChange(t *testing.T) {
	f := startIMAP(t, sandboximap.Options{})
	srv := f.server(t, SecurityTLS)
	_, cur := poll(t, srv, Cursor{}, 10)
	f.deliver(t, numbered(1), numbered(2), numbered(3))
	_, cur = poll(t, srv, cur, 10)

	// The server rebuilds the INBOX: the same three messages, numbered
	// from 1 again. A reader that trusted the old UIDs would read UID 3
	// as new, or skip the next messages.
	validity, err := f.ResetUIDValidity(imapUser)
	if err != nil {
		t.Fatal(err)
	}
	f.deliver(t, numbered(4))
	msgs, next := poll(t, srv, Cursor{UIDValidity: cur.UIDValidity, LastUID: 1}, 10)
	if len(msgs) != 0 || next != (Cursor{UIDValidity: validity, LastUID: 4}) {
		t.Fatalf("after the reset: %v, cursor %+v; want nothing and {%d 4}", uidsOf(msgs), next, validity)
	}
	f.deliver(t, numbered(5))
	msgs, _ = poll(t, srv, next, 10)
	wantMessages(t, msgs, []uint32{5}, numbered(5))
}

func TestPollBoundsBigMessages(t *testing.T) {
	f := startIMAP(t, sandboximap.Options{})
	srv := f.server(t, SecurityTLS)
	_, cur := poll(t, srv, Cursor{}, 10)

	// A reply with a 3 MiB attachment, then a small one.
	var big bytes.Buffer
	big.WriteString("From: Maria Lopez <maria@lakeside-dental.example>\r\nTo: dana@reyes-growth.example\r\nSubject: Re: hello\r\nMessage-ID: <big@lakeside-dental.example>\r\nIn-Reply-To: <s1@reyes-growth.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nOur floor plan is attached.\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for big.Len() < 3<<20 {
		big.WriteString(strings.Repeat("JVBERi0xLjcKJeLjz9MKMSAwIG9iago8PC9UeXBlIC9DYXRhbG9n", 1) + "\r\n")
	}
	big.WriteString("--b1--\r\n")
	f.deliver(t, big.Bytes(), numbered(2))

	msgs, next := poll(t, srv, cur, 10)
	if len(msgs) != 2 || next.LastUID != 2 {
		t.Fatalf("%v, cursor %+v; want UIDs 1 and 2", uidsOf(msgs), next)
	}
	m := msgs[0]
	if !m.Truncated || m.Size != int64(big.Len()) || len(m.Raw) != MaxIncomingBytes || !bytes.HasPrefix(big.Bytes(), m.Raw) {
		t.Errorf("big message: truncated %v, size %d, %d bytes read; want truncated, size %d, its first %d bytes", m.Truncated, m.Size, len(m.Raw), big.Len(), MaxIncomingBytes)
	}
	wantMessages(t, msgs[1:], []uint32{2}, numbered(2))
}

func TestPollErrors(t *testing.T) {
	var (
		mu    sync.Mutex
		fault = map[string]fake.Fault{} // by command
	)
	f := startIMAP(t, sandboximap.Options{Record: func(command, _ string) (fake.Fault, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		return fault[command], fault[command].Latency
	}})
	setFault := func(command string, ft fake.Fault) {
		mu.Lock()
		defer mu.Unlock()
		clear(fault)
		if command != "" {
			fault[command] = ft
		}
	}
	_, cur := poll(t, f.server(t, SecurityTLS), Cursor{}, 10)
	f.deliver(t, numbered(1))

	cases := []struct {
		name    string
		command string
		fault   fake.Fault
		srv     func() Server
		max     int
		kind    Kind
		msg     string
	}{
		{"wrong password", "", fake.Fault{}, func() Server { s := f.server(t, SecurityTLS); s.Password = "nope"; return s }, 10, KindAuth, "NO [AUTHENTICATIONFAILED] Authentication failed"},
		{"server gone", "", fake.Fault{}, func() Server { s := f.server(t, SecurityTLS); s.Host, s.Port = "127.0.0.1", closedPort(t); return s }, 10, KindConnection, "connection refused"},
		{"server busy", "EXAMINE", fake.Fault{Status: 1}, func() Server { return f.server(t, SecurityTLS) }, 10, KindTemporary, "NO [UNAVAILABLE] Sandbox fault: try again later"},
		{"login unavailable", "LOGIN", fake.Fault{Status: 1}, func() Server { return f.server(t, SecurityTLS) }, 10, KindTemporary, "NO [UNAVAILABLE] Sandbox fault: try again later"},
		{"no INBOX", "EXAMINE", fake.Fault{Status: 1, Code: "NONEXISTENT"}, func() Server { return f.server(t, SecurityTLS) }, 10, KindConnection, "NO [NONEXISTENT] Sandbox fault: try again later"},
		{"no answer in time", "FETCH", fake.Fault{Latency: time.Hour}, func() Server { s := f.server(t, SecurityStartTLS); s.Timeout = 500 * time.Millisecond; return s }, 10, KindConnection, "the server did not answer in time"},
		{"max 0", "", fake.Fault{}, func() Server { return f.server(t, SecurityTLS) }, 0, KindInvalid, "the number of messages per poll must be at least 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			setFault(tc.command, tc.fault)
			defer setFault("", fake.Fault{})
			msgs, next, err := Poll(t.Context(), tc.srv(), cur, tc.max)
			wantError(t, err, tc.kind, tc.msg, false)
			if msgs != nil || next != cur {
				t.Errorf("on error: %d messages, cursor %+v; want none and %+v", len(msgs), next, cur)
			}
		})
	}
	// After all that, the message is still there, unread, to be read.
	msgs, _ := poll(t, f.server(t, SecurityTLS), cur, 10)
	wantMessages(t, msgs, []uint32{1}, numbered(1))
}

// TestPollServerGoesAway stops the server while it is answering.
func TestPollServerGoesAway(t *testing.T) {
	held := make(chan struct{})
	var once sync.Once
	f := startIMAP(t, sandboximap.Options{Record: func(command, _ string) (fake.Fault, time.Duration) {
		if command == "SEARCH" {
			once.Do(func() { close(held) })
			return fake.Fault{}, time.Hour // until Close
		}
		return fake.Fault{}, 0
	}})
	srv := f.server(t, SecurityTLS)
	cur := Cursor{UIDValidity: f.inbox(t).UIDValidity}
	f.deliver(t, numbered(1))
	go func() {
		<-held
		f.Close()
	}()
	_, next, err := Poll(t.Context(), srv, cur, 10)
	wantError(t, err, KindConnection, "the server closed the connection", false)
	if next != cur {
		t.Errorf("cursor %+v, want %+v", next, cur)
	}
}

func TestPollContext(t *testing.T) {
	held := make(chan struct{}, 10)
	f := startIMAP(t, sandboximap.Options{Record: func(command, _ string) (fake.Fault, time.Duration) {
		if command == "FETCH" {
			held <- struct{}{}
			return fake.Fault{}, time.Hour // until the test ends
		}
		return fake.Fault{}, 0
	}})
	_, cur := poll(t, f.server(t, SecurityTLS), Cursor{}, 10)
	f.deliver(t, numbered(1))

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-held
			cancel()
		}()
		_, next, err := Poll(ctx, f.server(t, SecurityTLS), cur, 10)
		wantError(t, err, KindCanceled, "cancelled", false)
		if next != cur {
			t.Errorf("cursor %+v, want %+v", next, cur)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		_, _, err := Poll(ctx, f.server(t, SecurityStartTLS), cur, 10)
		wantError(t, err, KindConnection, "the server did not answer in time", false)
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, _, err := Poll(ctx, f.server(t, SecurityTLS), cur, 10)
		wantError(t, err, KindCanceled, "cancelled", false)
	})
}
