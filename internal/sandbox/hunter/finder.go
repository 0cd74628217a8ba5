package hunter

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

// hyphens, apostrophes and dots.
func validName(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '\'' && r != '.' {
			return false
		}
	}
	return true
}

func (h *handler) hunterEmailFinder(w http.ResponseWriter, r *http.Request, f fake.Fault) {
	q := r.URL.Query()
	domainParam, company, linkedin := hunterDomain(q.Get("domain")), strings.TrimSpace(q.Get("company")), q.Get("linkedin_handle")
	first, last, full := strings.TrimSpace(q.Get("first_name")), strings.TrimSpace(q.Get("last_name")), strings.TrimSpace(q.Get("full_name"))
	if domainParam == "" && company == "" && linkedin == "" {
		hunterError(w, http.StatusBadRequest, "wrong_params", "You are missing the domain, company or linkedin_handle parameter")
		return
	}
	if linkedin == "" && (first == "" || last == "") && full == "" {
		hunterError(w, http.StatusBadRequest, "wrong_params", "You are missing the first_name and last_name parameters, or the full_name parameter")
		return
	}
	switch {
	case first != "" && !validName(first):
		hunterError(w, http.StatusBadRequest, "invalid_first_name", "The first_name is invalid")
		return
	case last != "" && !validName(last):
		hunterError(w, http.StatusBadRequest, "invalid_last_name", "The last_name is invalid")
		return
	}
	if first == "" || last == "" {
		parts := strings.Fields(full)
		if len(parts) < 2 || !validName(full) {
			hunterError(w, http.StatusBadRequest, "invalid_full_name", "The full_name must hold a first and a last name")
			return
		}
		first, last = parts[0], strings.Join(parts[1:], " ")
	}
	var maxDuration any
	if v := q.Get("max_duration"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 3 || n > 20 {
			hunterError(w, http.StatusBadRequest, "invalid_max_duration", "The max_duration must be between 3 and 20 seconds")
			return
		}
		maxDuration = n
	}
	meta := map[string]any{"params": map[string]any{
		"first_name": nullable(q.Get("first_name")), "last_name": nullable(q.Get("last_name")), "full_name": nullable(full),
		"domain": nullable(q.Get("domain")), "company": nullable(company), "max_duration": maxDuration,
	}}

	b, domain := h.hunterSite(domainParam, company)
	if domainParam != "" && (b == nil || !b.Site.MX) {
		hunterError(w, http.StatusBadRequest, "invalid_domain", "The domain "+domain+" is invalid or has no MX record")
		return
	}
	data := map[string]any{
		"first_name": first, "last_name": last, "email": nil, "score": nil, "domain": nullable(domain), "accept_all": false,
		"position": nil, "twitter": nil, "linkedin_url": nil, "phone_number": nil, "company": nil,
		"sources": []any{}, "verification": hunterVerification("", ""),
	}
	if b == nil || !b.Site.MX || linkedin != "" && domainParam == "" && company == "" || f.Empty {
		fake.WriteJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta})
		return
	}
	site := b.Site
	data["company"], data["accept_all"] = b.BaseName, site.AcceptAll
	var person *town.Person
	for i := range site.People {
		p := &site.People[i]
		if sameName(p.First, first) && sameName(p.Last, last) {
			person = p
			break
		}
	}
	switch {
	case person != nil && person.Claimed:
		hunterError(w, http.StatusUnavailableForLegalReasons, "claimed_email", claimedDetails)
		return
	case person != nil && (person.OnHunter || person.ShowsEmail()):
		data["email"], data["position"] = person.Email, person.Position
		data["score"] = max(person.Confidence, 70)
		data["sources"] = hunterSources(b, person.Email, person.ShowsEmail(), site.PeoplePage())
		data["verification"] = hunterVerification(person.Email, cmp.Or(person.Verification, "valid"))
	case person != nil:
		// Hunter never saw the address but the pattern finds it.
		status := "valid"
		if site.AcceptAll {
			status = "accept_all"
		}
		data["email"], data["position"] = person.Email, person.Position
		data["score"] = 60 + int(town.Hash(person.Email)%20)
		data["verification"] = hunterVerification(person.Email, status)
	case site.AcceptAll:
		// Nobody of that name, but the server accepts everything: a guess.
		guess := town.ApplyPattern(site.Pattern, asciiName(first), asciiName(last)) + "@" + b.Domain
		data["email"], data["score"] = guess, 30+int(town.Hash(guess)%15)
		data["verification"] = hunterVerification(guess, "accept_all")
	}
	fake.WriteJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta})
}

// sameName compares names the way a person would: case and accents aside.
func sameName(a, b string) bool { return strings.EqualFold(asciiName(a), asciiName(b)) }

// asciiName folds a name to the ASCII letters an address is made of.
func asciiName(s string) string {
	var out strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			out.WriteRune(r)
		case strings.ContainsRune("àáâãäå", r):
			out.WriteByte('a')
		case strings.ContainsRune("èéêë", r):
			out.WriteByte('e')
		case strings.ContainsRune("ìíîï", r):
			out.WriteByte('i')
		case strings.ContainsRune("òóôõö", r):
			out.WriteByte('o')
		case strings.ContainsRune("ùúûü", r):
			out.WriteByte('u')
		case r == 'ñ':
			out.WriteByte('n')
		case r == 'ç':
			out.WriteByte('c')
		}
	}
	return out.String()
}
