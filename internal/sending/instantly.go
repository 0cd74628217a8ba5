package sending

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/providers/instantly"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Sending through Instantly. A campaign whose provider is instantly has
// one Instantly campaign, made by its first sync, whose steps are merge
// tags; each approved sequence becomes one lead carrying its own subjects
// and bodies (with the signature, the postal address and an unsubscribe
// link, as mail sent by SMTP has). Instantly then sends on its schedule.
//
// A sync brings Instantly level with Prospector: it creates the campaign
// (once: its id is saved before anything else), registers the user's
// webhook, pushes the approved sequences not yet pushed (a sequence
// becomes scheduled once Instantly has it; a repeated push is skipped by
// Instantly, skip_if_in_campaign), and mirrors the campaign's status
// (running → active, anything else → paused). One sync at a time per
// campaign holds a lease; a sync that finds it taken runs again later.
// Approvals, starts, pauses and settings changes queue a sync.

// syncLease bounds how long a sync may hold its campaign before another
// may take over (a crashed process never gives its lease back).
const syncLease = 10 * time.Minute

// syncBusyWait is when a sync that found the lease taken tries again.
const syncBusyWait = 30 * time.Second

// Instantly's campaign statuses as mirrored.
const (
	mirroredActive = "active"
	mirroredPaused = "paused"
)

// instantlySync is what one sync read in its first transaction.
type instantlySync struct {
	state mailstore.InstantlySync
	key   string
	set   settings.Sending
	name  string
	// sendDays are the days of each step (0, 3, 7 by default).
	sendDays []int
	running  bool
	// paused: the user paused the campaign (or never started it); a
	// completed one leaves Instantly sending what it has.
	paused  bool
	ready   bool
	profile mailstore.SenderProfile
	leads   []pendingLead
}

// pendingLead is one approved sequence to push.
type pendingLead struct {
	sequenceID string
	lead       instantly.Lead
}

// SyncInstantly brings Instantly level with one campaign of userID's (the
// sync job). Answers Instantly refuses for good (a wrong key, no plan, a
// rejected campaign) are recorded for the campaign's sending problems and
// end the job; others are recorded and returned, so the job is retried.
func (s *Service) SyncInstantly(ctx context.Context, userID, campaignID string) error {
	if s.mail.Instantly == nil {
		return nil // off: the campaign's readiness says so
	}
	in, busy, err := s.leaseSync(ctx, userID, campaignID)
	if err != nil || in == nil {
		return err
	}
	if busy {
		return &stage.Later{At: time.Now().Add(syncBusyWait), Reason: "another sync of this campaign is running"}
	}
	mirrored, syncErr := s.pushToInstantly(ctx, userID, campaignID, in)
	lastError := ""
	if syncErr != nil {
		lastError = syncErr.Error()
		s.log.WarnContext(ctx, "instantly sync failed", "campaign_id", campaignID, "error", syncErr)
	}
	err = records(s.store).Write(context.WithoutCancel(ctx), userID, func(tx Records) error {
		return tx.EndInstantlySync(ctx, campaignID, mirrored, lastError)
	})
	if err != nil {
		return fmt.Errorf("instantly sync %s: %w", campaignID, err)
	}
	if syncErr != nil && !permanent(syncErr) {
		return fmt.Errorf("instantly sync %s: %w", campaignID, syncErr)
	}
	return nil
}

// permanent reports whether Instantly's answer will not change by asking
// again: the user must act (the error is shown to them).
func permanent(err error) bool {
	for _, reason := range []error{instantly.ErrNoAPIKey, instantly.ErrUnauthorized, instantly.ErrPaymentRequired,
		instantly.ErrForbidden, instantly.ErrInvalid, instantly.ErrNotFound} {
		if errors.Is(err, reason) {
			return true
		}
	}
	return false
}

// leaseSync takes the campaign's lease and reads what the sync needs: nil
// when there is nothing to do (the campaign is gone or sends by SMTP),
// busy when another sync holds the lease.
func (s *Service) leaseSync(ctx context.Context, userID, campaignID string) (in *instantlySync, busy bool, err error) {
	err = records(s.store).Write(ctx, userID, func(tx Records) error {
		c, err := tx.Campaign(ctx, campaignID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		set := settings.StoredSending(c.Sending)
		if set.Provider != settings.ProviderInstantly {
			return nil
		}
		state, ok, err := tx.LeaseInstantlySync(ctx, campaignID, tx.Now().Add(syncLease))
		if err != nil || !ok {
			busy = !ok
			return err
		}
		r := &instantlySync{state: state, set: set, name: c.Name, running: c.Status == store.CampaignRunning,
			paused:   c.Status != store.CampaignRunning && c.Status != store.CampaignCompleted,
			sendDays: settings.StoredTargeting(c.TargetCriteria).Delays()}
		if r.key, err = s.instantlyKey(ctx, tx); err != nil {
			return err
		}
		if r.profile, err = tx.SenderProfile(ctx); err != nil {
			return err
		}
		r.ready = CampaignReadiness(CampaignSetup{Profile: r.profile, Sending: set, InstantlyKey: r.key != ""}).Ready
		if r.ready && r.running {
			if r.leads, err = s.pendingLeads(ctx, tx, userID, campaignID, r.profile); err != nil {
				return err
			}
		}
		in = r
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("instantly sync %s: %w", campaignID, err)
	}
	return in, busy, nil
}

// instantlyKey is the key the sync calls Instantly with: the user's own
// (BYOK), else the server's; "" when there is none.
func (s *Service) instantlyKey(ctx context.Context, tx Records) (string, error) {
	sealed, err := tx.APIKey(ctx, keys.Instantly)
	if errors.Is(err, store.ErrNotFound) {
		if s.mail.Instantly.HasKey() {
			return "server", nil // the client's own key; see client()
		}
		return "", nil
	}
	if err != nil {
		return "", err
	}
	key, err := s.box.Open(tx.UserID(), sealed)
	if err != nil {
		return "", fmt.Errorf("open instantly key: %w", err)
	}
	return key, nil
}

// client is the Instantly client for key as instantlyKey answered it.
func (s *Service) client(key string) *instantly.Client {
	if key == "server" {
		return s.mail.Instantly
	}
	return s.mail.Instantly.WithKey(key)
}

// pendingLeads reads the campaign's approved sequences not yet pushed, as
// Instantly leads. A sequence to a suppressed address, or whose contact
// lost its address, is stopped with the reason instead.
func (s *Service) pendingLeads(ctx context.Context, tx Records, userID, campaignID string, profile mailstore.SenderProfile) ([]pendingLead, error) {
	seqs, err := tx.ApprovedUnscheduled(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	var out []pendingLead
	for _, seq := range seqs {
		email, err := ContactEmail(ctx, tx, seq)
		if err != nil {
			return nil, err
		}
		if email == "" {
			if _, err := stopApproved(ctx, tx, seq, reasonNoAddress); err != nil {
				return nil, err
			}
			continue
		}
		suppressed, err := tx.Suppressed(ctx, email)
		if err != nil {
			return nil, err
		}
		if suppressed {
			if _, err := stopApproved(ctx, tx, seq, reasonSuppressed); err != nil {
				return nil, err
			}
			continue
		}
		lead, err := s.leadOf(ctx, tx, userID, seq, email, profile)
		if err != nil {
			return nil, fmt.Errorf("sequence %s: %w", seq.ID, err)
		}
		out = append(out, pendingLead{sequenceID: seq.ID, lead: lead})
	}
	return out, nil
}

// leadOf is seq as an Instantly lead: the contact and the company, and
// each step's subject and body with the footer every message carries.
func (s *Service) leadOf(ctx context.Context, tx Records, userID string, seq mailstore.OutreachSequence, email string, profile mailstore.SenderProfile) (instantly.Lead, error) {
	var steps []outreach.Step
	if err := json.Unmarshal(seq.Emails, &steps); err != nil || len(steps) == 0 {
		return instantly.Lead{}, fmt.Errorf("read steps: %v", err)
	}
	unsubscribe, err := s.SequenceUnsubscribeURL(userID, seq.ID)
	if err != nil {
		return instantly.Lead{}, err
	}
	lead := instantly.Lead{Email: email}
	if p, err := tx.Prospect(ctx, seq.ProspectID); err == nil {
		lead.CompanyName = p.CompanyName
		lead.Website = store.OrEmpty(p.Website)
	} else if !errors.Is(err, store.ErrNotFound) {
		return instantly.Lead{}, err
	}
	if contacts, err := tx.ContactsOf(ctx, seq.ProspectID); err == nil {
		for _, c := range contacts {
			if c.ID == seq.ContactID {
				lead.FirstName, lead.LastName = store.OrEmpty(c.FirstName), store.OrEmpty(c.LastName)
			}
		}
	} else {
		return instantly.Lead{}, err
	}
	for _, st := range steps {
		body := mail.TextWithFooter(mail.Message{Body: st.Body, Signature: profile.Signature,
			PostalAddress: profile.PostalAddress, UnsubscribeURL: unsubscribe})
		lead.Steps = append(lead.Steps, instantly.Email{Subject: st.Subject, Body: strings.TrimRight(body, "\n")})
	}
	return lead, nil
}

// pushToInstantly does the sync's calls and answers the status it leaves
// Instantly's campaign in.
func (s *Service) pushToInstantly(ctx context.Context, userID, campaignID string, in *instantlySync) (string, error) {
	mirrored := in.state.Mirrored
	if in.key == "" || !in.ready {
		return mirrored, nil // the campaign's readiness says what is missing
	}
	client := s.client(in.key)
	id := in.state.InstantlyID
	if id == "" {
		if !in.running {
			return mirrored, nil // made when the campaign first runs
		}
		var err error
		if id, err = s.createInstantlyCampaign(ctx, client, userID, campaignID, in); err != nil {
			return mirrored, err
		}
	}
	if len(in.leads) > 0 {
		if err := s.pushLeads(ctx, client, userID, id, in.leads); err != nil {
			return mirrored, err
		}
	}
	switch {
	case in.running && mirrored != mirroredActive:
		if _, err := client.ActivateCampaign(ctx, id); err != nil {
			return mirrored, err
		}
		return mirroredActive, nil
	case in.paused && mirrored == mirroredActive:
		if _, err := client.PauseCampaign(ctx, id); err != nil {
			return mirrored, err
		}
		return mirroredPaused, nil
	}
	return mirrored, nil
}

// createInstantlyCampaign makes the Instantly campaign and saves its id at
// once (a later failure must not make a second), then registers the
// user's webhook.
func (s *Service) createInstantlyCampaign(ctx context.Context, client *instantly.Client, userID, campaignID string, in *instantlySync) (string, error) {
	win := in.set.Schedule
	tz := in.profile.DefaultTimezone
	if win.Timezone != nil {
		tz = *win.Timezone
	}
	limit := 0
	if in.set.DailyLimit != nil {
		limit = *in.set.DailyLimit
	}
	c, err := client.CreateCampaign(ctx, instantly.CampaignParams{
		Name: in.name, Accounts: in.set.InstantlyAccounts, Timezone: tz, Days: win.Days, Start: win.Start, End: win.End,
		SendDays: in.sendDays, DailyLimit: limit, MinGapSeconds: in.set.MinGapSeconds, MaxGapSeconds: in.set.MaxGapSeconds,
		StopOnReply: in.set.StopOnReply, StopForCompany: in.set.StopForCompany,
		TrackOpens: in.set.TrackOpens, TrackClicks: in.set.TrackClicks, TextOnly: !in.set.TrackOpens && !in.set.TrackClicks,
	})
	if err != nil {
		return "", err
	}
	err = records(s.store).Write(context.WithoutCancel(ctx), userID, func(tx Records) error {
		return tx.SetInstantlyID(ctx, campaignID, c.ID)
	})
	if err != nil {
		return "", fmt.Errorf("save instantly campaign: %w", err)
	}
	secret, err := s.mail.Links.Make(signedlink.InstantlyWebhook, userID)
	if err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	if _, _, err := client.EnsureWebhook(ctx, instantly.WebhookParams{
		TargetURL: strings.TrimRight(s.mail.PublicURL, "/") + "/api/webhooks/instantly", Secret: secret}); err != nil {
		return "", err
	}
	return c.ID, nil
}

// pushLeads adds leads to Instantly's campaign id, a thousand a request,
// and marks each batch's sequences scheduled as soon as Instantly has
// them, so a failure later pushes only the rest.
func (s *Service) pushLeads(ctx context.Context, client *instantly.Client, userID, id string, leads []pendingLead) error {
	for start := 0; start < len(leads); start += instantly.MaxLeadsPerRequest {
		batch := leads[start:min(start+instantly.MaxLeadsPerRequest, len(leads))]
		req := make([]instantly.Lead, len(batch))
		for i, l := range batch {
			req[i] = l.lead
		}
		res, err := client.AddLeads(ctx, id, req)
		if err != nil {
			return err
		}
		// Instantly names the leads it created. The others it skipped as
		// already in the campaign (a push whose answer was lost: they are
		// Instantly's all the same) or refused (its blocklist, an address
		// it finds invalid); the counts cannot tell which lead is which,
		// so only when every one was a skip are they taken as pushed.
		allSkips := len(batch)-len(res.IDs) == res.Skipped
		err = records(s.store).Write(context.WithoutCancel(ctx), userID, func(tx Records) error {
			for _, l := range batch {
				id, created := res.IDs[l.lead.Email]
				if !created && !allSkips {
					seq := mailstore.OutreachSequence{ID: l.sequenceID}
					if _, err := stopApproved(ctx, tx, seq, refusedByInstantly(res)); err != nil {
						return err
					}
					continue
				}
				if _, err := tx.MarkPushed(ctx, l.sequenceID, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("mark pushed: %w", err)
		}
	}
	return nil
}

// refusedByInstantly is the reason of a sequence Instantly did not take.
func refusedByInstantly(res instantly.AddLeadsResult) string {
	return fmt.Sprintf("Instantly did not take this lead (of the batch: %d on its blocklist, %d invalid addresses, %d incomplete, %d duplicates, %d skipped).",
		res.InBlocklist, res.InvalidEmail, res.Incomplete, res.Duplicated+res.DuplicateEmail, res.Skipped)
}
