package instantly_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/sandbox/sandboxtest"
)

// campaignBody is a valid create-campaign body, as the documentation's
// example, with edit applied to its decoded form.
func campaignBody(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	const doc = `{
	  "name": "Austin plumbers — Q3",
	  "campaign_schedule": {"start_date": "2026-09-07", "end_date": null, "schedules": [{
	    "name": "Business hours", "timing": {"from": "09:00", "to": "17:00"},
	    "days": {"0": false, "1": true, "2": true, "3": true, "4": true, "5": true, "6": false},
	    "timezone": "America/Chicago"}]},
	  "sequences": [{"steps": [
	    {"type": "email", "delay": 3, "delay_unit": "days", "variants": [{"subject": "{{p_subject_1}}", "body": "{{p_body_1}}"}]},
	    {"type": "email", "delay": 0, "variants": [{"subject": "", "body": "Hi<br/>", "v_disabled": false}]}]}],
	  "email_list": ["sam@send.example.com"], "daily_limit": 50, "email_gap": 10, "random_wait_max": 5,
	  "stop_on_reply": true, "stop_on_auto_reply": false, "stop_for_company": true, "link_tracking": false,
	  "open_tracking": false, "text_only": false, "insert_unsubscribe_header": true
	}`
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func schedule(m map[string]any) map[string]any {
	return m["campaign_schedule"].(map[string]any)["schedules"].([]any)[0].(map[string]any)
}

func firstStep(m map[string]any) map[string]any {
	return m["sequences"].([]any)[0].(map[string]any)["steps"].([]any)[0].(map[string]any)
}

type client struct {
	sb  *sandbox.Sandbox
	key string
}

func start(t *testing.T, o sandbox.Options) client {
	t.Helper()
	sb := sandboxtest.Start(t, o)
	return client{sb: sb, key: sb.InstantlyAPIKey}
}

func (c client) do(t *testing.T, method, path, body string) sandboxtest.Answer {
	t.Helper()
	h := map[string]string{"Authorization": "Bearer " + c.key}
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	return sandboxtest.Do(t, method, c.sb.InstantlyURL+path, h, body)
}

// wantError checks an answer is Instantly's error shape with status and,
// when given, a message containing msg.
func wantError(t *testing.T, a sandboxtest.Answer, status int, code, msg string) {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status = %d, want %d: %s", a.Status, status, a.Body)
	}
	m := a.JSON(t)
	if m["statusCode"] != float64(status) || m["error"] != http.StatusText(status) {
		t.Errorf("error body %s", a.Body)
	}
	if code != "" && m["code"] != code {
		t.Errorf("code = %v, want %s", m["code"], code)
	}
	if got, _ := m["message"].(string); !strings.Contains(got, msg) {
		t.Errorf("message = %q, want it to contain %q", got, msg)
	}
}

func (c client) createCampaign(t *testing.T) string {
	t.Helper()
	a := c.do(t, "POST", "/campaigns", campaignBody(t, nil))
	if a.Status != 200 {
		t.Fatalf("create: %d %s", a.Status, a.Body)
	}
	return a.JSON(t)["id"].(string)
}

func TestAuth(t *testing.T) {
	t.Parallel()
	c := start(t, sandbox.Options{})
	tests := []struct {
		name, auth string
		status     int
		msg        string
	}{
		{"no key", "", 401, "Invalid authorization header or API key"},
		{"wrong key", "Bearer nope", 401, "Invalid authorization header or API key"},
		{"key without Bearer", c.key, 401, "Invalid authorization header or API key"},
		{"no paid plan", "Bearer " + sandbox.QuotaExhaustedKey, 402, "Workspace does not have an active paid plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/json"}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			a := sandboxtest.Do(t, "POST", c.sb.InstantlyURL+"/campaigns", h, campaignBody(t, nil))
			wantError(t, a, tt.status, "", tt.msg)
		})
	}
	if got := len(c.sb.Instantly().Campaigns()); got != 0 {
		t.Errorf("%d campaigns created without a valid key", got)
	}
	if a := c.do(t, "POST", "/campaigns", campaignBody(t, nil)); a.Status != 200 {
		t.Errorf("the sandbox key: %d %s", a.Status, a.Body)
	}
}

func TestCreateCampaignValidatesTheDocumentedSchema(t *testing.T) {
	t.Parallel()
	c := start(t, sandbox.Options{})
	tests := []struct {
		name string
		edit func(m map[string]any)
		msg  string
	}{
		{"no name", func(m map[string]any) { delete(m, "name") }, "body must have required property 'name'"},
		{"no schedule", func(m map[string]any) { delete(m, "campaign_schedule") }, "body must have required property 'campaign_schedule'"},
		{"unknown property", func(m map[string]any) { m["send_window"] = "9-5" }, "body must NOT have additional properties: 'send_window'"},
		{"read-only id", func(m map[string]any) { m["id"] = "019942fb-54a1-73dc-89a2-5f7483674a3d" }, "additional properties: 'id'"},
		{"read-only status", func(m map[string]any) { m["status"] = 1 }, "additional properties: 'status'"},
		{"no schedules", func(m map[string]any) { delete(m["campaign_schedule"].(map[string]any), "schedules") }, "body/campaign_schedule must have required property 'schedules'"},
		{"empty schedules", func(m map[string]any) { m["campaign_schedule"].(map[string]any)["schedules"] = []any{} }, "body/campaign_schedule/schedules must NOT have fewer than 1 items"},
		{"timing not HH:MM", func(m map[string]any) { schedule(m)["timing"].(map[string]any)["from"] = "9:00" }, "body/campaign_schedule/schedules/0/timing/from must match pattern"},
		{"hour 24", func(m map[string]any) { schedule(m)["timing"].(map[string]any)["to"] = "24:00" }, "timing/to must match pattern"},
		{"time zone not in the list", func(m map[string]any) { schedule(m)["timezone"] = "America/New_York" }, "body/campaign_schedule/schedules/0/timezone must be equal to one of the allowed values"},
		{"no days", func(m map[string]any) { schedule(m)["days"] = map[string]any{} }, "days must NOT have fewer than 1 properties"},
		{"day 7", func(m map[string]any) { schedule(m)["days"] = map[string]any{"7": true} }, "days must NOT have additional properties: '7'"},
		{"day not boolean", func(m map[string]any) { schedule(m)["days"] = map[string]any{"1": "yes"} }, "days/1 must be boolean"},
		{"no delay", func(m map[string]any) { delete(firstStep(m), "delay") }, "body/sequences/0/steps/0 must have required property 'delay'"},
		{"negative delay", func(m map[string]any) { firstStep(m)["delay"] = -1 }, "steps/0/delay must be >= 0"},
		{"fractional delay", func(m map[string]any) { firstStep(m)["delay"] = 1.5 }, "steps/0/delay must be integer"},
		{"step type", func(m map[string]any) { firstStep(m)["type"] = "sms" }, "steps/0/type must be equal to one of the allowed values"},
		{"delay unit", func(m map[string]any) { firstStep(m)["delay_unit"] = "weeks" }, "steps/0/delay_unit must be equal to one of the allowed values"},
		{"variant without body", func(m map[string]any) {
			delete(firstStep(m)["variants"].([]any)[0].(map[string]any), "body")
		}, "variants/0 must have required property 'body'"},
		{"no variants", func(m map[string]any) { firstStep(m)["variants"] = []any{} }, "variants must NOT have fewer than 1 items"},
		{"bad sending account", func(m map[string]any) { m["email_list"] = []any{"sam"} }, `body/email_list/0 must match format "email"`},
		{"daily limit as text", func(m map[string]any) { m["daily_limit"] = "50" }, "body/daily_limit must be integer"},
		{"flag as text", func(m map[string]any) { m["insert_unsubscribe_header"] = "true" }, "body/insert_unsubscribe_header must be boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, c.do(t, "POST", "/campaigns", campaignBody(t, tt.edit)), 400, "FST_ERR_VALIDATION", tt.msg)
		})
	}
	if got := len(c.sb.Instantly().Campaigns()); got != 0 {
		t.Errorf("%d invalid campaigns were kept", got)
	}
}

func TestBodiesMustBeJSON(t *testing.T) {
	t.Parallel()
	c := start(t, sandbox.Options{})
	auth := "Bearer " + c.key
	tests := []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"no content type", "", campaignBody(t, nil), 415, "FST_ERR_CTP_INVALID_MEDIA_TYPE"},
		{"form", "application/x-www-form-urlencoded", "name=x", 415, "FST_ERR_CTP_INVALID_MEDIA_TYPE"},
		{"empty JSON", "application/json", "", 400, "FST_ERR_CTP_EMPTY_JSON_BODY"},
		{"broken JSON", "application/json", `{"name":`, 400, "FST_ERR_CTP_INVALID_JSON_BODY"},
		{"two values", "application/json", `{} {}`, 400, "FST_ERR_CTP_INVALID_JSON_BODY"},
		{"an array", "application/json", `[]`, 400, "FST_ERR_VALIDATION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Authorization": auth}
			if tt.contentType != "" {
				h["Content-Type"] = tt.contentType
			}
			wantError(t, sandboxtest.Do(t, "POST", c.sb.InstantlyURL+"/campaigns", h, tt.body), tt.status, tt.code, "")
		})
	}
}

func TestCampaignLifecycle(t *testing.T) {
	t.Parallel()
	c := start(t, sandbox.Options{})
	a := c.do(t, "POST", "/campaigns", campaignBody(t, nil))
	if a.Status != 200 {
		t.Fatalf("create: %d %s", a.Status, a.Body)
	}
	created := a.JSON(t)
	id, _ := created["id"].(string)
	if len(id) != 36 || created["status"] != float64(0) || created["name"] != "Austin plumbers — Q3" ||
		created["timestamp_created"] == nil || created["organization"] == nil || created["email_gap"] != float64(10) {
		t.Errorf("created campaign %s", a.Body)
	}
	if strings.Contains(string(a.Body), `\u003c`) {
		t.Errorf("HTML escaped in the answer: %s", a.Body)
	}

	noBody := func(path string) sandboxtest.Answer {
		return sandboxtest.Do(t, "POST", c.sb.InstantlyURL+path, map[string]string{"Authorization": "Bearer " + c.key}, "")
	}
	steps := []struct {
		name       string
		answer     func() sandboxtest.Answer
		wantStatus int // campaign status after the step
	}{
		{"activate without a body", func() sandboxtest.Answer { return noBody("/campaigns/" + id + "/activate") }, 1},
		{"read it back", func() sandboxtest.Answer { return c.do(t, "GET", "/campaigns/"+id, "") }, 1},
		{"pause", func() sandboxtest.Answer { return noBody("/campaigns/" + id + "/pause") }, 2},
		{"activate with {}", func() sandboxtest.Answer { return c.do(t, "POST", "/campaigns/"+id+"/activate", "{}") }, 1},
	}
	for _, s := range steps {
		a := s.answer()
		if a.Status != 200 || a.JSON(t)["status"] != float64(s.wantStatus) || a.JSON(t)["id"] != id {
			t.Errorf("%s: %d %s", s.name, a.Status, a.Body)
		}
	}
	got, ok := c.sb.Instantly().Campaign(id)
	if !ok || got.Status != 1 || got.Activations != 2 || got.Pauses != 1 || got.Body["insert_unsubscribe_header"] != true {
		t.Errorf("held campaign %+v", got)
	}

	h := map[string]string{"Authorization": "Bearer " + c.key, "Content-Type": "application/json"}
	wantError(t, sandboxtest.Do(t, "POST", c.sb.InstantlyURL+"/campaigns/"+id+"/pause", h, ""), 400, "FST_ERR_CTP_EMPTY_JSON_BODY",
		"Body cannot be empty when content-type is set to 'application/json'")
	if got, _ := c.sb.Instantly().Campaign(id); got.Status != 1 {
		t.Errorf("a refused pause paused the campaign: %d", got.Status)
	}
	missing := "019942fb-54a1-73dc-89a2-5f7483674a3d"
	wantError(t, noBody("/campaigns/"+missing+"/activate"), 404, "", "Campaign not found")
	wantError(t, c.do(t, "GET", "/campaigns/"+missing, ""), 404, "", "Campaign not found")
	wantError(t, c.do(t, "DELETE", "/campaigns/"+id, ""), 404, "", "Route DELETE:/instantly/api/v2/campaigns/"+id+" not found")
	wantError(t, c.do(t, "POST", "/campaigns/"+id+"/launch", ""), 404, "", "not found")
}

func leadsBody(t *testing.T, campaignID string, skip bool, leads ...map[string]any) string {
	t.Helper()
	if leads == nil {
		leads = []map[string]any{}
	}
	m := map[string]any{"campaign_id": campaignID, "leads": leads}
	if skip {
		m["skip_if_in_campaign"] = true
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAddLeads(t *testing.T) {
	t.Parallel()
	c := start(t, sandbox.Options{})
	id := c.createCampaign(t)
	vars := map[string]any{"p_subject_1": "Hello", "p_body_1": "Hi Dana,<br/>a question", "score": 41, "ssl": true, "none": nil}
	a := c.do(t, "POST", "/leads/add", leadsBody(t, id, true,
		map[string]any{"email": "owner@lonestar.example", "first_name": "Dana", "company_name": "Lone Star", "custom_variables": vars},
		map[string]any{"email": "OWNER@lonestar.example"},
		map[string]any{"email": "not-an-address"},
		map[string]any{"first_name": "Nobody"},
		map[string]any{"email": "info@brightsmile.example", "website": "https://brightsmile.example"},
	))
	if a.Status != 200 {
		t.Fatalf("add: %d %s", a.Status, a.Body)
	}
	var sum struct {
		Status              string `json:"status"`
		TotalSent           int    `json:"total_sent"`
		LeadsUploaded       int    `json:"leads_uploaded"`
		SkippedCount        int    `json:"skipped_count"`
		InvalidEmailCount   int    `json:"invalid_email_count"`
		IncompleteCount     int    `json:"incomplete_count"`
		DuplicateEmailCount int    `json:"duplicate_email_count"`
		RemainingInPlan     int    `json:"remaining_in_plan"`
		CreatedLeads        []struct {
			Index int    `json:"index"`
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"created_leads"`
	}
	if err := json.Unmarshal(a.Body, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Status != "success" || sum.TotalSent != 5 || sum.LeadsUploaded != 2 || sum.DuplicateEmailCount != 1 || sum.InvalidEmailCount != 1 ||
		sum.IncompleteCount != 1 || sum.SkippedCount != 0 || sum.RemainingInPlan <= 0 || len(sum.CreatedLeads) != 2 ||
		sum.CreatedLeads[0].Index != 0 || sum.CreatedLeads[1].Index != 4 || sum.CreatedLeads[1].Email != "info@brightsmile.example" {
		t.Errorf("summary %s", a.Body)
	}
	leads := c.sb.Instantly().Leads(id)
	if len(leads) != 2 || leads[0].ID != sum.CreatedLeads[0].ID || leads[0].FirstName != "Dana" || leads[0].CompanyName != "Lone Star" ||
		leads[0].CustomVariables["p_body_1"] != "Hi Dana,<br/>a question" || leads[0].CustomVariables["ssl"] != true ||
		fmt.Sprint(leads[0].CustomVariables["score"]) != "41" || leads[1].Website != "https://brightsmile.example" {
		t.Errorf("held leads %+v", leads)
	}

	// The same upload again adds nobody: skip_if_in_campaign.
	again := c.do(t, "POST", "/leads/add", leadsBody(t, id, true, map[string]any{"email": "owner@lonestar.example"}))
	if m := again.JSON(t); again.Status != 200 || m["leads_uploaded"] != float64(0) || m["skipped_count"] != float64(1) {
		t.Errorf("repeated upload: %s", again.Body)
	}
	if n := len(c.sb.Instantly().Leads(id)); n != 2 {
		t.Errorf("leads after a repeated upload = %d", n)
	}
	other := c.createCampaign(t)
	if m := c.do(t, "POST", "/leads/add", leadsBody(t, other, true, map[string]any{"email": "owner@lonestar.example"})).JSON(t); m["leads_uploaded"] != float64(1) {
		t.Errorf("another campaign did not take the lead: %v", m)
	}

	many := make([]map[string]any, 1001)
	for i := range many {
		many[i] = map[string]any{"email": fmt.Sprintf("p%d@many.example", i)}
	}
	unknown := "019942fb-54a1-73dc-89a2-5f7483674a3d"
	tests := []struct {
		name, body string
		status     int
		msg        string
	}{
		{"object variable", leadsBody(t, id, true, map[string]any{"email": "a@b.example", "custom_variables": map[string]any{"x": map[string]any{}}}), 400,
			"body/leads/0/custom_variables/x must be string,number,boolean,null"},
		{"array variable", leadsBody(t, id, true, map[string]any{"email": "a@b.example", "custom_variables": map[string]any{"x": []any{"y"}}}), 400, "must be string,number,boolean,null"},
		{"unknown lead field", leadsBody(t, id, true, map[string]any{"email": "a@b.example", "subject": "x"}), 400, "body/leads/0 must NOT have additional properties: 'subject'"},
		{"no leads", leadsBody(t, id, true), 400, "body/leads must NOT have fewer than 1 items"},
		{"1001 leads", leadsBody(t, id, true, many...), 400, "body/leads must NOT have more than 1000 items"},
		{"campaign key of the single-lead endpoint", `{"campaign":"` + id + `","leads":[{"email":"a@b.example"}]}`, 400, "additional properties: 'campaign'"},
		{"campaign and list", `{"campaign_id":"` + id + `","list_id":"` + id + `","leads":[{"email":"a@b.example"}]}`, 400, "not both"},
		{"neither campaign nor list", `{"leads":[{"email":"a@b.example"}]}`, 400, "campaign_id"},
		{"campaign id not a uuid", `{"campaign_id":"42","leads":[{"email":"a@b.example"}]}`, 400, `body/campaign_id must match format "uuid"`},
		{"unknown campaign", leadsBody(t, unknown, true, map[string]any{"email": "a@b.example"}), 404, "Campaign not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, c.do(t, "POST", "/leads/add", tt.body), tt.status, "", tt.msg)
		})
	}
	if n := len(c.sb.Instantly().Leads(id)); n != 2 {
		t.Errorf("refused uploads added leads: %d", n)
	}
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	c := start(t, sandbox.Options{})
	body := func(url, event string) string {
		return fmt.Sprintf(`{"target_hook_url":%q,"event_type":%q,"campaign":null,"name":"Prospector","headers":{"X-Prospector-Secret":"s3cr3t"}}`, url, event)
	}
	a := c.do(t, "POST", "/webhooks", body("https://app.example.com/api/webhooks/instantly", "all_events"))
	m := a.JSON(t)
	if a.Status != 200 || m["id"] == nil || m["target_hook_url"] != "https://app.example.com/api/webhooks/instantly" || m["event_type"] != "all_events" ||
		m["campaign"] != nil || m["headers"].(map[string]any)["X-Prospector-Secret"] != "s3cr3t" {
		t.Errorf("created webhook: %d %s", a.Status, a.Body)
	}
	hooks := c.sb.Instantly().Webhooks()
	if len(hooks) != 1 || hooks[0].Headers["X-Prospector-Secret"] != "s3cr3t" || hooks[0].Campaign != nil || *hooks[0].EventType != "all_events" {
		t.Errorf("held webhooks %+v", hooks)
	}
	tests := []struct{ name, body, msg string }{
		{"no URL", `{"event_type":"all_events"}`, "body must have required property 'target_hook_url'"},
		{"not http", body("ftp://app.example.com/hook", "all_events"), `body/target_hook_url must match pattern "^https?://"`},
		{"unknown event", body("https://app.example.com/hook", "everything"), "body/event_type must be equal to one of the allowed values"},
		{"header not a string", `{"target_hook_url":"https://a.example/h","headers":{"X-Prospector-Secret":1}}`, "body/headers/X-Prospector-Secret must be string"},
		{"unknown field", `{"target_hook_url":"https://a.example/h","secret":"x"}`, "additional properties: 'secret'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, c.do(t, "POST", "/webhooks", tt.body), 400, "FST_ERR_VALIDATION", tt.msg)
		})
	}
	for i := range 2 {
		if a := c.do(t, "POST", "/webhooks", body(fmt.Sprintf("http://127.0.0.1:%d/h", 8000+i), "reply_received")); a.Status != 200 {
			t.Fatalf("create: %s", a.Body)
		}
	}
	var ids []string
	after := ""
	for page := 0; page < 5; page++ {
		path := "/webhooks?limit=2"
		if after != "" {
			path += "&starting_after=" + after
		}
		a := c.do(t, "GET", path, "")
		var list struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			Next string `json:"next_starting_after"`
		}
		if err := json.Unmarshal(a.Body, &list); err != nil || a.Status != 200 {
			t.Fatalf("list: %d %s", a.Status, a.Body)
		}
		for _, it := range list.Items {
			ids = append(ids, it.ID)
		}
		if list.Next == "" {
			break
		}
		after = list.Next
	}
	if len(ids) != 3 || ids[0] != hooks[0].ID {
		t.Errorf("listed %v", ids)
	}
	if a := c.do(t, "GET", "/webhooks?event_type=all_events", ""); len(a.JSON(t)["items"].([]any)) != 1 {
		t.Errorf("filtered by event type: %s", a.Body)
	}
	wantError(t, c.do(t, "GET", "/webhooks?limit=101", ""), 400, "FST_ERR_VALIDATION", "querystring/limit must be <= 100")
}

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault      sandbox.Fault
		status     int
		retryAfter string
		msg        string
	}{
		{sandbox.Fault{Status: 429, RetryAfter: "7"}, 429, "7", "Rate limit exceeded"},
		{sandbox.Fault{Status: 403}, 403, "", "scope"},
		{sandbox.Fault{Status: 402}, 402, "", "Workspace does not have an active paid plan"},
		{sandbox.Fault{Status: 503}, 503, "", "Service Unavailable"},
		{sandbox.Fault{Status: 400, Code: "custom words"}, 400, "", "custom words"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			t.Parallel()
			c := start(t, sandbox.Options{Faults: map[sandbox.Service]sandbox.Fault{sandbox.Instantly: tt.fault}})
			a := c.do(t, "POST", "/campaigns", campaignBody(t, nil))
			wantError(t, a, tt.status, "", tt.msg)
			if got := a.Header.Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
			}
			if len(c.sb.Instantly().Campaigns()) != 0 {
				t.Error("a faulted request created a campaign")
			}
		})
	}
}

// TestConcurrentUse runs creates and uploads in parallel (run with -race):
// every campaign and lead is kept exactly once.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c := start(t, sandbox.Options{})
	const workers, leadsEach = 8, 25
	ids := make([]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			ids[w] = c.createCampaign(t)
			for i := range leadsEach {
				a := c.do(t, "POST", "/leads/add", leadsBody(t, ids[w], true, map[string]any{"email": fmt.Sprintf("p%d@w%d.example", i, w)}))
				if a.Status != 200 {
					t.Errorf("upload: %s", a.Body)
				}
			}
			c.do(t, "POST", "/campaigns/"+ids[w]+"/activate", "{}")
		})
	}
	wg.Wait()
	fk := c.sb.Instantly()
	if n := len(fk.Campaigns()); n != workers {
		t.Errorf("campaigns = %d", n)
	}
	for _, id := range ids {
		if n := len(fk.Leads(id)); n != leadsEach {
			t.Errorf("campaign %s has %d leads", id, n)
		}
		if got, _ := fk.Campaign(id); got.Status != 1 {
			t.Errorf("campaign %s status %d", id, got.Status)
		}
	}
}
