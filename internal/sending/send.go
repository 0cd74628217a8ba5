package sending

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// The send of one message, exactly once. Three transactions around one
// SMTP transaction:
//
//  1. claim: every rule is checked (the sequence may still send, the
//     campaign runs, the address is not suppressed, the window is open, the
//     campaign and the mailbox are under their caps, the mailbox's gap has
//     passed), the mailbox's next gap is reserved, and the message moves to
//     sending. This commits before any byte goes to the server.
//  2. the SMTP transaction, outside any database transaction.
//  3. settle: what the server answered is recorded (sent with its
//     Message-ID, bounced, retried, the mailbox paused, uncertain).
//
// A crash between 1 and 3 leaves the message sending; the job runs again
// and finds it so, and since nobody can know whether the server took it,
// it becomes uncertain: never sent again unless the user says so.

// sendTimeout bounds one message's SMTP transaction.
const sendTimeout = 90 * time.Second

// Reasons shown on messages.
const (
	reasonInterrupted = "The send was interrupted after it started: the server may or may not have the message. Check the mailbox's Sent folder, then mark it sent or resend it."
	reasonSuppressed  = "The address is on your suppression list."
	reasonPaused      = "Waiting: the campaign is paused."
	reasonNoMailbox   = "Waiting: the campaign has no active mailbox. Add or resume one in its sending settings."
	reasonWindow      = "Waiting for the campaign's sending window."
	reasonGap         = "Waiting for the gap between the mailbox's sends."
)

// Send does the send job of one message: sends it if every rule allows it
// now (now: the user asked to send it at once, outside the window and the
// gap but never past a cap, a suppression or a stop). A *stage.Later
// answer asks for the job again at its time; nil means the job is done,
// whether the message went, ended, or waits for the user (a paused
// campaign or mailbox: resuming it queues the message again).
func (s *Service) Send(ctx context.Context, userID, messageID string, now bool) error {
	c, err := s.claim(ctx, userID, messageID, now)
	if err != nil || c == nil {
		return err
	}
	if err := s.crash.at(afterClaim); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	built, sendErr := s.deliver(ctx, userID, c)
	if sendErr == nil {
		if err := s.crash.at(afterAccept); err != nil {
			return err
		}
	}
	return s.settle(context.WithoutCancel(ctx), userID, c, built, sendErr)
}

// claimed is a message moved to sending, with what delivering it needs.
type claimed struct {
	msg     mailstore.Message
	seq     mailstore.OutreachSequence
	mailbox mailstore.Mailbox
	profile mailstore.SenderProfile
	sending settings.Sending
	window  Window
	// first is the sequence's first message (a follow-up threads under
	// it); nil for the first step.
	first *mailstore.Message
	at    time.Time
}

// claim checks every rule for sending messageID now and, when all pass,
// moves it to sending and commits. nil with a nil error: nothing to send.
func (s *Service) claim(ctx context.Context, userID, messageID string, now bool) (*claimed, error) {
	var c *claimed
	var later *stage.Later
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		c, later = nil, nil
		m, err := tx.Message(ctx, messageID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // deleted with its campaign
		}
		if err != nil {
			return err
		}
		switch m.Status {
		case mailstore.MessageScheduled:
		case mailstore.MessageSending:
			_, _, err := tx.EndMessage(ctx, m.ID, mailstore.MessageUncertain, reasonInterrupted)
			return err
		default:
			return nil // sent, or ended: a repeated job
		}
		g := gate{tx: tx, m: m, now: now, at: tx.Now()}
		c, later, err = g.check(ctx, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim message %s: %w", messageID, err)
	}
	if later != nil {
		return nil, later
	}
	return c, nil
}

// gate runs the rules of one claim in its transaction.
type gate struct {
	tx  Records
	m   mailstore.Message
	now bool
	at  time.Time
}

// check answers the claimed message, a time to try again, or neither (the
// message ended or waits for the user).
func (g gate) check(ctx context.Context, s *Service) (*claimed, *stage.Later, error) {
	tx, m := g.tx, g.m
	seq, err := tx.Outreach(ctx, m.SequenceID)
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(mailstore.OutreachSending, seq.Status) {
		_, _, err := tx.EndMessage(ctx, m.ID, mailstore.MessageCancelled, "The sequence is "+seq.Status+".")
		return nil, nil, err
	}
	camp, err := tx.Campaign(ctx, m.CampaignID)
	if err != nil {
		return nil, nil, err
	}
	if settings.StoredSending(camp.Sending).DailyLimit != nil {
		// The campaign's daily limit counts the sends of all its
		// mailboxes: locked, two claims cannot both take its last slot.
		// Without one, claims through different mailboxes need not wait
		// for each other (each mailbox's cap has its own lock, below).
		if camp, err = tx.CampaignForUpdate(ctx, m.CampaignID); err != nil {
			return nil, nil, err
		}
	}
	if camp.Status != store.CampaignRunning {
		return nil, nil, g.wait(ctx, reasonPaused)
	}
	suppressed, err := tx.Suppressed(ctx, m.ToEmail)
	if err != nil {
		return nil, nil, err
	}
	if suppressed {
		return nil, nil, endSequence(ctx, tx, m, mailstore.MessageCancelled, mailstore.OutreachStopped, reasonSuppressed)
	}
	profile, err := tx.SenderProfile(ctx)
	if err != nil {
		return nil, nil, err
	}
	if p := withProblems(profile); !p.Ready {
		return nil, nil, g.wait(ctx, "Waiting: "+p.Problems[0])
	}
	set := settings.StoredSending(camp.Sending)
	win, err := WindowOf(set.Schedule, profile.DefaultTimezone)
	if err != nil {
		return nil, nil, g.wait(ctx, "Waiting: the campaign's sending window cannot be used ("+err.Error()+").")
	}
	if !g.now {
		if m.ScheduledAt.After(g.at) {
			return nil, &stage.Later{At: m.ScheduledAt, Reason: "scheduled"}, nil
		}
		if !win.Contains(g.at) {
			l, err := g.delay(ctx, win.Next(g.at), reasonWindow)
			return nil, l, err
		}
	}
	if set.DailyLimit != nil {
		n, err := tx.SentFromCampaign(ctx, camp.ID, g.at.Add(-24*time.Hour))
		if err != nil {
			return nil, nil, err
		}
		if n >= *set.DailyLimit {
			oldest, err := tx.OldestSendFromCampaign(ctx, camp.ID, g.at.Add(-24*time.Hour))
			if err != nil {
				return nil, nil, err
			}
			at := g.inWindow(win, freedAt(oldest, g.at))
			l, err := g.delay(ctx, at, fmt.Sprintf("Waiting: the campaign's daily limit of %d messages is reached.", *set.DailyLimit))
			return nil, l, err
		}
	}
	mb, later, err := g.mailbox(ctx, set, win)
	if mb == nil || later != nil || err != nil {
		return nil, later, err
	}
	if !g.now && mb.NextSendAt != nil && mb.NextSendAt.After(g.at) {
		l, err := g.delay(ctx, g.inWindow(win, *mb.NextSendAt), reasonGap)
		return nil, l, err
	}
	if err := tx.ReserveSend(ctx, mb.ID, g.at.Add(s.gaps.draw(set.MinGapSeconds, set.MaxGapSeconds))); err != nil {
		return nil, nil, err
	}
	claimedMsg, ok, err := tx.ClaimMessage(ctx, m.ID, mb.ID)
	if err != nil || !ok {
		return nil, nil, err
	}
	c := &claimed{msg: claimedMsg, seq: seq, mailbox: *mb, profile: profile, sending: set, window: win, at: g.at}
	if m.Step > 1 {
		msgs, err := tx.MessagesOfSequence(ctx, seq.ID)
		if err != nil {
			return nil, nil, err
		}
		if i := slices.IndexFunc(msgs, func(x mailstore.Message) bool { return x.Step == 1 }); i >= 0 {
			c.first = &msgs[i]
		}
	}
	return c, nil, nil
}

// mailbox picks the mailbox the message goes through and locks it: a
// follow-up's own (its first step's, unless that mailbox was deleted),
// else the best of the campaign's active mailboxes (RankMailboxes) that no
// other claim holds. It answers nil
// when none can send now, with a time to try again when one will have
// room.
func (g gate) mailbox(ctx context.Context, set settings.Sending, win Window) (*mailstore.Mailbox, *stage.Later, error) {
	tx := g.tx
	ids := set.MailboxIDs
	if g.m.Step > 1 && g.m.MailboxID != nil {
		ids = []string{*g.m.MailboxID} // the same thread from the same mailbox
	}
	boxes, err := tx.MailboxesWithSends(ctx, ids, g.at.Add(-24*time.Hour))
	if err != nil {
		return nil, nil, err
	}
	rooms := make([]MailboxRoom, len(boxes))
	for i, b := range boxes {
		rooms[i] = MailboxRoom{Mailbox: b.Mailbox, SentLast24h: b.Sent}
	}
	if !slices.ContainsFunc(rooms, func(r MailboxRoom) bool { return r.Mailbox.Status == mailstore.MailboxActive }) {
		reason := reasonNoMailbox
		if len(rooms) == 1 && g.m.Step > 1 {
			reason = "Waiting: the mailbox of this thread (" + rooms[0].Mailbox.Email + ") is paused."
		}
		return nil, nil, g.wait(ctx, reason)
	}
	ranked := RankMailboxes(rooms, g.at)
	if len(ranked) == 0 {
		at, err := g.nextRoom(ctx, rooms)
		if err != nil {
			return nil, nil, err
		}
		l, err := g.delay(ctx, g.inWindow(win, at), "Waiting: the campaign's mailboxes have reached their daily caps.")
		return nil, l, err
	}
	mb, err := g.lockMailbox(ctx, ranked)
	if err != nil {
		return nil, nil, err
	}
	// Look again under the lock: between the read and the lock the user
	// may have paused it, or another worker taken its last slot.
	if mb.Status != mailstore.MailboxActive {
		return nil, &stage.Later{At: g.at.Add(time.Second), Reason: "mailbox paused"}, nil
	}
	n, err := tx.SentFromMailbox(ctx, mb.ID, g.at.Add(-24*time.Hour))
	if err != nil {
		return nil, nil, err
	}
	if n >= DailyCap(mb, g.at) {
		return nil, &stage.Later{At: g.at.Add(time.Second), Reason: "mailbox taken"}, nil
	}
	return &mb, nil, nil
}

// lockMailbox locks the first of ranked that no other claim holds, so that
// concurrent claims, which all see the same counts and so rank alike, send
// through different mailboxes instead of queueing behind the best one's
// lock; when every one is held it waits for the best.
func (g gate) lockMailbox(ctx context.Context, ranked []mailstore.Mailbox) (mailstore.Mailbox, error) {
	for _, m := range ranked {
		mb, ok, err := g.tx.TryMailboxForUpdate(ctx, m.ID)
		if err != nil || ok {
			return mb, err
		}
	}
	return g.tx.MailboxForUpdate(ctx, ranked[0].ID)
}

// nextRoom is the earliest time one of the active mailboxes has room.
func (g gate) nextRoom(ctx context.Context, rooms []MailboxRoom) (time.Time, error) {
	var earliest time.Time
	for _, r := range rooms {
		if r.Mailbox.Status != mailstore.MailboxActive {
			continue
		}
		oldest, err := g.tx.OldestSendFromMailbox(ctx, r.Mailbox.ID, g.at.Add(-24*time.Hour))
		if err != nil {
			return time.Time{}, err
		}
		at := freedAt(oldest, g.at)
		if next, ok := nextWarmupStep(r.Mailbox, g.at); ok && next.Before(at) {
			at = next
		}
		if earliest.IsZero() || at.Before(earliest) {
			earliest = at
		}
	}
	return earliest, nil
}

// freedAt is when a send counted at now (the oldest of a capped sender's
// last 24 hours) stops counting: 24 hours after it, or in a minute when
// there is none to wait for.
func freedAt(oldest, now time.Time) time.Time {
	if oldest.IsZero() {
		return now.Add(time.Minute)
	}
	return oldest.Add(24*time.Hour + time.Second)
}

// inWindow moves t into the window, unless the user asked to send now.
func (g gate) inWindow(w Window, t time.Time) time.Time {
	if g.now {
		return t
	}
	return w.Next(t)
}

// delay moves the message to at with the reason it waits, and asks for the
// job again then.
func (g gate) delay(ctx context.Context, at time.Time, reason string) (*stage.Later, error) {
	if _, _, err := g.tx.DelayMessage(ctx, g.m.ID, at, &reason); err != nil {
		return nil, err
	}
	return &stage.Later{At: at, Reason: reason}, nil
}

// wait records why the message waits for the user; the job ends, and what
// the user does (resuming the campaign or a mailbox, completing the sender
// profile) queues it again.
func (g gate) wait(ctx context.Context, reason string) error {
	_, _, err := g.tx.DelayMessage(ctx, g.m.ID, g.m.ScheduledAt, &reason)
	return err
}

// endSequence ends a message and its sequence with the same reason, and
// cancels the sequence's other scheduled messages.
func endSequence(ctx context.Context, tx Records, m mailstore.Message, msgStatus, seqStatus, reason string) error {
	if _, _, err := tx.EndMessage(ctx, m.ID, msgStatus, reason); err != nil {
		return err
	}
	if _, err := tx.SetOutreachStatus(ctx, m.SequenceID, mailstore.OutreachSending, seqStatus, &reason); err != nil {
		return err
	}
	_, err := tx.CancelScheduledOf(ctx, m.SequenceID, reason)
	return err
}

// logSend records what became of a send, by ids only: no address, no text.
func (s *Service) logSend(ctx context.Context, c *claimed, outcome string, err error) {
	attrs := []any{slog.String("message_id", c.msg.ID), slog.String("mailbox_id", c.mailbox.ID), slog.String("outcome", outcome)}
	if err != nil {
		attrs = append(attrs, slog.String("kind", mail.KindOf(err).String()))
	}
	s.log.InfoContext(ctx, "send", attrs...)
}
