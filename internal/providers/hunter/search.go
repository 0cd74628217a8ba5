package hunter

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/providers"
)

// DomainSearchParams is one Domain Search.
type DomainSearchParams struct {
	Domain string // e.g. "lonestarplumbing.com"; a URL is reduced to its host
	// Limit is the page size: 0 means DefaultLimit (10, all a free plan
	// serves), more than MaxLimit means MaxLimit.
	Limit  int
	Offset int
	Type   string // "", TypePersonal or TypeGeneric
	// Seniority (junior, senior, executive) and Department (executive, it,
	// finance, management, sales, legal, support, hr, marketing,
	// communication, education, design, health, operations) filter the
	// addresses; Hunter rejects unknown values.
	Seniority  []string
	Department []string
	// Pages is how many pages to fetch at most; 0 means one. Each page is
	// billed, and a free plan refuses any page past the first ten addresses.
	Pages int
}

// DomainSearchResult is what Domain Search knows of a domain, with the
// addresses of every page fetched in Emails.
type DomainSearchResult struct {
	DomainSearchData
	// Total is Hunter's count of addresses for the query (meta.results),
	// all pages together.
	Total int
	// NextOffset is the offset of the first address not fetched.
	NextOffset int
	// PlanLimited reports that Hunter refused a further page with
	// pagination_error (a free plan serves limit+offset ≤ 10); Emails holds
	// the pages before it.
	PlanLimited bool
}

// More reports whether Hunter has addresses past the ones fetched.
func (r DomainSearchResult) More() bool { return r.NextOffset < r.Total }

// DomainSearch returns the addresses Hunter knows at a domain, one page of
// p.Limit unless p.Pages asks for more.
func (c *Client) DomainSearch(ctx context.Context, p DomainSearchParams) (DomainSearchResult, error) {
	domain, err := c.searchDomain(p.Domain)
	if err != nil {
		return DomainSearchResult{}, err
	}
	if p.Type != "" && p.Type != TypePersonal && p.Type != TypeGeneric {
		return DomainSearchResult{}, invalid("invalid_type", "type must be personal or generic")
	}
	if p.Limit < 0 || p.Offset < 0 {
		return DomainSearchResult{}, invalid(ErrorIDPaginationError, "limit and offset must not be negative")
	}
	limit := p.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	pages := max(p.Pages, 1)

	q := url.Values{}
	q.Set("domain", domain)
	if p.Type != "" {
		q.Set("type", p.Type)
	}
	if s := joinList(p.Seniority); s != "" {
		q.Set("seniority", s)
	}
	if s := joinList(p.Department); s != "" {
		q.Set("department", s)
	}
	q.Set("limit", strconv.Itoa(limit))

	var res DomainSearchResult
	offset := p.Offset
	for page := range pages {
		q.Set("offset", strconv.Itoa(offset))
		var out DomainSearchResponse
		err := c.call(ctx, c.search, EndpointDomainSearch, q, 0, func(r *providers.Response) (bill, error) {
			if err := json.Unmarshal(r.Body, &out); err != nil {
				return bill{credits: 1, usd: c.searchCost}, badResponse(r, err)
			}
			n := (len(out.Data.Emails) + EmailsPerSearchCredit - 1) / EmailsPerSearchCredit
			return bill{credits: n, usd: float64(n) * c.searchCost}, nil
		})
		if err != nil {
			if page > 0 && isPaginationError(err) {
				res.PlanLimited = true
				return res, nil
			}
			return DomainSearchResult{}, err
		}
		got := out.Data.Emails
		if page == 0 {
			res.DomainSearchData = out.Data
			res.Emails = nil
		}
		res.Emails = append(res.Emails, got...)
		res.Total = out.Meta.Results
		offset += len(got)
		res.NextOffset = offset
		if len(got) < limit || offset >= out.Meta.Results {
			break
		}
	}
	return res, nil
}

// searchDomain is the domain a Domain Search or Email Finder names,
// normalized, once the client is ready to send.
func (c *Client) searchDomain(raw string) (string, error) {
	if err := c.ready(); err != nil {
		return "", err
	}
	domain, ok := normalizeDomain(raw)
	if !ok {
		return "", invalid("invalid_domain", "the domain is empty or not a domain name")
	}
	return domain, nil
}

func isPaginationError(err error) bool {
	e, ok := providers.AsError(err)
	return ok && e.Code == ErrorIDPaginationError
}

// EmailFinderParams is one Email Finder query: a domain and the person's
// first and last name, or their full name.
type EmailFinderParams struct {
	Domain    string
	FirstName string
	LastName  string
	// FullName is sent only when FirstName or LastName is empty: Hunter
	// finds more with the two parts.
	FullName string
}

// Finding is Email Finder's answer. Found is false when Hunter has no address
// for the person (404, or 200 with a null email); the other fields may still
// echo what Hunter knows.
type Finding struct {
	Found bool
	EmailFinderData
}

// EmailFinder returns the most likely address of a person at a domain.
func (c *Client) EmailFinder(ctx context.Context, p EmailFinderParams) (Finding, error) {
	domain, err := c.searchDomain(p.Domain)
	if err != nil {
		return Finding{}, err
	}
	q := url.Values{}
	q.Set("domain", domain)
	first, last, full := strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName), strings.TrimSpace(p.FullName)
	switch {
	case first != "" && last != "":
		q.Set("first_name", first)
		q.Set("last_name", last)
	case full != "":
		q.Set("full_name", full)
	default:
		return Finding{}, invalid("wrong_params", "a first and last name, or a full name, is required")
	}
	var out EmailFinderResponse
	err = c.call(ctx, c.search, EndpointEmailFinder, q, FinderTimeout, func(r *providers.Response) (bill, error) {
		if err := json.Unmarshal(r.Body, &out); err != nil {
			return bill{credits: 1, usd: c.searchCost}, badResponse(r, err)
		}
		if out.Data.Email == "" {
			return bill{}, nil
		}
		return bill{credits: 1, usd: c.searchCost}, nil
	})
	if err != nil {
		// A 404 in Hunter's envelope is "nobody found". Without the
		// envelope it is more likely a wrong base URL, and stays an error.
		if e, ok := providers.AsError(err); ok && e.Kind == providers.KindNotFound && e.Code != "" {
			return Finding{}, nil
		}
		return Finding{}, err
	}
	return Finding{Found: out.Data.Email != "", EmailFinderData: out.Data}, nil
}
