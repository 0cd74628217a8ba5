package sending

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Retries of a message the server answered 4xx: backoff doubling from five
// minutes, capped at six hours, for three days from the first refusal.
const (
	retryFirst  = 5 * time.Minute
	retryMost   = 6 * time.Hour
	retryWindow = 72 * time.Hour
)

// Mailbox health: a mailbox whose hard bounces pass this share of its last
// seven days' sends, over at least bounceMinSends of them, is paused.
const (
	bounceMaxRate  = 0.03
	bounceMinSends = 20
)

// deliver builds the claimed message and hands it to its mailbox's server.
func (s *Service) deliver(ctx context.Context, userID string, c *claimed) (*mail.Built, error) {
	mb := c.mailbox
	srv, err := s.MailServer(userID, mb.SMTPHost, mb.SMTPPort, mb.SMTPSecurity, mb.SMTPUsername, mb.SMTPPassword)
	if err != nil {
		return nil, err
	}
	srv.Timeout = mail.DefaultTimeout
	b := mail.Builder{Now: func() time.Time { return c.at }}
	if mb.DKIMSelector != nil && mb.DKIMPrivateKey != nil {
		key, err := s.box.Open(userID, *mb.DKIMPrivateKey)
		if err != nil {
			return nil, fmt.Errorf("open DKIM key: %w", err)
		}
		if b.DKIM, err = mail.NewDKIMSigner(mail.DKIMKey{Domain: domainOf(mb.Email), Selector: *mb.DKIMSelector, PrivateKeyPEM: []byte(key)}); err != nil {
			return nil, err
		}
	}
	unsubscribe, err := s.UnsubscribeURL(userID, c.msg.ID)
	if err != nil {
		return nil, err
	}
	m := mail.Message{
		FromName: cmp.Or(mb.FromName, c.profile.SenderName), From: mb.Email, To: c.msg.ToEmail,
		Subject: c.msg.Subject, Body: c.msg.Body,
		Signature: c.profile.Signature, PostalAddress: c.profile.PostalAddress,
		UnsubscribeURL: unsubscribe,
	}
	if m.Tracking, err = s.tracking(userID, c.msg, c.sending); err != nil {
		return nil, err
	}
	if c.first != nil && c.first.MessageID != nil {
		m.InReplyTo, m.FirstSubject = *c.first.MessageID, c.first.Subject
	}
	built, err := b.Build(m)
	if err != nil {
		return nil, err
	}
	return built, mail.Send(ctx, srv, mb.Email, c.msg.ToEmail, built.Bytes)
}

// settle records what the server answered, in one transaction.
func (s *Service) settle(ctx context.Context, userID string, c *claimed, built *mail.Built, sendErr error) error {
	kind := mail.KindOf(sendErr)
	var later *stage.Later
	err := records(s.store).Write(ctx, userID, func(tx Records) (err error) {
		later = nil
		switch {
		case sendErr == nil:
			return s.sent(ctx, tx, userID, c, built)
		case kind == mail.KindRejected:
			return s.bounced(ctx, tx, c, mail.Reason(sendErr))
		case kind == mail.KindTemporary:
			later, err = retry(ctx, tx, c, mail.Reason(sendErr))
			return err
		case kind.PausesMailbox():
			later, err = pauseMailbox(ctx, tx, c, mail.Reason(sendErr))
			return err
		case kind == mail.KindUncertain:
			_, _, err = tx.EndMessage(ctx, c.msg.ID, mailstore.MessageUncertain,
				"The server did not confirm it took the message ("+mail.Reason(sendErr)+"). Check the mailbox's Sent folder, then mark it sent or resend it.")
			return err
		case kind == mail.KindCanceled:
			// Nothing was handed over: the job runs again and sends it.
			_, _, err = tx.RetryMessage(ctx, c.msg.ID, tx.Now(), "Interrupted before it was sent; trying again.", false, false)
			return err
		default: // refused, invalid: sending again would change nothing
			_, _, err = tx.EndMessage(ctx, c.msg.ID, mailstore.MessageFailed, mail.Reason(sendErr))
			return err
		}
	})
	s.logSend(ctx, c, kind.String(), sendErr)
	if err != nil {
		return fmt.Errorf("settle message %s: %w", c.msg.ID, err)
	}
	switch {
	case later != nil:
		return later
	case kind == mail.KindCanceled:
		return sendErr
	}
	return nil
}

// sent records the server's acceptance: the message is sent with its
// Message-ID, the sequence and the prospect move on, and the next step is
// scheduled from the same mailbox.
func (s *Service) sent(ctx context.Context, tx Records, userID string, c *claimed, built *mail.Built) error {
	m, ok, err := tx.MarkMessageSent(ctx, c.msg.ID, built.MessageID)
	if err != nil {
		return err
	}
	if !ok {
		// Resolved by the user meanwhile (marked sent, or cancelled): the
		// server has it all the same; keep their decision.
		s.log.WarnContext(ctx, "message accepted after it was resolved", "message_id", m.ID, "status", m.Status)
		return nil
	}
	if err := tx.AddEvent(ctx, m, mailstore.EventSent, nil); err != nil {
		return err
	}
	if err := tx.AddCampaignCounters(ctx, m.CampaignID, store.CampaignCounters{Sent: 1}); err != nil {
		return err
	}
	return s.followUp(ctx, tx, userID, c.seq, m, c.window)
}

// followUp moves a sequence on after its message m was sent: the sequence
// is sent and its prospect contacted (the first time), and the step after
// m is scheduled from m's mailbox, delay_days after the first step went.
func (s *Service) followUp(ctx context.Context, tx Records, userID string, seq mailstore.OutreachSequence, m mailstore.Message, win Window) error {
	if _, err := tx.SetOutreachStatus(ctx, seq.ID, []string{mailstore.OutreachApproved, mailstore.OutreachScheduled}, mailstore.OutreachSent, nil); err != nil {
		return err
	}
	if _, err := tx.AdvanceProspect(ctx, seq.ProspectID, []string{store.ProspectQualified, store.ProspectOutreachPending}, store.ProspectContacted); err != nil {
		return err
	}
	var steps []outreach.Step
	if err := json.Unmarshal(seq.Emails, &steps); err != nil {
		return fmt.Errorf("read sequence %s: %w", seq.ID, err)
	}
	if m.Step >= len(steps) {
		return nil
	}
	firstSent := *m.SentAt
	if m.Step > 1 {
		msgs, err := tx.MessagesOfSequence(ctx, seq.ID)
		if err != nil {
			return err
		}
		for _, x := range msgs {
			if x.Step == 1 && x.SentAt != nil {
				firstSent = *x.SentAt
			}
		}
	}
	next := steps[m.Step]
	at := win.FollowUpAt(firstSent, next.DelayDays)
	msg, created, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: m.CampaignID, SequenceID: seq.ID,
		ProspectID: m.ProspectID, ContactID: m.ContactID, Step: m.Step + 1, MailboxID: m.MailboxID, ToEmail: m.ToEmail,
		Subject: next.Subject, Body: next.Body, Provider: m.Provider, ScheduledAt: at})
	if err != nil || !created {
		return err
	}
	return s.jobs.EnqueueSends(ctx, tx, userID, []QueuedSend{{MessageID: msg.ID, At: at}})
}

// bounced records a hard bounce (5xx at RCPT): the message and its
// sequence end bounced, the contact's address is invalid and suppressed
// (every other message scheduled to it is cancelled), and the mailbox is
// paused if its bounce rate has become too high.
func (s *Service) bounced(ctx context.Context, tx Records, c *claimed, reason string) error {
	m, _, err := tx.EndMessage(ctx, c.msg.ID, mailstore.MessageBounced, reason)
	if err != nil {
		return err
	}
	if err := tx.AddEvent(ctx, m, mailstore.EventBounced, &reason); err != nil {
		return err
	}
	return EndBouncedAddress(ctx, tx, m, reason)
}

// checkBounceRate pauses a mailbox whose last seven days bounced too much,
// as Instantly's bounce protection does: a burnt list burns the mailbox.
func checkBounceRate(ctx context.Context, tx Records, mb mailstore.Mailbox) error {
	tallies, err := tx.MailboxTallies(ctx, tx.Now())
	if err != nil {
		return err
	}
	t := tallies[mb.ID]
	tried := t.Tried7d
	if tried < bounceMinSends || float64(t.Bounced7d) <= bounceMaxRate*float64(tried) {
		return nil
	}
	reason := fmt.Sprintf("Paused: %d of its last %d messages bounced (%.1f%%, above %.0f%%) in 7 days. Clean the list before resuming.",
		t.Bounced7d, tried, 100*float64(t.Bounced7d)/float64(tried), 100*bounceMaxRate)
	_, err = tx.SetMailboxStatus(ctx, mb.ID, mailstore.MailboxPaused, &reason)
	return err
}

// retry puts a message the server answered 4xx back to scheduled, with a
// growing backoff, until three days after the first refusal: then it fails.
func retry(ctx context.Context, tx Records, c *claimed, reason string) (*stage.Later, error) {
	now := tx.Now()
	if c.msg.RetryingSince != nil && now.Sub(*c.msg.RetryingSince) >= retryWindow {
		_, _, err := tx.EndMessage(ctx, c.msg.ID, mailstore.MessageFailed, "The server refused it for three days: "+reason)
		return nil, err
	}
	wait := retryFirst << min(c.msg.Attempts, 10)
	at := now.Add(min(wait, retryMost))
	if _, _, err := tx.RetryMessage(ctx, c.msg.ID, at, "The server asked to try later: "+reason, true, false); err != nil {
		return nil, err
	}
	return &stage.Later{At: at, Reason: "temporary failure"}, nil
}

// pauseMailbox pauses a mailbox that could not sign in or connect, with
// the reason, and puts the message back: a first step may go through
// another of the campaign's mailboxes at once, a follow-up waits for its
// own.
func pauseMailbox(ctx context.Context, tx Records, c *claimed, reason string) (*stage.Later, error) {
	why := "Paused: " + reason
	if _, err := tx.SetMailboxStatus(ctx, c.mailbox.ID, mailstore.MailboxPaused, &why); err != nil {
		return nil, err
	}
	first := c.msg.Step == 1
	now := tx.Now()
	if _, _, err := tx.RetryMessage(ctx, c.msg.ID, now, "Waiting: its mailbox was paused ("+reason+").", false, first); err != nil {
		return nil, err
	}
	if first {
		return &stage.Later{At: now.Add(time.Second), Reason: "another mailbox"}, nil
	}
	return nil, nil
}

func domainOf(email string) string { return email[strings.LastIndexByte(email, '@')+1:] }
