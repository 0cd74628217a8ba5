package instantly

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/prospectorhq/prospector/internal/providers"
)

// request is one call to Instantly.
type request struct {
	op       string // for the error sentence: "create the campaign"
	method   string
	path     string // appended to the base URL: "/campaigns"
	endpoint string // label for the recorded Call
	body     any    // encoded as JSON; nil sends no body and no Content-Type
}

// call sends req and decodes a 2xx answer into out (nil: the answer is not
// read). Unknown fields in the answer are ignored: Instantly's objects carry
// many more than Prospector reads, and new ones appear.
func (c *Client) call(ctx context.Context, req request, out any) error {
	if c.key == "" {
		return wrap(req.op, &providers.Error{Service: Service, Kind: providers.KindAuth, Code: providers.CodeNoAPIKey, Message: "no API key configured"})
	}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+c.key)
	var body []byte
	if req.body != nil {
		var err error
		if body, err = encode(req.body); err != nil {
			return wrap(req.op, &providers.Error{Service: Service, Kind: providers.KindInvalid, Code: "bad_request", Message: "the request cannot be encoded", Err: err})
		}
		h.Set("Content-Type", "application/json")
	}
	// Activate and pause take no body: Instantly (Fastify) refuses a JSON
	// Content-Type with an empty body, so neither is sent.
	resp, err := c.doer.Do(ctx, providers.Request{
		Method:   req.method,
		URL:      c.base + req.path,
		Endpoint: req.endpoint,
		Header:   h,
		Body:     body,
	})
	if err != nil {
		return wrap(req.op, err)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return wrap(req.op, &providers.Error{Service: Service, Kind: providers.KindUnavailable, Status: resp.Status,
			Code: "bad_response", Message: "the answer is not the documented JSON", Err: err})
	}
	return nil
}

// encode writes v as compact JSON without escaping HTML: bodies carry
// <br/>, which Go would otherwise send as \u003cbr/\u003e (valid JSON, but
// not what Instantly's documentation shows, and unreadable in a capture).
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func invalid(op, msg string) error {
	return wrap(op, &providers.Error{Service: Service, Kind: providers.KindInvalid, Code: codeInvalidInput, Message: msg})
}

// badAnswer is a 2xx answer Prospector cannot use.
func badAnswer(msg string) error {
	return &providers.Error{Service: Service, Kind: providers.KindUnavailable, Code: "bad_response", Message: msg}
}
