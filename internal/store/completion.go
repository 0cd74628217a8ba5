package store

import (
	"context"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// MarkDiscoveryFinished records that a campaign's discovery run is over.
func (tx *Tx) MarkDiscoveryFinished(ctx context.Context, campaignID string, finished bool) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	var at any
	if finished {
		at = tx.Now()
	}
	_, err := tx.Exec(ctx, `UPDATE campaigns SET discovery_finished_at = $3 WHERE id = $1 AND user_id = $2`, campaignID, tx.UserID(), at)
	return txn.Wrap(err, "mark discovery finished")
}

// CompletionRules are the domain's rules for when a campaign's work is
// done, which CompleteCampaignIfDone applies in SQL.
type CompletionRules struct {
	// OutreachTiers are the tiers whose qualified prospects get a draft (the
	// campaign's tiers_for_outreach).
	OutreachTiers []string
	// Reachable says which contacts a draft can be written to; a prospect
	// with none is not waiting for one.
	Reachable ContactRule
}

// CompleteCampaignIfDone moves a running campaign to completed once its
// discovery has finished and no prospect waits for a pipeline stage:
// enrichment, scoring, or drafting (a qualified prospect in one of
// rules.OutreachTiers with a contact rules.Reachable admits and no sequence
// yet).
//
// It runs after every score and generate job, so it reads no more than it
// must: the campaign's prospect counts (prospectCounts) say whether any
// prospect waits for enrichment or scoring, and whether any qualified one is
// in an outreach tier at all; only then are those qualified prospects, and
// no others, looked at for a reachable contact without a sequence.
func (tx *Tx) CompleteCampaignIfDone(ctx context.Context, campaignID string, rules CompletionRules) (bool, error) {
	if err := tx.RequireTenant(); err != nil {
		return false, err
	}
	// Stages finish in concurrent transactions. Without this lock, on
	// PostgreSQL the last two could each see the other's prospect still
	// waiting (uncommitted) and neither complete the campaign; with it the
	// second waits, and its checks below (fresh statements, so fresh
	// snapshots under READ COMMITTED) see the first one's work.
	var status string
	var finished bool
	if err := tx.QueryRow(ctx, `SELECT status, discovery_finished_at IS NOT NULL FROM campaigns WHERE id = $1 AND user_id = $2`+tx.ForUpdate(),
		campaignID, tx.UserID()).Scan(&status, &finished); err != nil {
		return false, txn.Wrap(err, "complete campaign")
	}
	if status != CampaignRunning || !finished {
		return false, nil
	}
	counts, err := tx.prospectCounts(ctx, campaignID)
	if err != nil {
		return false, txn.Wrap(err, "complete campaign")
	}
	for _, s := range []string{ProspectDiscovered, ProspectEnriching, ProspectEnriched} {
		if counts.byStatus[s] > 0 {
			return false, nil
		}
	}
	var tiers []string
	for _, t := range rules.OutreachTiers {
		if counts.qualifiedByTier[t] > 0 {
			tiers = append(tiers, t)
		}
	}
	if len(tiers) > 0 {
		w := txn.Where{}
		w.Add("p.user_id = ?", tx.UserID())
		w.Add("p.campaign_id = ?", campaignID)
		// Along the tier index: the tiers with qualified prospects hold
		// fewer rows than the qualified status does (it holds every tier's).
		// The status is kept away from its index.
		w.Add(tx.EqualsOffIndex("p.status"), ProspectQualified)
		marks := make([]string, len(tiers))
		args := make([]any, len(tiers))
		for i, t := range tiers {
			marks[i], args[i] = "?", t
		}
		w.Add("p.tier IN ("+strings.Join(marks, ", ")+")", args...)
		reachable, reachableArgs := rules.Reachable.sql("c")
		w.Add(`EXISTS (SELECT 1 FROM contacts c WHERE c.prospect_id = p.id AND `+reachable+`)`, reachableArgs...)
		w.Add(`NOT EXISTS (SELECT 1 FROM outreach_sequences o WHERE o.prospect_id = p.id)`)
		ids, err := txn.QueryAll(ctx, tx, "complete campaign", txn.ScanID, `SELECT p.id FROM prospects p WHERE `+w.SQL()+` LIMIT 1`, w.Args()...)
		if err != nil || len(ids) > 0 {
			return false, err
		}
	}
	n, err := tx.Exec(ctx, `UPDATE campaigns SET status = 'completed', status_reason = NULL, updated_at = $3
		WHERE id = $1 AND user_id = $2 AND status = 'running'`, campaignID, tx.UserID(), tx.Now())
	return n == 1, txn.Wrap(err, "complete campaign")
}

// ContactRule is a condition on a contact's address, set by the domain
// (outreach says whom a sequence can be written to). Matches applies it in
// Go, and the store applies the same condition in SQL.
type ContactRule struct {
	// RequireEmail admits only contacts with an address.
	RequireEmail bool
	// ExcludeVerification are the verification statuses that rule a
	// contact out; a contact not verified yet is not ruled out.
	ExcludeVerification []string
}

// Matches reports whether c passes the rule.
func (r ContactRule) Matches(c Contact) bool {
	if r.RequireEmail && (c.Email == nil || *c.Email == "") {
		return false
	}
	return c.EmailVerificationStatus == nil || !slices.Contains(r.ExcludeVerification, *c.EmailVerificationStatus)
}

// sql is the rule as a condition on contacts aliased alias, with "?"
// placeholders for args.
func (r ContactRule) sql(alias string) (string, []any) {
	conds := []string{"TRUE"}
	var args []any
	if r.RequireEmail {
		// Matches also refuses "", which the store never keeps: an empty
		// address is stored as NULL (NullIfEmpty).
		conds = append(conds, alias+".email IS NOT NULL")
	}
	if len(r.ExcludeVerification) > 0 {
		marks := make([]string, len(r.ExcludeVerification))
		for i, v := range r.ExcludeVerification {
			marks[i] = "?"
			args = append(args, v)
		}
		conds = append(conds, "COALESCE("+alias+".email_verification_status, '') NOT IN ("+strings.Join(marks, ", ")+")")
	}
	return strings.Join(conds, " AND "), args
}
