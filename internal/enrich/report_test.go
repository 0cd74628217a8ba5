package enrich

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/prospectorhq/prospector/internal/enrich/site"
)

// ReadWebsiteReport reads back what enrichment writes, whatever else the
// stored analysis holds.
func TestWebsiteReportRoundTrip(t *testing.T) {
	days, valid := 12, true
	analysed := &site.Analysis{URL: "https://acme.example", SSLValid: &valid, SSLExpiresInDays: &days, Title: "Acme",
		Signals: []site.Signal{{Code: "old_copyright", Text: "The copyright year is 2016.", Value: "2016"}},
		Tech:    []site.Tech{{Name: "WordPress"}}}
	tests := []struct {
		name     string
		findings *SiteFindings
		want     WebsiteReport
	}{
		{"analysed", &SiteFindings{URL: "https://acme.example", Analysis: analysed},
			WebsiteReport{Status: WebsiteAnalysed, SSLExpiresInDays: &days, Signals: analysed.Signals}},
		{"unreachable", &SiteFindings{URL: "https://down.example", Reason: "connection refused"},
			WebsiteReport{Status: WebsiteUnreachable, Reason: "connection refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Result{Analysis: map[string]any{}}
			tt.findings.apply(&r)
			raw, err := json.Marshal(r.Analysis)
			if err != nil {
				t.Fatal(err)
			}
			if got := ReadWebsiteReport(raw); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadWebsiteReport = %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := ReadWebsiteReport(nil); !reflect.DeepEqual(got, WebsiteReport{}) {
		t.Errorf("no analysis = %+v, want the zero report", got)
	}
}
