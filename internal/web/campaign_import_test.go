package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestLeadsAreImportedFromTheCampaignPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		id := b.createCampaign(nil)
		path := "/app/campaigns/" + id + "/import"

		page := b.page("/app/campaigns/" + id)
		if got := text(t, page); !strings.Contains(got, "Import leads") || !strings.Contains(got, "CSV file") {
			t.Fatalf("the campaign page has no import form: %s", got)
		}

		csv := "company_name,website,phone\n" +
			"Acme Plumbing,https://acmeplumbing.test,512-555-0101\n" +
			",https://nameless.test,\n" + // data row 2 (the header is not counted): no company name
			"Best Drains,https://bestdrains.test,512-555-0102\n" +
			"Acme Plumbing,https://acmeplumbing.test,512-555-0101\n" // data row 4: a duplicate of row 1
		a := b.upload(path, "file", "leads.csv", csv)
		checkPage(t, "after an import", a)
		got := text(t, a)
		if a.status != http.StatusOK {
			t.Fatalf("import = %d: %s", a.status, got)
		}
		for _, want := range []string{"Imported 2 leads", "1 row was a duplicate", "1 row was rejected", "Rejected rows"} {
			if !strings.Contains(got, want) {
				t.Errorf("the import's outcome lacks %q: %s", want, got)
			}
		}
		// The rejected row is named by its number among the data rows, as
		// the API's rejected[].row counts them.
		if want := `<td class="num">2</td><td>company_name is required</td>`; !strings.Contains(a.body, want) {
			t.Errorf("the rejected rows table lacks %s: %s", want, got)
		}
		if leads := text(t, b.page("/app/leads?campaign_id="+id)); !strings.Contains(leads, "Acme Plumbing") || !strings.Contains(leads, "Best Drains") {
			t.Errorf("the imported leads are not listed: %s", leads)
		}

		// The same file again adds nothing.
		if got := text(t, b.upload(path, "file", "leads.csv", csv)); !strings.Contains(got, "Imported 0 leads") {
			t.Errorf("a second import of the same file: %s", got)
		}

		// A file without the required column is refused as a whole, saying why.
		a = b.upload(path, "file", "bad.csv", "website\nhttps://x.test\n")
		if a.status != http.StatusBadRequest || !strings.Contains(text(t, a), "Nothing was imported") {
			t.Errorf("a file without company_name = %d: %s", a.status, text(t, a))
		}
		// The file in the wrong field, and no file at all.
		if a := b.upload(path, "attachment", "leads.csv", csv); a.status != http.StatusBadRequest || !strings.Contains(text(t, a), "form field") {
			t.Errorf("a file in the wrong field = %d: %s", a.status, text(t, a))
		}
		if a := b.post(path, nil); a.status != http.StatusUnsupportedMediaType {
			t.Errorf("an import without a file = %d, want 415", a.status)
		}

		// Another user's campaign is not found.
		eve := other(t, srv)
		if a := eve.upload(path, "file", "leads.csv", csv); a.status != http.StatusNotFound {
			t.Errorf("an import into another user's campaign = %d, want 404", a.status)
		}
	})
}
