package smtp

import (
	"crypto/subtle"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

var (
	errAuthFailed   = &gosmtp.SMTPError{Code: 535, EnhancedCode: gosmtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
	errAuthRequired = &gosmtp.SMTPError{Code: 530, EnhancedCode: gosmtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	errSenderFirst  = &gosmtp.SMTPError{Code: 503, EnhancedCode: gosmtp.EnhancedCode{5, 5, 1}, Message: "MAIL first"}
)

// session is one client connection's state, from EHLO (or from the EHLO
// after STARTTLS) on.
type session struct {
	s    *Server
	tls  bool
	user string // "" until AUTH succeeds
	from string
	to   []string
}

func (s *Server) newSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{s: s, tls: isTLS}, nil
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	check := func(username, password string) error {
		want, ok := ss.s.opts.Users[username]
		// Compare in constant time anyway: the fake should not teach a
		// shortcut to anyone reading it.
		if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(password)) != 1 {
			ss.s.login(false)
			return errAuthFailed
		}
		ss.s.login(true)
		ss.user = username
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				ss.s.login(false)
				return errAuthFailed
			}
			return check(username, password)
		}), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, gosmtp.ErrAuthUnknownMechanism
}

func (ss *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if ss.user == "" {
		return errAuthRequired
	}
	if err := ss.fault("MAIL", from); err != nil {
		return err
	}
	ss.from, ss.to = from, nil
	return nil
}

func (ss *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if ss.user == "" {
		return errAuthRequired
	}
	if ss.from == "" {
		return errSenderFirst
	}
	if err := ss.fault("RCPT", to); err != nil {
		return err
	}
	_, domain, ok := strings.Cut(to, "@")
	if !ok || !ss.s.opts.Domains(strings.ToLower(domain)) {
		return NoRelay.err()
	}
	if r := ss.s.opts.Verdict(to); r.Code != 0 {
		return r.err()
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := ss.fault("DATA", ""); err != nil {
		return err
	}
	rec := Received{From: ss.from, To: ss.to, Data: data, Username: ss.user, TLS: ss.tls, At: ss.s.opts.Now()}
	ss.s.add(rec)
	if ss.s.opts.Accepted != nil {
		ss.s.opts.Accepted(rec)
	}
	ss.from, ss.to = "", nil
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// fault asks Options.Record about a command: it may delay the answer and
// turn it into an error.
func (ss *session) fault(cmd, arg string) error {
	if ss.s.opts.Record == nil {
		return nil
	}
	f, latency := ss.s.opts.Record(cmd, arg)
	if d := latency + f.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ss.s.done:
			t.Stop()
		}
	}
	if f.Status >= 400 && f.Status <= 599 {
		text := f.Code
		if text == "" {
			text = "sandbox fault"
		}
		return &gosmtp.SMTPError{Code: f.Status, EnhancedCode: gosmtp.EnhancedCode{f.Status / 100, 0, 0}, Message: text}
	}
	return nil
}

func (r Reply) err() error {
	return &gosmtp.SMTPError{Code: r.Code, EnhancedCode: gosmtp.EnhancedCode(r.Enhanced), Message: r.Text}
}

// loginServer is the server side of AUTH LOGIN (a username, then a
// password, each asked for in turn), which go-sasl offers only as a client.
type loginServer struct {
	check    func(username, password string) error
	username string
	step     int
}

func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.step {
	case 0:
		l.step = 1
		if response != nil {
			// An initial response is the username.
			l.username, l.step = string(response), 2
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.username, l.step = string(response), 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.username, string(response))
	}
}
