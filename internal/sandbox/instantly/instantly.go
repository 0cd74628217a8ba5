// Package instantly is the Instantly API v2 fake, mounted at the v2 root
// (INSTANTLY_BASE_URL): POST /campaigns, GET /campaigns/{id}, POST
// /campaigns/{id}/activate and /pause, POST /leads/add, POST and GET
// /webhooks, in the wire format of external-apis.md §4.
//
// It checks what Instantly checks:
//   - "Authorization: Bearer <key>": a missing or unknown key answers 401,
//     fake.QuotaExhaustedKey 402 (no active paid plan);
//   - bodies against the documented schemas: unknown properties (the
//     schemas are additionalProperties: false), missing required ones,
//     wrong types, HH:MM timings, the closed time zone list, step types
//     and delays, 1–1000 leads, scalar custom variables, http(s) webhook
//     URLs and known event types; each failure is a 400 in Fastify's shape,
//     {"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request",
//     "message":"body must have required property 'name'"};
//   - a JSON Content-Type with an empty body (as a careless activate sends)
//     is 400 FST_ERR_CTP_EMPTY_JSON_BODY, as Fastify answers.
//
// Campaigns, leads and webhooks live in memory, safe for concurrent use;
// Campaigns, Leads and Webhooks show them to tests. A Fault's Status
// answers that status in the same error shape (with Retry-After when the
// Fault has one) before anything else is looked at.
//
// The fake sends nothing and delivers no webhook events: it stands in for
// Instantly's API, not for its mail servers.
package instantly

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/fake"
)

// DefaultKey is the key the fake accepts when Options.APIKey is empty.
const DefaultKey = "sandbox-instantly-key"

// Options configures New.
type Options struct {
	// APIKey is the key the fake accepts (besides fake.QuotaExhaustedKey,
	// which is always told the workspace has no paid plan).
	APIKey string
	// Now is the clock of the timestamps; time.Now when nil.
	Now func() time.Time
}

// Fake is the Instantly API fake: an http.Handler holding one workspace.
type Fake struct {
	opts      Options
	workspace string

	mu        sync.Mutex
	campaigns map[string]*Campaign
	order     []string           // campaign ids, oldest first
	leads     map[string][]*Lead // by campaign id
	webhooks  []*Webhook
}

// New returns the fake.
func New(opts Options) *Fake {
	opts.APIKey = cmp.Or(opts.APIKey, DefaultKey)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Fake{opts: opts, workspace: newID(), campaigns: map[string]*Campaign{}, leads: map[string][]*Lead{}}
}

// maxBody bounds a request body: 1,000 leads of three long steps each.
const maxBody = 32 << 20

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if flt := fake.FaultOf(r); flt.Status != 0 {
		if flt.RetryAfter != "" {
			w.Header().Set("Retry-After", flt.RetryAfter)
		}
		writeError(w, flt.Status, "", cmp.Or(flt.Code, faultMessage(flt.Status)))
		return
	}
	switch key := bearer(r); key {
	case f.opts.APIKey:
	case fake.QuotaExhaustedKey:
		writeError(w, http.StatusPaymentRequired, "", "Workspace does not have an active paid plan")
		return
	default:
		writeError(w, http.StatusUnauthorized, "", "Invalid authorization header or API key")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "", "cannot read the body")
		return
	}
	if len(body) > maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, "FST_ERR_CTP_BODY_TOO_LARGE", "Request body is too large")
		return
	}
	rt := route{method: r.Method, parts: strings.Split(strings.Trim(r.URL.Path, "/"), "/")}
	switch {
	case rt.is(http.MethodPost, "campaigns"):
		f.createCampaign(w, r, body)
	case rt.is(http.MethodGet, "campaigns", "*"):
		f.getCampaign(w, rt.parts[1])
	case rt.is(http.MethodPost, "campaigns", "*", "activate"):
		f.setStatus(w, r, body, rt.parts[1], statusActive)
	case rt.is(http.MethodPost, "campaigns", "*", "pause"):
		f.setStatus(w, r, body, rt.parts[1], statusPaused)
	case rt.is(http.MethodPost, "leads", "add"):
		f.addLeads(w, r, body)
	case rt.is(http.MethodPost, "webhooks"):
		f.createWebhook(w, r, body)
	case rt.is(http.MethodGet, "webhooks"):
		f.listWebhooks(w, r)
	default:
		writeError(w, http.StatusNotFound, "", "Route "+r.Method+":"+askedPath(r)+" not found")
	}
}

// route matches a request's method and path segments; "*" is one segment.
type route struct {
	method string
	parts  []string
}

func (rt route) is(method string, parts ...string) bool {
	if rt.method != method || len(rt.parts) != len(parts) {
		return false
	}
	for i, p := range parts {
		if p != "*" && p != rt.parts[i] || rt.parts[i] == "" {
			return false
		}
	}
	return true
}

// askedPath is the path the client asked for, before the sandbox stripped
// its mount prefix: Fastify's 404 names the whole route.
func askedPath(r *http.Request) string {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
		return u.Path
	}
	return r.URL.Path
}

func bearer(r *http.Request) string {
	a := r.Header.Get("Authorization")
	if len(a) > 7 && strings.EqualFold(a[:7], "Bearer ") {
		return strings.TrimSpace(a[7:])
	}
	return ""
}

// decodeBody reads a JSON body as Fastify does: a JSON Content-Type is
// required, an empty or malformed body is refused, numbers stay exact.
func decodeBody(w http.ResponseWriter, r *http.Request, body []byte) (any, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "FST_ERR_CTP_INVALID_MEDIA_TYPE", "Unsupported Media Type: "+cmp.Or(r.Header.Get("Content-Type"), "none"))
		return nil, false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		writeError(w, http.StatusBadRequest, "FST_ERR_CTP_EMPTY_JSON_BODY", "Body cannot be empty when content-type is set to 'application/json'")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		writeError(w, http.StatusBadRequest, "FST_ERR_CTP_INVALID_JSON_BODY", "Body is not valid JSON but content-type is set to 'application/json'")
		return nil, false
	}
	return v, true
}

// validate checks v against schema c, answering the 400 when it fails.
func validate(w http.ResponseWriter, v any, c check) bool {
	if err := c("body", v); err != nil {
		writeError(w, http.StatusBadRequest, "FST_ERR_VALIDATION", err.Error())
		return false
	}
	return true
}

// ErrorBody is Instantly's error shape.
type ErrorBody struct {
	StatusCode int    `json:"statusCode"`
	Code       string `json:"code,omitempty"`
	Error      string `json:"error"`
	Message    string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	fake.WriteJSON(w, status, ErrorBody{StatusCode: status, Code: code, Error: http.StatusText(status), Message: msg})
}

func faultMessage(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "Invalid authorization header or API key"
	case http.StatusPaymentRequired:
		return "Workspace does not have an active paid plan"
	case http.StatusForbidden:
		return "The API key does not have the scope required for this endpoint (sandbox fault)"
	case http.StatusTooManyRequests:
		return "Rate limit exceeded (sandbox fault)"
	}
	return http.StatusText(status) + " (sandbox fault)"
}

// newID is a random UUID (version 4), as Instantly's ids look.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (f *Fake) timestamp() string { return f.opts.Now().UTC().Format("2006-01-02T15:04:05.000Z") }
