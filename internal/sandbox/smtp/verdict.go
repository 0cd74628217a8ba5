package smtp

import (
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

// Reply is the server's answer to one RCPT TO; the zero Reply accepts.
type Reply struct {
	Code     int
	Enhanced [3]int
	Text     string
}

// The refusals the sandbox gives, as real receiving servers word them.
var (
	UnknownUser = Reply{550, [3]int{5, 1, 1}, "unknown user"}
	TryLater    = Reply{452, [3]int{4, 2, 2}, "try again later"}
	NoRelay     = Reply{554, [3]int{5, 7, 1}, "relay access denied: the sandbox delivers to the fictional businesses' domains only"}
)

// Local parts that always get a refusal, at any accepted domain, so that
// tests and the demo can reach each answer on purpose.
var (
	unknownLocals = []string{"unknown", "nobody", "bounce", "no-such-user"}
	laterLocals   = []string{"busy", "later", "full", "greylist"}
)

// DefaultVerdict answers by the local part alone: "unknown", "nobody",
// "bounce", "no-such-user" (and any of them followed by "." or "+" and
// more, e.g. unknown.1@…) get 550 5.1.1 unknown user; "busy", "later",
// "full", "greylist" (likewise) get 452 4.2.2 try again later; every other
// address is accepted.
func DefaultVerdict(addr string) Reply {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	switch {
	case hasLocal(local, unknownLocals):
		return UnknownUser
	case hasLocal(local, laterLocals):
		return TryLater
	}
	return Reply{}
}

func hasLocal(local string, names []string) bool {
	for _, n := range names {
		if local == n || strings.HasPrefix(local, n+".") || strings.HasPrefix(local, n+"+") {
			return true
		}
	}
	return false
}

// WorldVerdict answers like the fictional businesses' own mail servers:
// DefaultVerdict's refusals first; then a business the world knows that
// receives mail accepts its people's and its role addresses, and every
// address when it accepts all (town.Site.AcceptAll); any other address
// there, a guess that matched no one, is 550 unknown user, which is how a
// guessed contact bounces in the demo. A domain without a known business,
// or whose business has no mail, is refused as unknown too.
func WorldVerdict(w *world.World) func(addr string) Reply {
	return func(addr string) Reply {
		if r := DefaultVerdict(addr); r.Code != 0 {
			return r
		}
		addr = strings.ToLower(addr)
		_, domain, _ := strings.Cut(addr, "@")
		b, ok := w.LookupSite(domain)
		if !ok || b.Site == nil || !b.Site.MX || b.Domain != domain {
			return UnknownUser
		}
		if b.Site.AcceptAll || strings.EqualFold(b.OSMEmail, addr) {
			return Reply{}
		}
		for _, p := range b.Site.People {
			if strings.EqualFold(p.Email, addr) {
				return Reply{}
			}
		}
		for _, list := range [][]string{b.Site.RoleEmails, b.Site.HunterRoles} {
			for _, e := range list {
				if strings.EqualFold(e, addr) {
					return Reply{}
				}
			}
		}
		return UnknownUser
	}
}

// WorldDomains reports whether a domain is one of the world's businesses'.
func WorldDomains(w *world.World) func(domain string) bool {
	return func(domain string) bool {
		b, ok := w.LookupSite(domain)
		return ok && b.Domain == strings.ToLower(domain)
	}
}
