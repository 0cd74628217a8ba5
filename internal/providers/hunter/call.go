package hunter

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

func (c *Client) ready() error {
	if c.key == "" {
		return &providers.Error{Service: Service, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey, Message: "no API key configured"}
	}
	return nil
}

func invalid(code, msg string) error {
	return &providers.Error{Service: Service, Kind: providers.KindInvalid, Code: code, Message: msg}
}

func badResponse(r *providers.Response, err error) error {
	return &providers.Error{Service: Service, Kind: providers.KindUnavailable, Status: r.Status,
		Code: "bad_response", Message: "the response is not the documented JSON", Err: err}
}

// normalizeDomain reduces "https://www.Example.com/contact" to "example.com".
func normalizeDomain(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "www."), ".")
	if s == "" || !strings.Contains(s, ".") || strings.ContainsAny(s, " \t\r\n,;") {
		return "", false
	}
	return s, true
}

func joinList(vs []string) string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, ",")
}

// bill is what Hunter charges for one successful answer.
type bill struct {
	credits int
	usd     float64
}

// call sends one GET and hands a 2xx answer to handle, which decodes it and
// says what Hunter bills for it. Failed attempts are recorded by the Doer as
// they happen; the successful one is held back (see deferring) and recorded
// after handle, with that bill, because Hunter charges only for results.
func (c *Client) call(ctx context.Context, d *providers.Doer, endpoint string, q url.Values, timeout time.Duration, handle func(*providers.Response) (bill, error)) error {
	p := &pending{}
	h := http.Header{}
	h.Set("X-API-KEY", c.key)
	resp, err := d.Do(context.WithValue(ctx, pendingKey{}, p), providers.Request{
		Method:   http.MethodGet,
		URL:      c.base + "/" + endpoint + "?" + q.Encode(),
		Endpoint: endpoint,
		Header:   h,
		Timeout:  timeout,
	})
	if err != nil {
		p.record(c.rec, bill{})
		return err
	}
	b, err := handle(resp)
	p.record(c.rec, b)
	return err
}

type pendingKey struct{}

// pending holds the successful attempt of one call until its bill is known.
// The Doer reports attempts synchronously on the caller's goroutine, so no
// lock is needed.
type pending struct {
	ctx  context.Context
	call *providers.Call
}

func (p *pending) record(rec providers.Recorder, b bill) {
	if p.call == nil {
		return
	}
	c := *p.call
	p.call = nil
	c.Credits, c.CostUSD = b.credits, b.usd
	rec.RecordCall(p.ctx, c)
}

// deferring is the Recorder the Doers report to: it passes failed attempts
// on at once and parks a successful one in the call's pending slot.
type deferring struct{ next providers.Recorder }

func (d deferring) RecordCall(ctx context.Context, c providers.Call) {
	if p, ok := ctx.Value(pendingKey{}).(*pending); ok && c.Err == nil {
		p.ctx, p.call = ctx, &c
		return
	}
	d.next.RecordCall(ctx, c)
}

// classify reads Hunter's {"errors":[{id,code,details}]} envelope and maps
// the status codes Hunter gives its own meaning.
func classify(r *providers.Response) *providers.Error {
	e := &providers.Error{Kind: kindOf(r.Status)}
	var env ErrorResponse
	if err := json.Unmarshal(r.Body, &env); err == nil && len(env.Errors) > 0 {
		e.Code, e.Message = env.Errors[0].ID, env.Errors[0].Details
	} else {
		e.Message = providers.TextMessage(r.Header, r.Body)
	}
	if r.Status == http.StatusUnavailableForLegalReasons || e.Code == ErrorIDClaimedEmail {
		e.Kind, e.Err = providers.KindRejected, ErrDoNotProcess
		if e.Code == "" {
			e.Code = ErrorIDClaimedEmail
		}
	}
	return e
}

func kindOf(status int) providers.Kind {
	switch status {
	case http.StatusUnauthorized:
		return providers.KindAuth
	case http.StatusForbidden:
		return providers.KindRateLimited
	case http.StatusTooManyRequests:
		return providers.KindQuota
	case http.StatusUnavailableForLegalReasons:
		return providers.KindRejected
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return providers.KindInvalid
	}
	return providers.ClassifyStatus(status)
}
