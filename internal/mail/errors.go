package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// Kind sorts a failed build, send or check by what the send stage must do
// about it: bounce the message, try again later, pause the mailbox, or ask
// the user.
type Kind int

// Kinds of failure.
const (
	KindUnknown Kind = iota
	// KindInvalid: the message or the mailbox settings cannot be used as
	// they are (a line break in a header, an address that is not one, a
	// malformed DKIM key). Nothing was sent; sending again changes nothing.
	KindInvalid
	// KindRejected: the server refused the recipient for good (5xx at
	// RCPT): a hard bounce.
	KindRejected
	// KindTemporary: the server answered 4xx at some step: try again later.
	KindTemporary
	// KindAuth: the server refused the credentials (535, 534, 530…): the
	// mailbox pauses until the user fixes them.
	KindAuth
	// KindConnection: no usable session could be set up (refused, no such
	// host, timed out, TLS handshake failed, no STARTTLS offered, a
	// password that would go out unencrypted): the mailbox pauses.
	KindConnection
	// KindSender: the server refused the sender address (5xx at MAIL
	// FROM), which it will do for every message of this mailbox: pause it.
	KindSender
	// KindRefused: the server refused this message for good (5xx at or
	// after DATA: content, size, policy): the message fails, the mailbox
	// goes on.
	KindRefused
	// KindUncertain: the whole message was handed over but the server's
	// answer to it never came (the connection broke, timed out or was
	// cancelled after the final dot): it may have been delivered, so it
	// must not be sent again without asking the user.
	KindUncertain
	// KindCanceled: the caller's context ended before the message was
	// handed over; nothing was delivered.
	KindCanceled
)

var kindNames = [...]string{"unknown", "invalid", "rejected", "temporary", "auth", "connection", "sender", "refused", "uncertain", "canceled"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// PausesMailbox reports whether a failure of this kind is the mailbox's
// (its credentials, its server, its sender address) rather than the
// message's, so that every other message of the mailbox would fail too.
func (k Kind) PausesMailbox() bool {
	return k == KindAuth || k == KindConnection || k == KindSender
}

// Error is the only error Build, Send and Check return. Msg is a short
// phrase for the user, safe to store and show: the server's own answer
// ("535 5.7.8 authentication failed"), or what went wrong on the way
// ("connection refused", "TLS handshake: certificate is not valid for
// smtp.example.com"). It never holds a password.
type Error struct {
	Kind Kind
	// Step is the SMTP step that failed: "connect", "tls", "greeting",
	// "ehlo", "starttls", "auth", "mail", "rcpt", "data", or "build" and
	// "dkim" for a message that could not be made.
	Step string
	// Code and Enhanced are the server's reply code and enhanced status
	// code ("5.1.1") when the failure is a server's answer; 0 and "" when
	// it is not.
	Code     int
	Enhanced string
	Msg      string
	Err      error
}

func (e *Error) Error() string { return "mail: " + e.Step + ": " + e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of an error from this package, and KindUnknown
// for anything else (nil included).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// invalid is a KindInvalid error found while building a message.
func invalid(step, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Step: step, Msg: fmt.Sprintf(format, args...)}
}

// replyError turns a server's answer into an Error: 4xx is always
// temporary, 5xx is what permanent means at that step (kind5xx).
func replyError(step string, se *smtp.SMTPError, kind5xx Kind) *Error {
	e := &Error{Step: step, Code: se.Code, Msg: replyText(se), Err: se}
	if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
		e.Enhanced = fmt.Sprintf("%d.%d.%d", se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2])
	}
	switch se.Code / 100 {
	case 4:
		e.Kind = KindTemporary
	case 5:
		e.Kind = kind5xx
	default:
		// A reply outside 4xx/5xx where another was expected: the server
		// does not speak SMTP as we do.
		e.Kind = KindConnection
	}
	return e
}

// replyText is the server's answer as a user reads it in a mail client's
// bounce: "550 5.1.1 unknown user". Multi-line answers are joined.
func replyText(se *smtp.SMTPError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", se.Code)
	if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
		fmt.Fprintf(&b, " %d.%d.%d", se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2])
	}
	if msg := strings.Join(strings.Fields(se.Message), " "); msg != "" {
		b.WriteString(" " + msg)
	}
	return truncate(b.String(), 300)
}

// truncate bounds a text we store and show, at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// ctxError is the error for a step cut short by the caller's context.
// Before the message is handed over nothing was delivered (KindCanceled,
// or KindConnection for a deadline: the server was too slow); after it,
// the outcome is unknown.
func ctxError(ctx context.Context, step string, handedOver bool) *Error {
	err := context.Cause(ctx)
	switch {
	case handedOver:
		return &Error{Kind: KindUncertain, Step: step, Msg: "the message was sent but the server's answer did not come in time: it may have been delivered", Err: err}
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || ctx.Err() == nil:
		return &Error{Kind: KindConnection, Step: step, Msg: "the server did not answer in time", Err: err}
	default:
		return &Error{Kind: KindCanceled, Step: step, Msg: "cancelled before the message was sent", Err: err}
	}
}

// ctxEnded reports whether ctx is done or its deadline has passed: a read
// cut by the connection's copy of that deadline can return a moment before
// the context's own timer marks it done, and must be told the same way.
func ctxEnded(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// Reason is what the user reads of a mail error: the server's own words
// when it answered, the error's text otherwise.
func Reason(err error) string {
	var me *Error
	if errors.As(err, &me) && me.Msg != "" {
		return me.Msg
	}
	return err.Error()
}
