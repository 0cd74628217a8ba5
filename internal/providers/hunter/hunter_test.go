package hunter_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/hunter"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

const testKey = "hk_test_4f1c9a0b7e2d-SECRET"

// newFake speaks Hunter v2 on loopback (its base URL is the server's URL
// + "/v2"): it refuses a wrong X-API-KEY with 401 in Hunter's envelope and
// hands the rest to h.
func newFake(t *testing.T, h http.HandlerFunc) *providerstest.Server {
	t.Helper()
	return providerstest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-KEY") != testKey {
			writeErrors(w, http.StatusUnauthorized, "authentication_failed", "No user found for the API key supplied")
			return
		}
		h(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErrors(w http.ResponseWriter, status int, id, details string) {
	writeJSON(w, status, hunter.ErrorResponse{Errors: []hunter.ErrorItem{{ID: id, Code: status, Details: details}}})
}

// file serves a documented example.
func file(t *testing.T, status int, name string) http.HandlerFunc {
	body := providerstest.Testdata(t, name)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

func errorsReply(status int, id, details string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeErrors(w, status, id, details) }
}

// domainSearch serves total generated addresses at any domain, paged by
// limit and offset as Hunter does; a free plan refuses limit+offset > 10.
func domainSearch(t *testing.T, total int, freePlan bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/domain-search" {
			t.Errorf("path = %s", r.URL.Path)
		}
		q := r.URL.Query()
		limit, offset := hunter.DefaultLimit, 0
		if v := q.Get("limit"); v != "" {
			limit, _ = strconv.Atoi(v)
		}
		if v := q.Get("offset"); v != "" {
			offset, _ = strconv.Atoi(v)
		}
		if freePlan && limit+offset > 10 {
			writeErrors(w, http.StatusBadRequest, "pagination_error", "You are limited to 10 email addresses per domain on a free plan.")
			return
		}
		domain := q.Get("domain")
		resp := hunter.DomainSearchResponse{
			Data: hunter.DomainSearchData{Domain: domain, Pattern: "{first}.{last}", Organization: "Lone Star Plumbing", LinkedDomains: []string{}, Emails: []hunter.Email{}},
			Meta: hunter.DomainSearchMeta{Results: total, Limit: limit, Offset: offset,
				Params: hunter.DomainSearchMetaParams{Domain: hunter.NullString(domain), Type: hunter.NullString(q.Get("type"))}},
		}
		for i := offset; i < min(offset+limit, total); i++ {
			resp.Data.Emails = append(resp.Data.Emails, hunter.Email{
				Value: fmt.Sprintf("person%d@%s", i, domain), Type: hunter.TypePersonal, Confidence: 90,
				Sources:   []hunter.Source{},
				FirstName: hunter.NullString(fmt.Sprintf("Person%d", i)), LastName: "Doe",
				Verification: &hunter.Verification{Status: "valid", Date: "2026-01-02"},
			})
		}
		writeJSON(w, http.StatusOK, resp)
	}
}

type fixture struct {
	fake   *providerstest.Server
	client *hunter.Client
	clock  *providerstest.Clock
	rec    *providerstest.Recorder
}

// setup runs the client against a fake Hunter on a fake clock that moves
// forward on every Sleep.
func setup(t *testing.T, h http.HandlerFunc) fixture {
	t.Helper()
	return setupClock(t, h, providerstest.NewClock(providerstest.Epoch))
}

func setupClock(t *testing.T, h http.HandlerFunc, clock *providerstest.Clock) fixture {
	t.Helper()
	f := fixture{fake: newFake(t, h), clock: clock, rec: &providerstest.Recorder{}}
	var err error
	f.client, err = hunter.New(hunter.Config{
		APIKey:   testKey,
		BaseURL:  f.fake.URL + "/v2",
		Settings: providerstest.Settings(f.clock, f.rec),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// checkSecrets fails when the key is anywhere it must not be: in the URL
// of a request, in a recorded call, or in err.
func (f fixture) checkSecrets(t *testing.T, err error) {
	t.Helper()
	for _, r := range f.fake.Requests() {
		if strings.Contains(r.URL.String(), testKey) || r.URL.Query().Has("api_key") {
			t.Errorf("the key is in the URL %s", r.URL)
		}
		if r.Header.Get("X-API-KEY") != testKey {
			t.Errorf("X-API-KEY = %q", r.Header.Get("X-API-KEY"))
		}
		if r.Header.Get("User-Agent") != providerstest.UserAgent {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
	}
	for _, c := range f.rec.Calls() {
		if s := fmt.Sprintf("%+v %v", c, c.Err); strings.Contains(s, testKey) {
			t.Errorf("the key is in a recorded call: %s", s)
		}
		if c.Service != hunter.Service {
			t.Errorf("call service = %q", c.Service)
		}
	}
	if err != nil && strings.Contains(err.Error(), testKey) {
		t.Errorf("the key is in the error: %v", err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDomainSearchDocumentedExample(t *testing.T) {
	t.Parallel()
	f := setup(t, file(t, http.StatusOK, "domain_search.json"))
	res, err := f.client.DomainSearch(context.Background(), hunter.DomainSearchParams{Domain: "intercom.com"})
	f.checkSecrets(t, err)
	if err != nil {
		t.Fatal(err)
	}
	if res.Domain != "intercom.com" || res.Pattern != "{first}" || res.Organization != "Intercom" || !res.AcceptAll || res.Total != 35 || res.NextOffset != 1 || !res.More() {
		t.Errorf("result = %+v", res)
	}
	if len(res.Emails) != 1 {
		t.Fatalf("emails = %+v", res.Emails)
	}
	e := res.Emails[0]
	if e.Value != "ciaran@intercom.com" || e.Type != "personal" || e.Confidence != 92 || e.FirstName != "Ciaran" || e.LastName != "Lee" ||
		e.Position != "Support Engineer" || e.Seniority != "senior" || e.Department != "it" || e.LinkedIn != "" || e.PhoneNumber != "" ||
		e.Verification == nil || e.Verification.Status != "valid" || len(e.Sources) != 1 || !e.Sources[0].StillOnPage {
		t.Errorf("email = %+v", e)
	}
	reqs := f.fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %d", len(reqs))
	}
	r := reqs[0]
	want := url.Values{"domain": {"intercom.com"}, "limit": {"10"}, "offset": {"0"}}
	if r.Method != http.MethodGet || r.URL.Path != "/v2/domain-search" || !reflect.DeepEqual(r.URL.Query(), want) {
		t.Errorf("request = %s %s %v, want query %v", r.Method, r.URL.Path, r.URL.Query(), want)
	}
	calls := f.rec.Calls()
	if len(calls) != 1 || calls[0].Endpoint != hunter.EndpointDomainSearch || calls[0].Status != 200 || calls[0].Credits != 1 || !near(calls[0].CostUSD, 0.10) || calls[0].Err != nil {
		t.Errorf("calls = %+v", calls)
	}
}

func TestDomainSearchPaging(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		total       int
		freePlan    bool
		params      hunter.DomainSearchParams
		wantOffsets []string
		wantLimit   string
		wantEmails  int
		wantNext    int
		wantLimited bool
		wantCredits int
		wantStatus  []int
	}{
		{name: "one page by default", total: 35, params: hunter.DomainSearchParams{},
			wantOffsets: []string{"0"}, wantLimit: "10", wantEmails: 10, wantNext: 10, wantCredits: 1, wantStatus: []int{200}},
		{name: "pages until total", total: 25, params: hunter.DomainSearchParams{Pages: 5},
			wantOffsets: []string{"0", "10", "20"}, wantLimit: "10", wantEmails: 25, wantNext: 25, wantCredits: 3, wantStatus: []int{200, 200, 200}},
		{name: "pages asked for bound the search", total: 100, params: hunter.DomainSearchParams{Pages: 2, Limit: 20, Offset: 5},
			wantOffsets: []string{"5", "25"}, wantLimit: "20", wantEmails: 40, wantNext: 45, wantCredits: 4, wantStatus: []int{200, 200}},
		{name: "limit above the maximum", total: 150, params: hunter.DomainSearchParams{Limit: 500},
			wantOffsets: []string{"0"}, wantLimit: "100", wantEmails: 100, wantNext: 100, wantCredits: 10, wantStatus: []int{200}},
		{name: "short page ends the search", total: 7, params: hunter.DomainSearchParams{Pages: 3},
			wantOffsets: []string{"0"}, wantLimit: "10", wantEmails: 7, wantNext: 7, wantCredits: 1, wantStatus: []int{200}},
		{name: "nothing found costs nothing", total: 0, params: hunter.DomainSearchParams{Pages: 3},
			wantOffsets: []string{"0"}, wantLimit: "10", wantEmails: 0, wantNext: 0, wantCredits: 0, wantStatus: []int{200}},
		{name: "free plan stops after ten", total: 35, freePlan: true, params: hunter.DomainSearchParams{Pages: 3},
			wantOffsets: []string{"0", "10"}, wantLimit: "10", wantEmails: 10, wantNext: 10, wantLimited: true, wantCredits: 1, wantStatus: []int{200, 400}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, domainSearch(t, tt.total, tt.freePlan))
			p := tt.params
			p.Domain = "lonestarplumbing.example"
			res, err := f.client.DomainSearch(context.Background(), p)
			f.checkSecrets(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Emails) != tt.wantEmails || res.NextOffset != tt.wantNext || res.PlanLimited != tt.wantLimited || res.Total != tt.total {
				t.Errorf("emails=%d next=%d limited=%v total=%d, want %d %d %v %d", len(res.Emails), res.NextOffset, res.PlanLimited, res.Total,
					tt.wantEmails, tt.wantNext, tt.wantLimited, tt.total)
			}
			distinct := map[string]bool{}
			for _, e := range res.Emails {
				distinct[e.Value] = true
			}
			if len(distinct) != len(res.Emails) {
				t.Errorf("duplicate addresses across pages")
			}
			var offsets []string
			for _, r := range f.fake.Requests() {
				offsets = append(offsets, r.URL.Query().Get("offset"))
				if r.URL.Query().Get("limit") != tt.wantLimit {
					t.Errorf("limit = %s, want %s", r.URL.Query().Get("limit"), tt.wantLimit)
				}
			}
			if !reflect.DeepEqual(offsets, tt.wantOffsets) {
				t.Errorf("offsets = %v, want %v", offsets, tt.wantOffsets)
			}
			credits, statuses := 0, []int{}
			for _, c := range f.rec.Calls() {
				credits += c.Credits
				statuses = append(statuses, c.Status)
			}
			if credits != tt.wantCredits || !near(f.rec.TotalCostUSD(), float64(tt.wantCredits)*hunter.DefaultSearchCostUSD) {
				t.Errorf("credits = %d, cost = %v, want %d credits", credits, f.rec.TotalCostUSD(), tt.wantCredits)
			}
			if !reflect.DeepEqual(statuses, tt.wantStatus) {
				t.Errorf("recorded statuses = %v, want %v", statuses, tt.wantStatus)
			}
		})
	}
}

func TestDomainSearchRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		params    hunter.DomainSearchParams
		wantQuery url.Values
	}{
		{name: "filters", params: hunter.DomainSearchParams{Domain: "acme.example", Type: hunter.TypePersonal, Seniority: []string{"senior", " executive"}, Department: []string{"executive", "", "sales"}},
			wantQuery: url.Values{"domain": {"acme.example"}, "type": {"personal"}, "seniority": {"senior,executive"}, "department": {"executive,sales"}, "limit": {"10"}, "offset": {"0"}}},
		{name: "a website URL is reduced to its domain", params: hunter.DomainSearchParams{Domain: " https://www.Acme.example:443/contact?x=1 "},
			wantQuery: url.Values{"domain": {"acme.example"}, "limit": {"10"}, "offset": {"0"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, domainSearch(t, 3, false))
			if _, err := f.client.DomainSearch(context.Background(), tt.params); err != nil {
				t.Fatal(err)
			}
			if got := f.fake.Requests()[0].URL.Query(); !reflect.DeepEqual(got, tt.wantQuery) {
				t.Errorf("query = %v, want %v", got, tt.wantQuery)
			}
		})
	}
}

func TestRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		key      string
		run      func(c *hunter.Client) error
		wantCode string
		wantKind providers.Kind
	}{
		{name: "no key", key: "-", run: func(c *hunter.Client) error {
			_, err := c.DomainSearch(context.Background(), hunter.DomainSearchParams{Domain: "acme.example"})
			return err
		}, wantCode: providers.CodeNoAPIKey, wantKind: providers.KindAuth},
		{name: "no domain", run: func(c *hunter.Client) error {
			_, err := c.DomainSearch(context.Background(), hunter.DomainSearchParams{Domain: "  "})
			return err
		}, wantCode: "invalid_domain", wantKind: providers.KindInvalid},
		{name: "bad type", run: func(c *hunter.Client) error {
			_, err := c.DomainSearch(context.Background(), hunter.DomainSearchParams{Domain: "acme.example", Type: "boss"})
			return err
		}, wantCode: "invalid_type", wantKind: providers.KindInvalid},
		{name: "negative offset", run: func(c *hunter.Client) error {
			_, err := c.DomainSearch(context.Background(), hunter.DomainSearchParams{Domain: "acme.example", Offset: -1})
			return err
		}, wantCode: "pagination_error", wantKind: providers.KindInvalid},
		{name: "finder without a name", run: func(c *hunter.Client) error {
			_, err := c.EmailFinder(context.Background(), hunter.EmailFinderParams{Domain: "acme.example", FirstName: "Ann"})
			return err
		}, wantCode: "wrong_params", wantKind: providers.KindInvalid},
		{name: "verifier without an address", run: func(c *hunter.Client) error {
			_, err := c.EmailVerifier(context.Background(), "ann.acme.example")
			return err
		}, wantCode: "invalid_email", wantKind: providers.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, func(w http.ResponseWriter, r *http.Request) { t.Error("request sent") })
			c := f.client
			if tt.key == "-" {
				c = c.WithKey("")
			}
			err := tt.run(c)
			providerstest.CheckError(t, err, hunter.Service, tt.wantKind, tt.wantCode)
			if len(f.fake.Requests()) != 0 || len(f.rec.Calls()) != 0 {
				t.Errorf("sent %d requests, recorded %d calls", len(f.fake.Requests()), len(f.rec.Calls()))
			}
		})
	}
}

func TestEmailFinder(t *testing.T) {
	t.Parallel()
	notFoundNull := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, hunter.EmailFinderResponse{
			Data: hunter.EmailFinderData{FirstName: "Dana", LastName: "Nobody", Domain: "acme.example", Sources: []hunter.Source{}},
			Meta: hunter.EmailFinderMeta{Params: hunter.EmailFinderMetaParams{FirstName: "Dana", LastName: "Nobody", Domain: "acme.example"}},
		})
	}
	tests := []struct {
		name        string
		handler     func(t *testing.T) http.HandlerFunc
		params      hunter.EmailFinderParams
		wantQuery   url.Values
		wantFound   bool
		wantEmail   string
		wantCredits int
		wantStatus  int
	}{
		{name: "found, documented example", handler: func(t *testing.T) http.HandlerFunc { return file(t, 200, "email_finder.json") },
			params:    hunter.EmailFinderParams{Domain: "reddit.com", FirstName: "Alexis", LastName: "Ohanian", FullName: "Alexis Ohanian"},
			wantQuery: url.Values{"domain": {"reddit.com"}, "first_name": {"Alexis"}, "last_name": {"Ohanian"}},
			wantFound: true, wantEmail: "alexis@reddit.com", wantCredits: 1, wantStatus: 200},
		{name: "full name when a part is missing", handler: func(t *testing.T) http.HandlerFunc { return file(t, 200, "email_finder.json") },
			params:    hunter.EmailFinderParams{Domain: "reddit.com", FirstName: "Alexis", FullName: "Alexis Ohanian"},
			wantQuery: url.Values{"domain": {"reddit.com"}, "full_name": {"Alexis Ohanian"}},
			wantFound: true, wantEmail: "alexis@reddit.com", wantCredits: 1, wantStatus: 200},
		{name: "not found as 200 with a null email", handler: func(t *testing.T) http.HandlerFunc { return notFoundNull },
			params:    hunter.EmailFinderParams{Domain: "acme.example", FirstName: "Dana", LastName: "Nobody"},
			wantQuery: url.Values{"domain": {"acme.example"}, "first_name": {"Dana"}, "last_name": {"Nobody"}},
			wantFound: false, wantStatus: 200},
		{name: "not found as 404", handler: func(t *testing.T) http.HandlerFunc {
			return errorsReply(404, "email_not_found", "No email address was found for this person.")
		},
			params:    hunter.EmailFinderParams{Domain: "acme.example", FullName: "Dana Nobody"},
			wantQuery: url.Values{"domain": {"acme.example"}, "full_name": {"Dana Nobody"}},
			wantFound: false, wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.handler(t))
			got, err := f.client.EmailFinder(context.Background(), tt.params)
			f.checkSecrets(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if got.Found != tt.wantFound || string(got.Email) != tt.wantEmail {
				t.Errorf("finding = %+v", got)
			}
			if tt.wantFound && (got.Score != 97 || got.Position != "Cofounder" || got.Company != "Reddit" || got.Verification == nil || got.Verification.Status != "valid" || got.LinkedInURL != "") {
				t.Errorf("finding = %+v", got)
			}
			reqs := f.fake.Requests()
			if len(reqs) != 1 || reqs[0].URL.Path != "/v2/email-finder" || !reflect.DeepEqual(reqs[0].URL.Query(), tt.wantQuery) {
				t.Errorf("requests = %+v, want query %v", reqs, tt.wantQuery)
			}
			calls := f.rec.Calls()
			if len(calls) != 1 || calls[0].Credits != tt.wantCredits || !near(calls[0].CostUSD, float64(tt.wantCredits)*hunter.DefaultSearchCostUSD) ||
				calls[0].Status != tt.wantStatus || calls[0].Endpoint != hunter.EndpointEmailFinder {
				t.Errorf("calls = %+v", calls)
			}
		})
	}
}

func TestEmailVerifier(t *testing.T) {
	t.Parallel()
	accepted := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) }
	unknown := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, hunter.EmailVerifierResponse{
			Data: hunter.EmailVerifierData{Status: hunter.StatusUnknown, Email: "patrick@stripe.com", Regexp: true, MXRecords: true, Sources: []hunter.Source{}},
			Meta: hunter.EmailVerifierMeta{Params: hunter.EmailVerifierMetaParams{Email: "patrick@stripe.com"}},
		})
	}
	smtpFailure := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(222) }
	tests := []struct {
		name        string
		handler     func(t *testing.T) http.HandlerFunc
		wantStatus  string
		wantPending bool
		wantSMTP    bool
		wantCalls   []int
		wantSleeps  []time.Duration
		wantCost    float64
	}{
		{name: "valid at once", handler: func(t *testing.T) http.HandlerFunc { return file(t, 200, "email_verifier.json") },
			wantStatus: hunter.StatusValid, wantCalls: []int{200}, wantCost: hunter.DefaultVerificationCostUSD},
		{name: "202 then valid", handler: func(t *testing.T) http.HandlerFunc {
			return providerstest.Sequence(accepted, accepted, file(t, 200, "email_verifier.json"))
		}, wantStatus: hunter.StatusValid, wantCalls: []int{202, 202, 200},
			wantSleeps: []time.Duration{5 * time.Second, 5 * time.Second}, wantCost: hunter.DefaultVerificationCostUSD},
		{name: "still 202 after the polls", handler: func(t *testing.T) http.HandlerFunc { return accepted },
			wantStatus: hunter.StatusUnknown, wantPending: true, wantCalls: []int{202, 202, 202, 202},
			wantSleeps: []time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second}},
		{name: "222 remote SMTP failure", handler: func(t *testing.T) http.HandlerFunc { return smtpFailure },
			wantStatus: hunter.StatusUnknown, wantSMTP: true, wantCalls: []int{222}},
		{name: "unknown costs nothing", handler: func(t *testing.T) http.HandlerFunc { return unknown },
			wantStatus: hunter.StatusUnknown, wantCalls: []int{200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.handler(t))
			v, err := f.client.EmailVerifier(context.Background(), "patrick@stripe.com")
			f.checkSecrets(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tt.wantStatus || v.Pending != tt.wantPending || v.SMTPFailure != tt.wantSMTP || v.Email != "patrick@stripe.com" {
				t.Errorf("verification = %+v", v)
			}
			if tt.wantStatus == hunter.StatusValid && (v.Score != 100 || !v.SMTPCheck || !v.MXRecords || v.Result != "deliverable" || len(v.Sources) != 1) {
				t.Errorf("verification = %+v", v)
			}
			for _, r := range f.fake.Requests() {
				if r.URL.Path != "/v2/email-verifier" || !reflect.DeepEqual(r.URL.Query(), url.Values{"email": {"patrick@stripe.com"}}) {
					t.Errorf("request = %s %v", r.URL.Path, r.URL.Query())
				}
			}
			for _, c := range f.rec.Calls() {
				if c.Endpoint != hunter.EndpointEmailVerifier {
					t.Errorf("endpoint = %q", c.Endpoint)
				}
			}
			if statuses := f.rec.Statuses(); !slices.Equal(statuses, tt.wantCalls) {
				t.Errorf("recorded statuses = %v, want %v", statuses, tt.wantCalls)
			}
			f.clock.CheckSleeps(t, tt.wantSleeps...)
			if !near(f.rec.TotalCostUSD(), tt.wantCost) {
				t.Errorf("cost = %v, want %v", f.rec.TotalCostUSD(), tt.wantCost)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	html502 := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	}
	rateLimitedOnce := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		writeErrors(w, http.StatusForbidden, "too_many_requests", "You have reached the rate limit.")
	}
	tests := []struct {
		name         string
		key          string
		endpoint     string
		handler      func(t *testing.T) http.HandlerFunc
		wantErr      bool
		wantKind     providers.Kind
		wantCode     string
		wantDNP      bool
		wantStatuses []int
		wantSleeps   []time.Duration
		wantDescribe string
		frozen       bool
	}{
		{name: "401 bad key", key: "wrong-key", endpoint: "domain", handler: func(t *testing.T) http.HandlerFunc { return domainSearch(t, 3, false) },
			wantErr: true, wantKind: providers.KindAuth, wantCode: "authentication_failed", wantStatuses: []int{401}, wantDescribe: "rejected the API key"},
		{name: "400 wrong params", endpoint: "domain", handler: func(t *testing.T) http.HandlerFunc { return file(t, 400, "error_wrong_params.json") },
			wantErr: true, wantKind: providers.KindInvalid, wantCode: "wrong_params", wantStatuses: []int{400}},
		{name: "400 pagination_error on the first page", endpoint: "domain", handler: func(t *testing.T) http.HandlerFunc {
			return errorsReply(400, "pagination_error", "You are limited to 10 email addresses per domain on a free plan.")
		}, wantErr: true, wantKind: providers.KindInvalid, wantCode: "pagination_error", wantStatuses: []int{400}},
		{name: "403 is the rate limit, retried until it passes", endpoint: "domain", handler: func(t *testing.T) http.HandlerFunc {
			return providerstest.Sequence(errorsReply(403, "too_many_requests", "You have reached the rate limit."), domainSearch(t, 3, false))
		}, wantStatuses: []int{403, 200}, wantSleeps: []time.Duration{time.Second}},
		{name: "403 honours Retry-After", endpoint: "finder", handler: func(t *testing.T) http.HandlerFunc {
			return providerstest.Sequence(rateLimitedOnce, file(t, 200, "email_finder.json"))
		}, wantStatuses: []int{403, 200}, wantSleeps: []time.Duration{3 * time.Second}, frozen: true},
		{name: "403 throughout", endpoint: "verifier", handler: func(t *testing.T) http.HandlerFunc {
			return errorsReply(403, "too_many_requests", "You have reached the rate limit.")
		}, wantErr: true, wantKind: providers.KindRateLimited, wantCode: "too_many_requests",
			wantStatuses: []int{403, 403, 403, 403}, wantSleeps: []time.Duration{time.Second, time.Second, time.Second}},
		{name: "429 is the monthly allowance, not retried", endpoint: "domain", handler: func(t *testing.T) http.HandlerFunc {
			return errorsReply(429, "too_many_requests", "You have reached your usage limit. Upgrade your plan if necessary.")
		}, wantErr: true, wantKind: providers.KindQuota, wantCode: "too_many_requests", wantStatuses: []int{429}, wantDescribe: "quota exhausted"},
		{name: "451 from the finder", endpoint: "finder", handler: func(t *testing.T) http.HandlerFunc { return file(t, 451, "error_claimed_email.json") },
			wantErr: true, wantKind: providers.KindRejected, wantCode: "claimed_email", wantDNP: true, wantStatuses: []int{451}},
		{name: "451 from the verifier", endpoint: "verifier", handler: func(t *testing.T) http.HandlerFunc { return file(t, 451, "error_claimed_email.json") },
			wantErr: true, wantKind: providers.KindRejected, wantCode: "claimed_email", wantDNP: true, wantStatuses: []int{451}},
		{name: "500 then success, with back-off", endpoint: "verifier", handler: func(t *testing.T) http.HandlerFunc {
			return providerstest.Sequence(errorsReply(500, "server_error", "Something went wrong."), file(t, 200, "email_verifier.json"))
		}, wantStatuses: []int{500, 200}, wantSleeps: []time.Duration{250 * time.Millisecond}},
		{name: "502 HTML page throughout", endpoint: "domain", handler: func(t *testing.T) http.HandlerFunc { return html502 },
			wantErr: true, wantKind: providers.KindUnavailable, wantStatuses: []int{502, 502, 502, 502},
			wantSleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}},
		{name: "404 without Hunter's envelope is not 'nobody found'", endpoint: "finder", handler: func(t *testing.T) http.HandlerFunc { return http.NotFound },
			wantErr: true, wantKind: providers.KindNotFound, wantStatuses: []int{404}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := providerstest.EpochClock(tt.frozen)
			f := setupClock(t, tt.handler(t), clock)
			c := f.client
			if tt.key != "" {
				c = c.WithKey(tt.key)
			}
			var err error
			switch tt.endpoint {
			case "domain":
				_, err = c.DomainSearch(context.Background(), hunter.DomainSearchParams{Domain: "acme.example"})
			case "finder":
				_, err = c.EmailFinder(context.Background(), hunter.EmailFinderParams{Domain: "reddit.com", FirstName: "Alexis", LastName: "Ohanian"})
			case "verifier":
				_, err = c.EmailVerifier(context.Background(), "patrick@stripe.com")
			}
			if tt.key == "" {
				f.checkSecrets(t, err)
			} else if err != nil && strings.Contains(err.Error(), tt.key) {
				t.Errorf("the key is in the error: %v", err)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				providerstest.CheckError(t, err, hunter.Service, tt.wantKind, tt.wantCode)
				if hunter.IsDoNotProcess(err) != tt.wantDNP || errors.Is(err, hunter.ErrDoNotProcess) != tt.wantDNP {
					t.Errorf("IsDoNotProcess = %v, want %v", hunter.IsDoNotProcess(err), tt.wantDNP)
				}
				if !strings.HasSuffix(providers.Describe(err), tt.wantDescribe) {
					t.Errorf("Describe = %q, want %q", providers.Describe(err), tt.wantDescribe)
				}
			}
			for _, c := range f.rec.Calls() {
				if (c.Err != nil) != (c.Status >= 300) {
					t.Errorf("call %+v: error and status disagree", c)
				}
				if c.Err != nil && (c.CostUSD != 0 || c.Credits != 0) {
					t.Errorf("failed call billed: %+v", c)
				}
			}
			if statuses := f.rec.Statuses(); !slices.Equal(statuses, tt.wantStatuses) {
				t.Errorf("recorded statuses = %v, want %v", statuses, tt.wantStatuses)
			}
			f.clock.CheckSleeps(t, tt.wantSleeps...)
		})
	}
}

func TestNetworkFailureKeepsTheKeyOut(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	base := ts.URL + "/v2"
	ts.Close() // nothing listens any more
	rec := &providerstest.Recorder{}
	c, err := hunter.New(hunter.Config{APIKey: testKey, BaseURL: base, Settings: providers.Settings{
		Clock: providerstest.NewFrozenClock(providerstest.Epoch), Recorder: rec, MaxAttempts: 2, Jitter: func() float64 { return 0 }}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.EmailVerifier(context.Background(), "patrick@stripe.com")
	if !providers.IsUnavailable(err) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), "patrick@stripe.com") {
		t.Errorf("the error shows the request: %v", err)
	}
	if calls := rec.Calls(); len(calls) != 2 || calls[0].Status != 0 || calls[0].Err == nil {
		t.Errorf("calls = %+v", calls)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"ftp://api.hunter.io/v2", "api.hunter.io", "https://api.hunter.io/v2?api_key=x", "://"} {
		if _, err := hunter.New(hunter.Config{BaseURL: base}); err == nil {
			t.Errorf("New accepted base URL %q", base)
		}
	}
	if _, err := hunter.New(hunter.Config{}); err != nil {
		t.Errorf("default base URL: %v", err)
	}
}

func TestConfiguredCosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		search     float64
		wantSearch float64
	}{
		{name: "default", search: 0, wantSearch: hunter.DefaultSearchCostUSD},
		{name: "own price", search: 0.03, wantSearch: 0.03},
		{name: "free", search: -1, wantSearch: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t, domainSearch(t, 12, false))
			rec := &providerstest.Recorder{}
			c, err := hunter.New(hunter.Config{APIKey: testKey, BaseURL: fake.URL + "/v2", SearchCostUSD: tt.search, Settings: providers.Settings{Recorder: rec}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.DomainSearch(context.Background(), hunter.DomainSearchParams{Domain: "acme.example", Limit: 20}); err != nil {
				t.Fatal(err)
			}
			if got := rec.TotalCostUSD(); !near(got, 2*tt.wantSearch) {
				t.Errorf("cost = %v, want %v", got, 2*tt.wantSearch)
			}
		})
	}
}
