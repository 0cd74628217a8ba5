package outreach_test

import (
	"fmt"

	"github.com/prospectorhq/prospector/internal/outreach"
)

func ExampleTemplate() {
	rating, reviews := 4.8, 112
	d := outreach.Template(outreach.Facts{
		CompanyName: "Lone Star Plumbing", City: "Austin", ContactFirstName: "Maria",
		GoogleRating: &rating, GoogleReviews: &reviews,
	}, nil)
	first := d.Steps[0]
	fmt.Println("Subject:", first.Subject)
	fmt.Println(first.Body)
	fmt.Println(d.GeneratedBy, len(d.Steps), d.Checks.Passed)
	// Output:
	// Subject: a website for Lone Star Plumbing
	// Hi Maria,
	//
	// I came across Lone Star Plumbing in Austin but couldn't find a website for the business. Most people look a business up online before they call, and a simple site gives them a reason to pick you.
	//
	// Would it be worth a short call to see what a simple site could look like?
	//
	// Best regards
	// template 3 true
}

func ExampleCheck() {
	c := outreach.Check([]outreach.Step{{
		Step: 1, Subject: "Act now", Body: "Hi Ann,\n\nGet a FREE audit at www.acme.example today.\n\nBest regards",
	}})
	fmt.Println(c.Passed, c.SpamWords, c.Steps[0].Words, c.Steps[0].Links)
	fmt.Println(c.Problems)
	// Output:
	// false [act now free] 11 true
	// [step 1: contains a link spam words: act now, free]
}
