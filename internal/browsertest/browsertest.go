// Package browsertest is what the browser tests share: finding Debian's
// Chromium (apt-get install chromium) and the options every test opens it
// with. Without a Chromium the tests skip, saying so, except under CI,
// where they must run: .ci/run installs it.
package browsertest

import (
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Path finds the browser: $CHROMIUM, else the usual names on PATH.
func Path(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("browser tests: no Chromium found (looked for $CHROMIUM, chromium, chromium-browser, google-chrome); CI must run them: apt-get install chromium")
	}
	t.Skip("browser tests skipped: no Chromium found (looked for $CHROMIUM, chromium, chromium-browser, google-chrome); apt-get install chromium to run them")
	return ""
}

// Options are the allocator options of a headless Chromium at path with a
// profile of its own in dataDir.
func Options(path, dataDir string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests may run as root (CI does)
		chromedp.DisableGPU, chromedp.WindowSize(1280, 900), chromedp.UserDataDir(dataDir),
		// The network is closed: no QUIC probes, no component downloads.
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
}
