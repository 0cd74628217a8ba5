package site_test

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/enrich/site"
)

func ExampleAnalyze() {
	page := site.Page{
		URL:    "http://joesplumbing.example/",
		Status: 200,
		Header: http.Header{"Content-Type": {"text/html"}, "Server": {"Apache/2.2.22"}},
		Body: []byte(`<html><head><title>Joe's Plumbing</title>
<script src="/js/jquery-1.8.3.min.js"></script></head>
<body><p>Family owned since 1985. A team of 6 licensed plumbers.</p>
<p>&copy; 2012 Joe's Plumbing</p></body></html>`),
		TTFB:      300 * time.Millisecond,
		Total:     900 * time.Millisecond,
		FetchedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
	}
	a := site.Analyze(page)
	fmt.Println("website score:", a.WebsiteScore, "mobile:", a.MobileScore, "speed:", a.PageSpeed)
	fmt.Println("founded:", *a.YearFounded, "employees:", *a.EmployeeCountEstimate)
	for _, s := range a.Signals {
		fmt.Println(strings.TrimSpace(s.Code + " " + s.Value))
	}
	for _, t := range a.Tech {
		fmt.Println(t.Name, t.Version)
	}
	// Output:
	// website score: 43 mobile: 40 speed: 95
	// founded: 1985 employees: 1-10
	// no_https
	// no_viewport
	// old_copyright 2012
	// old_jquery 1.8.3
	// missing_meta_description
	// old_doctype none (quirks mode)
	// Apache 2.2.22
	// jQuery 1.8.3
}
