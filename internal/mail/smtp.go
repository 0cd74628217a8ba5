package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// submissionFactor is how much longer than Server.Timeout the server may
// take to answer the end of a message.
const submissionFactor = 4

// Session is one authenticated SMTP connection, which may send several
// messages one after the other. It is not safe for concurrent use.
type Session struct {
	srv    Server
	conn   *boundedConn
	client *smtp.Client
	// dirty is set after a transaction began (RSET before the next);
	// broken after a network failure (nothing more can be sent).
	dirty, broken bool
}

// Send delivers one message on a connection of its own: connect,
// authenticate, MAIL, RCPT, DATA, QUIT. from and to are the envelope
// addresses (the mailbox and the recipient).
func Send(ctx context.Context, srv Server, from, to string, msg []byte) error {
	s, err := Dial(ctx, srv)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Send(ctx, from, to, msg)
}

// Check connects and authenticates as Send would, and sends nothing: the
// mailbox's "test" button. nil means the settings work.
func Check(ctx context.Context, srv Server) error {
	s, err := Dial(ctx, srv)
	if err != nil {
		return err
	}
	return s.Close()
}

// Dial connects to srv, sets up TLS as configured, and authenticates.
func Dial(ctx context.Context, srv Server) (*Session, error) {
	conn, err := srv.connect(ctx)
	if err != nil {
		return nil, err
	}
	s := &Session{srv: srv, conn: conn}
	stop := s.conn.watch(ctx)
	defer stop()
	if err := s.open(ctx); err != nil {
		s.conn.Close()
		return nil, err
	}
	return s, nil
}

// open speaks the session's first steps: TLS, greeting, EHLO, AUTH.
func (s *Session) open(ctx context.Context) *Error {
	srv := s.srv
	name := srv.LocalName
	if name == "" {
		name = "localhost"
	}
	timeout := srv.timeout()
	var err error
	switch srv.Security {
	case SecurityTLS:
		tc := tls.Client(s.conn, srv.tlsConfig())
		hctx, cancel := context.WithTimeout(ctx, timeout)
		err = tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			return s.fail(ctx, "tls", err, false)
		}
		s.client = smtp.NewClient(tc)
	case SecurityStartTLS:
		// Greeting, a first EHLO, STARTTLS; the handshake itself happens
		// at the next command (the EHLO below).
		s.client, err = smtp.NewClientStartTLS(s.conn, srv.tlsConfig())
		if err != nil {
			var se *smtp.SMTPError
			if !errors.As(err, &se) && ctx.Err() == nil && strings.Contains(err.Error(), "STARTTLS") {
				// go-smtp's only non-protocol error here.
				return &Error{Kind: KindConnection, Step: "starttls", Msg: "the server does not offer STARTTLS (choose TLS, or another port)", Err: err}
			}
			return s.fail(ctx, "starttls", err, false)
		}
	default:
		s.client = smtp.NewClient(s.conn)
	}
	s.client.CommandTimeout = timeout
	s.client.SubmissionTimeout = submissionFactor * timeout
	s.conn.setLimit(submissionFactor * timeout)

	step := "greeting"
	if srv.Security == SecurityStartTLS {
		step = "tls"
	}
	if err := s.client.Hello(name); err != nil {
		return s.fail(ctx, step, err, false)
	}
	if srv.Username == "" {
		return nil
	}
	return s.auth(ctx)
}

// auth logs in with PLAIN, or LOGIN when the server offers only that
// (some hosted servers do), and never over plain text to another machine.
func (s *Session) auth(ctx context.Context) *Error {
	srv := s.srv
	if _, encrypted := s.client.TLSConnectionState(); !encrypted && !(isLoopbackHost(srv.host()) && remoteIsLoopback(s.conn.Conn)) {
		// check refused this before connecting; this holds whatever
		// the settings said and whatever the dialer did.
		return &Error{Kind: KindConnection, Step: "auth", Msg: "refusing to send the password unencrypted to " + srv.host() + ": choose STARTTLS or TLS"}
	}
	var mech sasl.Client
	switch {
	case s.client.SupportsAuth(sasl.Plain):
		mech = sasl.NewPlainClient("", srv.Username, srv.Password)
	case s.client.SupportsAuth(sasl.Login):
		mech = sasl.NewLoginClient(srv.Username, srv.Password)
	default:
		return &Error{Kind: KindAuth, Step: "auth", Msg: "the server does not offer password login (AUTH PLAIN or LOGIN) on this connection"}
	}
	if err := s.client.Auth(mech); err != nil {
		return s.fail(ctx, "auth", err, false)
	}
	return nil
}

// Send delivers one message on the session. After a network failure the
// session is unusable (Send returns the same kind of error at once); after
// a server's refusal it can send the next message.
func (s *Session) Send(ctx context.Context, from, to string, msg []byte) error {
	for _, a := range []struct{ field, addr string }{{"sender address", from}, {"recipient address", to}} {
		if err := checkAddress("mail", a.field, a.addr); err != nil {
			return err
		}
	}
	if s.broken {
		return &Error{Kind: KindConnection, Step: "mail", Msg: "the connection to the server was lost"}
	}
	if max, ok := s.client.MaxMessageSize(); ok && max > 0 && len(msg) > max {
		return &Error{Kind: KindRefused, Step: "mail", Msg: "the message is larger than the server accepts"}
	}
	stop := s.conn.watch(ctx)
	defer stop()

	if s.dirty {
		if err := s.client.Reset(); err != nil {
			return s.fail(ctx, "mail", err, false)
		}
	}
	s.dirty = true
	if err := s.client.Mail(from, &smtp.MailOptions{Size: int64(len(msg))}); err != nil {
		return s.fail(ctx, "mail", err, false)
	}
	if err := s.client.Rcpt(to, nil); err != nil {
		return s.fail(ctx, "rcpt", err, false)
	}
	w, err := s.client.Data()
	if err != nil {
		return s.fail(ctx, "data", err, false)
	}
	if _, err := w.Write(msg); err != nil {
		// The end-of-data line was not sent: the server drops what it got.
		return s.fail(ctx, "data", err, false)
	}
	// From here the server may have the whole message: a broken
	// connection no longer means "not delivered".
	if err := w.Close(); err != nil {
		return s.fail(ctx, "data", err, true)
	}
	s.dirty = false
	return nil
}

// Close ends the session politely (QUIT, bounded like every step) and
// closes the connection. What QUIT answers changes nothing about what was
// sent, so Close reports nothing.
func (s *Session) Close() error {
	if !s.broken {
		s.broken = true
		_ = s.client.Quit()
	}
	s.conn.Close()
	return nil
}

// fail classifies err for the step it ended; a network failure also ends
// the session.
func (s *Session) fail(ctx context.Context, step string, err error, handedOver bool) *Error {
	e := s.classify(ctx, step, err, handedOver)
	if e.Code == 0 {
		s.broken = true
	}
	return e
}

// classify turns an error of step into an *Error (see Kind).
func (s *Session) classify(ctx context.Context, step string, err error, handedOver bool) *Error {
	if ctxEnded(ctx) {
		return ctxError(ctx, step, handedOver)
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		kind := KindConnection // greeting, ehlo, starttls: the server will not talk to us
		switch step {
		case "auth":
			kind = KindAuth
		case "mail":
			kind = KindSender
		case "rcpt":
			kind = KindRejected
		case "data":
			kind = KindRefused
		}
		return replyError(step, se, kind)
	}
	reason := netReason(err, s.srv.host(), step == "tls")
	if handedOver {
		return &Error{Kind: KindUncertain, Step: step, Msg: "the message was sent but the server's answer was lost (" + reason + "): it may have been delivered", Err: err}
	}
	return &Error{Kind: KindConnection, Step: step, Msg: reason, Err: err}
}
