package site

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/golden"
)

// fetchedAt dates every test page, so that "© 2011" and "for 25 years"
// read the same whatever day the tests run.
var fetchedAt = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// htmlPage is a healthy https page around body, for tests that look at
// one thing at a time.
func htmlPage(body string) Page {
	return Page{
		URL:       "https://shop.example/",
		Status:    200,
		Header:    http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body:      []byte(body),
		TLSValid:  ptr(true),
		FetchedAt: fetchedAt,
	}
}

// fixturePages are the fetches the fixture tests analyse, with the headers,
// TLS facts and timings the fetcher would report for such sites.
func fixturePages(t testing.TB) map[string]Page {
	t.Helper()
	https := func(file, url string, h http.Header) Page {
		if h == nil {
			h = http.Header{}
		}
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "text/html; charset=utf-8")
		}
		body := golden.Read(t, file)
		return Page{
			URL: url, FinalURL: url, Status: 200, Header: h, Body: body,
			TLSValid: ptr(true), TLSNotAfter: fetchedAt.Add(60 * 24 * time.Hour),
			TTFB: 180 * time.Millisecond, Total: 850 * time.Millisecond,
			Bytes: int64(len(body)), FetchedAt: fetchedAt,
		}
	}
	pages := map[string]Page{
		"modern": https("modern_wordpress.html", "https://riverbendplumbing.example/", http.Header{
			"Server":       {"nginx/1.24.0"},
			"X-Powered-By": {"PHP/8.2.12"},
			"Link":         {`<https://riverbendplumbing.example/wp-json/>; rel="https://api.w.org/"`},
		}),
		"wix": https("wix.html", "https://www.bloomandstem.example/", http.Header{
			"X-Wix-Request-Id": {"1718450000.123456789012345"},
			"Server":           {"Pepyaka"},
		}),
		"squarespace": https("squarespace.html", "https://www.copperkettlebakery.example/", http.Header{
			"Server":     {"Squarespace"},
			"Set-Cookie": {"crumb=BQx1YzAbCdEf; Path=/; Secure", "ss_cvr=abc123|1718450000; Path=/; Secure"},
		}),
		"shopify": https("shopify.html", "https://trailheadoutfitters.example/", http.Header{
			"X-ShopId":        {"55123456"},
			"X-Shopify-Stage": {"production"},
			"Powered-By":      {"Shopify"},
			"Set-Cookie":      {"_shopify_y=8f2c1e; Path=/; Max-Age=31536000", "_shopify_s=44aa; Path=/"},
			"Server":          {"cloudflare"},
			"Cf-Ray":          {"8a1b2c3d4e5f6789-DFW"},
		}),
		"godaddy": https("godaddy.html", "https://lakesideautorepair.example/", http.Header{
			"Server": {"DPS/2.0.0+sha-1a2b3c4"},
		}),
		"webflow": https("webflow.html", "https://www.northsidehvac.example/", http.Header{
			"Server": {"Vercel"}, // a stand-in; Webflow sites sit behind a CDN
		}),
	}
	modern := pages["modern"]
	modern.URL = "http://riverbendplumbing.example/"
	modern.HTTPSRedirect = true
	pages["modern"] = modern

	dated := golden.Read(t, "dated.html")
	pages["dated"] = Page{
		URL: "http://smithandsonshvac.example/", Status: 200,
		Header: http.Header{
			"Content-Type": {"text/html; charset=iso-8859-1"},
			"Server":       {"Apache/2.2.22 (Ubuntu)"},
			"X-Powered-By": {"PHP/5.3.10-1ubuntu3.26"},
		},
		Body: dated, Bytes: int64(len(dated)),
		TTFB: 1900 * time.Millisecond, Total: 4300 * time.Millisecond,
		FetchedAt: fetchedAt,
	}
	pages["broken"] = Page{
		URL: "https://brokenplumbing.example/", Status: 500,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: golden.Read(t, "empty.html"),
		TLSValid: ptr(true), TTFB: 2100 * time.Millisecond, Total: 2100 * time.Millisecond,
		FetchedAt: fetchedAt,
	}
	pages["binary"] = Page{
		URL: "https://pictureframes.example/", Status: 200,
		Header: http.Header{"Content-Type": {"image/png"}}, Body: pngBody(),
		TLSValid: ptr(true), TTFB: 90 * time.Millisecond, Total: 120 * time.Millisecond,
		FetchedAt: fetchedAt,
	}
	huge := hugeBody(t)
	pages["huge"] = Page{
		URL: "http://partsdepot.example/", Status: 200,
		Header: http.Header{"Content-Type": {"text/html"}},
		Body:   huge[:MaxBody], Truncated: true, Bytes: int64(len(huge)),
		TTFB: 400 * time.Millisecond, Total: 6200 * time.Millisecond,
		FetchedAt: fetchedAt,
	}
	return pages
}

// pngBody is a small PNG-looking body. It is built here rather than kept
// in testdata because fixtures stay text a reviewer can read.
func pngBody() []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
	for i := 0; i < 2048; i++ {
		b = append(b, byte(i*131%251))
	}
	return b
}

var hugeOnce = sync.OnceValue(func() []byte {
	base, err := os.ReadFile(filepath.Join("testdata", "dated.html"))
	if err != nil {
		panic(err)
	}
	// A parts catalogue: the dated page with thousands of product rows
	// spliced in before its footer, past the 2 MiB the fetcher keeps.
	i := bytes.Index(base, []byte("  <tr>\n    <td align=\"center\">"))
	var b bytes.Buffer
	b.Write(base[:i])
	for n := 0; b.Len() < MaxBody+64<<10; n++ {
		fmt.Fprintf(&b, "  <tr><td><img src=\"images/p%d.jpg\" width=\"120\" alt=\"\"></td><td><font size=\"2\"><a href=\"/p/%d\">Part %d</a> Genuine replacement filter, fits most furnaces. $%d.99</font></td></tr>\n", n, n, 1000+n, n%90+10)
	}
	b.Write(base[i:])
	return b.Bytes()
})

// hugeBody is the largest fixture, generated rather than stored: 2 MiB of
// table rows says nothing a reviewer could read.
func hugeBody(t testing.TB) []byte {
	t.Helper()
	return hugeOnce()
}
