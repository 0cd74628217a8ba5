// Package billingstore keeps the billing tables: the billing side of the
// tenant's profile (plan, Stripe customer and subscription), the credit
// ledger every change to lead credits goes through, the monthly resets,
// the Stripe events applied, and api_usage. Its queries are methods of
// Billing, which store.Tx embeds: callers reach them as
// tx.ChargeProspects(…) like every other query, while the package keeps
// the credit rules' SQL in one place.
package billingstore

import "github.com/prospectorhq/prospector/internal/store/txn"

// Billing is the billing tables' queries in one tenant's transaction.
type Billing struct{ *txn.Tx }

// On is the billing tables' queries in tx.
func On(tx *txn.Tx) Billing { return Billing{tx} }
