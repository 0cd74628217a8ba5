package store

import (
	"context"
	"slices"
	"strings"
)

// MarkDiscoveryFinished records that a campaign's discovery run is over.
func (tx *Tx) MarkDiscoveryFinished(ctx context.Context, campaignID string, finished bool) error {
	if err := tx.requireTenant(); err != nil {
		return err
	}
	var at any
	if finished {
		at = tx.now
	}
	_, err := tx.q.exec(ctx, `UPDATE campaigns SET discovery_finished_at = $3 WHERE id = $1 AND user_id = $2`, campaignID, tx.userID, at)
	return wrap(err, "mark discovery finished")
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
func (tx *Tx) CompleteCampaignIfDone(ctx context.Context, campaignID string, rules CompletionRules) (bool, error) {
	if err := tx.requireTenant(); err != nil {
		return false, err
	}
	// Stages finish in concurrent transactions. Without this lock, on
	// PostgreSQL the last two could each see the other's prospect still
	// waiting (uncommitted) and neither complete the campaign; with it the
	// second waits, and its check below (a fresh statement, so a fresh
	// snapshot under READ COMMITTED) sees the first one's work.
	var id string
	if err := tx.q.queryRow(ctx, `SELECT id FROM campaigns WHERE id = $1 AND user_id = $2`+tx.forUpdate(),
		campaignID, tx.userID).Scan(&id); err != nil {
		return false, wrap(err, "complete campaign")
	}
	w := where{}
	w.add("id = ?", campaignID)
	w.add("user_id = ?", tx.userID)
	w.add("status = 'running' AND discovery_finished_at IS NOT NULL")
	args := []any{campaignID}
	waiting := `SELECT 1 FROM prospects p WHERE p.campaign_id = ? AND (p.status IN ('discovered', 'enriching', 'enriched')`
	if tiers := rules.OutreachTiers; len(tiers) > 0 {
		marks := make([]string, len(tiers))
		for i, t := range tiers {
			marks[i] = "?"
			args = append(args, t)
		}
		reachable, reachableArgs := rules.Reachable.sql("c")
		args = append(args, reachableArgs...)
		waiting += ` OR p.status = 'qualified' AND p.tier IN (` + strings.Join(marks, ", ") + `)
		  AND EXISTS (SELECT 1 FROM contacts c WHERE c.prospect_id = p.id AND ` + reachable + `)
		  AND NOT EXISTS (SELECT 1 FROM outreach_sequences o WHERE o.prospect_id = p.id)`
	}
	w.add("NOT EXISTS ("+waiting+"))", args...)
	args = append(w.args, tx.now)
	n, err := tx.q.exec(ctx, `UPDATE campaigns SET status = 'completed', status_reason = NULL, updated_at = $`+itoa(len(args))+
		` WHERE `+w.sql(), args...)
	return n == 1, wrap(err, "complete campaign")
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
