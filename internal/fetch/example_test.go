package fetch_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/prospectorhq/prospector/internal/fetch"
)

func ExampleFetcher_Get() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<title>Joe's Plumbing</title>")
	}))
	defer site.Close()

	f, err := fetch.New(fetch.Config{
		UserAgent: "Prospector/example",
		// Loopback is refused unless allowlisted, as the demo does for
		// its sandbox web host.
		Allowlist: []string{site.Listener.Addr().String()},
	})
	if err != nil {
		panic(err)
	}
	defer f.Close()

	res, err := f.Get(context.Background(), site.URL)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, string(res.Body))

	_, err = f.Get(context.Background(), "http://169.254.169.254/latest/meta-data/")
	fmt.Println(fetch.KindOf(err), "-", fetch.Reason(err))

	_, err = f.Get(context.Background(), "http://2130706433/")
	fmt.Println(fetch.KindOf(err), "-", fetch.Reason(err))
	// Output:
	// 200 <title>Joe's Plumbing</title>
	// blocked - Refused: the site's address is a cloud metadata address
	// bad_url - Not a web address: a numeric host must be written as four decimal numbers (like 192.0.2.1)
}
