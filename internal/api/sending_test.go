package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

const sendingPath = "/api/settings/sending"

type senderProfileView struct {
	SenderName      string   `json:"sender_name"`
	CompanyName     string   `json:"company_name"`
	PostalAddress   string   `json:"postal_address"`
	Signature       string   `json:"signature"`
	DefaultTimezone string   `json:"default_timezone"`
	UpdatedAt       *string  `json:"updated_at"`
	Ready           bool     `json:"sending_ready"`
	Problems        []string `json:"sending_problems"`
}

func TestSenderProfileIsRequiredBeforeSendingAndValidated(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		a, b := twoUsers(t, srv)

		var fresh senderProfileView
		resp := a.Get(sendingPath)
		resp.JSON(t, &fresh)
		if resp.Status != http.StatusOK || fresh.Ready || len(fresh.Problems) != 2 || fresh.DefaultTimezone != "UTC" || fresh.UpdatedAt != nil {
			t.Fatalf("new account's profile = %d %s, want not ready, two problems, UTC, never updated", resp.Status, resp.Body)
		}
		if !strings.Contains(strings.Join(fresh.Problems, " "), "postal address") {
			t.Errorf("problems %q do not ask for the postal address", fresh.Problems)
		}

		full := map[string]any{
			"sender_name": "Dana Reyes", "company_name": "Reyes Web Studio",
			"postal_address": "1200 Congress Ave, Suite 4\nAustin, TX 78701", "signature": "Dana\nReyes Web Studio",
			"default_timezone": "America/Chicago",
		}
		var saved senderProfileView
		resp = a.JSON("PUT", sendingPath, full)
		resp.JSON(t, &saved)
		if resp.Status != http.StatusOK || !saved.Ready || len(saved.Problems) != 0 || saved.PostalAddress != full["postal_address"] ||
			saved.DefaultTimezone != "America/Chicago" || saved.UpdatedAt == nil {
			t.Fatalf("PUT full profile = %d %s, want it stored and ready", resp.Status, resp.Body)
		}
		var again senderProfileView
		a.Get(sendingPath).JSON(t, &again)
		if again.SenderName != "Dana Reyes" || again.Signature != "Dana\nReyes Web Studio" || !again.Ready {
			t.Errorf("GET after PUT = %+v, want what was stored", again)
		}
		// Another user's profile is their own.
		var other senderProfileView
		b.Get(sendingPath).JSON(t, &other)
		if other.SenderName != "" || other.Ready {
			t.Errorf("another user sees %+v, want their own empty profile", other)
		}
		// PUT replaces: a field left out is empty again.
		var partial senderProfileView
		a.JSON("PUT", sendingPath, map[string]any{"sender_name": "Dana"}).JSON(t, &partial)
		if partial.PostalAddress != "" || partial.Ready || partial.DefaultTimezone != "UTC" {
			t.Errorf("PUT with only a name = %+v, want the rest cleared and not ready", partial)
		}

		for _, tc := range []struct {
			name, body, code, field string
			status                  int
		}{
			{"malformed JSON", `{"sender_name":`, "invalid_json", "", 400},
			{"unknown field", `{"sender_name":"Dana","from":"x"}`, "invalid_json", "", 400},
			{"wrong type", `{"sender_name":5}`, "validation_failed", "sender_name", 400},
			{"short postal address", `{"postal_address":"Austin"}`, "validation_failed", "postal_address", 400},
			{"long postal address", `{"postal_address":"` + strings.Repeat("a", 301) + `"}`, "validation_failed", "postal_address", 400},
			{"control character in the name", `{"sender_name":"Dana\u0000"}`, "validation_failed", "sender_name", 400},
			{"line break in the name", `{"sender_name":"Dana\nReyes"}`, "validation_failed", "sender_name", 400},
			{"unknown time zone", `{"default_timezone":"Mars/Olympus"}`, "validation_failed", "default_timezone", 400},
			{"Local is not a time zone", `{"default_timezone":"Local"}`, "validation_failed", "default_timezone", 400},
			{"a path is not a time zone", `{"default_timezone":"../../etc/passwd"}`, "validation_failed", "default_timezone", 400},
			{"oversize", `{"signature":"` + strings.Repeat("x", 1<<20) + `"}`, "payload_too_large", "", 413},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp := a.JSON("PUT", sendingPath, tc.body)
				if resp.Status != tc.status || resp.ErrorCode(t) != tc.code {
					t.Fatalf("PUT %s = %d %s, want %d %s", tc.body[:min(len(tc.body), 60)], resp.Status, resp.Body[:min(len(resp.Body), 300)], tc.status, tc.code)
				}
				if tc.field != "" && !strings.Contains(string(resp.Body), `"`+tc.field+`"`) {
					t.Errorf("answer %s does not name %s", resp.Body, tc.field)
				}
			})
		}
		for _, method := range []string{"GET", "PUT"} {
			if resp := srv.Client(t).JSON(method, sendingPath, full); resp.Status != http.StatusUnauthorized {
				t.Errorf("%s without auth = %d, want 401", method, resp.Status)
			}
		}
	})
}

type suppressionView struct {
	ID     string  `json:"id"`
	Email  *string `json:"email"`
	Domain *string `json:"domain"`
	Reason string  `json:"reason"`
}

func listSuppressions(t *testing.T, c *apptest.Client, query string) []suppressionView {
	t.Helper()
	resp := c.Get("/api/suppressions" + query)
	if resp.Status != http.StatusOK {
		t.Fatalf("list suppressions = %d %s", resp.Status, resp.Body)
	}
	var l struct {
		Data []suppressionView `json:"data"`
	}
	resp.JSON(t, &l)
	return l.Data
}

func TestSuppressionsAreAddedListedImportedAndDeleted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		a, b := twoUsers(t, srv)

		var bob suppressionView
		resp := a.JSON("POST", "/api/suppressions", map[string]any{"email": " Bob@Example.COM "})
		resp.JSON(t, &bob)
		if resp.Status != http.StatusCreated || bob.Email == nil || *bob.Email != "bob@example.com" || bob.Domain != nil || bob.Reason != "manual" {
			t.Fatalf("suppress an address = %d %s, want 201 with the lowercased address, reason manual", resp.Status, resp.Body)
		}
		var again suppressionView
		resp = a.JSON("POST", "/api/suppressions", map[string]any{"email": "bob@example.com"})
		resp.JSON(t, &again)
		if resp.Status != http.StatusOK || again.ID != bob.ID {
			t.Errorf("suppress it again = %d %s, want 200 with the same entry", resp.Status, resp.Body)
		}
		var dom suppressionView
		resp = a.JSON("POST", "/api/suppressions", map[string]any{"domain": "@Competitor.example"})
		resp.JSON(t, &dom)
		if resp.Status != http.StatusCreated || dom.Domain == nil || *dom.Domain != "competitor.example" || dom.Email != nil {
			t.Fatalf("suppress a domain = %d %s", resp.Status, resp.Body)
		}

		file := "email\nAnn@Shop.example\n@spam.example\nbob@example.com\nnot an address\nsomeone@\n\n"
		resp = a.Do("POST", "/api/suppressions/import", "text/csv", strings.NewReader(file))
		var imp importResult // the answer of every CSV import
		resp.JSON(t, &imp)
		if resp.Status != http.StatusOK || imp.Imported != 2 || imp.Duplicates != 1 || len(imp.Rejected) != 2 || imp.Rejected[0].Row != 5 || imp.Rejected[1].Row != 6 {
			t.Fatalf("import = %d %s, want 2 imported, 1 duplicate, rows 5 and 6 rejected", resp.Status, resp.Body)
		}

		if got := listSuppressions(t, a, ""); len(got) != 4 {
			t.Errorf("list = %+v, want 4 entries", got)
		}
		if got := listSuppressions(t, a, "?q=SHOP"); len(got) != 1 || *got[0].Email != "ann@shop.example" {
			t.Errorf("list q=SHOP = %+v, want ann@shop.example", got)
		}
		if got := listSuppressions(t, a, "?limit=3"); len(got) != 3 {
			t.Errorf("list limit=3 = %d entries", len(got))
		}
		if got := listSuppressions(t, b, ""); len(got) != 0 {
			t.Errorf("another user's list = %+v, want empty", got)
		}

		// Another user's entry is not found, and stays.
		if resp := b.JSON("DELETE", "/api/suppressions/"+bob.ID, nil); resp.Status != http.StatusNotFound || resp.ErrorCode(t) != "not_found" {
			t.Errorf("delete another user's entry = %d %s, want 404", resp.Status, resp.Body)
		}
		if resp := a.JSON("DELETE", "/api/suppressions/"+bob.ID, nil); resp.Status != http.StatusNoContent {
			t.Errorf("delete = %d %s, want 204", resp.Status, resp.Body)
		}
		if resp := a.JSON("DELETE", "/api/suppressions/"+bob.ID, nil); resp.Status != http.StatusNotFound {
			t.Errorf("delete twice = %d, want 404", resp.Status)
		}
		if resp := a.JSON("DELETE", "/api/suppressions/not-an-id", nil); resp.Status != http.StatusNotFound {
			t.Errorf("delete a malformed id = %d, want 404", resp.Status)
		}

		for _, tc := range []struct {
			name, body, code string
			status           int
		}{
			{"malformed JSON", `{"email":`, "invalid_json", 400},
			{"unknown field", `{"email":"a@b.example","reason":"bounced"}`, "invalid_json", 400},
			{"wrong type", `{"email":5}`, "validation_failed", 400},
			{"neither", `{}`, "validation_failed", 400},
			{"both", `{"email":"a@b.example","domain":"b.example"}`, "validation_failed", 400},
			{"not an address", `{"email":"nobody"}`, "validation_failed", 400},
			{"not a domain", `{"domain":"localhost"}`, "validation_failed", 400},
			{"control character", `{"domain":"b\u0000.example"}`, "validation_failed", 400},
			{"oversize", `{"email":"` + strings.Repeat("x", 1<<20) + `"}`, "payload_too_large", 413},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if resp := a.JSON("POST", "/api/suppressions", tc.body); resp.Status != tc.status || resp.ErrorCode(t) != tc.code {
					t.Errorf("POST %.60s = %d %.300s, want %d %s", tc.body, resp.Status, resp.Body, tc.status, tc.code)
				}
			})
		}
		if resp := a.Get("/api/suppressions?q=" + strings.Repeat("x", 300)); resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" {
			t.Errorf("list with a 300-character q = %d %s", resp.Status, resp.Body)
		}
		if resp := a.Do("POST", "/api/suppressions/import", "application/json", strings.NewReader("{}")); resp.Status != http.StatusUnsupportedMediaType {
			t.Errorf("import as JSON = %d, want 415", resp.Status)
		}
		if resp := a.Do("POST", "/api/suppressions/import", "text/csv", strings.NewReader("a\"b\n\"c")); resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" {
			t.Errorf("import malformed CSV = %d %s, want 400", resp.Status, resp.Body)
		}
		if resp := a.Do("POST", "/api/suppressions/import", "text/csv", strings.NewReader(strings.Repeat("a@b.example\n", (10<<20)/12+10))); resp.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("import 10 MiB = %d %.200s, want 413", resp.Status, resp.Body)
		}
		for _, path := range []string{"/api/suppressions", "/api/suppressions/import"} {
			if resp := srv.Client(t).JSON("POST", path, `{"email":"a@b.example"}`); resp.Status != http.StatusUnauthorized {
				t.Errorf("POST %s without auth = %d, want 401", path, resp.Status)
			}
		}
	})
}
