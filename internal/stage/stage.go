// Package stage names the stages of the pipeline and says what a stage needs
// of the chain around it, so the packages that do each stage's work
// (discovery, enrich, scoring, outreach) can depend on it without importing
// the pipeline that runs them. Which stage follows which, on what job and
// queue, is declared once, in the pipeline package.
package stage

import (
	"context"
	"slices"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
)

// Name names a stage of the pipeline.
type Name string

// The stages, in the order a prospect goes through them.
const (
	Discover Name = "discover" // finds businesses for a campaign
	Enrich   Name = "enrich"   // learns about one prospect
	Score    Name = "score"    // scores and qualifies it
	Generate Name = "generate" // drafts its sequence, which then waits for the user
	Send     Name = "send"     // sends one approved message, at its time
	Sync     Name = "sync"     // brings Instantly level with a campaign that sends through it
)

// Later is the answer of a stage's work that cannot be done yet (a message
// outside its sending window, a mailbox at its cap): the chain runs the
// same job again at At, and it does not count as a failed attempt.
type Later struct {
	At     time.Time
	Reason string
}

func (l *Later) Error() string {
	return "not yet (" + l.Reason + "): again at " + l.At.Format(time.RFC3339)
}

// Handoff is the chain as one stage sees it. Both methods run inside the
// transaction that saves the stage's work, so what they queue or record
// exists exactly when that work commits. The pipeline gives each stage its
// own at construction.
type Handoff interface {
	// Next queues the next stage for prospectIDs. manual says the user
	// asked, so the next stage runs whatever the campaign's status.
	Next(ctx context.Context, tx store.Handle, prospectIDs []string, manual bool) error
	// CompleteIfDone completes the campaign once its discovery has finished
	// and no prospect waits for any stage of the chain.
	CompleteIfDone(ctx context.Context, tx store.Handle, campaignID string) error
}

// Due reports whether a stage should work on prospect p of campaign c: always
// when the user asked (manual); otherwise only while the campaign runs and p
// waits in one of the statuses the stage takes. Anything else is a paused
// campaign (Start queues the prospect again) or a duplicate job, and the
// stage skips it.
func Due(manual bool, c store.Campaign, p store.Prospect, waiting ...string) bool {
	return manual || c.Status == store.CampaignRunning && slices.Contains(waiting, p.Status)
}

// Records is what a prospect's stage (enrich, score) does with the store
// whatever its work: read the prospect with its campaign and contacts, move
// the prospect on, count it on the campaign, and hand the transaction to
// the chain. Each stage's own Records embeds it and adds its work's tables.
type Records interface {
	store.Handle

	ProspectAndCampaign(ctx context.Context, id string) (store.Prospect, store.Campaign, error)
	ContactsOf(ctx context.Context, prospectID string) ([]store.Contact, error)
	AdvanceProspect(ctx context.Context, id string, from []string, to string) (bool, error)
	AddCampaignCounters(ctx context.Context, id string, add store.CampaignCounters) error
}
