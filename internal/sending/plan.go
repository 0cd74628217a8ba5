package sending

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Planning: turning approved sequences into scheduled messages with their
// send jobs. Each entry point runs inside the transaction of the change
// that calls for it (an approval, a campaign starting, a mailbox
// resuming), so the messages and their jobs exist exactly when that change
// commits.

// Approved hands sequences approved in tx to sending: in a running
// campaign their first message is scheduled at once; approving in a
// completed campaign sets it running again; in a paused one the sequence
// waits for the campaign to start again.
func (s *Service) Approved(ctx context.Context, h store.Handle, seqs []mailstore.OutreachSequence) error {
	tx := asRecords(h)
	byCampaign := map[string][]mailstore.OutreachSequence{}
	var order []string
	for _, seq := range seqs {
		if seq.Status != mailstore.OutreachApproved {
			continue
		}
		if _, ok := byCampaign[seq.CampaignID]; !ok {
			order = append(order, seq.CampaignID)
		}
		byCampaign[seq.CampaignID] = append(byCampaign[seq.CampaignID], seq)
	}
	for _, id := range order {
		c, err := tx.CampaignForUpdate(ctx, id)
		if err != nil {
			return fmt.Errorf("plan sends: %w", err)
		}
		if c.Status == store.CampaignCompleted {
			if c, err = tx.SetCampaignStatus(ctx, id, store.CampaignRunning, nil); err != nil {
				return fmt.Errorf("plan sends: %w", err)
			}
		}
		if c.Status != store.CampaignRunning {
			continue
		}
		if err := s.schedule(ctx, tx, c, byCampaign[id]); err != nil {
			return err
		}
	}
	return nil
}

// SendingChanged carries on a campaign's sending after it starts, pauses
// or its sending settings change. By SMTP, in a running campaign, the
// approved sequences not yet scheduled are, and every scheduled message
// gets its send job again (the queue skips those that still have one).
// Through Instantly, in any status, a sync brings Instantly level.
func (s *Service) SendingChanged(ctx context.Context, h store.Handle, campaignID string) error {
	tx := asRecords(h)
	c, err := tx.Campaign(ctx, campaignID)
	if err != nil {
		return fmt.Errorf("sending changed: %w", err)
	}
	if settings.StoredSending(c.Sending).Provider == settings.ProviderInstantly {
		return s.jobs.EnqueueInstantlySync(ctx, tx, tx.UserID(), campaignID)
	}
	if c.Status != store.CampaignRunning {
		return nil
	}
	waiting, err := tx.ApprovedUnscheduled(ctx, campaignID)
	if err != nil {
		return fmt.Errorf("resume sending: %w", err)
	}
	if err := s.schedule(ctx, tx, c, waiting); err != nil {
		return err
	}
	return s.wake(ctx, tx, campaignID, "")
}

// resumeAll carries on every running campaign of the user in tx, after a
// change to what sending needs everywhere: the sender profile, a mailbox.
func (s *Service) resumeAll(ctx context.Context, tx Records) error {
	campaigns, _, err := tx.ListCampaigns(ctx, store.Page{})
	if err != nil {
		return fmt.Errorf("resume sending: %w", err)
	}
	for _, c := range campaigns {
		if c.Status == store.CampaignRunning {
			if err := s.SendingChanged(ctx, tx, c.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// existingMailboxes reads the mailboxes of ids that still exist.
func existingMailboxes(ctx context.Context, tx Records, ids []string) ([]mailstore.Mailbox, error) {
	var out []mailstore.Mailbox
	for _, id := range ids {
		m, err := tx.Mailbox(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// wake queues the send job of every scheduled message of a campaign, or of
// the user's ("" for every campaign), through a mailbox ("" for any).
func (s *Service) wake(ctx context.Context, tx Records, campaignID, mailboxID string) error {
	msgs, err := tx.ScheduledMessages(ctx, campaignID, mailboxID)
	if err != nil {
		return fmt.Errorf("wake sends: %w", err)
	}
	sends := make([]QueuedSend, 0, len(msgs))
	for _, m := range msgs {
		sends = append(sends, QueuedSend{MessageID: m.ID, At: m.At})
	}
	return s.jobs.EnqueueSends(ctx, tx, tx.UserID(), sends)
}

// schedule creates the first message of each sequence of campaign c at the
// first slot of its window, and queues its send. Sequences of a campaign
// that sends through Instantly are pushed there by a sync instead.
func (s *Service) schedule(ctx context.Context, tx Records, c store.Campaign, seqs []mailstore.OutreachSequence) error {
	if len(seqs) == 0 {
		return nil
	}
	set := settings.StoredSending(c.Sending)
	if set.Provider == settings.ProviderInstantly {
		return s.jobs.EnqueueInstantlySync(ctx, tx, tx.UserID(), c.ID)
	}
	profile, err := tx.SenderProfile(ctx)
	if err != nil {
		return fmt.Errorf("plan sends: %w", err)
	}
	// Until the campaign can send (a sender profile, a mailbox), its
	// sequences stay approved and the campaign says what is missing;
	// completing the setup schedules them (resumeAll).
	mailboxes, err := existingMailboxes(ctx, tx, set.MailboxIDs)
	if err != nil {
		return fmt.Errorf("plan sends: %w", err)
	}
	if !CampaignReadiness(CampaignSetup{Profile: profile, Sending: set, Mailboxes: mailboxes}).Ready {
		return nil
	}
	win, err := WindowOf(set.Schedule, profile.DefaultTimezone)
	if err != nil {
		win = alwaysOpen() // the send job says why the message waits
	}
	at := win.Next(tx.Now())
	sends := make([]QueuedSend, 0, len(seqs))
	for _, seq := range seqs {
		m, ok, err := firstMessage(ctx, tx, seq, at)
		if err != nil {
			return fmt.Errorf("plan sequence %s: %w", seq.ID, err)
		}
		if ok {
			sends = append(sends, QueuedSend{MessageID: m.ID, At: m.ScheduledAt})
		}
	}
	return s.jobs.EnqueueSends(ctx, tx, tx.UserID(), sends)
}

// firstMessage schedules the first step of seq at at, to its contact's
// address, and marks the sequence scheduled. A sequence whose contact has
// no address any more is stopped with the reason.
func firstMessage(ctx context.Context, tx Records, seq mailstore.OutreachSequence, at time.Time) (mailstore.Message, bool, error) {
	var steps []outreach.Step
	if err := json.Unmarshal(seq.Emails, &steps); err != nil || len(steps) == 0 {
		return mailstore.Message{}, false, fmt.Errorf("read steps: %v", err)
	}
	email, err := ContactEmail(ctx, tx, seq)
	if err != nil {
		return mailstore.Message{}, false, err
	}
	if email == "" {
		_, err := stopApproved(ctx, tx, seq, reasonNoAddress)
		return mailstore.Message{}, false, err
	}
	m, created, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: seq.CampaignID, SequenceID: seq.ID,
		ProspectID: seq.ProspectID, ContactID: seq.ContactID, Step: 1, ToEmail: email,
		Subject: steps[0].Subject, Body: steps[0].Body, Provider: settings.ProviderSMTP, ScheduledAt: at})
	if err != nil {
		return mailstore.Message{}, false, err
	}
	if _, err := tx.SetOutreachStatus(ctx, seq.ID, []string{mailstore.OutreachApproved}, mailstore.OutreachScheduled, nil); err != nil {
		return mailstore.Message{}, false, err
	}
	return m, created, nil
}

// reasonNoAddress ends a sequence whose contact lost its address.
const reasonNoAddress = "The contact has no email address."

// ContactEmail is the address of seq's contact, lowercased; "" when the
// contact has none any more.
func ContactEmail(ctx context.Context, tx Records, seq mailstore.OutreachSequence) (string, error) {
	contacts, err := tx.ContactsOf(ctx, seq.ProspectID)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(contacts, func(c store.Contact) bool { return c.ID == seq.ContactID })
	if i < 0 || contacts[i].Email == nil {
		return "", nil
	}
	return strings.ToLower(strings.TrimSpace(*contacts[i].Email)), nil
}

// stopApproved ends an approved sequence before anything was sent, with
// the reason.
func stopApproved(ctx context.Context, tx Records, seq mailstore.OutreachSequence, reason string) (bool, error) {
	return tx.SetOutreachStatus(ctx, seq.ID, []string{mailstore.OutreachApproved}, mailstore.OutreachStopped, &reason)
}

// asRecords opens a transaction handed over by another package as
// sending's records.
func asRecords(h store.Handle) Records { return store.TxOf(h) }
