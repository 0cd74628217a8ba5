package outreach

import (
	"github.com/prospectorhq/prospector/internal/enrich/verify"
	"github.com/prospectorhq/prospector/internal/store"
)

// Reachable is whom a sequence can be written to: a contact with an address
// not known to be undeliverable. BestContact applies it, and the pipeline
// gives it to the store so a campaign is not completed while such a
// contact still waits for a draft.
func Reachable() store.ContactRule {
	return store.ContactRule{RequireEmail: true, ExcludeVerification: []string{verify.StatusInvalid}}
}

// BestContact picks whom to write to among a prospect's reachable
// contacts: a verified decision maker first, then any decision maker, the
// primary contact, a verified address, anyone reachable. Nil when nobody is
// reachable.
func BestContact(cs []store.Contact) *store.Contact {
	var best *store.Contact
	bestRank := -1
	for i := range cs {
		c := &cs[i]
		if !Reachable().Matches(*c) {
			continue
		}
		valid := c.EmailVerificationStatus != nil && *c.EmailVerificationStatus == "valid"
		rank := 0
		switch {
		case c.IsDecisionMaker && valid:
			rank = 4
		case c.IsDecisionMaker:
			rank = 3
		case c.IsPrimary:
			rank = 2
		case valid:
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = c, rank
		}
	}
	return best
}
