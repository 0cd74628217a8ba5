package sandbox

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The Hunter v2 fake: GET /domain-search, /email-finder and /email-verifier
// under HunterURL, in Hunter's {"data":…,"meta":…} / {"errors":[…]}
// envelopes. The key is read from the X-API-KEY header, an
// "Authorization: Bearer" header or the api_key parameter; a missing or
// unknown key gets 401, QuotaExhaustedKey 429 (monthly usage spent).
//
// Hunter knows the same fictional people the websites show, but not all of
// them, and some the websites do not show (Person.OnHunter, Person.Shown).
// The one claimed person per town (Person.Claimed) is left out of Domain
// Search and answered 451 claimed_email by the finder and the verifier.
// Domain Search behaves as on the free plan: limit + offset > 10 is a 400
// pagination_error. The verifier answers some addresses 202 (still
// running) the first time they are asked about, with a null data object;
// the next call gives the verdict.

var (
	hunterSeniorities = []string{"junior", "senior", "executive"}
	hunterDepartments = []string{"executive", "it", "finance", "management", "sales", "legal", "support", "hr",
		"marketing", "communication", "education", "design", "health", "operations"}
	hunterRequired = []string{"full_name", "position", "phone_number"}
	hunterStatuses = []string{"valid", "accept_all", "unknown"}
	webmailDomains = []string{"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "proton.me"}
	disposableMail = []string{"mailinator.com", "guerrillamail.com", "10minutemail.com", "trashmail.com", "yopmail.com"}
	emailRE        = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

var hunterFaultIDs = map[int]string{
	400: "wrong_params", 401: "authentication_failed", 403: "too_many_requests", 404: "not_found",
	429: "too_many_requests", 451: "claimed_email", 500: "internal_error", 503: "service_unavailable",
}

const claimedDetails = "The person behind this email address has asked us directly or indirectly to stop the processing of this email. Therefore, you shouldn't process it yourself in any way."

func (s *Sandbox) hunter(w http.ResponseWriter, r *http.Request) {
	f := faultOf(r)
	if f.Status != 0 {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		hunterError(w, f.Status, orString(f.Code, orString(hunterFaultIDs[f.Status], "error")), hunterFaultDetails(f.Status))
		return
	}
	key := r.Header.Get("X-API-KEY")
	if key == "" {
		if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "Bearer ") {
			key = strings.TrimSpace(a[7:])
		}
	}
	if key == "" {
		key = r.URL.Query().Get("api_key")
	}
	switch key {
	case "":
		hunterError(w, http.StatusUnauthorized, "authentication_failed", "You are missing the api_key parameter. Pass it as api_key, in the X-API-KEY header or as a Bearer token.")
		return
	case QuotaExhaustedKey:
		hunterError(w, http.StatusTooManyRequests, "too_many_requests", "You have reached your monthly usage limit (sandbox: fictional quota). Upgrade your plan to continue.")
		return
	case s.HunterAPIKey:
	default:
		hunterError(w, http.StatusUnauthorized, "authentication_failed", "No user found for the API key supplied")
		return
	}
	if r.Method != http.MethodGet {
		hunterError(w, http.StatusNotFound, "not_found", "The route "+r.Method+" "+r.URL.Path+" does not exist (the sandbox serves GET only).")
		return
	}
	switch strings.TrimPrefix(r.URL.Path, "/hunter/v2") {
	case "/domain-search":
		s.hunterDomainSearch(w, r, f)
	case "/email-finder":
		s.hunterEmailFinder(w, r, f)
	case "/email-verifier":
		s.hunterEmailVerifier(w, r, f)
	default:
		hunterError(w, http.StatusNotFound, "not_found", "The route "+r.URL.Path+" does not exist.")
	}
}

func hunterError(w http.ResponseWriter, status int, id, details string) {
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"id": id, "code": status, "details": details}}})
}

func hunterFaultDetails(status int) string {
	switch status {
	case 403:
		return "You have reached the rate limit of requests per second or per minute. Slow down (sandbox fault)."
	case 429:
		return "You have reached your monthly usage limit (sandbox fault)."
	case 222:
		return "The remote SMTP server answered in an unexpected way; try again later (sandbox fault)."
	}
	return http.StatusText(status) + " (sandbox fault)."
}

// hunterDomain reads what a client passes as a domain: a bare domain, or a
// URL, with or without www. and a port.
func hunterDomain(raw string) string {
	d := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	d, _, _ = strings.Cut(d, "/")
	return siteDomain(d)
}

// hunterSite finds the business of a domain or company parameter.
func (s *Sandbox) hunterSite(domain, company string) (*Business, string) {
	if domain == "" && company != "" {
		s.mu.Lock()
		domain = s.companies[normalise(company)]
		s.mu.Unlock()
	}
	if domain == "" {
		return nil, ""
	}
	b, ok := s.LookupSite(domain)
	if !ok {
		return nil, domain
	}
	return b, b.Domain
}

// listValues splits a comma list and checks every value is allowed.
func listValues(v string, allowed []string) ([]string, bool) {
	if v == "" {
		return nil, true
	}
	var out []string
	for _, x := range strings.Split(v, ",") {
		x = strings.ToLower(strings.TrimSpace(x))
		if !slices.Contains(allowed, x) {
			return nil, false
		}
		out = append(out, x)
	}
	return out, true
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Sandbox) hunterDomainSearch(w http.ResponseWriter, r *http.Request, f Fault) {
	q := r.URL.Query()
	domainParam, company := hunterDomain(q.Get("domain")), strings.TrimSpace(q.Get("company"))
	if domainParam == "" && company == "" {
		hunterError(w, http.StatusBadRequest, "wrong_params", "You are missing the domain parameter")
		return
	}
	typ := strings.ToLower(q.Get("type"))
	if typ != "" && typ != "personal" && typ != "generic" {
		hunterError(w, http.StatusBadRequest, "invalid_type", "The type must be personal or generic")
		return
	}
	seniority, ok := listValues(q.Get("seniority"), hunterSeniorities)
	if !ok {
		hunterError(w, http.StatusBadRequest, "invalid_seniority", "The seniority must be junior, senior or executive")
		return
	}
	department, ok := listValues(q.Get("department"), hunterDepartments)
	if !ok {
		hunterError(w, http.StatusBadRequest, "invalid_department", "The department is not one of "+strings.Join(hunterDepartments, ", "))
		return
	}
	required, ok := listValues(q.Get("required_field"), hunterRequired)
	if !ok {
		hunterError(w, http.StatusBadRequest, "wrong_params", "The required_field must be full_name, position or phone_number")
		return
	}
	statuses, ok := listValues(q.Get("verification_status"), hunterStatuses)
	if !ok {
		hunterError(w, http.StatusBadRequest, "wrong_params", "The verification_status must be valid, accept_all or unknown")
		return
	}
	limit, offset := 10, 0
	var errLimit, errOffset error
	if v := q.Get("limit"); v != "" {
		limit, errLimit = strconv.Atoi(v)
	}
	if v := q.Get("offset"); v != "" {
		offset, errOffset = strconv.Atoi(v)
	}
	if errLimit != nil || errOffset != nil || limit < 1 || limit > 100 || offset < 0 {
		hunterError(w, http.StatusBadRequest, "pagination_error", "The limit must be between 1 and 100 and the offset a positive number")
		return
	}
	if limit+offset > 10 {
		hunterError(w, http.StatusBadRequest, "pagination_error", "You are limited to the first 10 results of a domain search on the free plan (limit + offset must not exceed 10). Upgrade your plan to access more results.")
		return
	}

	b, domain := s.hunterSite(domainParam, company)
	var emails []map[string]any
	if b != nil && b.Site.MX && !f.Empty {
		site := b.Site
		for _, p := range site.People {
			if !p.OnHunter || p.Claimed {
				continue
			}
			if typ == "generic" || len(seniority) > 0 && !slices.Contains(seniority, p.Seniority) ||
				len(department) > 0 && !slices.Contains(department, p.Department) ||
				slices.Contains(required, "phone_number") ||
				len(statuses) > 0 && !slices.Contains(statuses, p.Verification) {
				continue
			}
			emails = append(emails, map[string]any{
				"value": p.Email, "type": "personal", "confidence": p.Confidence, "sources": s.hunterSources(b, p.Email, p.ShowsEmail(), site.PeoplePage()),
				"first_name": p.First, "last_name": p.Last, "position": p.Position, "position_raw": p.Position,
				"seniority": p.Seniority, "department": p.Department, "linkedin": nil, "twitter": nil, "phone_number": nil,
				"verification": hunterVerification(p.Email, p.Verification),
			})
		}
		for _, e := range site.HunterRoles {
			status := "valid"
			if site.AcceptAll {
				status = "accept_all"
			}
			if typ == "personal" || len(seniority) > 0 || len(department) > 0 || len(required) > 0 ||
				len(statuses) > 0 && !slices.Contains(statuses, status) {
				continue
			}
			emails = append(emails, map[string]any{
				"value": e, "type": "generic", "confidence": 80 + int(hash64(e)%16),
				"sources":    s.hunterSources(b, e, slices.Contains(site.RoleEmails, e), site.RolesPage()),
				"first_name": nil, "last_name": nil, "position": nil, "position_raw": nil, "seniority": nil, "department": nil,
				"linkedin": nil, "twitter": nil, "phone_number": nil, "verification": hunterVerification(e, status),
			})
		}
	}
	total := len(emails)
	page := []map[string]any{}
	if offset < total {
		page = emails[offset:min(total, offset+limit)]
	}
	data := map[string]any{
		"domain": nullable(domain), "disposable": false, "webmail": false, "accept_all": false,
		"pattern": nil, "organization": nil, "linked_domains": []string{}, "emails": page,
	}
	if b != nil {
		data["organization"] = b.BaseName
		data["accept_all"] = b.Site.AcceptAll
		for _, p := range b.Site.People {
			if p.OnHunter && b.Site.Pattern != "" {
				data["pattern"] = b.Site.Pattern
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"data": data,
		"meta": map[string]any{"results": total, "limit": limit, "offset": offset, "params": map[string]any{
			"domain": nullable(q.Get("domain")), "company": nullable(company), "type": nullable(typ),
			"seniority": nullable(q.Get("seniority")), "department": nullable(q.Get("department")),
		}},
	})
}

// hunterSources says where Hunter saw an address: on the business's own
// page when the site shows it, else in a fictional directory.
func (s *Sandbox) hunterSources(b *Business, email string, onSite bool, page string) []any {
	h := hash64("sources|" + email)
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	extracted := base.AddDate(0, 0, int(h%1200))
	seen := extracted.AddDate(0, 0, int(h/1200%400))
	src := func(domain, uri string) map[string]any {
		return map[string]any{"domain": domain, "uri": uri, "extracted_on": extracted.Format(time.DateOnly),
			"last_seen_on": seen.Format(time.DateOnly), "still_on_page": true}
	}
	var out []any
	if onSite {
		out = append(out, src(b.Domain, b.Site.Scheme+"://"+b.Site.Host+page))
	}
	if !onSite || h%3 == 0 {
		out = append(out, src("directory.sandbox.example", "https://directory.sandbox.example/"+slug(b.City)+"/"+slug(b.BaseName)))
	}
	return out
}

// hunterVerification is a verification object: status "" means never
// verified (date and status null).
func hunterVerification(email, status string) map[string]any {
	if status == "" {
		return map[string]any{"date": nil, "status": nil}
	}
	d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(hash64("verified|"+email)%600))
	return map[string]any{"date": d.Format(time.DateOnly), "status": status}
}

// validName accepts what a person's name can hold: letters, spaces,
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

func (s *Sandbox) hunterEmailFinder(w http.ResponseWriter, r *http.Request, f Fault) {
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

	b, domain := s.hunterSite(domainParam, company)
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
		writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta})
		return
	}
	site := b.Site
	data["company"], data["accept_all"] = b.BaseName, site.AcceptAll
	var person *Person
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
		data["sources"] = s.hunterSources(b, person.Email, person.ShowsEmail(), site.PeoplePage())
		data["verification"] = hunterVerification(person.Email, orString(person.Verification, "valid"))
	case person != nil:
		// Hunter never saw the address but the pattern finds it.
		status := "valid"
		if site.AcceptAll {
			status = "accept_all"
		}
		data["email"], data["position"] = person.Email, person.Position
		data["score"] = 60 + int(hash64(person.Email)%20)
		data["verification"] = hunterVerification(person.Email, status)
	case site.AcceptAll:
		// Nobody of that name, but the server accepts everything: a guess.
		guess := applyPattern(site.Pattern, asciiName(first), asciiName(last)) + "@" + b.Domain
		data["email"], data["score"] = guess, 30+int(hash64(guess)%15)
		data["verification"] = hunterVerification(guess, "accept_all")
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta})
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

func (s *Sandbox) hunterEmailVerifier(w http.ResponseWriter, r *http.Request, f Fault) {
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
	b, known := s.LookupSite(domain)
	known = known && b.Domain == domain

	var person *Person
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
	if hash64("verifying|"+email)%6 == 0 {
		s.mu.Lock()
		first := !s.verifying[email]
		if first {
			if len(s.verifying) > 100000 {
				clear(s.verifying)
			}
			s.verifying[email] = true
		}
		s.mu.Unlock()
		if first {
			writeJSON(w, http.StatusAccepted, map[string]any{"data": nil, "meta": meta})
			return
		}
	}

	digits := 0
	for _, c := range local {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	h := hash64("verify|" + email)
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
			score := 40 + int(h%20)
			if exists {
				score = 75 + int(h%15)
			}
			set("accept_all", "risky", score)
			d["accept_all"] = true
		case person != nil && person.Verification == "unknown":
			set("unknown", "risky", 30+int(h%20))
			d["block"] = true
		case exists:
			set("valid", "deliverable", 90+int(h%11))
			d["smtp_check"] = true
		default:
			set("invalid", "undeliverable", 5+int(h%15))
		}
		if person != nil && (person.OnHunter || person.ShowsEmail()) {
			d["sources"] = s.hunterSources(b, email, person.ShowsEmail(), site.PeoplePage())
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": d, "meta": meta})
}
