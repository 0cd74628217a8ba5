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
	conn, err := srv.connect(ctx)
	if err != nil {
		return err
	}
	timeout := srv.timeout()
	stop := conn.watch(ctx)
	defer stop()
	defer conn.Close()
	// imapclient sets no deadlines of its own: each step gets one here.
	step := func() { conn.SetDeadline(time.Now().Add(timeout)) }

	fail := func(name string, err error) error {
		if ctxEnded(ctx) {
			return ctxError(ctx, name, false)
		}
		var ie *imap.Error
		if errors.As(err, &ie) {
			kind := KindConnection
			if name == "login" {
				kind = KindAuth
			}
			return &Error{Kind: kind, Step: name, Msg: imapText(ie), Err: err}
		}
		return &Error{Kind: KindConnection, Step: name, Msg: netReason(err, srv.host(), name == "tls"), Err: err}
	}

	step()
	var c *imapclient.Client
	encrypted := srv.Security != SecurityNone
	switch srv.Security {
	case SecurityTLS:
		tc := tls.Client(conn, srv.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail("tls", err)
		}
		c = imapclient.New(tc, nil)
		if err := c.WaitGreeting(); err != nil {
			return fail("greeting", err)
		}
	case SecurityStartTLS:
		// Greeting, STARTTLS and the handshake in one call.
		if c, err = imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: srv.tlsConfig()}); err != nil {
			return fail("tls", err)
		}
	default:
		c = imapclient.New(conn, nil)
		if err := c.WaitGreeting(); err != nil {
			return fail("greeting", err)
		}
	}
	defer c.Close()

	if srv.Username == "" {
		return &Error{Kind: KindAuth, Step: "login", Msg: "the IMAP user name is missing"}
	}
	if !encrypted && !(isLoopbackHost(srv.host()) && remoteIsLoopback(conn.Conn)) {
		return &Error{Kind: KindConnection, Step: "login", Msg: "refusing to send the password unencrypted to " + srv.host() + ": choose STARTTLS or TLS"}
	}
	step()
	if err := c.Login(srv.Username, srv.Password).Wait(); err != nil {
		return fail("login", err)
	}
	step()
	// LOGOUT's answer changes nothing: the login worked.
	_ = c.Logout().Wait()
	return nil
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
