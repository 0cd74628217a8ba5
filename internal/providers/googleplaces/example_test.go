package googleplaces_test

import (
	"context"
	"fmt"
	"log"

	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/googleplaces"
	"github.com/prospectorhq/prospector/internal/sandbox"
)

func ExampleClient_Search() {
	ctx := context.Background()
	sb, err := sandbox.Start(ctx, sandbox.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()

	client, err := googleplaces.New(googleplaces.Config{
		APIKey:   sb.GoogleAPIKey,
		BaseURL:  sb.GooglePlacesURL,
		Settings: providers.Settings{UserAgent: "Prospector/example (+https://prospector.test)"},
	})
	if err != nil {
		log.Fatal(err)
	}
	total := 0
	err = client.Search(ctx, googleplaces.Query{Text: "plumbers in Austin, TX", Max: 25}, func(page []googleplaces.Place) error {
		// A real caller checks here whether its campaign was paused.
		total += len(page)
		fmt.Println("page of", len(page))
		return nil
	})
	if err != nil {
		fmt.Println(providers.Describe(err))
	}
	fmt.Println(total, "places")
	// Output:
	// page of 20
	// page of 5
	// 25 places
}
