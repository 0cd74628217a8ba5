package hunter_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

// hunterTown is a sandbox whose Hunter fake knows the plumbers of Austin.

func hunterTown(t *testing.T, o sandbox.Options) (*sandbox.Sandbox, *sandbox.Town) {
	t.Helper()
	sb := sandboxtest.Start(t, o)
	return sb, sb.Town("plumber", "Austin, TX")
}

func hunterGet(t *testing.T, sb *sandbox.Sandbox, endpoint string, params url.Values, header map[string]string) sandboxtest.Answer {
	t.Helper()
	if header == nil {
		header = map[string]string{"X-API-KEY": sb.HunterAPIKey}
	}
	return sandboxtest.Do(t, "GET", sb.HunterURL+endpoint+"?"+params.Encode(), header, "")
}

func hunterErrorID(t *testing.T, a sandboxtest.Answer) string {
	t.Helper()
	errs, _ := a.JSON(t)["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors = %s", a.Body)
	}
	e := errs[0].(map[string]any)
	if e["code"] != float64(a.Status) || e["details"] == "" {
		t.Errorf("error %v", e)
	}
	return e["id"].(string)
}

func TestHunterAuthAndErrors(t *testing.T) {
	t.Parallel()
	sb, town := hunterTown(t, sandbox.Options{})
	domain := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool { return b.Site.MX }).Domain
	q := url.Values{"domain": {domain}}
	tests := []struct {
		name     string
		endpoint string
		params   url.Values
		header   map[string]string
		status   int
		id       string
	}{
		{"key in the X-API-KEY header", "/domain-search", q, nil, 200, ""},
		{"key as a Bearer token", "/domain-search", q, map[string]string{"Authorization": "Bearer " + sb.HunterAPIKey}, 200, ""},
		{"key in the query", "/domain-search", url.Values{"domain": {domain}, "api_key": {sb.HunterAPIKey}}, map[string]string{}, 200, ""},
		{"no key", "/domain-search", q, map[string]string{}, 401, "authentication_failed"},
		{"wrong key", "/domain-search", q, map[string]string{"X-API-KEY": "nope"}, 401, "authentication_failed"},
		{"spent quota", "/email-verifier", url.Values{"email": {"info@" + domain}}, map[string]string{"X-API-KEY": sandbox.QuotaExhaustedKey}, 429, "too_many_requests"},
		{"no domain", "/domain-search", url.Values{}, nil, 400, "wrong_params"},
		{"bad type", "/domain-search", url.Values{"domain": {domain}, "type": {"robot"}}, nil, 400, "invalid_type"},
		{"bad seniority", "/domain-search", url.Values{"domain": {domain}, "seniority": {"senior,intern"}}, nil, 400, "invalid_seniority"},
		{"bad department", "/domain-search", url.Values{"domain": {domain}, "department": {"plumbing"}}, nil, 400, "invalid_department"},
		{"limit + offset over 10", "/domain-search", url.Values{"domain": {domain}, "limit": {"10"}, "offset": {"1"}}, nil, 400, "pagination_error"},
		{"limit over 10", "/domain-search", url.Values{"domain": {domain}, "limit": {"20"}}, nil, 400, "pagination_error"},
		{"negative offset", "/domain-search", url.Values{"domain": {domain}, "offset": {"-1"}}, nil, 400, "pagination_error"},
		{"finder without a name", "/email-finder", url.Values{"domain": {domain}}, nil, 400, "wrong_params"},
		{"finder without a domain", "/email-finder", url.Values{"full_name": {"Maria Gonzalez"}}, nil, 400, "wrong_params"},
		{"finder with one name", "/email-finder", url.Values{"domain": {domain}, "full_name": {"Maria"}}, nil, 400, "invalid_full_name"},
		{"finder with a bad first name", "/email-finder", url.Values{"domain": {domain}, "first_name": {"M4ria"}, "last_name": {"Gonzalez"}}, nil, 400, "invalid_first_name"},
		{"finder with a bad max_duration", "/email-finder", url.Values{"domain": {domain}, "full_name": {"Maria Gonzalez"}, "max_duration": {"30"}}, nil, 400, "invalid_max_duration"},
		{"finder on an unknown domain", "/email-finder", url.Values{"domain": {"nosuchbusiness.example"}, "full_name": {"Maria Gonzalez"}}, nil, 400, "invalid_domain"},
		{"verifier without email", "/email-verifier", url.Values{}, nil, 400, "wrong_params"},
		{"verifier with a malformed email", "/email-verifier", url.Values{"email": {"not-an-address"}}, nil, 400, "invalid_email"},
		{"unknown route", "/people/find", url.Values{}, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := hunterGet(t, sb, tt.endpoint, tt.params, tt.header)
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.status, a.Body)
			}
			if tt.id != "" {
				if id := hunterErrorID(t, a); id != tt.id {
					t.Errorf("id %q, want %q", id, tt.id)
				}
			}
		})
	}
}

func TestHunterFaults(t *testing.T) {
	t.Parallel()
	sb, _ := hunterTown(t, sandbox.Options{})
	q := url.Values{"domain": {"whatever.example"}}
	sb.SetFault(sandbox.Hunter, sandbox.Fault{Status: 403, RetryAfter: "2", Times: 1})
	a := hunterGet(t, sb, "/domain-search", q, nil)
	if a.Status != 403 || a.Header.Get("Retry-After") != "2" || hunterErrorID(t, a) != "too_many_requests" {
		t.Errorf("rate-limit fault: %d %s", a.Status, a.Body)
	}
	if a := hunterGet(t, sb, "/domain-search", q, nil); a.Status != 200 {
		t.Errorf("after the fault: %d", a.Status)
	}
	sb.SetFault(sandbox.Hunter, sandbox.Fault{Status: 222, Times: 1})
	if a := hunterGet(t, sb, "/email-verifier", url.Values{"email": {"a@b.example"}}, nil); a.Status != 222 {
		t.Errorf("222 fault: %d", a.Status)
	}
}

func TestHunterDomainSearch(t *testing.T) {
	t.Parallel()
	sb, town := hunterTown(t, sandbox.Options{})
	b := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool {
		n := 0
		for _, p := range b.Site.People {
			if p.OnHunter && !p.Claimed {
				n++
			}
		}
		return n >= 2 && len(b.Site.HunterRoles) > 0
	})
	m := hunterGet(t, sb, "/domain-search", url.Values{"domain": {"https://" + b.Site.Host + "/"}}, nil).JSON(t)
	data, meta := m["data"].(map[string]any), m["meta"].(map[string]any)
	if data["domain"] != b.Domain || data["organization"] != b.BaseName || data["pattern"] != b.Site.Pattern ||
		data["accept_all"] != b.Site.AcceptAll || data["webmail"] != false || data["disposable"] != false {
		t.Errorf("data = %v", data)
	}
	emails := data["emails"].([]any)
	if meta["results"] != float64(len(emails)) || meta["limit"] != float64(10) || meta["offset"] != float64(0) {
		t.Errorf("meta = %v", meta)
	}
	var personal, generic int
	for _, raw := range emails {
		e := raw.(map[string]any)
		for _, k := range []string{"value", "type", "confidence", "sources", "first_name", "last_name", "position", "position_raw",
			"seniority", "department", "linkedin", "twitter", "phone_number", "verification"} {
			if _, ok := e[k]; !ok {
				t.Errorf("email lacks %q: %v", k, e)
			}
		}
		v := e["verification"].(map[string]any)
		if _, ok := v["status"]; !ok {
			t.Errorf("verification %v", v)
		}
		switch e["type"] {
		case "personal":
			personal++
			if !strings.HasSuffix(e["value"].(string), "@"+b.Domain) || e["first_name"] == nil {
				t.Errorf("personal email %v", e)
			}
		case "generic":
			generic++
			if e["first_name"] != nil {
				t.Errorf("generic email with a name: %v", e)
			}
		}
	}
	if personal < 2 || generic < 1 {
		t.Errorf("%d personal, %d generic emails", personal, generic)
	}

	// Filters and paging.
	tests := []struct {
		name   string
		params url.Values
		check  func(e map[string]any) bool
	}{
		{"generic only", url.Values{"type": {"generic"}}, func(e map[string]any) bool { return e["type"] == "generic" }},
		{"executives", url.Values{"seniority": {"executive"}}, func(e map[string]any) bool { return e["seniority"] == "executive" }},
		{"valid only", url.Values{"verification_status": {"valid"}}, func(e map[string]any) bool {
			return e["verification"].(map[string]any)["status"] == "valid"
		}},
	}
	for _, tt := range tests {
		tt.params.Set("domain", b.Domain)
		for _, raw := range hunterGet(t, sb, "/domain-search", tt.params, nil).JSON(t)["data"].(map[string]any)["emails"].([]any) {
			if !tt.check(raw.(map[string]any)) {
				t.Errorf("%s: %v", tt.name, raw)
			}
		}
	}
	page := hunterGet(t, sb, "/domain-search", url.Values{"domain": {b.Domain}, "limit": {"1"}, "offset": {"1"}}, nil).JSON(t)
	if got := page["data"].(map[string]any)["emails"].([]any); len(got) != 1 || got[0].(map[string]any)["value"] != emails[1].(map[string]any)["value"] {
		t.Errorf("second page: %v", got)
	}
	if page["meta"].(map[string]any)["results"] != float64(len(emails)) {
		t.Errorf("paged meta: %v", page["meta"])
	}

	byCompany := hunterGet(t, sb, "/domain-search", url.Values{"company": {b.GoogleName}}, nil).JSON(t)
	if byCompany["data"].(map[string]any)["domain"] != b.Domain {
		t.Errorf("company search: %v", byCompany["data"])
	}
	unknown := hunterGet(t, sb, "/domain-search", url.Values{"domain": {"nosuchbusiness.example"}}, nil).JSON(t)
	if d := unknown["data"].(map[string]any); len(d["emails"].([]any)) != 0 || d["pattern"] != nil || d["organization"] != nil {
		t.Errorf("unknown domain: %v", d)
	}
}

// Hunter and the websites know overlapping but different sets of people,

// and the claimed person is never listed.

func TestHunterKnowsOtherPeopleThanTheWebsites(t *testing.T) {
	t.Parallel()
	sb, town := hunterTown(t, sandbox.Options{})
	var hunterOnly, siteOnly, both int
	for _, b := range town.Businesses {
		if b.Site == nil || !b.Site.MX {
			continue
		}
		listed := map[string]bool{}
		for _, raw := range hunterGet(t, sb, "/domain-search", url.Values{"domain": {b.Domain}}, nil).JSON(t)["data"].(map[string]any)["emails"].([]any) {
			listed[raw.(map[string]any)["value"].(string)] = true
		}
		for _, p := range b.Site.People {
			switch {
			case p.Claimed && listed[p.Email]:
				t.Errorf("claimed %s listed", p.Email)
			case listed[p.Email] && p.ShowsEmail():
				both++
			case listed[p.Email]:
				hunterOnly++
			case p.ShowsEmail() && !p.Claimed:
				siteOnly++
			}
		}
	}
	if hunterOnly < 5 || siteOnly < 5 || both < 5 {
		t.Errorf("%d people only on Hunter, %d only on websites, %d on both", hunterOnly, siteOnly, both)
	}
}

func TestHunterEmailFinder(t *testing.T) {
	t.Parallel()
	sb, town := hunterTown(t, sandbox.Options{})
	known := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool {
		return b.Site.MX && !b.Site.AcceptAll && b.Site.People[0].OnHunter && !b.Site.People[0].Claimed
	})
	hidden := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool {
		return b.Site.MX && !b.Site.AcceptAll && slices.ContainsFunc(b.Site.People, func(p sandbox.Person) bool { return !p.OnHunter && !p.ShowsEmail() })
	})
	var hiddenPerson sandbox.Person
	for _, p := range hidden.Site.People {
		if !p.OnHunter && !p.ShowsEmail() {
			hiddenPerson = p
		}
	}
	acceptAll := sandboxtest.FindSite(t, town, func(b *sandbox.Business) bool { return b.Site.AcceptAll })
	var claimedB *sandbox.Business
	var claimed sandbox.Person
	for i := range town.Businesses {
		if s := town.Businesses[i].Site; s != nil {
			for _, p := range s.People {
				if p.Claimed {
					claimedB, claimed = &town.Businesses[i], p
				}
			}
		}
	}
	owner := known.Site.People[0]
	tests := []struct {
		name      string
		params    url.Values
		status    int
		email     any
		minScore  float64
		verified  any
		hasSource bool
	}{
		{"known person by first and last name", url.Values{"domain": {known.Domain}, "first_name": {owner.First}, "last_name": {owner.Last}},
			200, owner.Email, 70, owner.Verification, true},
		{"known person by full name, in lower case", url.Values{"domain": {known.Domain}, "full_name": {strings.ToLower(owner.Name())}},
			200, owner.Email, 70, owner.Verification, true},
		{"known person by company", url.Values{"company": {known.BaseName}, "full_name": {owner.Name()}},
			200, owner.Email, 70, owner.Verification, true},
		{"person Hunter never saw, found by the pattern", url.Values{"domain": {hidden.Domain}, "full_name": {hiddenPerson.Name()}},
			200, hiddenPerson.Email, 60, "valid", false},
		{"nobody of that name", url.Values{"domain": {known.Domain}, "full_name": {"Nobody Atall"}}, 200, nil, 0, nil, false},
		{"a guess on an accept-all domain", url.Values{"domain": {acceptAll.Domain}, "full_name": {"Nobody Atall"}},
			200, localPart(acceptAll.Site.Pattern, "Nobody", "Atall") + "@" + acceptAll.Domain, 30, "accept_all", false},
		{"claimed person", url.Values{"domain": {claimedB.Domain}, "full_name": {claimed.Name()}}, 451, nil, 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := hunterGet(t, sb, "/email-finder", tt.params, nil)
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.status, a.Body)
			}
			if tt.status == 451 {
				if id := hunterErrorID(t, a); id != "claimed_email" {
					t.Errorf("id %q", id)
				}
				return
			}
			m := a.JSON(t)
			d := m["data"].(map[string]any)
			if d["email"] != tt.email {
				t.Errorf("email %v, want %v", d["email"], tt.email)
			}
			for _, k := range []string{"first_name", "last_name", "score", "domain", "accept_all", "position", "twitter", "linkedin_url", "phone_number", "company", "sources", "verification"} {
				if _, ok := d[k]; !ok {
					t.Errorf("data lacks %q", k)
				}
			}
			if tt.email != nil && d["score"].(float64) < tt.minScore {
				t.Errorf("score %v", d["score"])
			}
			if got := d["verification"].(map[string]any)["status"]; tt.verified != "" && got != tt.verified {
				t.Errorf("verification %v, want %v", got, tt.verified)
			}
			if (len(d["sources"].([]any)) > 0) != tt.hasSource {
				t.Errorf("sources %v", d["sources"])
			}
			if m["meta"].(map[string]any)["params"] == nil {
				t.Error("no meta.params")
			}
		})
	}
}

// localPart applies a Hunter pattern ("{f}{last}") to a name.

func localPart(pattern, first, last string) string {
	f, l := strings.ToLower(first), strings.ToLower(last)
	return strings.NewReplacer("{first}", f, "{last}", l, "{f}", f[:1], "{l}", l[:1]).Replace(pattern)
}

func TestHunterEmailVerifier(t *testing.T) {
	t.Parallel()
	sb, town := hunterTown(t, sandbox.Options{})
	statuses := map[string]int{}
	accepted := 0
	verify := func(email string) sandboxtest.Answer {
		a := hunterGet(t, sb, "/email-verifier", url.Values{"email": {email}}, nil)
		if a.Status == 202 {
			accepted++
			if d := a.JSON(t)["data"]; d != nil {
				t.Errorf("202 with data %v", d)
			}
			a = hunterGet(t, sb, "/email-verifier", url.Values{"email": {email}}, nil)
		}
		return a
	}
	claimedSeen := false
	for _, b := range town.Businesses {
		if b.Site == nil {
			continue
		}
		var emails []string
		for _, p := range b.Site.People {
			if p.Email != "" {
				emails = append(emails, p.Email)
			}
		}
		emails = append(emails, b.Site.RoleEmails...)
		emails = append(emails, "zz-nobody@"+b.Domain)
		for _, e := range emails {
			a := verify(e)
			if a.Status == 451 {
				claimedSeen = true
				if hunterErrorID(t, a) != "claimed_email" {
					t.Errorf("451 for %s without claimed_email", e)
				}
				continue
			}
			if a.Status != 200 {
				t.Fatalf("%s: %d %s", e, a.Status, a.Body)
			}
			d := a.JSON(t)["data"].(map[string]any)
			for _, k := range []string{"status", "result", "score", "email", "regexp", "gibberish", "disposable", "webmail",
				"mx_records", "smtp_server", "smtp_check", "accept_all", "block", "sources"} {
				if _, ok := d[k]; !ok {
					t.Errorf("data lacks %q", k)
				}
			}
			status := d["status"].(string)
			statuses[status]++
			switch {
			case !b.Site.MX && status != "invalid":
				t.Errorf("%s on a domain without MX: %s", e, status)
			case b.Site.AcceptAll && status != "accept_all":
				t.Errorf("%s on an accept-all domain: %s", e, status)
			case strings.HasPrefix(e, "zz-nobody@") && !b.Site.AcceptAll && status != "invalid":
				t.Errorf("made-up %s: %s", e, status)
			}
			// The verdict is the same the next time.
			if again := verify(e).JSON(t)["data"].(map[string]any)["status"]; again != status {
				t.Errorf("%s: %s then %s", e, status, again)
			}
		}
	}
	for _, s := range []string{"valid", "accept_all", "invalid", "unknown"} {
		if statuses[s] < 3 {
			t.Errorf("only %d %s verdicts (%v)", statuses[s], s, statuses)
		}
	}
	if accepted < 3 || !claimedSeen {
		t.Errorf("%d answers were 202, claimed person seen: %v", accepted, claimedSeen)
	}
	if d := verify("someone@gmail.com").JSON(t)["data"].(map[string]any); d["status"] != "webmail" || d["score"] != float64(50) {
		t.Errorf("webmail: %v", d)
	}
}
