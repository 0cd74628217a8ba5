package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// CheckIMAP connects to a mailbox's IMAP server and logs in, as the
// reader of replies will, and reads nothing: the "imap" half of the
// mailbox's test button. The same rules as for SMTP hold: STARTTLS or
// implicit TLS with verified certificates, no password in plain text but
// to this machine, every step bounded by srv.Timeout and by ctx.
func CheckIMAP(ctx context.Context, srv Server) error {
	s, err := dialIMAP(ctx, srv)
	if err != nil {
		return err
	}
	s.close()
	return nil
}

// imapSession is one logged-in IMAP connection. It wraps go-imap's client
// (a beta) so that nothing of it leaks out: every command is bounded by
// the server's timeout (through the connection's deadlines: the client
// sets none shorter than 30 s of its own, and boundedConn caps them),
// the end of ctx closes the connection, and every failure becomes an
// *Error.
type imapSession struct {
	ctx  context.Context
	srv  Server
	conn *boundedConn
	c    *imapclient.Client
	stop func() // ends the watch of ctx
}

// dialIMAP connects, sets up TLS as configured, reads the greeting and
// logs in.
func dialIMAP(ctx context.Context, srv Server) (*imapSession, error) {
	conn, err := srv.connect(ctx)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Kind == KindCanceled {
			e.Msg = "cancelled" // connect's words are for a message not sent
		}
		return nil, err
	}
	s := &imapSession{ctx: ctx, srv: srv, conn: conn, stop: conn.watch(ctx)}
	if err := s.open(); err != nil {
		if s.c != nil {
			s.c.Close()
		}
		s.stop()
		conn.Close()
		return nil, err
	}
	return s, nil
}

// step gives the next step (writing a command, the handshake) its time.
func (s *imapSession) step() { s.conn.SetDeadline(time.Now().Add(s.srv.timeout())) }

func (s *imapSession) open() error {
	srv := s.srv
	s.step()
	switch srv.Security {
	case SecurityTLS:
		tc := tls.Client(s.conn, srv.tlsConfig())
		if err := tc.HandshakeContext(s.ctx); err != nil {
			return s.fail("tls", err)
		}
		s.c = imapclient.New(tc, nil)
		if err := s.c.WaitGreeting(); err != nil {
			return s.fail("greeting", err)
		}
	case SecurityStartTLS:
		// Greeting, STARTTLS and the handshake in one call, which closes
		// the connection when it fails.
		c, err := imapclient.NewStartTLS(s.conn, &imapclient.Options{TLSConfig: srv.tlsConfig()})
		if err != nil {
			return s.fail("tls", err)
		}
		s.c = c
	default:
		s.c = imapclient.New(s.conn, nil)
		if err := s.c.WaitGreeting(); err != nil {
			return s.fail("greeting", err)
		}
	}

	if srv.Username == "" {
		return &Error{Kind: KindAuth, Step: "login", Msg: "the IMAP user name is missing"}
	}
	if srv.Security == SecurityNone && !(isLoopbackHost(srv.host()) && remoteIsLoopback(s.conn.Conn)) {
		return &Error{Kind: KindConnection, Step: "login", Msg: "refusing to send the password unencrypted to " + srv.host() + ": choose STARTTLS or TLS"}
	}
	s.step()
	if err := s.c.Login(srv.Username, srv.Password).Wait(); err != nil {
		return s.fail("login", err)
	}
	return nil
}

// close logs out, whose answer changes nothing, and closes the
// connection.
func (s *imapSession) close() {
	s.step()
	_ = s.c.Logout().Wait()
	s.c.Close()
	s.stop()
	s.conn.Close()
}

// fail is the *Error for a step that failed with err.
func (s *imapSession) fail(step string, err error) *Error {
	if ctxEnded(s.ctx) {
		e := ctxError(s.ctx, step, false)
		if e.Kind == KindCanceled {
			e.Msg = "cancelled"
		}
		return e
	}
	var ie *imap.Error
	if errors.As(err, &ie) {
		return &Error{Kind: imapKind(step, ie), Step: step, Msg: imapText(ie), Err: err}
	}
	cause := err
	if w := s.conn.wireErr(); w != nil {
		cause = w
	}
	return &Error{Kind: KindConnection, Step: step, Msg: netReason(cause, s.srv.host(), step == "tls"), Err: err}
}

// imapKind is what a server's NO, BAD or BYE at a step means: the
// response codes of RFC 5530 that say "later" are temporary wherever they
// come; any other refusal of LOGIN is the credentials'; any other refusal
// after it means the inbox cannot be read as configured.
func imapKind(step string, e *imap.Error) Kind {
	switch e.Code {
	case imap.ResponseCodeUnavailable, imap.ResponseCodeInUse, imap.ResponseCodeLimit:
		return KindTemporary
	}
	if step == "login" && e.Type != imap.StatusResponseTypeBye {
		return KindAuth
	}
	return KindConnection
}

// imapText is an IMAP server's refusal as the user reads it:
// "NO [AUTHENTICATIONFAILED] Authentication failed".
func imapText(e *imap.Error) string {
	parts := []string{string(e.Type)}
	if e.Code != "" {
		parts = append(parts, "["+string(e.Code)+"]")
	}
	if t := strings.Join(strings.Fields(e.Text), " "); t != "" {
		parts = append(parts, t)
	}
	return truncate(strings.Join(parts, " "), 300)
}
