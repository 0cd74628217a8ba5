package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/golden"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type importResult struct {
	Imported   int `json:"imported"`
	Duplicates int `json:"duplicates"`
	Rejected   []struct {
		Row    int    `json:"row"`
		Reason string `json:"reason"`
	} `json:"rejected"`
}

func importCSV(t *testing.T, c *apptest.Client, campaignID string, csv []byte) (*apptest.Response, importResult) {
	t.Helper()
	resp := c.Do("POST", "/api/campaigns/"+campaignID+"/import", "text/csv", bytes.NewReader(csv))
	return resp, decodedOn[importResult](t, resp, http.StatusOK)
}

// decodedOn is what resp holds as a T when its status is want, and the
// zero T otherwise: for helpers that answer both the response and what it
// created.
func decodedOn[T any](t *testing.T, resp *apptest.Response, want int) T {
	t.Helper()
	var v T
	if resp.Status == want {
		resp.JSON(t, &v)
	}
	return v
}

func TestImportCSV(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		_, c, id := startWithCampaign(t, e)
		file := golden.Read(t, "import_basic.csv")

		resp, res := importCSV(t, c, id, file)
		if resp.Status != 200 {
			t.Fatalf("import = %d %s", resp.Status, resp.Body)
		}
		// Rows 1, 2 and 8 are new; 3 repeats row 1's domain and 4 its phone;
		// 5 has no company, 6 a bad email, 7 a bad website.
		if res.Imported != 3 || res.Duplicates != 2 || len(res.Rejected) != 3 {
			t.Fatalf("result = %+v, want 3 imported, 2 duplicates, 3 rejected", res)
		}
		wantRows := map[int]string{5: "company_name", 6: "email", 7: "website"}
		for _, r := range res.Rejected {
			if !strings.Contains(r.Reason, wantRows[r.Row]) {
				t.Errorf("rejected row %d: %q, want a reason about %s", r.Row, r.Reason, wantRows[r.Row])
			}
		}

		var list struct {
			Data []map[string]any `json:"data"`
		}
		c.Get("/api/prospects?campaign_id="+id+"&q=riverbend").JSON(t, &list)
		if len(list.Data) != 1 {
			t.Fatalf("q=riverbend found %d", len(list.Data))
		}
		p := list.Data[0]
		if p["website"] != "https://riverbend-plumbing.example" || p["phone"] != "+15125550142" || p["source"] != "manual" ||
			p["status"] != "discovered" {
			t.Errorf("prospect = %v, want normalized website and E.164 phone, source manual", p)
		}
		detail := c.Get("/api/prospects/" + p["id"].(string)).Map(t)
		contacts := detail["contacts"].([]any)
		if len(contacts) != 1 {
			t.Fatalf("contacts = %v", contacts)
		}
		ct := contacts[0].(map[string]any)
		if ct["email"] != "ann@riverbend-plumbing.example" || ct["first_name"] != "Ann" || ct["title"] != "Owner" ||
			ct["is_primary"] != true || ct["source"] != "manual" {
			t.Errorf("contact = %v", ct)
		}
		if detail["enrichment"] != nil || detail["score"] != nil || fmt.Sprint(detail["outreach"]) != "[]" {
			t.Errorf("later stages = %v %v %v, want null, null, []", detail["enrichment"], detail["score"], detail["outreach"])
		}
		if got := c.Get("/api/campaigns/" + id).Map(t)["leads_found"]; got != float64(3) {
			t.Errorf("leads_found = %v, want 3", got)
		}

		// The same file again imports nothing new.
		_, again := importCSV(t, c, id, file)
		if again.Imported != 0 || again.Duplicates != 5 {
			t.Errorf("second import = %+v, want 0 imported and 5 duplicates", again)
		}
		if got := c.Get("/api/campaigns/" + id).Map(t)["leads_found"]; got != float64(3) {
			t.Errorf("leads_found after re-import = %v, want 3", got)
		}
	})
}

func TestImportMultipart(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		_, c, id := startWithCampaign(t, e)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("note", "ignored")
		fw, _ := mw.CreateFormFile("file", "leads.csv")
		fw.Write([]byte("company_name,website\nAcme Roofing,acme-roofing.example\n"))
		mw.Close()
		resp := c.Do("POST", "/api/campaigns/"+id+"/import", mw.FormDataContentType(), &body)
		if resp.Status != 200 || !strings.Contains(string(resp.Body), `"imported":1`) {
			t.Fatalf("multipart import = %d %s", resp.Status, resp.Body)
		}

		var noFile bytes.Buffer
		mw = multipart.NewWriter(&noFile)
		mw.WriteField("other", "x")
		mw.Close()
		resp = c.Do("POST", "/api/campaigns/"+id+"/import", mw.FormDataContentType(), &noFile)
		if resp.Status != 400 || resp.ErrorCode(t) != "validation_failed" {
			t.Errorf("multipart without file = %d %s", resp.Status, resp.Body)
		}
	})
}

func TestImportRefusesBadFiles(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		_, c, id := startWithCampaign(t, e)

		var many strings.Builder
		many.WriteString("company_name\n")
		for i := 0; i <= 50_000; i++ {
			fmt.Fprintf(&many, "Company %d\n", i)
		}
		huge := append([]byte("company_name,notes\n"), bytes.Repeat([]byte("Acme,"+strings.Repeat("x", 1000)+"\n"), 11*1024)...)

		tests := []struct {
			name       string
			ct         string
			body       []byte
			wantStatus int
			wantCode   string
		}{
			{"binary", "text/csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), 400, "validation_failed"},
			{"no company_name column", "text/csv", []byte("name,website\nAcme,acme.example\n"), 400, "validation_failed"},
			{"unbalanced quotes", "text/csv", []byte("company_name,website\n\"Acme,acme.example\nBeta,\"b\"x\"\n"), 400, "validation_failed"},
			{"empty", "text/csv", nil, 400, "validation_failed"},
			{"json instead of csv", "application/json", []byte(`{"company_name":"Acme"}`), 415, "unsupported_media_type"},
			{"too many rows", "text/csv", []byte(many.String()), 413, "payload_too_large"},
			{"over 10 MiB", "text/csv", huge, 413, "payload_too_large"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := c.Do("POST", "/api/campaigns/"+id+"/import", tt.ct, bytes.NewReader(tt.body))
				if resp.Status != tt.wantStatus || resp.ErrorCode(t) != tt.wantCode {
					t.Fatalf("= %d %s, want %d %s", resp.Status, resp.Body, tt.wantStatus, tt.wantCode)
				}
			})
		}
		if got := c.Get("/api/campaigns/" + id).Map(t)["leads_found"]; got != float64(0) {
			t.Errorf("leads_found after refused files = %v, want 0: nothing may be half imported", got)
		}
	})
}
