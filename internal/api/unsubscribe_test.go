package api_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// GET /u/{token} only asks; POST /u/{token} (one-click, urlencoded or
// multipart, or the page's form) suppresses the address and cancels every
// message still scheduled to it, in one transaction. A forged link is 404.
func TestUnsubscribeLinkAsksOnGetAndActsOnPost(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := startNoKeys(t, e, nil)
		c, me := srv.SignUp(t)
		c.JSON("PUT", sendingPath, map[string]any{"sender_name": "Dana Reyes", "company_name": "Reyes <Web> Studio",
			"postal_address": "1200 Congress Ave, Austin, TX 78701"})
		id, _ := draftedCampaign(t, srv, c, nil)
		var drafts struct {
			Data []sequence `json:"data"`
		}
		c.Get("/api/outreach?campaign_id="+id).JSON(t, &drafts)
		seq := drafts.Data[0]

		// Two scheduled steps to one address, as the send stage makes them.
		ctx := context.Background()
		var msgIDs []string
		var to string
		err := srv.App.Store.Write(ctx, me.ID, func(tx *store.Tx) error {
			cs, err := tx.ContactsOf(ctx, seq.ProspectID)
			if err != nil {
				return err
			}
			to = *cs[0].Email
			for step := 1; step <= 2; step++ {
				m, _, err := tx.ScheduleMessage(ctx, mailstore.NewMessage{CampaignID: id, SequenceID: seq.ID, ProspectID: seq.ProspectID,
					ContactID: seq.ContactID, Step: step, ToEmail: to, Subject: "Hi", Body: "Hello", Provider: "smtp",
					ScheduledAt: time.Now().Add(time.Hour)})
				if err != nil {
					return err
				}
				msgIDs = append(msgIDs, m.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		signer, err := signedlink.New([]byte(srv.Env["SECRET_KEY"]))
		if err != nil {
			t.Fatal(err)
		}
		token, _ := signer.Make(signedlink.Unsubscribe, me.ID, msgIDs[0])
		link := srv.URL + "/u/" + url.PathEscape(token)
		do := func(method, contentType string, body []byte) (*http.Response, string) {
			t.Helper()
			req, _ := http.NewRequest(method, link, bytes.NewReader(body))
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		suppressed := func() int { return len(listSuppressions(t, c, "?q="+url.QueryEscape(to))) }

		resp, _ := do("GET", "", nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || suppressed() != 0 {
			t.Fatalf("GET = %d %s, suppressed %d; want the confirmation page and nothing done", resp.StatusCode, resp.Header.Get("Content-Type"), suppressed())
		}
		page := srv.Client(t).Do("GET", "/u/"+url.PathEscape(token), "", nil)
		if !bytes.Contains(page.Body, []byte(`<form method="post">`)) || !bytes.Contains(page.Body, []byte("Reyes &lt;Web&gt; Studio")) {
			t.Errorf("confirmation page = %s, want a POST form naming the sender (escaped)", page.Body)
		}

		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		_ = mw.WriteField("List-Unsubscribe", "One-Click")
		mw.Close()
		for _, body := range []struct{ ct, b string }{
			{"application/x-www-form-urlencoded", "List-Unsubscribe=One-Click"},
			{mw.FormDataContentType(), mp.String()}, // again: changes nothing more
		} {
			if resp, _ := do("POST", body.ct, []byte(body.b)); resp.StatusCode != http.StatusOK {
				t.Errorf("POST %s = %d, want 200", body.ct, resp.StatusCode)
			}
		}
		var l struct {
			Data []suppressionView `json:"data"`
		}
		c.Get("/api/suppressions?q="+url.QueryEscape(to)).JSON(t, &l)
		if len(l.Data) != 1 || l.Data[0].Reason != "unsubscribed" {
			t.Errorf("suppressions = %+v, want the address once, reason unsubscribed", l.Data)
		}
		err = srv.App.Store.Read(ctx, me.ID, func(tx *store.Tx) error {
			for _, id := range msgIDs {
				m, err := tx.Message(ctx, id)
				if err != nil {
					return err
				}
				if m.Status != mailstore.MessageCancelled {
					t.Errorf("message %d = %s, want cancelled", m.Step, m.Status)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Forged, altered, for another purpose, or naming another user: 404.
		open, _ := signer.Make(signedlink.Open, me.ID, msgIDs[0])
		theirs, _ := signer.Make(signedlink.Unsubscribe, store.NewID(), msgIDs[0])
		for name, tok := range map[string]string{
			"altered":          token[:len(token)-3] + "AAA",
			"another purpose":  open,
			"another user's":   theirs,
			"not a token":      "hello",
			"another secret's": mustToken(t, "another-secret-of-32-characters!!", me.ID, msgIDs[0]),
		} {
			for _, method := range []string{"GET", "POST"} {
				resp := srv.Client(t).Do(method, "/u/"+url.PathEscape(tok), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
				if resp.Status != http.StatusNotFound || !bytes.Contains(resp.Body, []byte("Link not found")) {
					t.Errorf("%s %s link = %d %.100s, want the 404 page", method, name, resp.Status, resp.Body)
				}
			}
		}
	})
}

func mustToken(t *testing.T, secret string, fields ...string) string {
	t.Helper()
	s, err := signedlink.New([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Make(signedlink.Unsubscribe, fields...)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
