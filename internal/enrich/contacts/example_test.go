package contacts_test

import (
	"fmt"

	"github.com/prospectorhq/prospector/internal/enrich/contacts"
)

func ExampleExtract() {
	page := []byte(`<html><body>
<div class="team-card"><h3>Maria Gonzalez — Owner</h3>
<p>Email: maria [at] riverbendplumbing [dot] com</p></div>
<p>General questions: <a href="mailto:info@riverbendplumbing.com?subject=Hi">write to us</a></p>
</body></html>`)
	for _, f := range contacts.Extract("https://riverbendplumbing.com/team", page) {
		fmt.Printf("%q %q %s (%s)\n", f.Name, f.Title, f.Email, f.Evidence)
	}
	// Output:
	// "Maria Gonzalez" "Owner" maria@riverbendplumbing.com (team)
	// "" "" info@riverbendplumbing.com (mailto)
}

func ExampleChoose() {
	found := []contacts.Found{
		{Email: "info@riverbendplumbing.com", Source: contacts.SourceWebsite},
		{Name: "James Whitaker", Title: "Office Manager", Email: "james@riverbendplumbing.com", Source: contacts.SourceWebsite},
		{Name: "Maria Gonzalez", Title: "Owner", Email: "maria@riverbendplumbing.com", Source: contacts.SourceWebsite},
	}
	for _, c := range contacts.Choose(found) {
		fmt.Printf("%s primary=%v decision_maker=%v\n", c.Email, c.IsPrimary, c.IsDecisionMaker)
	}
	// Output:
	// maria@riverbendplumbing.com primary=true decision_maker=true
	// info@riverbendplumbing.com primary=false decision_maker=false
	// james@riverbendplumbing.com primary=false decision_maker=false
}

func ExampleInferPattern() {
	p, ok := contacts.InferPattern("riverbendplumbing.com", []contacts.Person{
		{Name: "James Whitaker", Email: "james.whitaker@riverbendplumbing.com"},
		{Name: "Linda Okafor", Email: "linda.okafor@riverbendplumbing.com"},
	})
	fmt.Println(p, ok)
	fmt.Println(p.Apply("José", "Peña"))
	// Output:
	// {first}.{last}@riverbendplumbing.com true
	// jose.pena@riverbendplumbing.com
}

func ExampleSplitName() {
	for _, n := range []string{"Dr. Jane A. Smith", "Smith, Jane", "Maria de la Cruz", "Madonna"} {
		first, last := contacts.SplitName(n)
		fmt.Printf("%q %q\n", first, last)
	}
	// Output:
	// "Jane" "Smith"
	// "Jane" "Smith"
	// "Maria" "de la Cruz"
	// "Madonna" ""
}

func ExampleCandidatePages() {
	home := []byte(`<nav><a href="/">Home</a> <a href="/about-us/">About</a>
<a href="/contact">Contact</a> <a href="https://facebook.com/riverbend">Facebook</a></nav>`)
	fmt.Println(contacts.CandidatePages("https://riverbendplumbing.com/", home))
	// Output:
	// [https://riverbendplumbing.com/contact https://riverbendplumbing.com/about-us/]
}
