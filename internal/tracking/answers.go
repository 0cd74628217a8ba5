package tracking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/enrich/verify"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// What an answer to one of our messages does, wherever it was read (an
// IMAP inbox, an Instantly webhook), in one transaction with its event:
//
//   - a reply stamps the message replied, counts on its sequence, and,
//     with the campaign's stop_on_reply, ends the sequence replied and
//     cancels its scheduled messages; with stop_for_company too, every
//     other sequence to the same prospect, or to an address at the same
//     domain (a company's, not a free mail provider's), is stopped;
//   - a hard bounce ends the message and its sequence bounced (a message
//     the server had accepted keeps its sent_at), marks the contact's
//     address invalid and suppresses it, cancelling every message still
//     scheduled to it, and checks the mailbox's bounce rate;
//   - a soft bounce is recorded; the third in a row for an address (no
//     reply, open or click between them) counts as a hard one;
//   - an auto-reply is recorded and the sequence goes on; one that says
//     when its writer is back pushes the next scheduled step to the day
//     after;
//   - an unsubscribe request does what the unsubscribe link does.
//
// Each answer carries a key of its own (its Message-ID, a hash of its
// bytes, a webhook delivery's id); the event is recorded under it, and an
// answer whose key was recorded before changes nothing, so reading the
// same answer twice, or a webhook delivered twice, leaves every counter
// exact.

// Answer is one answer to one of our messages.
type Answer struct {
	// Kind is one of store.AnswerReply, AnswerAutoReply,
	// AnswerHardBounce, AnswerSoftBounce, AnswerUnsubscribe.
	Kind string
	// MessageID is our message's id (not its RFC 5322 Message-ID).
	MessageID string
	// Key identifies the answer itself: the same key twice applies once.
	Key string
	// At is when it arrived; zero means now.
	At time.Time
	// Snippet is a reply's or an auto-reply's opening words.
	Snippet string
	// Status and Diagnostic describe a bounce ("5.1.1", the server's words).
	Status, Diagnostic string
	// ReturnDate is the day an out-of-office says its writer is back.
	ReturnDate time.Time
}

// Applied is what an answer changed.
type Applied struct {
	// Duplicate is set when the answer had been applied before: nothing
	// changed.
	Duplicate bool
	// Stopped counts the other sequences a reply stopped for its company.
	Stopped int
	// Hard is set when a bounce ended the address (a hard one, or the
	// third soft one in a row).
	Hard bool
}

// Answer kinds the service knows.
var answerKinds = map[string]string{
	mailstore.AnswerReply:       mailstore.EventReplied,
	mailstore.AnswerAutoReply:   mailstore.EventAutoReplied,
	mailstore.AnswerHardBounce:  mailstore.EventBounced,
	mailstore.AnswerSoftBounce:  mailstore.EventBounced,
	mailstore.AnswerUnsubscribe: mailstore.EventUnsubscribed,
}

// softBouncesAsHard is how many soft bounces in a row end an address.
const softBouncesAsHard = 3

// maxSnippet bounds the snippet an event keeps.
const maxSnippet = 280

// Answered applies an answer to one of userID's messages.
func (s *Service) Answered(ctx context.Context, userID string, a Answer) (Applied, error) {
	var out Applied
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		m, err := tx.Message(ctx, a.MessageID)
		if err != nil {
			return err
		}
		out, err = s.answered(ctx, tx, m, a)
		return err
	})
	if err != nil {
		return Applied{}, fmt.Errorf("apply %s to message %s: %w", a.Kind, a.MessageID, err)
	}
	return out, nil
}

// answered applies a to m in tx.
func (s *Service) answered(ctx context.Context, tx Records, m mailstore.Message, a Answer) (Applied, error) {
	typ, ok := answerKinds[a.Kind]
	if !ok {
		return Applied{}, fmt.Errorf("unknown answer kind %q", a.Kind)
	}
	if a.Key == "" {
		return Applied{}, errors.New("an answer needs a key")
	}
	created, err := tx.AddAnswerEvent(ctx, m, typ, a.Kind, a.Key, a.At, detailOf(a))
	if err != nil || !created {
		return Applied{Duplicate: !created}, err
	}
	switch a.Kind {
	case mailstore.AnswerReply:
		n, err := s.replied(ctx, tx, m)
		return Applied{Stopped: n}, err
	case mailstore.AnswerAutoReply:
		return Applied{}, pushAfterReturn(ctx, tx, m, a.ReturnDate)
	case mailstore.AnswerHardBounce:
		return Applied{Hard: true}, bounceAddress(ctx, tx, m, bounceReason(a))
	case mailstore.AnswerSoftBounce:
		recent, err := tx.RecentAnswersTo(ctx, m.ToEmail, softBouncesAsHard)
		if err != nil {
			return Applied{}, err
		}
		if !allSoft(recent) {
			return Applied{}, nil
		}
		reason := fmt.Sprintf("%d soft bounces in a row; the last: %s", softBouncesAsHard, bounceReason(a))
		return Applied{Hard: true}, bounceAddress(ctx, tx, m, reason)
	default: // unsubscribe
		_, err := sending.Unsubscribed(ctx, tx, m.ToEmail, m.SequenceID)
		return Applied{}, err
	}
}

// allSoft reports whether the latest answers about an address (this one
// first) are softBouncesAsHard soft bounces.
func allSoft(recent []string) bool {
	if len(recent) < softBouncesAsHard {
		return false
	}
	for _, k := range recent[:softBouncesAsHard] {
		if k != mailstore.AnswerSoftBounce {
			return false
		}
	}
	return true
}

// detailOf is what an answer's event shows: a reply's words, a bounce's
// status and diagnostic.
func detailOf(a Answer) *string {
	var d string
	switch a.Kind {
	case mailstore.AnswerReply, mailstore.AnswerAutoReply:
		d = truncateRunes(a.Snippet, maxSnippet)
	case mailstore.AnswerHardBounce:
		d = bounceReason(a)
	case mailstore.AnswerSoftBounce:
		d = "Soft bounce: " + bounceReason(a)
	}
	if d == "" {
		return nil
	}
	return &d
}

func bounceReason(a Answer) string {
	switch {
	case a.Status != "" && a.Diagnostic != "":
		return a.Status + " " + truncateRunes(a.Diagnostic, 500)
	case a.Diagnostic != "":
		return truncateRunes(a.Diagnostic, 500)
	case a.Status != "":
		return a.Status
	}
	return "a delivery report"
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// replied applies a reply to m and answers how many other sequences it
// stopped.
func (s *Service) replied(ctx context.Context, tx Records, m mailstore.Message) (int, error) {
	m, err := tx.MarkReplied(ctx, m)
	if err != nil {
		return 0, err
	}
	camp, err := tx.Campaign(ctx, m.CampaignID)
	if err != nil {
		return 0, err
	}
	set := settings.StoredSending(camp.Sending)
	if !set.StopOnReply {
		return 0, nil // the user wants the follow-ups to go on
	}
	reason := "The recipient replied."
	if _, err := tx.SetOutreachStatus(ctx, m.SequenceID, mailstore.OutreachSending, mailstore.OutreachReplied, &reason); err != nil {
		return 0, err
	}
	if _, err := tx.CancelScheduledOf(ctx, m.SequenceID, reason); err != nil {
		return 0, err
	}
	if !set.StopForCompany {
		return 0, nil
	}
	domain := m.ToEmail[strings.LastIndexByte(m.ToEmail, '@')+1:]
	if verify.IsFreeProvider(domain) {
		domain = "" // gmail.com is not one company
	}
	others, err := tx.CompanySequences(ctx, m.ProspectID, domain, m.SequenceID)
	if err != nil {
		return 0, err
	}
	why := "Stopped: " + m.ToEmail + " replied to \"" + truncateRunes(m.Subject, 100) + "\" (sequence " + m.SequenceID + ")."
	stopped := 0
	for _, o := range others {
		ok, err := tx.SetOutreachStatus(ctx, o.ID, mailstore.OutreachSending, mailstore.OutreachStopped, &why)
		if err != nil {
			return stopped, err
		}
		if _, err := tx.CancelScheduledOf(ctx, o.ID, why); err != nil {
			return stopped, err
		}
		if ok {
			stopped++
		}
	}
	return stopped, nil
}

// pushAfterReturn moves the next scheduled step of m's sequence to the day
// after an out-of-office's return date, when it would have gone before.
func pushAfterReturn(ctx context.Context, tx Records, m mailstore.Message, back time.Time) error {
	if back.IsZero() {
		return nil
	}
	after := back.UTC().Add(24 * time.Hour)
	msgs, err := tx.MessagesOfSequence(ctx, m.SequenceID)
	if err != nil {
		return err
	}
	for _, x := range msgs {
		if x.Status != mailstore.MessageScheduled || !x.ScheduledAt.Before(after) {
			continue
		}
		reason := "Waiting: the recipient is away until " + back.Format("2 January 2006") + " (an automatic reply said so)."
		if _, _, err := tx.DelayMessage(ctx, x.ID, after, &reason); err != nil {
			return err
		}
	}
	return nil
}

// bounceAddress ends m bounced and its address with it: the contact's
// address is invalid and suppressed, every message still scheduled to it
// is cancelled, the sequence ends bounced, and m's mailbox is paused if
// its bounce rate has become too high.
func bounceAddress(ctx context.Context, tx Records, m mailstore.Message, reason string) error {
	if _, _, err := tx.BounceMessage(ctx, m.ID, reason); err != nil {
		return err
	}
	return sending.EndBouncedAddress(ctx, tx, m, reason)
}
