package store

import (
	"context"
	"strconv"

	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/txn"
)

// OutreachCounts are a campaign's outcomes. The campaign-wide numbers
// count sequences (one per contact written to): Approved and Scheduled
// wait to send, Sent had their first email go out, Opened, Clicked and
// Replied had at least one human open, click or reply, Bounced and
// Unsubscribed ended so; Uncertain counts messages a crash left in doubt.
// ByStep (by step number) and ByMailbox (by mailbox id) count messages.
type OutreachCounts struct {
	// Drafts wait for review; Approved were signed off and wait to send.
	Drafts   int `json:"drafts"`
	Approved int `json:"approved"`
	// The same outcomes as ByStep's and ByMailbox's, counted here per
	// sequence; the JSON fields sit beside drafts and approved.
	MessageCounts
	// ByStep is keyed by step number ("1", "2", …), ByMailbox by mailbox
	// id (messages not yet given a mailbox are in neither).
	ByStep    map[string]MessageCounts `json:"by_step"`
	ByMailbox map[string]MessageCounts `json:"by_mailbox"`
}

// MessageCounts are the outcomes of some of a campaign's messages: those
// still scheduled, those sent (a later bounce report does not take one
// back), those with a human open, click or reply, those bounced, those
// whose recipient unsubscribed through them, and those left uncertain.
type MessageCounts struct {
	Scheduled    int `json:"scheduled"`
	Sent         int `json:"sent"`
	Opened       int `json:"opened"`
	Clicked      int `json:"clicked"`
	Replied      int `json:"replied"`
	Bounced      int `json:"bounced"`
	Unsubscribed int `json:"unsubscribed"`
	Uncertain    int `json:"uncertain"`
}

func (c *MessageCounts) add(o MessageCounts) {
	c.Scheduled += o.Scheduled
	c.Sent += o.Sent
	c.Opened += o.Opened
	c.Clicked += o.Clicked
	c.Replied += o.Replied
	c.Bounced += o.Bounced
	c.Unsubscribed += o.Unsubscribed
	c.Uncertain += o.Uncertain
}

// CampaignStats are the counts behind a campaign's progress.
type CampaignStats struct {
	ByStatus map[string]int
	ByTier   map[string]int
	Outreach OutreachCounts
}

// CampaignStats counts a campaign's prospects by status and tier, its
// sequences by outcome, and its messages by step and mailbox. The prospects'
// counts are kept as they change (prospectCounts); each other count is one
// aggregate over the campaign's rows of one table (its index leads with the
// campaign): no query per prospect, sequence or message.
func (tx *Tx) CampaignStats(ctx context.Context, campaignID string) (CampaignStats, error) {
	st := CampaignStats{ByStatus: map[string]int{}, ByTier: map[string]int{},
		Outreach: OutreachCounts{ByStep: map[string]MessageCounts{}, ByMailbox: map[string]MessageCounts{}}}
	if err := tx.RequireTenant(); err != nil {
		return st, err
	}
	counts, err := tx.prospectCounts(ctx, campaignID)
	if err != nil {
		return st, err
	}
	st.ByStatus, st.ByTier = counts.byStatus, counts.byTier
	o := &st.Outreach
	err = tx.QueryRow(ctx, `SELECT
		coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN opens > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN clicks > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN replies > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'bounced' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'scheduled' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'unsubscribed' THEN 1 ELSE 0 END), 0)
		FROM outreach_sequences WHERE campaign_id = $1 AND user_id = $2`, campaignID, tx.UserID()).
		Scan(&o.Sent, &o.Opened, &o.Clicked, &o.Replied, &o.Bounced, &o.Drafts, &o.Approved, &o.Scheduled, &o.Unsubscribed)
	if err != nil {
		return st, txn.Wrap(err, "count outreach")
	}
	if err := tx.countMessages(ctx, campaignID, o); err != nil {
		return st, err
	}
	return st, nil
}

// countMessages fills o's per-step and per-mailbox counts and its
// uncertain messages: one aggregate over the campaign's messages, one over
// its unsubscribe events.
func (tx *Tx) countMessages(ctx context.Context, campaignID string, o *OutreachCounts) error {
	tally := func(step int, mailboxID *string, c MessageCounts) {
		k := strconv.Itoa(step)
		s := o.ByStep[k]
		s.add(c)
		o.ByStep[k] = s
		if mailboxID != nil {
			m := o.ByMailbox[*mailboxID]
			m.add(c)
			o.ByMailbox[*mailboxID] = m
		}
		o.Uncertain += c.Uncertain
	}
	err := txn.EachRow(ctx, tx, "count messages", func(r txn.Row) error {
		var step int
		var mailboxID *string
		var c MessageCounts
		if err := r.Scan(&step, &mailboxID, &c.Scheduled, &c.Sent, &c.Opened, &c.Clicked, &c.Replied, &c.Bounced, &c.Uncertain); err != nil {
			return err
		}
		tally(step, mailboxID, c)
		return nil
	}, `SELECT step, mailbox_id,
		sum(CASE WHEN status = 'scheduled' THEN 1 ELSE 0 END),
		sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END),
		sum(CASE WHEN opens > 0 THEN 1 ELSE 0 END),
		sum(CASE WHEN clicks > 0 THEN 1 ELSE 0 END),
		sum(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END),
		sum(CASE WHEN status = 'bounced' THEN 1 ELSE 0 END),
		sum(CASE WHEN status = 'uncertain' THEN 1 ELSE 0 END)
		FROM messages WHERE campaign_id = $1 AND user_id = $2 GROUP BY step, mailbox_id`, campaignID, tx.UserID())
	if err != nil {
		return err
	}
	return txn.EachRow(ctx, tx, "count unsubscribes", func(r txn.Row) error {
		var step int
		var mailboxID *string
		var c MessageCounts
		if err := r.Scan(&step, &mailboxID, &c.Unsubscribed); err != nil {
			return err
		}
		tally(step, mailboxID, c)
		return nil
	}, `SELECT m.step, m.mailbox_id, count(DISTINCT e.message_id) FROM events e JOIN messages m ON m.id = e.message_id
		WHERE e.campaign_id = $1 AND e.user_id = $2 AND e.type = 'unsubscribed' GROUP BY m.step, m.mailbox_id`, campaignID, tx.UserID())
}

// RefreshPlannerStats has the engine re-read the prospect tables' statistics
// after a bulk change. On PostgreSQL, until autovacuum does, a freshly
// imported campaign gets plans that read it whole; only the tables' owner may
// ANALYZE them (another role's is skipped with a warning). SQLite gathers
// statistics only when told: without them it walks a whole campaign for a
// status or tier with no rows (issue 15: 1.1 s at a million prospects, 1.8 ms
// after one ANALYZE). analysis_limit samples each index, so the ANALYZE holds
// the single writer for milliseconds, not a scan of every row.
func (s *Store) RefreshPlannerStats(ctx context.Context) error {
	if s.engine == SQLite {
		_, err := s.writer.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE prospects")
		return txn.Wrap(err, "analyze prospects")
	}
	_, err := s.PGOwnerPool().Exec(ctx, "ANALYZE prospects, prospect_search")
	return txn.Wrap(err, "analyze prospects")
}

// AccountOutreach counts a user's sequences across campaigns: the later
// steps of the funnel.
type AccountOutreach struct {
	// Drafts wait for review; Approved were ever signed off (whatever
	// happened after), Sent had their first email go out.
	Drafts   int
	Approved int
	Sent     int
	Opened   int
	Replied  int
	Bounced  int
}

// AccountStats are the counts behind a user's dashboard: every campaign
// together, and what waits on the user in each.
type AccountStats struct {
	Campaigns int
	// Found, Enriched and Qualified sum the campaigns' lead counters.
	Found, Enriched, Qualified int
	ByTier                     map[string]int
	Outreach                   AccountOutreach
	// Per campaign id: drafts waiting for review, approved sequences
	// waiting to be scheduled, and messages left uncertain by a crash.
	DraftsByCampaign    map[string]int
	ApprovedByCampaign  map[string]int
	UncertainByCampaign map[string]int
}

// AccountStats counts the tenant's campaigns, prospects by tier, sequences
// by outcome and what waits in each campaign.
func (tx *Tx) AccountStats(ctx context.Context) (AccountStats, error) {
	st := AccountStats{ByTier: map[string]int{}, DraftsByCampaign: map[string]int{}, ApprovedByCampaign: map[string]int{},
		UncertainByCampaign: map[string]int{}}
	if err := tx.RequireTenant(); err != nil {
		return st, err
	}
	err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(leads_found), 0), coalesce(sum(leads_enriched), 0),
		coalesce(sum(leads_qualified), 0) FROM campaigns WHERE user_id = $1`, tx.UserID()).
		Scan(&st.Campaigns, &st.Found, &st.Enriched, &st.Qualified)
	if err != nil {
		return st, txn.Wrap(err, "sum campaigns")
	}
	err = txn.EachRow(ctx, tx, "count prospects by tier", func(r txn.Row) error { return txn.ScanCount(r, st.ByTier) },
		`SELECT value, CAST(sum(n) AS BIGINT) FROM campaign_prospect_counts WHERE user_id = $1 AND kind = 'tier'
		GROUP BY value HAVING sum(n) > 0`,
		tx.UserID())
	if err != nil {
		return st, err
	}
	o := &st.Outreach
	err = tx.QueryRow(ctx, `SELECT
		coalesce(sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN approved_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN opens > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN replies > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN status = 'bounced' THEN 1 ELSE 0 END), 0)
		FROM outreach_sequences WHERE user_id = $1`, tx.UserID()).
		Scan(&o.Drafts, &o.Approved, &o.Sent, &o.Opened, &o.Replied, &o.Bounced)
	if err != nil {
		return st, txn.Wrap(err, "count outreach")
	}
	err = txn.EachRow(ctx, tx, "count waiting sequences", func(r txn.Row) error {
		var campaignID, status string
		var n int
		if err := r.Scan(&campaignID, &status, &n); err != nil {
			return err
		}
		if status == mailstore.OutreachDraft {
			st.DraftsByCampaign[campaignID] = n
		} else {
			st.ApprovedByCampaign[campaignID] = n
		}
		return nil
	}, `SELECT campaign_id, status, count(*) FROM outreach_sequences WHERE user_id = $1 AND status IN ('draft', 'approved')
		GROUP BY campaign_id, status`, tx.UserID())
	if err != nil {
		return st, err
	}
	err = txn.EachRow(ctx, tx, "count uncertain messages", func(r txn.Row) error { return txn.ScanCount(r, st.UncertainByCampaign) },
		`SELECT campaign_id, count(*) FROM messages WHERE user_id = $1 AND status = 'uncertain' GROUP BY campaign_id`, tx.UserID())
	return st, err
}
