package verify

import "context"

// askHunter asks Hunter's verifier about addr and, when it gives an answer,
// lets that answer replace the local one. Hunter's statuses map as:
//
//	valid       → valid
//	invalid     → invalid
//	accept_all  → catch_all: the server takes every address, so this one
//	              cannot be confirmed
//	webmail     → valid, with FreeProvider set: Hunter answers webmail for
//	              addresses at providers such as Gmail in place of a
//	              deliverability verdict; the provider surely receives
//	              mail, and the flag lets a caller weigh such an address
//	              below one confirmed on the business's own domain
//	disposable  → invalid, as our own disposable list would say
//	unknown     → unknown (the local result stands)
//
// A Hunter error (no credits, rate limit, outage) leaves the local result;
// the reason says Hunter was unavailable, without the error text, which may
// hold the request URL and so the API key.
func (v *Verifier) askHunter(ctx context.Context, addr string, r *Result) {
	status, err := v.hunter.Verify(ctx, addr)
	if err != nil {
		r.reason("Hunter: unavailable")
		return
	}
	switch status {
	case "valid":
		r.Status = StatusValid
	case "invalid":
		r.Status = StatusInvalid
	case "accept_all":
		r.Status = StatusCatchAll
	case "webmail":
		r.Status = StatusValid
		r.FreeProvider = true
	case "disposable":
		r.Status = StatusInvalid
		r.Disposable = true
	case "unknown":
	default:
		r.reason("Hunter: unexpected status")
		return
	}
	r.reason("Hunter: %s", status)
}
