package verify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"regexp"
	"strings"
	"time"
)

// maxProbeHosts is how many MX hosts the probe tries when it cannot connect
// to the first: the second is usually a backup that answers the same, and
// trying every host of a large provider would only add timeouts.
const maxProbeHosts = 2

// rcptAnswer is what a server's answer to RCPT TO says about a mailbox.
type rcptAnswer int

const (
	rcptAccepted  rcptAnswer = iota // 2xx
	rcptNoMailbox                   // 5xx about the mailbox: it does not exist
	rcptRefused                     // 5xx about us (policy, reputation) or the message
	rcptTemporary                   // 4xx: greylisting, rate limits, a busy server
	rcptBroken                      // no answer: timeout, dropped connection, protocol error
)

// smtpProbe asks the domain's mail server whether it would accept mail for
// addr, and for a random address at the same domain, then quits without
// sending anything. Both accepted means a catch-all server, whose "yes"
// proves nothing; only addr accepted means valid; addr refused as unknown
// means invalid. Every other outcome is unknown, because a 4xx or a policy
// rejection is about the prober, not the mailbox.
func (v *Verifier) smtpProbe(ctx context.Context, addr string, r *Result) {
	_, domain := splitAddress(addr)
	hosts := r.MX
	if len(hosts) > maxProbeHosts {
		hosts = hosts[:maxProbeHosts]
	}
	var conn net.Conn
	var err error
	for _, host := range hosts {
		conn, err = v.dialMX(ctx, host)
		if err == nil {
			break
		}
	}
	if conn == nil {
		r.reason("SMTP: could not connect to port 25")
		return
	}
	defer conn.Close()
	// One deadline bounds the whole conversation, and cancelling ctx cuts
	// it short: net/smtp has no context of its own.
	if err := conn.SetDeadline(time.Now().Add(v.timeout)); err != nil {
		r.reason("SMTP: connection failed")
		return
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, domain)
	if err != nil {
		r.reason("SMTP: greeting %s", describe(err))
		return
	}
	// QUIT politely whatever happened, so the server logs a clean session
	// rather than a dropped one; its answer does not matter.
	defer func() { _ = c.Quit() }()
	if err := c.Hello(v.helo); err != nil {
		r.reason("SMTP: EHLO %s", describe(err))
		return
	}
	if err := c.Mail(v.from); err != nil {
		r.reason("SMTP: MAIL FROM %s", describe(err))
		return
	}

	answer, answerErr := classifyRcpt(c.Rcpt(addr))
	switch answer {
	case rcptNoMailbox:
		r.Status = StatusInvalid
		r.reason("SMTP: mailbox refused (%s)", describe(answerErr))
		return
	case rcptRefused:
		r.reason("SMTP: refused for policy reasons, not the mailbox (%s)", describe(answerErr))
		return
	case rcptTemporary:
		r.reason("SMTP: temporary failure, possibly greylisting (%s)", describe(answerErr))
		return
	case rcptBroken:
		r.reason("SMTP: RCPT %s", describe(answerErr))
		return
	}

	decoy := randomLocalPart() + "@" + domain
	other, otherErr := classifyRcpt(c.Rcpt(decoy))
	switch other {
	case rcptAccepted:
		r.Status = StatusCatchAll
		r.reason("SMTP: mailbox accepted, and so is a random address: catch-all")
	case rcptNoMailbox:
		r.Status = StatusValid
		r.reason("SMTP: mailbox accepted; a random address is refused")
	default:
		r.reason("SMTP: mailbox accepted, but a random address got %s: cannot rule out catch-all", describe(otherErr))
	}
}

func (v *Verifier) dialMX(ctx context.Context, host string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	return v.dial(ctx, "tcp", net.JoinHostPort(host, "25"))
}

// enhancedCode matches an RFC 3463 enhanced status code at the start of a
// reply's text ("5.1.1 User unknown").
var enhancedCode = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})\b`)

// Phrases that say a rejection is about the sender or the connection rather
// than the mailbox; servers without enhanced codes often put it in words.
var policyWords = []string{
	"block", "blacklist", "spam", "policy", "reputation", "rbl", "dnsbl",
	"spamhaus", "denied", "not permitted", "not allowed", "relay",
	"authentication", "too many", "rate limit",
}

// classifyRcpt reads the answer to RCPT TO. Enhanced status codes decide
// when present: class x.1 (addressing) and 5.2.1 (mailbox disabled) are
// about the mailbox, except 5.1.7 and 5.1.8, which are about our sender;
// 5.7 (security and policy) and the rest are about us. Without one, 550,
// 551 and 553 mean the mailbox unless the text speaks of blocking or
// policy.
func classifyRcpt(err error) (rcptAnswer, error) {
	if err == nil {
		return rcptAccepted, nil
	}
	var tp *textproto.Error
	if !errors.As(err, &tp) {
		return rcptBroken, err
	}
	switch {
	case tp.Code >= 400 && tp.Code < 500:
		return rcptTemporary, err
	case tp.Code < 500 || tp.Code > 599:
		return rcptBroken, err
	}
	msg := strings.ToLower(strings.TrimSpace(tp.Msg))
	if m := enhancedCode.FindStringSubmatch(msg); m != nil && m[1] == "5" && m[2] != "0" {
		switch {
		case m[2] == "1" && m[3] != "7" && m[3] != "8":
			return rcptNoMailbox, err
		case m[2] == "2" && m[3] == "1":
			return rcptNoMailbox, err
		default:
			return rcptRefused, err
		}
	}
	for _, w := range policyWords {
		if strings.Contains(msg, w) {
			return rcptRefused, err
		}
	}
	switch tp.Code {
	case 550, 551, 553:
		return rcptNoMailbox, err
	}
	return rcptRefused, err
}

// describe says what went wrong in a few words: the server's reply code,
// or the kind of network failure. It never echoes the server's text, which
// may repeat the address.
func describe(err error) string {
	var tp *textproto.Error
	var ne net.Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &tp):
		if m := enhancedCode.FindString(strings.TrimSpace(tp.Msg)); m != "" {
			return fmt.Sprintf("%d %s", tp.Code, m)
		}
		return fmt.Sprintf("%d", tp.Code)
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	default:
		return "failed"
	}
}

// randomLocalPart returns a local part no real mailbox has: 26 random
// base32 characters, lowercased.
func randomLocalPart() string {
	return strings.ToLower(rand.Text())
}
