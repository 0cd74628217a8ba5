package hunter

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

func (h *handler) hunterDomainSearch(w http.ResponseWriter, r *http.Request, f fake.Fault) {
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
	// The list filters, checked in this order: each is a comma-separated
	// subset of the values Hunter documents for it.
	var seniority, department, required, statuses []string
	for _, l := range []struct {
		param, code, message string
		allowed              []string
		into                 *[]string
	}{
		{"seniority", "invalid_seniority", "The seniority must be junior, senior or executive", hunterSeniorities, &seniority},
		{"department", "invalid_department", "The department is not one of " + strings.Join(hunterDepartments, ", "), hunterDepartments, &department},
		{"required_field", "wrong_params", "The required_field must be full_name, position or phone_number", hunterRequired, &required},
		{"verification_status", "wrong_params", "The verification_status must be valid, accept_all or unknown", hunterStatuses, &statuses},
	} {
		list, ok := listValues(q.Get(l.param), l.allowed)
		if !ok {
			hunterError(w, http.StatusBadRequest, l.code, l.message)
			return
		}
		*l.into = list
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

	b, domain := h.hunterSite(domainParam, company)
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
				"value": p.Email, "type": "personal", "confidence": p.Confidence, "sources": hunterSources(b, p.Email, p.ShowsEmail(), site.PeoplePage()),
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
				"value": e, "type": "generic", "confidence": 80 + int(town.Hash(e)%16),
				"sources":    hunterSources(b, e, slices.Contains(site.RoleEmails, e), site.RolesPage()),
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
	fake.WriteJSON(w, http.StatusOK, map[string]any{
		"data": data,
		"meta": map[string]any{"results": total, "limit": limit, "offset": offset, "params": map[string]any{
			"domain": nullable(q.Get("domain")), "company": nullable(company), "type": nullable(typ),
			"seniority": nullable(q.Get("seniority")), "department": nullable(q.Get("department")),
		}},
	})
}

// hunterSources says where Hunter saw an address: on the business's own
