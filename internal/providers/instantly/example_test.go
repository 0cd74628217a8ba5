package instantly_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/prospectorhq/prospector/internal/providers/instantly"
)

// The send stage puts a Prospector campaign on Instantly: the campaign with
// merge-tag steps, each approved sequence as a lead carrying its own text,
// then activate.
func Example() {
	client, err := instantly.New(instantly.Config{APIKey: "INSTANTLY_API_KEY or the user's BYOK key"})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	c, err := client.CreateCampaign(ctx, instantly.CampaignParams{
		Name: "Austin plumbers", Accounts: []string{"sam@send.example.com"}, Timezone: "America/Chicago",
		Days: []int{1, 2, 3, 4, 5}, Start: "09:00", End: "17:00", SendDays: []int{0, 3, 7},
		MinGapSeconds: 540, MaxGapSeconds: 840, StopOnReply: true, StopForCompany: true,
	})
	if errors.Is(err, instantly.ErrUnauthorized) {
		fmt.Println(err) // Instantly refused the API key (401): check it in Settings → API keys
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.AddLeads(ctx, c.ID, []instantly.Lead{{
		Email: "dana@lonestarplumbing.example", FirstName: "Dana", CompanyName: "Lone Star Plumbing",
		Steps: []instantly.Email{{Subject: "Quick question", Body: "Hi Dana,\n…"}, {Body: "Bumping this."}, {Body: "Last note."}},
	}}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.ActivateCampaign(ctx, c.ID); err != nil {
		fmt.Println(err)
	}
}

func ExampleVariables() {
	vars := instantly.Variables([]instantly.Email{
		{Subject: "Your site & bookings", Body: "Hi Dana,\nthe <form> is hidden."},
		{Body: "Bumping this."},
	})
	for _, k := range []string{"p_subject_1", "p_body_1", "p_subject_2", "p_body_2"} {
		fmt.Printf("%s = %s\n", k, vars[k])
	}
	// Output:
	// p_subject_1 = Your site & bookings
	// p_body_1 = Hi Dana,<br/>the &lt;form&gt; is hidden.
	// p_subject_2 = Re: Your site & bookings
	// p_body_2 = Bumping this.
}
