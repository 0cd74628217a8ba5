package hunter_test

import (
	"context"
	"fmt"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/hunter"
)

// A contact finder asks Email Finder, and must drop a person who asked not
// to be processed.
func ExampleClient_EmailFinder() {
	client, err := hunter.New(hunter.Config{APIKey: "HUNTER_API_KEY from the configuration"})
	if err != nil {
		panic(err)
	}
	f, err := client.EmailFinder(context.Background(), hunter.EmailFinderParams{
		Domain: "lonestarplumbing.example", FirstName: "Dana", LastName: "Reyes",
	})
	switch {
	case hunter.IsDoNotProcess(err):
		// Store nothing about this person and never contact them.
	case err != nil:
		fmt.Println(providers.Describe(err))
	case !f.Found:
		// Try the website crawl and pattern guessing instead.
	default:
		fmt.Println(f.Email, f.Score)
	}
}
