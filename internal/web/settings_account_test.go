package web_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func TestTheAccountIsExportedAndDeletedFromTheSettings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{})
		b := newBrowser(t, srv)
		b.signUp("ada@example.test")
		b.createCampaign(url.Values{"name": {"Ada's roofers"}})

		page := b.page("/app/settings/account")
		checkPage(t, "your data", page)
		if got := text(t, page); !strings.Contains(got, "Download a zip") || !strings.Contains(got, "Delete my account") {
			t.Fatalf("the account settings: %s", got)
		}

		// The page's download link, with the browser's cookie.
		a := b.get("/api/account/export")
		if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/zip" {
			t.Fatalf("export = %d %s", a.status, a.header.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(a.body)), int64(len(a.body)))
		if err != nil {
			t.Fatalf("the export is not a zip: %v", err)
		}
		found := false
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "campaigns") {
				rc, _ := f.Open()
				var buf bytes.Buffer
				buf.ReadFrom(rc)
				rc.Close()
				found = strings.Contains(buf.String(), "Ada's roofers")
			}
		}
		if !found {
			t.Errorf("the export's campaigns do not hold the user's campaign")
		}

		// A wrong password deletes nothing and says so.
		a = b.post("/app/settings/account/delete", url.Values{"password": {"not it"}})
		if a.status != http.StatusUnauthorized || !strings.Contains(text(t, a), "Nothing was deleted") {
			t.Errorf("delete with a wrong password = %d: %s", a.status, text(t, a))
		}
		if a := b.post("/app/settings/account/delete", url.Values{}); a.status != http.StatusBadRequest ||
			!strings.Contains(text(t, a), "type your password") {
			t.Errorf("delete without a password = %d: %s", a.status, text(t, a))
		}
		if got := b.get("/app"); got.status != http.StatusOK {
			t.Fatalf("after refused deletes the dashboard = %d", got.status)
		}

		// The right one deletes the account and signs the browser out; the
		// address can sign up afresh.
		a = b.post("/app/settings/account/delete", url.Values{"password": {"correct horse battery"}})
		if a.status != http.StatusSeeOther || a.location() != "/login" {
			t.Fatalf("delete = %d to %q: %s", a.status, a.location(), text(t, a))
		}
		if got := text(t, b.page("/login")); !strings.Contains(got, "Your account and everything in it are deleted.") {
			t.Errorf("the login page after deleting: %s", got)
		}
		if got := b.get("/app"); got.status != http.StatusSeeOther {
			t.Errorf("the dashboard after deleting = %d, want a redirect to log in", got.status)
		}
		again := newBrowser(t, srv)
		again.signUp("ada@example.test")
		if got := text(t, again.page("/app/campaigns")); strings.Contains(got, "Ada's roofers") {
			t.Errorf("a new account with the address sees the deleted one's campaign: %s", got)
		}
	})
}
