package providers_test

import (
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/providers"
)

func ExampleDescribe() {
	err := fmt.Errorf("discovery: %w", &providers.Error{
		Service: providers.ServiceYelp, Kind: providers.KindQuota, Status: 429,
		Code: "ACCESS_LIMIT_REACHED", RetryAfter: 3 * time.Hour,
	})
	fmt.Println(providers.IsQuota(err))
	fmt.Println(providers.Describe(err))
	// Output:
	// true
	// Yelp quota exhausted; it resets in 3h0m0s
}
