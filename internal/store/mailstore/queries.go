// Package mailstore keeps the tables of outreach mail: sequences and their
// drafts (outreach_sequences), messages and the sends that deliver them,
// mailboxes, sender profiles, suppressions, the Instantly links and the
// tracking events. Its queries are methods of Mail, which store.Tx
// embeds: callers reach them as tx.CreateMailbox(…) like every other query,
// while the package keeps the mail tables' rules and SQL in one place.
package mailstore

import "github.com/prospectorhq/prospector/internal/store/txn"

// Mail is the mail tables' queries in one tenant's transaction.
type Mail struct{ *txn.Tx }

// On is the mail tables' queries in tx.
func On(tx *txn.Tx) Mail { return Mail{tx} }
