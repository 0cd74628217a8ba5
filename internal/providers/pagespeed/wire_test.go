package pagespeed_test

import (
	"encoding/json"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/googleapi"
	"github.com/prospectorhq/prospector/internal/providers/pagespeed"
	"github.com/prospectorhq/prospector/internal/providers/providerstest"
)

// TestDocumentedExamplesRoundTrip decodes each example strictly (a misspelt
// json tag fails) and encodes it back: the same JSON must come out, so that
// a fake built on these types answers as Google does.
func TestDocumentedExamplesRoundTrip(t *testing.T) {
	t.Parallel()
	providerstest.RoundTrip(t, "run_response.json", &pagespeed.RunPagespeedResponse{})
	providerstest.RoundTrip(t, "error_failed_document_request.json", &googleapi.ErrorResponse{})
	providerstest.RoundTrip(t, "error_errored_document_request.json", &googleapi.ErrorResponse{})
	providerstest.RoundTrip(t, "error_api_key_invalid.json", &googleapi.ErrorResponse{})
	providerstest.RoundTrip(t, "error_quota_per_minute.json", &googleapi.ErrorResponse{})
}

// TestRealResponsesDecode: a real response carries many fields the client
// does not keep, and scores of audits that are not numbers; decoding must
// ignore them.
func TestRealResponsesDecode(t *testing.T) {
	t.Parallel()
	body := []byte(`{"kind":"pagespeedonline#result","id":"https://acme.example/","lighthouseResult":{
		"requestedUrl":"https://acme.example/","finalDisplayedUrl":"https://acme.example/","mainDocumentUrl":"https://acme.example/",
		"lighthouseVersion":"12.8.2","userAgent":"Mozilla/5.0","fetchTime":"2026-01-02T03:04:05.678Z","environment":{"networkUserAgent":"x"},
		"configSettings":{"formFactor":"mobile","locale":"en-US","onlyCategories":["performance"],"channel":"lr"},
		"categories":{"performance":{"id":"performance","title":"Performance","score":0.987,"auditRefs":[{"id":"first-contentful-paint","weight":10}]}},
		"audits":{"final-screenshot":{"id":"final-screenshot","title":"Final Screenshot","score":null,"scoreDisplayMode":"informative","details":{"type":"screenshot","data":"data:image/jpeg;base64,AAAA"}},
		"first-contentful-paint":{"id":"first-contentful-paint","title":"First Contentful Paint","score":1,"scoreDisplayMode":"numeric","numericValue":812.3,"numericUnit":"millisecond","displayValue":"0.8 s"}},
		"i18n":{"rendererFormattedStrings":{}},"timing":{"total":12345}},
		"analysisUTCTimestamp":"2026-01-02T03:04:05.678Z","version":{"major":1,"minor":0}}`)
	var resp pagespeed.RunPagespeedResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	lr := resp.LighthouseResult
	if lr == nil || lr.Categories.Performance == nil || *lr.Categories.Performance.Score != 0.987 || lr.FinalDisplayedURL != "https://acme.example/" ||
		lr.Audits["final-screenshot"].Score != nil || *lr.Audits["first-contentful-paint"].NumericValue != 812.3 || lr.ConfigSettings.FormFactor != "mobile" {
		t.Errorf("decoded %+v", lr)
	}
}
