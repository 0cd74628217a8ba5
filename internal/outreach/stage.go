package outreach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/stage"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// SequenceType labels drafted cold-email sequences in outreach_sequences.
const SequenceType = "cold_email"

// Generator is the generate stage: it drafts a sequence for a qualified
// prospect's best reachable contact and moves the prospect to
// outreach_pending, where it waits for the user's review.
type Generator struct {
	store   *store.Store
	logger  *slog.Logger
	handoff stage.Handoff
	writer  *Writer
}

// GeneratorConfig is what a Generator needs; Store, Logger and Handoff are
// required.
type GeneratorConfig struct {
	Store  *store.Store
	Logger *slog.Logger
	// Handoff completes the campaign once the last draft is saved. Nothing
	// follows drafting automatically: the draft waits for the user.
	Handoff stage.Handoff
	// Writer drafts with the writer model; with no LLM (no key), or when
	// the model fails, the template engine writes the draft instead.
	Writer *Writer
}

// NewGenerator checks cfg and builds the generate stage.
func NewGenerator(cfg GeneratorConfig) (*Generator, error) {
	if cfg.Store == nil || cfg.Logger == nil || cfg.Handoff == nil {
		return nil, errors.New("generator: Store, Logger and Handoff are required")
	}
	return &Generator{store: cfg.Store, logger: cfg.Logger, handoff: cfg.Handoff, writer: cfg.Writer}, nil
}

// Generate drafts one prospect's sequence. Pipeline drafting (manual false)
// waits while the campaign is not running and runs once per prospect; a
// user's request replaces the open draft (never an approved sequence).
func (g *Generator) Generate(ctx context.Context, userID, prospectID string, manual bool) error {
	ctx = providers.WithAccount(ctx, userID)
	var facts Facts
	var targeting settings.Targeting
	var target store.Contact
	var campaignID string
	proceed := false
	err := records(g.store).Read(ctx, userID, func(tx Records) error {
		p, c, err := tx.ProspectAndCampaign(ctx, prospectID)
		if err != nil {
			return err
		}
		targeting = settings.StoredTargeting(c.TargetCriteria)
		if !stage.Due(manual, c, p, store.ProspectQualified) || !manual && (p.Tier == nil || !targeting.DraftsFor(*p.Tier)) {
			return nil // not a tier to write to, or not due
		}
		contacts, err := tx.ContactsOf(ctx, prospectID)
		if err != nil {
			return err
		}
		best := BestContact(contacts)
		if best == nil {
			return nil // nobody to write to: the prospect stays qualified
		}
		if !manual {
			existing, err := tx.OutreachOf(ctx, prospectID)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(existing, func(o mailstore.OutreachSequence) bool { return o.ContactID == best.ID }) {
				return nil // already drafted (a retried or duplicate job)
			}
		}
		e, err := tx.EnrichmentOf(ctx, prospectID)
		if err != nil {
			return err
		}
		profile, err := tx.SenderProfile(ctx)
		if err != nil {
			return err
		}
		facts, target, campaignID = FactsFrom(p, c, e, *best), *best, p.CampaignID
		facts.SenderName = profile.SenderName
		proceed = true
		return nil
	})
	if errors.Is(err, store.ErrNotFound) || err == nil && !proceed {
		return nil
	}
	if err != nil {
		return fmt.Errorf("generate %s: %w", prospectID, err)
	}

	draft := Sign(g.draft(ctx, prospectID, facts, targeting.Delays()), facts.SenderName)
	emails, err := json.Marshal(draft.Steps)
	if err != nil {
		return fmt.Errorf("generate %s: %w", prospectID, err)
	}
	checks, err := json.Marshal(draft.Checks)
	if err != nil {
		return fmt.Errorf("generate %s: %w", prospectID, err)
	}
	err = records(g.store).Write(ctx, userID, func(tx Records) error {
		_, err := tx.SaveDraft(ctx, mailstore.NewDraft{CampaignID: campaignID, ProspectID: prospectID, ContactID: target.ID,
			SequenceType: SequenceType, Subject: draft.Steps[0].Subject, Emails: emails, GeneratedBy: draft.GeneratedBy,
			PromptVersion: draft.PromptVersion, Checks: checks})
		if errors.Is(err, mailstore.ErrNotDraft) {
			return nil // approved meanwhile: the approved sequence stands
		}
		if err != nil {
			return err
		}
		if _, err := tx.AdvanceProspect(ctx, prospectID, []string{store.ProspectQualified}, store.ProspectOutreachPending); err != nil {
			return err
		}
		return g.handoff.CompleteIfDone(ctx, tx, campaignID)
	})
	if errors.Is(err, store.ErrNotFound) || store.IsConflict(err, "") {
		// Deleted while we drafted, or a concurrent job saved the draft
		// first: either way there is nothing left to do.
		return nil
	}
	if err != nil {
		return fmt.Errorf("generate %s: save: %w", prospectID, err)
	}
	return nil
}

// draft asks the writer model and falls back to the template: a prospect
// never waits on a model outage, and the draft says which wrote it.
func (g *Generator) draft(ctx context.Context, prospectID string, f Facts, delays []int) Draft {
	if g.writer == nil || g.writer.LLM == nil {
		return Template(f, delays)
	}
	d, err := g.writer.Draft(ctx, f, delays)
	if err == nil {
		return d
	}
	if ctx.Err() == nil && !errors.Is(err, agent.ErrNoKey) { // no key: Claude is off, not failing
		g.logger.WarnContext(ctx, "writer model failed; drafted from the template", "prospect_id", prospectID, "error_kind", agent.FailureKind(err))
	}
	return Template(f, delays)
}
