package scoring_test

import (
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/scoring"
)

func ExampleCompute() {
	score, sslValid, reviews, rating := 32, false, 210, 4.6
	s := scoring.Compute(scoring.Input{
		HasWebsite: true, WebsiteReachable: true,
		WebsiteScore: &score, SSLValid: &sslValid,
		GoogleRating: &rating, GoogleReviews: &reviews,
		Contacts: []scoring.ContactInput{{Email: "owner@example.com", Verification: "valid", IsDecisionMaker: true}},
		Now:      time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}, settings.Targeting{})
	fmt.Println(s.Overall, s.Tier)
	fmt.Println(s.TierReason)

	s = scoring.Adjust(s, 25, "hiring a marketing manager")
	fmt.Println(s.Overall, s.Factors.Adjustment.Applied)
	// Output:
	// 77 A
	// Tier A: weak website (score 32, no SSL), 4.6★ from 210 reviews, verified decision-maker email
	// 87 10
}
