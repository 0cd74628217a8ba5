package hunter

import (
	"bytes"
	"encoding/json"
)

// Wire types of Hunter API v2, with Hunter's snake_case names, as in
// https://hunter.io/api-documentation/v2. Every success body is
// {"data": {...}, "meta": {...}}; every error body is {"errors": [...]}.
//
// Hunter sends null for what it does not know (a generic address has no
// first_name, an unverified one no verification date). Such fields are
// NullString, which reads null as "" and writes "" back as null, so that a
// fake built from these types answers as Hunter does.

// NullString is a string that Hunter may send as null. It decodes null as ""
// and encodes "" as null.
type NullString string

// MarshalJSON writes "" as null.
func (s NullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON reads null as "".
func (s *NullString) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = NullString(v)
	return nil
}

// Source is a public page an address was found on.
type Source struct {
	Domain      string `json:"domain"`
	URI         string `json:"uri"`
	ExtractedOn string `json:"extracted_on"` // first seen, YYYY-MM-DD
	LastSeenOn  string `json:"last_seen_on"` // YYYY-MM-DD
	StillOnPage bool   `json:"still_on_page"`
}

// Verification is Hunter's last check of an address found by Domain Search
// or Email Finder. Status is valid, accept_all or unknown; both fields may be
// null when the address was never verified.
type Verification struct {
	Date   NullString `json:"date"`
	Status NullString `json:"status"`
}

// DomainSearchResponse is the body of GET /domain-search.
type DomainSearchResponse struct {
	Data DomainSearchData `json:"data"`
	Meta DomainSearchMeta `json:"meta"`
}

// DomainSearchData describes the domain and the addresses of this page.
type DomainSearchData struct {
	Domain        string     `json:"domain"`
	Disposable    bool       `json:"disposable"`
	Webmail       bool       `json:"webmail"`
	AcceptAll     bool       `json:"accept_all"`
	Pattern       NullString `json:"pattern"` // e.g. "{first}", "{first}.{last}", "{f}{last}"
	Organization  NullString `json:"organization"`
	LinkedDomains []string   `json:"linked_domains"`
	Emails        []Email    `json:"emails"`
}

// Email is one address found by Domain Search. Note the names differ from
// Email Finder's: value (not email), confidence (not score), linkedin (not
// linkedin_url).
type Email struct {
	Value        string        `json:"value"`
	Type         string        `json:"type"`       // personal or generic
	Confidence   int           `json:"confidence"` // 0–100
	Sources      []Source      `json:"sources"`
	FirstName    NullString    `json:"first_name"`
	LastName     NullString    `json:"last_name"`
	Position     NullString    `json:"position"`
	PositionRaw  NullString    `json:"position_raw"`
	Seniority    NullString    `json:"seniority"`  // junior, senior, executive
	Department   NullString    `json:"department"` // executive, it, finance, …
	LinkedIn     NullString    `json:"linkedin"`
	Twitter      NullString    `json:"twitter"`
	PhoneNumber  NullString    `json:"phone_number"`
	Verification *Verification `json:"verification"`
}

// DomainSearchMeta is the paging information: Results is the total number of
// addresses Hunter has for the query, all pages together.
type DomainSearchMeta struct {
	Results int                    `json:"results"`
	Limit   int                    `json:"limit"`
	Offset  int                    `json:"offset"`
	Params  DomainSearchMetaParams `json:"params"`
}

// DomainSearchMetaParams echoes the query.
type DomainSearchMetaParams struct {
	Domain     NullString `json:"domain"`
	Company    NullString `json:"company"`
	Type       NullString `json:"type"`
	Seniority  NullString `json:"seniority"`
	Department NullString `json:"department"`
}

// EmailFinderResponse is the body of GET /email-finder.
type EmailFinderResponse struct {
	Data EmailFinderData `json:"data"`
	Meta EmailFinderMeta `json:"meta"`
}

// EmailFinderData is the most likely address of one person. Email is null
// (and Score 0) when Hunter found none.
type EmailFinderData struct {
	FirstName    NullString    `json:"first_name"`
	LastName     NullString    `json:"last_name"`
	Email        NullString    `json:"email"`
	Score        int           `json:"score"` // 0–100
	Domain       NullString    `json:"domain"`
	AcceptAll    bool          `json:"accept_all"`
	Position     NullString    `json:"position"`
	Twitter      NullString    `json:"twitter"`
	LinkedInURL  NullString    `json:"linkedin_url"`
	PhoneNumber  NullString    `json:"phone_number"`
	Company      NullString    `json:"company"`
	Sources      []Source      `json:"sources"`
	Verification *Verification `json:"verification"`
}

// EmailFinderMeta echoes the query.
type EmailFinderMeta struct {
	Params EmailFinderMetaParams `json:"params"`
}

// EmailFinderMetaParams echoes the query; MaxDuration is null unless given.
type EmailFinderMetaParams struct {
	FirstName   NullString `json:"first_name"`
	LastName    NullString `json:"last_name"`
	FullName    NullString `json:"full_name"`
	Domain      NullString `json:"domain"`
	Company     NullString `json:"company"`
	MaxDuration *int       `json:"max_duration"`
}

// EmailVerifierResponse is the body of GET /email-verifier.
type EmailVerifierResponse struct {
	Data EmailVerifierData `json:"data"`
	Meta EmailVerifierMeta `json:"meta"`
}

// EmailVerifierData is the result of one verification.
type EmailVerifierData struct {
	Status string `json:"status"` // see the Status constants
	// Result is deprecated (deliverable, undeliverable, risky) and left
	// out of the current documentation's example; use Status.
	Result     NullString `json:"result,omitempty"`
	Score      int        `json:"score"` // webmail and disposable get an arbitrary 50
	Email      string     `json:"email"`
	Regexp     bool       `json:"regexp"`
	Gibberish  bool       `json:"gibberish"`
	Disposable bool       `json:"disposable"`
	Webmail    bool       `json:"webmail"`
	MXRecords  bool       `json:"mx_records"`
	SMTPServer bool       `json:"smtp_server"`
	SMTPCheck  bool       `json:"smtp_check"` // the address does not bounce
	AcceptAll  bool       `json:"accept_all"`
	Block      bool       `json:"block"` // the SMTP server blocked the check
	Sources    []Source   `json:"sources"`
}

// EmailVerifierMeta echoes the query.
type EmailVerifierMeta struct {
	Params EmailVerifierMetaParams `json:"params"`
}

// EmailVerifierMetaParams echoes the query.
type EmailVerifierMetaParams struct {
	Email string `json:"email"`
}

// Email Verifier statuses.
const (
	StatusValid      = "valid"
	StatusInvalid    = "invalid"
	StatusAcceptAll  = "accept_all"
	StatusWebmail    = "webmail"
	StatusDisposable = "disposable"
	StatusUnknown    = "unknown"
)

// Address types of Domain Search.
const (
	TypePersonal = "personal"
	TypeGeneric  = "generic"
)

// ErrorResponse is Hunter's error envelope.
type ErrorResponse struct {
	Errors []ErrorItem `json:"errors"`
}

// ErrorItem is one error. ID names it (wrong_params, pagination_error,
// claimed_email, …); Code repeats the HTTP status.
type ErrorItem struct {
	ID      string `json:"id"`
	Code    int    `json:"code"`
	Details string `json:"details"`
}

// Error ids the client acts on.
const (
	ErrorIDClaimedEmail    = "claimed_email"
	ErrorIDPaginationError = "pagination_error"
)

// UnmarshalJSON accepts the documented array and also a single object, which
// the documentation's "Structure" section shows ({"errors": {...}}).
func (r *ErrorResponse) UnmarshalJSON(b []byte) error {
	var raw struct {
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	r.Errors = nil
	body := bytes.TrimSpace(raw.Errors)
	switch {
	case len(body) == 0 || bytes.Equal(body, []byte("null")):
		return nil
	case body[0] == '[':
		return json.Unmarshal(body, &r.Errors)
	default:
		var one ErrorItem
		if err := json.Unmarshal(body, &one); err != nil {
			return err
		}
		r.Errors = []ErrorItem{one}
		return nil
	}
}
