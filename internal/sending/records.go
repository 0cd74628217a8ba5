package sending

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Records is what sending needs of the store (store.View explains why).
type Records interface {
	store.Handle // handed to the job queue

	APIKey(ctx context.Context, service string) (string, error)
	EndInstantlySync(ctx context.Context, campaignID, mirrored, lastError string) error
	InstantlySyncOf(ctx context.Context, campaignID string) (mailstore.InstantlySync, error)
	LeaseInstantlySync(ctx context.Context, campaignID string, until time.Time) (mailstore.InstantlySync, bool, error)
	MarkPushed(ctx context.Context, sequenceID, leadID string) (bool, error)
	Prospect(ctx context.Context, id string) (store.Prospect, error)
	SetInstantlyID(ctx context.Context, campaignID, instantlyID string) error
	AddEvent(ctx context.Context, m mailstore.Message, typ string, detail *string) error
	AddAnswerEvent(ctx context.Context, m mailstore.Message, typ, answer, key string, at time.Time, detail *string) (bool, error)
	Profile(ctx context.Context) (store.Profile, error)
	AddReceipt(ctx context.Context, source, key, eventType string) (bool, error)
	CampaignOfInstantly(ctx context.Context, instantlyID string) (string, error)
	MarkProviderSent(ctx context.Context, id, providerID string, at time.Time) (mailstore.Message, bool, error)
	MessageOfStep(ctx context.Context, sequenceID string, step int) (mailstore.Message, error)
	SequenceToLead(ctx context.Context, campaignID, email string) (mailstore.OutreachSequence, error)
	AddCampaignCounters(ctx context.Context, id string, add store.CampaignCounters) error
	BounceMessage(ctx context.Context, id, reason string) (mailstore.Message, bool, error)
	CompanySequences(ctx context.Context, prospectID, domain, exceptID string) ([]mailstore.OutreachSequence, error)
	EndIMAPPoll(ctx context.Context, mailboxID, lease string, o mailstore.IMAPOutcome) error
	LastMessageTo(ctx context.Context, email, mailboxID string) (mailstore.Message, error)
	LeaseIMAP(ctx context.Context, mailboxID, lease string, until time.Time) (mailstore.IMAPPoll, bool, error)
	MarkReplied(ctx context.Context, m mailstore.Message) (mailstore.Message, error)
	MessageByMessageID(ctx context.Context, id string) (mailstore.Message, error)
	RecentAnswersTo(ctx context.Context, email string, limit int) ([]string, error)
	SaveIMAPCursor(ctx context.Context, mailboxID, lease string, uidValidity, lastUID uint32) (bool, error)
	AddEngagement(ctx context.Context, m mailstore.Message, typ string, machine bool, detail *string) (mailstore.Message, error)
	ListEvents(ctx context.Context, f mailstore.EventFilter, page store.Page) ([]mailstore.Event, string, error)
	AdvanceProspect(ctx context.Context, id string, from []string, to string) (bool, error)
	ApprovedUnscheduled(ctx context.Context, campaignID string) ([]mailstore.OutreachSequence, error)
	Campaign(ctx context.Context, id string) (store.Campaign, error)
	CampaignForUpdate(ctx context.Context, id string) (store.Campaign, error)
	CancelScheduledOf(ctx context.Context, sequenceID, reason string) (int, error)
	ClaimMessage(ctx context.Context, id, mailboxID string) (mailstore.Message, bool, error)
	ContactsOf(ctx context.Context, prospectID string) ([]store.Contact, error)
	DelayMessage(ctx context.Context, id string, at time.Time, reason *string) (mailstore.Message, bool, error)
	EndMessage(ctx context.Context, id, status, reason string) (mailstore.Message, bool, error)
	ListCampaigns(ctx context.Context, page store.Page) ([]store.Campaign, string, error)
	EventsOf(ctx context.Context, messageID string) ([]mailstore.Event, error)
	ListMessages(ctx context.Context, f mailstore.MessageFilter, page store.Page) ([]mailstore.Message, string, error)
	MailboxForUpdate(ctx context.Context, id string) (mailstore.Mailbox, error)
	TryMailboxForUpdate(ctx context.Context, id string) (mailstore.Mailbox, bool, error)
	MailboxesWithSends(ctx context.Context, ids []string, since time.Time) ([]mailstore.MailboxSends, error)
	MailboxTallies(ctx context.Context, now time.Time) (map[string]mailstore.MailboxTally, error)
	MarkMessageSent(ctx context.Context, id, messageID string) (mailstore.Message, bool, error)
	MessagesOfSequence(ctx context.Context, sequenceID string) ([]mailstore.Message, error)
	Now() time.Time
	OldestSendFromCampaign(ctx context.Context, campaignID string, since time.Time) (time.Time, error)
	OldestSendFromMailbox(ctx context.Context, mailboxID string, since time.Time) (time.Time, error)
	Outreach(ctx context.Context, id string) (mailstore.OutreachSequence, error)
	ReserveSend(ctx context.Context, mailboxID string, next time.Time) error
	ResolveMessage(ctx context.Context, id string, sent bool, at time.Time) (mailstore.Message, bool, error)
	RetryMessage(ctx context.Context, id string, at time.Time, reason string, temporary, clearMailbox bool) (mailstore.Message, bool, error)
	ScheduleMessage(ctx context.Context, m mailstore.NewMessage) (mailstore.Message, bool, error)
	ScheduledMessages(ctx context.Context, campaignID, mailboxID string) ([]mailstore.ScheduledMessage, error)
	SentFromCampaign(ctx context.Context, campaignID string, since time.Time) (int, error)
	SentFromMailbox(ctx context.Context, mailboxID string, since time.Time) (int, error)
	SetCampaignStatus(ctx context.Context, id, status string, reason *string) (store.Campaign, error)
	SetContactEmailStatus(ctx context.Context, contactID, status string) error
	SetOutreachStatus(ctx context.Context, id string, from []string, to string, reason *string) (bool, error)
	Suppressed(ctx context.Context, email string) (bool, error)
	AddSuppression(ctx context.Context, email, domain, reason string) (s mailstore.Suppression, created bool, err error)
	CancelScheduledTo(ctx context.Context, email, reason string) (int, error)
	CreateMailbox(ctx context.Context, m mailstore.Mailbox) (mailstore.Mailbox, error)
	DeleteMailbox(ctx context.Context, id string) error
	DeleteSuppression(ctx context.Context, id string) error
	ListMailboxes(ctx context.Context, page store.Page) ([]mailstore.Mailbox, string, error)
	ListSuppressions(ctx context.Context, query string, page store.Page) ([]mailstore.Suppression, string, error)
	Mailbox(ctx context.Context, id string) (mailstore.Mailbox, error)
	Message(ctx context.Context, id string) (mailstore.Message, error)
	PutSenderProfile(ctx context.Context, p mailstore.SenderProfile) (mailstore.SenderProfile, error)
	SenderProfile(ctx context.Context) (mailstore.SenderProfile, error)
	SetMailboxStatus(ctx context.Context, id, status string, reason *string) (mailstore.Mailbox, error)
	UpdateMailbox(ctx context.Context, m mailstore.Mailbox) (mailstore.Mailbox, error)
}

// RecordsOf is st as sending sees it; package tracking, whose answers set
// off sending's rules (EndBouncedAddress, Unsubscribed), reads it so too.
func RecordsOf(st *store.Store) store.View[Records] { return records(st) }

// records narrows st; returning tx as Records is the compile-time check.
func records(st *store.Store) store.View[Records] {
	return store.NewView(st, func(tx *store.Tx) Records { return tx })
}
