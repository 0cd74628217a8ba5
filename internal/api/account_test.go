package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// seedLead gives c a campaign with one imported prospect whose contact is
// email, and returns the campaign's id.
func seedLead(t *testing.T, c *apptest.Client, name, email string) string {
	t.Helper()
	id := createCampaign(t, c, map[string]any{"name": name, "business_type": "plumber", "target_location": "Austin, TX"})["id"].(string)
	resp := c.Do("POST", "/api/campaigns/"+id+"/import", "text/csv",
		strings.NewReader("company_name,website,email,first_name\n"+name+" Plumbing,https://"+strings.ToLower(name)+".example,"+email+",Ann\n"))
	if resp.Status != http.StatusOK {
		t.Fatalf("import = %d %s", resp.Status, resp.Body)
	}
	return id
}

func unzip(t *testing.T, body []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("export is not a zip: %v", err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	return files
}

func TestAccountExportOverHTTP(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		me, _ := srv.SignUp(t)
		other, theirs := srv.SignUp(t)
		seedLead(t, me, "Mine", "ann@mine.example")
		seedLead(t, other, "Theirs", "bob@theirs.example")

		resp := me.Get("/api/account/export")
		if resp.Status != 200 || resp.Header.Get("Content-Type") != "application/zip" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export = %d %v", resp.Status, resp.Header)
		}
		files := unzip(t, resp.Body)
		if !strings.Contains(files["campaigns.json"], `"Mine"`) || !strings.Contains(files["prospects.csv"], "ann@mine.example") {
			t.Errorf("export lacks the caller's campaign or prospect: %v", files)
		}
		for name, text := range files {
			for _, leak := range []string{"Theirs", "bob@theirs.example", theirs.ID, theirs.Email} {
				if strings.Contains(text, leak) {
					t.Errorf("%s holds another account's %q", name, leak)
				}
			}
		}
		if resp := srv.Client(t).Get("/api/account/export"); resp.Status != 401 || resp.ErrorCode(t) != "unauthorized" {
			t.Errorf("export without auth = %d %s", resp.Status, resp.Body)
		}
	})
}

func TestDeleteAccountOverHTTP(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, u := srv.SignUp(t)
		other, _ := srv.SignUp(t)
		otherCampaign := seedLead(t, other, "Theirs", "bob@theirs.example")
		seedLead(t, c, "Mine", "ann@mine.example")

		bad := []struct {
			name, body string
			status     int
			code       string
		}{
			{"malformed JSON", `{"password":`, 400, "invalid_json"},
			{"unknown field", `{"password":"x","confirm":true}`, 400, "invalid_json"},
			{"wrong type", `{"password":12345}`, 400, "validation_failed"},
			{"oversize", `{"password":"` + strings.Repeat("a", 1<<20) + `"}`, 413, "payload_too_large"},
			{"missing password", `{}`, 400, "validation_failed"},
			{"wrong password", `{"password":"not my password"}`, 401, "invalid_credentials"},
		}
		for _, b := range bad {
			if resp := c.JSON("DELETE", "/api/account", b.body); resp.Status != b.status || resp.ErrorCode(t) != b.code {
				t.Errorf("%s: %d %s, want %d %s", b.name, resp.Status, resp.Body, b.status, b.code)
			}
		}
		if resp := srv.Client(t).JSON("DELETE", "/api/account", map[string]any{"password": u.Password}); resp.Status != 401 {
			t.Errorf("without auth = %d %s", resp.Status, resp.Body)
		}
		if resp := c.Get("/api/auth/me"); resp.Status != 200 {
			t.Fatalf("refused deletions deleted the account: me = %d", resp.Status)
		}

		if resp := c.JSON("DELETE", "/api/account", map[string]any{"password": u.Password}); resp.Status != 204 {
			t.Fatalf("delete = %d %s", resp.Status, resp.Body)
		}
		if resp := c.Get("/api/auth/me"); resp.Status != 401 {
			t.Errorf("the deleted account's access token still works: %d", resp.Status)
		}
		if resp := srv.Client(t).JSON("POST", "/api/auth/refresh", map[string]any{"refresh_token": u.RefreshToken}); resp.Status != 401 {
			t.Errorf("the deleted account's refresh token still works: %d", resp.Status)
		}
		if resp := srv.Client(t).JSON("POST", "/api/auth/login", map[string]any{"email": u.Email, "password": u.Password}); resp.Status != 401 ||
			resp.ErrorCode(t) != "invalid_credentials" {
			t.Errorf("login after deletion = %d %s", resp.Status, resp.Body)
		}
		if resp := other.Get("/api/campaigns/" + otherCampaign); resp.Status != 200 {
			t.Errorf("another account's campaign after the deletion = %d", resp.Status)
		}
		// The address is free again.
		if resp := srv.Client(t).JSON("POST", "/api/auth/signup", map[string]any{"email": u.Email, "password": u.Password}); resp.Status != 201 {
			t.Errorf("signing up again with the deleted account's address = %d %s", resp.Status, resp.Body)
		}
	})
}

func TestEraseOverHTTP(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		c, _ := srv.SignUp(t)
		other, _ := srv.SignUp(t)
		const person = "ann@acme.example"
		mine := seedLead(t, c, "Acme", person)
		seedLead(t, other, "Acme", person)

		bad := []struct {
			name, body string
			status     int
			code       string
		}{
			{"malformed JSON", `{"email":`, 400, "invalid_json"},
			{"unknown field", `{"email":"a@b.example","all":true}`, 400, "invalid_json"},
			{"wrong type", `{"email":["a@b.example"]}`, 400, "validation_failed"},
			{"oversize", `{"email":"` + strings.Repeat("a", 1<<20) + `"}`, 413, "payload_too_large"},
			{"not an address", `{"email":"nobody"}`, 400, "validation_failed"},
			{"missing", `{}`, 400, "validation_failed"},
		}
		for _, b := range bad {
			if resp := c.JSON("POST", "/api/privacy/erase", b.body); resp.Status != b.status || resp.ErrorCode(t) != b.code {
				t.Errorf("%s: %d %s, want %d %s", b.name, resp.Status, resp.Body, b.status, b.code)
			}
		}
		if resp := srv.Client(t).JSON("POST", "/api/privacy/erase", map[string]any{"email": person}); resp.Status != 401 {
			t.Errorf("without auth = %d", resp.Status)
		}

		resp := c.JSON("POST", "/api/privacy/erase", map[string]any{"email": "ANN@acme.example"})
		if resp.Status != 200 {
			t.Fatalf("erase = %d %s", resp.Status, resp.Body)
		}
		var got struct {
			Suppression struct {
				Email  string `json:"email"`
				Reason string `json:"reason"`
			} `json:"suppression"`
			Erased struct {
				Contacts int `json:"contacts"`
			} `json:"erased"`
		}
		resp.JSON(t, &got)
		if got.Suppression.Email != mailstore.ErasedEmailKey(person) || got.Suppression.Reason != "erased" || got.Erased.Contacts != 1 {
			t.Errorf("erase answered %s", resp.Body)
		}
		if strings.Contains(string(c.Get("/api/account/export").Body), person) {
			t.Error("the export still holds the erased address")
		}
		// An import of the same row brings the business back, not the person.
		resp = c.Do("POST", "/api/campaigns/"+mine+"/import", "text/csv",
			strings.NewReader("company_name,website,email\nAcme Again,https://acme-again.example,"+person+"\n"))
		if resp.Status != 200 {
			t.Fatalf("import = %d %s", resp.Status, resp.Body)
		}
		if body := string(c.Get("/api/account/export").Body); strings.Contains(body, person) {
			t.Error("an import brought the erased address back")
		}
		var list struct {
			Data []map[string]any `json:"data"`
		}
		other.Get("/api/prospects").JSON(t, &list)
		if len(list.Data) != 1 {
			t.Fatalf("other's prospects = %v", list.Data)
		}
		detail := other.Get("/api/prospects/" + list.Data[0]["id"].(string)).Map(t)
		if b, _ := json.Marshal(detail["contacts"]); !strings.Contains(string(b), person) {
			t.Errorf("another account's contact with the same address was erased too: %s", b)
		}
	})
}

// The new routes' log lines hold neither the erased address nor the
// password that confirmed a deletion, nor the account's address.
func TestAccountRoutesLogNoPersonalData(t *testing.T) {
	var logs bytes.Buffer
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{LogTo: &logs})
	c, u := srv.SignUp(t)
	const person = "erase-me@acme.example"
	seedLead(t, c, "Acme", person)
	if resp := c.JSON("POST", "/api/privacy/erase", map[string]any{"email": person}); resp.Status != 200 {
		t.Fatalf("erase = %d", resp.Status)
	}
	if resp := c.Get("/api/account/export"); resp.Status != 200 {
		t.Fatalf("export = %d", resp.Status)
	}
	c.JSON("DELETE", "/api/account", map[string]any{"password": "a wrong password here"})
	if resp := c.JSON("DELETE", "/api/account", map[string]any{"password": u.Password}); resp.Status != 204 {
		t.Fatalf("delete = %d", resp.Status)
	}
	out := logs.String()
	if !strings.Contains(out, "address erased") || !strings.Contains(out, "account deleted") {
		t.Fatalf("the requests were not logged:\n%s", out)
	}
	for _, secret := range []string{person, "erase-me", u.Email, u.Password, "a wrong password here", u.AccessToken} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}
