package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
)

// link is one stage of the chain: the job that runs it, where and for how
// long, and the stage its prospects go to next.
type link struct {
	Stage stage.Name
	Job   jobType
	// Queue and Attempts are the stage's jobs' River queue and retries.
	Queue    string
	Attempts int
	Timeout  time.Duration
	// PerCampaign bounds each campaign's share of the stage's workers
	// (Config.EnrichPerCampaign); the job then carries its campaign.
	PerCampaign bool
	// Next is the stage its prospects are handed to; "" when nothing
	// follows automatically.
	Next stage.Name
	// Work picks the stage's work out of the stages the app built.
	Work func(s Stages, log *slog.Logger) Work
}

// chain is the pipeline, declared once; the package doc shows it as a
// table. A new stage (sending, after the user approves a draft) is one more
// line here, one argument type in jobs.go and one field of Stages.
func chain() []link {
	return []link{
		// One discovery per start, no unique-job rule: the campaign's status
		// guards against a second concurrent run (a running campaign cannot
		// be started), and a rule would wrongly skip a restart inserted
		// between a run finishing and River marking its job completed.
		// Every source's pages with their retries and waits: Overpass
		// takes up to 75 s a query, and rate limits ask for minutes.
		{Stage: stage.Discover, Job: jobOf[DiscoveryArgs](), Queue: river.QueueDefault, Attempts: 5, Timeout: 10 * time.Minute,
			Next: stage.Enrich, Work: discoverWork},
		// Up to five page fetches (10 s each), PageSpeed (90 s), Hunter's
		// finder and verifier (30 s and 35 s), and the analyst's research.
		{Stage: stage.Enrich, Job: jobOf[EnrichArgs](), Queue: QueueEnrich, Attempts: 4, Timeout: 5 * time.Minute, PerCampaign: true,
			Next: stage.Score, Work: func(s Stages, _ *slog.Logger) Work { return prospectWork(s.Enrich) }},
		// The optional analyst call with its retries (3 minutes in all).
		{Stage: stage.Score, Job: jobOf[ScoreArgs](), Queue: river.QueueDefault, Attempts: 4, Timeout: 4 * time.Minute,
			Next: stage.Generate, Work: func(s Stages, _ *slog.Logger) Work { return prospectWork(s.Score) }},
		// The writer call and a repair call (3 minutes each at most), and
		// the template fallback. The draft then waits for the user's review.
		{Stage: stage.Generate, Job: jobOf[GenerateArgs](), Queue: QueueGenerate, Attempts: 4, Timeout: 7 * time.Minute,
			Work: func(s Stages, _ *slog.Logger) Work { return prospectWork(s.Generate) }},
		// One message's send, when the user approved its sequence: three
		// short transactions around one SMTP transaction (90 s at most).
		// Waiting for its window, gap or cap is not an attempt; a failed
		// attempt is a database error, and the message's status makes a
		// repeated send find it sent (or uncertain), never send it again.
		{Stage: stage.Send, Job: jobOf[SendArgs](), Queue: QueueSend, Attempts: 10, Timeout: 2 * time.Minute,
			Work: sendWork},
		// One campaign's sync with Instantly: a create, the webhook, a
		// request per thousand leads and an activation, each bounded by the
		// client (30 s, retried on 429 and 5xx).
		{Stage: stage.Sync, Job: jobOf[SyncArgs](), Queue: QueueSend, Attempts: 8, Timeout: 5 * time.Minute,
			Work: func(s Stages, _ *slog.Logger) Work { return campaignWork(s.Sync) }},
	}
}

// defaultJobTimeout bounds a job whose kind has no timeout of its own (the
// periodic purge).
const defaultJobTimeout = time.Minute

// rescueStuckJobsAfter is how long a job may be running before River's
// rescuer takes it for one whose process died and queues it again: just
// above the longest stage's timeout, since the rescuer cannot tell a dead
// job from a slow one (River also waits for each job's own timeout). Before
// this was set, River's default made a crash cost a campaign 70 minutes.
func rescueStuckJobsAfter(chain []link) time.Duration {
	longest := defaultJobTimeout
	for _, l := range chain {
		longest = max(longest, l.Timeout)
	}
	return longest + time.Minute
}

// Queues with their own concurrency: enrichment's apart from discovery's,
// and drafting's as the cap on simultaneous writer-model calls.
const (
	QueueEnrich   = "enrich"
	QueueGenerate = "generate"
	// QueueSend is sending's, so a slow mail server never holds up the
	// pipeline's workers, nor they the mail.
	QueueSend = "send"
)

// Stages are the domain types doing each stage's work, built by the app
// with their handoffs (Queue.Handoff) and given to Queue.Attach.
type Stages struct {
	Discover CampaignWork
	Enrich   ProspectWork
	Score    ProspectWork
	Generate ProspectWork
	Send     SendWork
	Sync     SyncWork
	// ReadInbox reads one mailbox's inbox for answers; nil leaves the
	// inboxes unread (no periodic job).
	ReadInbox ReadInboxWork
	// ResetCredits, when set, runs periodically: the monthly credit reset
	// of free accounts (billing.Service.ResetDue).
	ResetCredits ResetCreditsWork
}

// SyncWork brings Instantly level with one campaign;
// sending.Service.SyncInstantly has this shape.
type SyncWork func(ctx context.Context, userID, campaignID string) error

func campaignWork(f SyncWork) Work {
	if f == nil {
		return nil
	}
	return func(ctx context.Context, t Target) error { return f(ctx, t.UserID, t.CampaignID) }
}

// SendWork sends one message, now when the user asked; sending.Service.Send
// has this shape. A *stage.Later answer runs the job again at its time.
type SendWork func(ctx context.Context, userID, messageID string, now bool) error

func sendWork(s Stages, _ *slog.Logger) Work {
	if s.Send == nil {
		return nil
	}
	return func(ctx context.Context, t Target) error { return s.Send(ctx, t.UserID, t.MessageID, t.Manual) }
}

// CampaignWork runs one campaign's discovery; discovery.Runner.Run has this
// shape.
type CampaignWork func(ctx context.Context, userID, campaignID string) (discovery.Outcome, error)

// ProspectWork does one stage's work for one prospect; the stages' methods
// (enrich.Enricher.Enrich, scoring.Qualifier.Score,
// outreach.Generator.Generate) have this shape.
type ProspectWork func(ctx context.Context, userID, prospectID string, manual bool) error

func prospectWork(f ProspectWork) Work {
	if f == nil {
		return nil
	}
	return func(ctx context.Context, t Target) error { return f(ctx, t.UserID, t.ProspectID, t.Manual) }
}

func discoverWork(s Stages, log *slog.Logger) Work {
	if s.Discover == nil {
		return nil
	}
	return func(ctx context.Context, t Target) error {
		outcome, err := s.Discover(ctx, t.UserID, t.CampaignID)
		if err != nil {
			return err
		}
		log.InfoContext(ctx, "discovery finished", slog.String("campaign_id", t.CampaignID), slog.String("outcome", string(outcome)))
		return nil
	}
}

// link returns the chain's link of a stage.
func (q *Queue) link(name stage.Name) (link, bool) {
	for _, l := range q.chain {
		if l.Stage == name {
			return l, true
		}
	}
	return link{}, false
}

// Handoff is the chain as stage from sees it: Next queues the stage after
// it. It panics for a stage not in the chain, a programming error caught at
// start.
func (q *Queue) Handoff(from stage.Name) stage.Handoff {
	l, ok := q.link(from)
	if !ok {
		panic(fmt.Sprintf("pipeline: stage %q is not in the chain", from))
	}
	return handoff{q: q, from: from, next: l.Next}
}

type handoff struct {
	q    *Queue
	from stage.Name
	next stage.Name
}

func (h handoff) Next(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error {
	if len(prospectIDs) == 0 {
		return nil
	}
	if h.next == "" {
		return fmt.Errorf("hand off from %s: nothing follows it in the chain", h.from)
	}
	return h.q.enqueue(ctx, tx, h.next, prospectIDs, manual)
}

// CompleteIfDone asks the store with the chain's rules: a prospect still
// waits for drafting when it is in one of the campaign's outreach tiers and
// has a contact outreach can write to. The campaign is locked before its
// targeting is read, so the tiers are those of the campaign being completed.
func (h handoff) CompleteIfDone(ctx context.Context, handle store.Handle, campaignID string) error {
	tx := store.TxOf(handle)
	c, err := tx.CampaignForUpdate(ctx, campaignID)
	if err != nil {
		return err
	}
	_, err = tx.CompleteCampaignIfDone(ctx, campaignID, store.CompletionRules{
		OutreachTiers: settings.StoredTargeting(c.TargetCriteria).OutreachTiers(),
		Reachable:     outreach.Reachable(),
	})
	return err
}

// errNotAttached is the answer of a queue used before Attach.
var errNotAttached = errors.New("the job queue has no River client yet (Attach was not called)")
