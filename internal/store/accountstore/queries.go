// Package accountstore keeps what belongs to the account as a whole: its
// sessions and refresh tokens, the provider keys the user brought (sealed),
// and the data-protection requests over every tenant table (export,
// deletion, erasure of one person). Its queries are methods of Account,
// which store.Tx embeds: callers reach them as tx.CreateSession(…) like
// every other query.
package accountstore

import (
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Account is the account's queries in one tenant's transaction; erasure
// suppresses the erased address through the mail tables' queries.
type Account struct {
	*txn.Tx
	mail mailstore.Mail
}

// On is the account's queries in tx.
func On(tx *txn.Tx) Account { return Account{Tx: tx, mail: mailstore.On(tx)} }
