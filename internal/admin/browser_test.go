package admin_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/browsertest"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// An operator who signs in through the login page opens the job dashboard
// in a real browser and sees River's UI render its job list, under our
// security headers.
func TestInChromiumAnOperatorSeesTheJobDashboard(t *testing.T) {
	path := browsertest.Path(t)
	srv := apptest.Start(t, storetest.Engines()[0], apptest.Options{Env: map[string]string{"ADMIN_EMAILS": "ops@example.test"}})
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browsertest.Options(path, t.TempDir())...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("sign up as the operator",
		chromedp.Navigate(srv.URL+"/signup"),
		chromedp.SendKeys(chromedp.ID("f-email"), "ops@example.test"),
		chromedp.SendKeys(chromedp.ID("f-password"), "correct horse battery"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/signup"] button[type="submit"]`))); err != nil {
		t.Fatalf("sign up: %v", err)
	}
	step("open the job dashboard", chromedp.Navigate(srv.URL+"/admin/jobs/"), chromedp.WaitVisible(chromedp.CSS(`#root nav`)))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#root")))
	if err != nil {
		t.Fatalf("read the dashboard: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	// ADMIN_SCREENSHOT=file.png keeps a picture of it, for a person to look at.
	if out := os.Getenv("ADMIN_SCREENSHOT"); out != "" {
		_ = os.WriteFile(out, shot, 0o644)
	}
	for _, want := range []string{"Job State", "Running", "Completed"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dashboard shows %q, want River's job list by state (%q)", text, want)
		}
	}
}
