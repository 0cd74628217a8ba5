package instantly_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/instantly"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
	"github.com/prospectorhq/prospector/internal/sandbox"
)

var update = flag.Bool("update", false, "rewrite the golden request files in testdata/")

type fixture = providerstest.Sandboxed[*instantly.Client]

type setupOptions struct {
	faults map[sandbox.Service]sandbox.Fault
	key    string // default the sandbox's
	noKey  bool
}

// setup runs the client against the sandbox's Instantly fake, on a fake
// clock that moves forward on every Sleep.
func setup(t *testing.T, o setupOptions) fixture {
	t.Helper()
	f := providerstest.StartSandboxed[*instantly.Client](t, o.faults, false)
	key := o.key
	if key == "" && !o.noKey {
		key = f.SB.InstantlyAPIKey
	}
	var err error
	f.Client, err = instantly.New(instantly.Config{APIKey: key, BaseURL: f.SB.InstantlyURL, Settings: f.Settings()})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// requests are the requests the fake received.
func requests(f fixture) []sandbox.Request { return f.SB.Requests(sandbox.Instantly) }

// checkRequest compares one request with the documented format: method,
// path (under the fake's mount /instantly/api/v2), the Bearer key, the
// identifying User-Agent, a JSON Content-Type exactly when there is a body,
// and the body with golden (a file of testdata/, "" for no body). In the
// body, each of replace's keys is replaced by its value first, for ids the
// fake made up.
func checkRequest(t *testing.T, f fixture, r sandbox.Request, method, path, golden string, replace map[string]string) {
	t.Helper()
	if r.Method != method || r.Path != "/instantly/api/v2"+path {
		t.Errorf("request = %s %s, want %s /instantly/api/v2%s", r.Method, r.Path, method, path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+f.SB.InstantlyAPIKey {
		t.Errorf("Authorization = %q", got)
	}
	if got := r.Header.Get("User-Agent"); got != providerstest.UserAgent {
		t.Errorf("User-Agent = %q", got)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
	if golden == "" {
		if len(r.Body) != 0 || r.Header.Get("Content-Type") != "" {
			t.Errorf("a body-less call sent Content-Type %q and body %q", r.Header.Get("Content-Type"), r.Body)
		}
		return
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	body := string(r.Body)
	for from, to := range replace {
		body = strings.ReplaceAll(body, from, to)
	}
	checkGolden(t, golden, []byte(body))
}

// checkGolden compares a JSON body with testdata/name byte for byte, once
// both are compacted (the file is indented for reading; key order, values
// and escaping must match exactly). -update rewrites the file.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		var buf bytes.Buffer
		if err := json.Indent(&buf, got, "", "  "); err != nil {
			t.Fatalf("%s: the body is not JSON: %v", name, err)
		}
		buf.WriteByte('\n')
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := providerstest.Testdata(t, name)
	var w, g bytes.Buffer
	if err := json.Compact(&w, want); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := json.Compact(&g, got); err != nil {
		t.Fatalf("the body is not JSON: %v: %s", err, got)
	}
	if !bytes.Equal(w.Bytes(), g.Bytes()) {
		t.Errorf("body differs from testdata/%s:\n got %s\nwant %s", name, g.Bytes(), w.Bytes())
	}
}

// checkSecrets fails when the key is anywhere but the Authorization
// header: in a URL, a recorded call or err.
func checkSecrets(t *testing.T, f fixture, key string, err error) {
	t.Helper()
	for _, r := range requests(f) {
		if strings.Contains(r.Path, key) || strings.Contains(r.Query.Encode(), key) || bytes.Contains(r.Body, []byte(key)) {
			t.Errorf("the key is in the request %s %s", r.Method, r.Path)
		}
	}
	for _, c := range f.Rec.Calls() {
		if s := fmt.Sprintf("%+v %v", c, c.Err); strings.Contains(s, key) {
			t.Errorf("the key is in a recorded call: %s", s)
		}
		if c.Service != instantly.Service {
			t.Errorf("call service = %q", c.Service)
		}
	}
	if err != nil && (strings.Contains(err.Error(), key) || strings.Contains(fmt.Sprintf("%+v", err), key)) {
		t.Errorf("the key is in the error: %v", err)
	}
}

// campaignParams are the sending settings of a Prospector campaign with
// the contract's defaults: Monday to Friday 09:00–17:00, gaps 540–840 s,
// three steps on days 0, 3 and 7.
func campaignParams() instantly.CampaignParams {
	return instantly.CampaignParams{
		Name:          "Austin plumbers — Q3 (Prospector)",
		Accounts:      []string{"sam@send.example.com", "alex@send.example.com"},
		Timezone:      "America/New_York",
		Days:          []int{1, 2, 3, 4, 5},
		Start:         "09:00",
		End:           "17:00",
		SendDays:      []int{0, 3, 7},
		DailyLimit:    120,
		MinGapSeconds: 540,
		MaxGapSeconds: 840,
		StopOnReply:   true, StopForCompany: true,
	}
}

func sequence(company string) []instantly.Email {
	return []instantly.Email{
		{Subject: "Quick question about " + company, Body: "Hi Dana,\n\nYour site loads in 9 s on a phone & the booking form is <hidden>.\n\nBest,\nSam"},
		{Subject: "", Body: "Hi Dana,\r\nbumping this up.\r\nSam"},
		{Subject: "Last note for " + company, Body: "Dana — \"one last\" note.\nSam"},
	}
}

func newCampaign(t *testing.T, f fixture) instantly.Campaign {
	t.Helper()
	c, err := f.Client.CreateCampaign(context.Background(), campaignParams())
	if err != nil {
		t.Fatal(err)
	}
	return c
}
