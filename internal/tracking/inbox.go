package tracking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/tracking/classify"
)

// Reading a mailbox's inbox for the answers to what it sent. One poller
// at a time reads a mailbox: it takes the mailbox's lease in one
// statement (another instance, or a job run twice, finds it taken and
// does nothing), reads what arrived after the remembered UID, applies each
// answer (answers.go) and then moves the cursor on. A crash between the
// two reads those messages again, and their keys make that change nothing.
// A new UIDVALIDITY (the server rebuilt the inbox) starts again from the
// inbox's end, so old mail is never taken for new answers. The reading
// only EXAMINEs and PEEKs (mail.Poll): the user's mail is never marked
// read, moved or deleted.

// Bounds of one read of an inbox.
const (
	// readTimeout bounds one read, every batch of it.
	readTimeout = 2 * time.Minute
	// readLease outlives readTimeout, so a lease runs out only when its
	// poller died.
	readLease = 5 * time.Minute
	// readBatch is how many messages one IMAP session fetches;
	// readBatches how many sessions one read may open before it leaves
	// the rest to the next.
	readBatch   = 100
	readBatches = 20
	// Backoff after failed reads: doubling from backoffFirst up to
	// backoffMost. A connection problem is shown on the mailbox once
	// showAfter reads in a row failed; a refused login at once.
	backoffFirst = time.Minute
	backoffMost  = time.Hour
	showAfter    = 3
)

// ReadResult is what one read of an inbox did.
type ReadResult struct {
	// Skipped is set when the mailbox was not read: another poller holds
	// it, its backoff has not passed, or it has no IMAP settings.
	Skipped bool
	// Read counts the messages fetched, Answers those that were answers
	// to ours and changed something.
	Read, Answers int
	// Reset is set when the inbox's UIDVALIDITY changed: the reading
	// started again from its end.
	Reset bool
	// Err is the mail error that ended the read early (also recorded on
	// the mailbox); nil when it read everything.
	Err error
}

// ReadInbox reads one of userID's mailboxes' inbox for answers (the
// poll job of one mailbox). Failures to reach the server are recorded on
// the mailbox and answered in ReadResult.Err, not as an error: the next
// poll tries again after its backoff. An error is a failure of our own
// (the database).
func (s *Service) ReadInbox(ctx context.Context, userID, mailboxID string) (ReadResult, error) {
	lease := store.NewID()
	var p mailstore.IMAPPoll
	var ok bool
	err := records(s.store).Write(ctx, userID, func(tx Records) (err error) {
		p, ok, err = tx.LeaseIMAP(ctx, mailboxID, lease, tx.Now().Add(readLease))
		return err
	})
	if err != nil {
		return ReadResult{}, fmt.Errorf("read inbox %s: %w", mailboxID, err)
	}
	if !ok {
		return ReadResult{Skipped: true}, nil
	}
	res, readErr := s.readLeased(ctx, userID, p, lease)
	outcome := mailstore.IMAPOutcome{}
	var me *mail.Error
	switch {
	case readErr == nil:
	case errors.As(readErr, &me) && me.Kind == mail.KindCanceled:
		// Shut down mid-read: nothing went wrong with the mailbox.
		outcome.Error, outcome.Failures = p.Mailbox.IMAPError, p.Failures
	case errors.As(readErr, &me):
		res.Err = readErr
		outcome.Failures = p.Failures + 1
		outcome.RetryIn = min(backoffFirst<<min(outcome.Failures-1, 10), backoffMost)
		if me.Kind == mail.KindAuth || outcome.Failures >= showAfter {
			msg := "Replies cannot be read: " + mail.Reason(readErr)
			if me.Kind == mail.KindAuth {
				msg = "The IMAP server refused the login: " + mail.Reason(readErr)
			}
			outcome.Error = &msg
		} else {
			outcome.Error = p.Mailbox.IMAPError
		}
	default:
		// Ours (the database): give the lease back and let the job retry.
		outcome.Error, outcome.Failures = p.Mailbox.IMAPError, p.Failures
	}
	endErr := records(s.store).Write(context.WithoutCancel(ctx), userID, func(tx Records) error {
		return tx.EndIMAPPoll(ctx, mailboxID, lease, outcome)
	})
	attrs := []any{slog.String("mailbox_id", mailboxID), slog.Int("read", res.Read), slog.Int("answers", res.Answers)}
	if res.Err != nil {
		attrs = append(attrs, slog.String("kind", mail.KindOf(res.Err).String()))
	}
	level := slog.LevelInfo
	if res.Read == 0 && res.Err == nil {
		level = slog.LevelDebug // most polls find nothing new
	}
	s.log.Log(ctx, level, "read inbox", attrs...)
	if readErr != nil && me == nil {
		return res, fmt.Errorf("read inbox %s: %w", mailboxID, errors.Join(readErr, endErr))
	}
	if endErr != nil {
		return res, fmt.Errorf("read inbox %s: %w", mailboxID, endErr)
	}
	return res, nil
}

// readLeased reads the leased mailbox's new mail, batch by batch, moving
// its cursor after each.
func (s *Service) readLeased(ctx context.Context, userID string, p mailstore.IMAPPoll, lease string) (ReadResult, error) {
	mb := p.Mailbox
	var res ReadResult
	if mb.IMAPHost == nil || mb.IMAPPort == nil || mb.IMAPUsername == nil || mb.IMAPPassword == nil {
		return res, nil
	}
	security := sending.SecurityTLS
	if mb.IMAPSecurity != nil {
		security = *mb.IMAPSecurity
	}
	srv, err := s.sending.MailServer(userID, *mb.IMAPHost, *mb.IMAPPort, security, *mb.IMAPUsername, *mb.IMAPPassword)
	if err != nil {
		return res, err
	}
	srv.Timeout = mail.DefaultTimeout
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	cursor := mail.Cursor{UIDValidity: p.UIDValidity, LastUID: p.LastUID}
	for range readBatches {
		msgs, next, err := mail.Poll(ctx, srv, cursor, readBatch)
		if err != nil {
			return res, err
		}
		if cursor.UIDValidity != 0 && next.UIDValidity != cursor.UIDValidity {
			res.Reset = true
			s.log.WarnContext(ctx, "inbox UIDVALIDITY changed: reading starts again from its end", slog.String("mailbox_id", mb.ID))
		}
		res.Read += len(msgs)
		done := cursor
		for _, in := range msgs {
			applied, err := s.takeIncoming(context.WithoutCancel(ctx), userID, mb, in.Raw)
			if err != nil {
				// Keep what was taken; this one is read again next time.
				if _, serr := s.saveCursor(ctx, userID, mb.ID, lease, done); serr != nil {
					err = errors.Join(err, serr)
				}
				return res, err
			}
			if applied {
				res.Answers++
			}
			done.UIDValidity, done.LastUID = next.UIDValidity, in.UID
		}
		held, err := s.saveCursor(ctx, userID, mb.ID, lease, next)
		if err != nil || !held {
			return res, err // !held: the lease ran out and another poller took over
		}
		cursor = next
		if len(msgs) < readBatch {
			break
		}
	}
	return res, nil
}

func (s *Service) saveCursor(ctx context.Context, userID, mailboxID, lease string, c mail.Cursor) (bool, error) {
	var held bool
	err := records(s.store).Write(context.WithoutCancel(ctx), userID, func(tx Records) (err error) {
		held, err = tx.SaveIMAPCursor(ctx, mailboxID, lease, c.UIDValidity, c.LastUID)
		return err
	})
	return held, err
}

// takeIncoming classifies one message of mb's inbox and, when it answers
// one of ours, applies it; applied is false for mail that is not an
// answer, and for an answer taken before.
func (s *Service) takeIncoming(ctx context.Context, userID string, mb mailstore.Mailbox, raw []byte) (applied bool, err error) {
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		applied = false
		found := map[string]mailstore.Message{}
		var lookupErr error
		ours := func(id string) bool {
			m, err := tx.MessageByMessageID(ctx, "<"+id+">")
			switch {
			case err == nil:
				found[id] = m
				return true
			case !errors.Is(err, store.ErrNotFound):
				lookupErr = err
			}
			return false
		}
		res, cerr := classify.Classify(raw, ours, mb.Email)
		if lookupErr != nil {
			return lookupErr
		}
		if cerr != nil {
			return nil // not a message: nothing to take
		}
		a, ok := answerOf(res)
		if !ok {
			return nil
		}
		var m mailstore.Message
		if len(res.RefersTo) > 0 {
			m = found[res.RefersTo[0]]
		} else {
			// An unsubscribe sent to the mailto address, threaded to
			// nothing: it is about the last message to its sender.
			last, err := tx.LastMessageTo(ctx, res.From, mb.ID)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			m = last
		}
		a.MessageID = m.ID
		a.Key = "mail:" + res.MessageID
		if res.MessageID == "" {
			sum := sha256.Sum256(raw)
			a.Key = "mail-sha256:" + hex.EncodeToString(sum[:])
		}
		out, err := s.answered(ctx, tx, m, a)
		applied = err == nil && !out.Duplicate
		return err
	})
	if err != nil {
		return false, fmt.Errorf("take incoming mail: %w", err)
	}
	return applied, nil
}

// answerOf is the answer a classified message makes; ok is false when it
// is none (unrelated mail).
func answerOf(r classify.Result) (Answer, bool) {
	a := Answer{Snippet: r.Snippet, Status: r.Status, Diagnostic: r.Diagnostic, ReturnDate: r.ReturnDate}
	switch r.Kind {
	case classify.Reply:
		a.Kind = mailstore.AnswerReply
	case classify.AutoReply:
		a.Kind = mailstore.AnswerAutoReply
	case classify.BounceHard:
		a.Kind = mailstore.AnswerHardBounce
	case classify.BounceSoft:
		a.Kind = mailstore.AnswerSoftBounce
	case classify.Unsubscribe:
		a.Kind = mailstore.AnswerUnsubscribe
	default:
		return Answer{}, false
	}
	if r.Kind != classify.Unsubscribe && len(r.RefersTo) == 0 {
		return Answer{}, false
	}
	return a, true
}
