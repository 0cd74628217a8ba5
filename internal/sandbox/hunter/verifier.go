package hunter

import (
	"net/http"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

func (h *handler) hunterEmailVerifier(w http.ResponseWriter, r *http.Request, f fake.Fault) {
	email := strings.TrimSpace(r.URL.Query().Get("email"))
	if email == "" {
		hunterError(w, http.StatusBadRequest, "wrong_params", "You are missing the email parameter")
		return
	}
	if !emailRE.MatchString(email) {
		hunterError(w, http.StatusBadRequest, "invalid_email", "The email address is invalid")
		return
	}
	email = strings.ToLower(email)
	local, domain, _ := strings.Cut(email, "@")
	meta := map[string]any{"params": map[string]any{"email": email}}
	b, known := h.opts.World.LookupSite(domain)
	known = known && b.Domain == domain

	var person *town.Person
	if known {
		for i := range b.Site.People {
			if b.Site.People[i].Email == email {
				person = &b.Site.People[i]
			}
		}
	}
	if person != nil && person.Claimed {
		hunterError(w, http.StatusUnavailableForLegalReasons, "claimed_email", claimedDetails)
		return
	}
	if town.Hash("verifying|"+email)%6 == 0 {
		h.mu.Lock()
		first := !h.verifying[email]
		if first {
			if len(h.verifying) > 100000 {
				clear(h.verifying)
			}
			h.verifying[email] = true
		}
		h.mu.Unlock()
		if first {
			fake.WriteJSON(w, http.StatusAccepted, map[string]any{"data": nil, "meta": meta})
			return
		}
	}

	digits := 0
	for _, c := range local {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	seed := town.Hash("verify|" + email)
	d := map[string]any{
		"email": email, "regexp": true, "gibberish": digits >= 3, "disposable": false, "webmail": false,
		"mx_records": true, "smtp_server": true, "smtp_check": false, "accept_all": false, "block": false, "sources": []any{},
	}
	set := func(status, result string, score int) { d["status"], d["result"], d["score"] = status, result, score }
	switch {
	case f.Empty:
		set("unknown", "risky", 0)
		d["block"] = true
	case slices.Contains(webmailDomains, domain):
		set("webmail", "deliverable", 50)
		d["webmail"], d["smtp_check"] = true, true
	case slices.Contains(disposableMail, domain):
		set("disposable", "risky", 50)
		d["disposable"] = true
	case !known || !b.Site.MX:
		set("invalid", "undeliverable", 0)
		d["mx_records"], d["smtp_server"] = false, false
	default:
		site := b.Site
		role := slices.Contains(site.RoleEmails, email) || slices.Contains(site.HunterRoles, email) || b.OSMEmail == email
		exists := person != nil || role
		switch {
		case site.AcceptAll:
			score := 40 + int(seed%20)
			if exists {
				score = 75 + int(seed%15)
			}
			set("accept_all", "risky", score)
			d["accept_all"] = true
		case person != nil && person.Verification == "unknown":
			set("unknown", "risky", 30+int(seed%20))
			d["block"] = true
		case exists:
			set("valid", "deliverable", 90+int(seed%11))
			d["smtp_check"] = true
		default:
			set("invalid", "undeliverable", 5+int(seed%15))
		}
		if person != nil && (person.OnHunter || person.ShowsEmail()) {
			d["sources"] = hunterSources(b, email, person.ShowsEmail(), site.PeoplePage())
		}
	}
	fake.WriteJSON(w, http.StatusOK, map[string]any{"data": d, "meta": meta})
}
