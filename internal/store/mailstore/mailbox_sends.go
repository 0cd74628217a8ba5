package mailstore

import (
	"context"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// MailboxSends is a mailbox with its sends counted since a time (as
// SentFromMailbox counts them).
type MailboxSends struct {
	Mailbox Mailbox
	Sent    int
}

// MailboxesWithSends returns the tenant's mailboxes among ids, in the order
// of ids (an id of no mailbox of the tenant's is left out), each with its
// sends since a time: two queries for any number of mailboxes, where a
// query per mailbox for it and another for its count made a first step's
// claim 40 statements with a campaign of 20 mailboxes.
func (tx *Mail) MailboxesWithSends(ctx context.Context, ids []string, since time.Time) ([]MailboxSends, error) {
	if err := tx.RequireTenant(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	in := func(w *txn.Where) {
		marks := make([]string, len(ids))
		args := make([]any, len(ids))
		for i, id := range ids {
			marks[i], args[i] = "?", id
		}
		w.Add("mailbox_id IN ("+strings.Join(marks, ", ")+")", args...)
	}
	w := &txn.Where{}
	w.Add("user_id = ?", tx.UserID())
	in(w)
	boxes, err := txn.QueryAll(ctx, tx, "mailboxes", scanMailbox, `SELECT `+mailboxColumns+` FROM mailboxes WHERE `+
		strings.Replace(w.SQL(), "mailbox_id IN", "id IN", 1), w.Args()...)
	if err != nil {
		return nil, err
	}
	sent := map[string]int{}
	w = &txn.Where{}
	// Along the covering (mailbox_id, sent_at, user_id) index: with a
	// campaign's twenty mailbox ids SQLite's planner, without statistics,
	// went by the tenant's (user_id, id) index instead and read every
	// message of the tenant, body and all, on every claim (60 % of the
	// send stage's CPU).
	w.Add(tx.EqualsOffIndex("user_id"), tx.UserID())
	in(w)
	w.Add("sent_at >= ?", since.UTC())
	// What countSends counts, in its two index-friendly halves.
	sentSQL, sentArgs := w.SQL(), w.Args()
	w = &txn.Where{}
	w.Add("user_id = ?", tx.UserID())
	in(w)
	w.Add("status IN ('sending', 'uncertain') AND updated_at >= ? AND (sent_at IS NULL OR sent_at < ?)", since.UTC(), since.UTC())
	for _, q := range []struct {
		sql  string
		args []any
	}{{sentSQL, sentArgs}, {w.SQL(), w.Args()}} {
		err := txn.EachRow(ctx, tx, "count sends", func(r txn.Row) error {
			var id string
			var n int
			if err := r.Scan(&id, &n); err != nil {
				return err
			}
			sent[id] += n
			return nil
		}, `SELECT mailbox_id, count(*) FROM messages WHERE `+q.sql+` GROUP BY mailbox_id`, q.args...)
		if err != nil {
			return nil, err
		}
	}
	byID := make(map[string]Mailbox, len(boxes))
	for _, m := range boxes {
		byID[m.ID] = m
	}
	out := make([]MailboxSends, 0, len(boxes))
	for _, id := range ids {
		if m, ok := byID[id]; ok {
			out = append(out, MailboxSends{Mailbox: m, Sent: sent[id]})
			delete(byID, id) // an id given twice counts once
		}
	}
	return out, nil
}
