package sending

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// checkTimeout bounds one server's check: a user is waiting on the answer.
const checkTimeout = 20 * time.Second

// ServerCheck is what testing one server found, as the user reads it.
type ServerCheck struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// MailboxCheck is the answer of a mailbox test: SMTP always, IMAP when the
// mailbox has it (nil otherwise).
type MailboxCheck struct {
	SMTP ServerCheck  `json:"smtp"`
	IMAP *ServerCheck `json:"imap"`
}

// TestMailbox connects to the mailbox's servers and signs in, sending
// nothing, and says exactly what failed ("535 5.7.8 authentication
// failed", "connection refused").
func (s *Service) TestMailbox(ctx context.Context, userID, id string) (MailboxCheck, error) {
	var m mailstore.Mailbox
	err := records(s.store).Read(ctx, userID, func(tx Records) (err error) {
		m, err = tx.Mailbox(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return MailboxCheck{}, apperr.NotFound("mailbox")
	}
	if err != nil {
		return MailboxCheck{}, fmt.Errorf("test mailbox %s: %w", id, err)
	}
	if s.mail.Dial == nil {
		return MailboxCheck{}, apperr.New(apperr.CodeInternal, "Mailbox tests are not configured on this server.")
	}
	smtpServer, err := s.MailServer(userID, m.SMTPHost, m.SMTPPort, m.SMTPSecurity, m.SMTPUsername, m.SMTPPassword)
	if err != nil {
		return MailboxCheck{}, err
	}
	res := MailboxCheck{SMTP: s.check(ctx, smtpServer, mail.Check)}
	if m.IMAPHost != nil && m.IMAPPassword != nil {
		imapServer, err := s.MailServer(userID, *m.IMAPHost, derefInt(m.IMAPPort), store.OrEmpty(m.IMAPSecurity), store.OrEmpty(m.IMAPUsername), *m.IMAPPassword)
		if err != nil {
			return MailboxCheck{}, err
		}
		c := s.check(ctx, imapServer, mail.CheckIMAP)
		res.IMAP = &c
	}
	return res, nil
}

// MailServer is one of a mailbox's servers with its password unsealed
// (package tracking reads inboxes through it).
func (s *Service) MailServer(userID, host string, port int, security, username, sealed string) (mail.Server, error) {
	password, err := s.box.Open(userID, sealed)
	if err != nil {
		return mail.Server{}, fmt.Errorf("open mailbox password: %w", err)
	}
	var tlsConf *tls.Config
	if s.mail.RootCAs != nil {
		tlsConf = &tls.Config{RootCAs: s.mail.RootCAs}
	}
	return mail.Server{Host: host, Port: port, Security: mail.Security(security), Username: username, Password: password,
		TLS: tlsConf, Dial: s.mail.Dial, Timeout: checkTimeout}, nil
}

func (s *Service) check(ctx context.Context, srv mail.Server, check func(context.Context, mail.Server) error) ServerCheck {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	if err := check(ctx, srv); err != nil {
		var me *mail.Error
		if errors.As(err, &me) && me.Msg != "" {
			return ServerCheck{Message: me.Msg}
		}
		return ServerCheck{Message: "The server could not be reached."}
	}
	return ServerCheck{OK: true, Message: "Connected and signed in."}
}
