package hunter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/prospectorhq/prospector/internal/providers"
)

// VerifierResult is Email Verifier's answer.
type VerifierResult struct {
	EmailVerifierData
	// Pending reports that Hunter was still verifying (202) after the
	// polls; Status is unknown and a later call may tell more (Hunter
	// counts it once).
	Pending bool
	// SMTPFailure reports a 222: the remote SMTP server answered
	// unexpectedly; Status is unknown, and a retry later may succeed.
	SMTPFailure bool
}

// EmailVerifier checks whether an address is deliverable. A 202 is polled
// again up to Config.VerifyPolls times; a 222 returns status unknown.
func (c *Client) EmailVerifier(ctx context.Context, email string) (VerifierResult, error) {
	if err := c.ready(); err != nil {
		return VerifierResult{}, err
	}
	email = strings.TrimSpace(email)
	if at := strings.LastIndexByte(email, '@'); at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n") {
		return VerifierResult{}, invalid("invalid_email", "the email address is not valid")
	}
	q := url.Values{}
	q.Set("email", email)
	for poll := 0; ; poll++ {
		status, data, err := c.verifyOnce(ctx, q)
		if err != nil {
			return VerifierResult{}, err
		}
		if status == http.StatusAccepted && poll < c.polls {
			if err := c.verify.Clock().Sleep(ctx, c.pollWait); err != nil {
				return VerifierResult{}, fmt.Errorf("%s: %w", Service, err)
			}
			continue
		}
		v := VerifierResult{EmailVerifierData: data, Pending: status == http.StatusAccepted, SMTPFailure: status == StatusSMTPFailure}
		if v.Email == "" {
			v.Email = email
		}
		if v.Status == "" || v.Pending || v.SMTPFailure {
			v.Status = StatusUnknown
		}
		return v, nil
	}
}

// verifyOnce sends one Email Verifier request. A 202 (pending) and a 222
// (SMTP failure) are billed nothing, nor is status unknown: Hunter counts a
// verification only when it could verify.
func (c *Client) verifyOnce(ctx context.Context, q url.Values) (int, EmailVerifierData, error) {
	var status int
	var out EmailVerifierResponse
	err := c.call(ctx, c.verify, EndpointEmailVerifier, q, VerifierTimeout, func(r *providers.Response) (bill, error) {
		status = r.Status
		switch r.Status {
		case http.StatusAccepted:
			return bill{}, nil
		case StatusSMTPFailure:
			// The body is not documented: keep whatever it says.
			_ = json.Unmarshal(r.Body, &out)
			return bill{}, nil
		}
		if err := json.Unmarshal(r.Body, &out); err != nil {
			return bill{credits: 1, usd: c.verifyCost}, badResponse(r, err)
		}
		if out.Data.Status == "" || out.Data.Status == StatusUnknown {
			return bill{}, nil
		}
		return bill{credits: 1, usd: c.verifyCost}, nil
	})
	return status, out.Data, err
}
