package privacy

import (
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/store/accountstore"
)

// What an export holds of each table. The tenant tables themselves come
// from the schema (store.TenantTables: every table with a user_id column),
// so a table added later is exported without being listed; listing it here
// is still required (TestEveryTenantTableHasAnExportRule), to decide on
// purpose whether it is exported and which of its columns are left out.

// rule is one table's place in an export.
type rule struct {
	// excluded, when not empty, says why the table is left out.
	excluded string
	// omit are columns left out besides the secret ones (secretColumn).
	omit []string
}

// rules holds every tenant table's rule, plus profiles and users (keyed by
// the user's id).
var rules = map[string]rule{
	accountstore.TableProfiles: {},
	accountstore.TableUsers:    {excluded: "credentials: the address is in profiles.json, the password hash is a secret"},
	"sessions":                 {omit: []string{"cookie_hash"}},

	"campaigns":                {},
	"prospects":                {},
	"prospect_search":          {excluded: "a search index derived from prospects"},
	"campaign_prospect_counts": {excluded: "counts derived from the prospects, which are exported"},
	"enrichments":              {},
	"contacts":                 {},
	"lead_scores":              {},
	"outreach_sequences":       {},
	"api_usage":                {},
	"user_api_keys":            {}, // sealed is a secret column: service and last4 remain
	"sender_profiles":          {},
	"suppressions":             {},
	"mailboxes":                {}, // passwords and the DKIM key are secret columns
	"messages":                 {},
	"events":                   {},
	"instantly_campaigns":      {},
	"credit_ledger":            {},
	"credit_resets":            {excluded: "the monthly reset's schedule, the same as profiles.credits_reset_at"},
	"webhook_receipts":         {excluded: "delivery bookkeeping: which webhook deliveries were applied, for applying each once"},
}

// secretWords mark a column whose value is a credential, sealed or hashed,
// whatever table it is in: never exported.
var secretWords = []string{"password", "sealed", "secret", "private_key", "token", "_hash"}

// secretColumn reports whether a column holds a secret (sealed keys and
// passwords, hashes of tokens and passwords).
func secretColumn(name string) bool {
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// exportedColumn reports whether table's column goes into the export.
func exportedColumn(table, column string) bool {
	return !secretColumn(column) && !slices.Contains(rules[table].omit, column)
}

// exportedTables is the tables of an export, in order: the profile first,
// then the schema's tenant tables, less the excluded ones. A tenant table
// without a rule (added since this list was written) is exported, secret
// columns left out, rather than silently missing.
func exportedTables(tenant []string) []string {
	out := []string{accountstore.TableProfiles}
	for _, t := range tenant {
		if rules[t].excluded == "" {
			out = append(out, t)
		}
	}
	return out
}

// HasRule reports whether table's place in an export was decided (tests).
func HasRule(table string) bool {
	_, ok := rules[table]
	return ok
}
