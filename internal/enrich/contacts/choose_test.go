package contacts

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/golden"
)

// summary is a Contact in one line, for compact expectations:
// "*name|title|email|phone|dm", with "*" marking the primary.
func summary(c Contact) string {
	s := strings.Join([]string{c.Name, c.Title, c.Email, c.Phone}, "|")
	if c.IsDecisionMaker {
		s += "|dm"
	}
	if c.IsPrimary {
		s = "*" + s
	}
	return s
}

func TestChoose(t *testing.T) {
	t.Parallel()
	type F = Found
	tests := []struct {
		name  string
		found []Found
		want  []string
	}{
		{"nothing", nil, []string{}},
		{"decision maker with a personal address wins",
			[]F{
				{Email: "info@joes.com"},
				{Name: "Ann Lee", Title: "Office Manager", Email: "ann@joes.com"},
				{Name: "Joe Smith", Title: "Owner", Email: "joe@joes.com"},
				{Phone: "512-555-0142"},
			},
			[]string{"*Joe Smith|Owner|joe@joes.com||dm", "||info@joes.com|", "Ann Lee|Office Manager|ann@joes.com|", "|||512-555-0142"}},
		{"the stronger title among decision makers",
			[]F{
				{Name: "Pat Ray", Title: "Partner", Email: "pat@joes.com"},
				{Name: "Gail Moss", Title: "General Manager", Email: "gail@joes.com"},
				{Name: "Joe Smith", Title: "Founder & CEO", Email: "joe@joes.com"},
			},
			[]string{"*Joe Smith|Founder & CEO|joe@joes.com||dm", "Pat Ray|Partner|pat@joes.com||dm", "Gail Moss|General Manager|gail@joes.com||dm"}},
		{"a named person before a bare personal address",
			[]F{{Email: "kim@joes.com"}, {Name: "Ann Lee", Title: "Office Manager", Email: "ann@joes.com"}},
			[]string{"*Ann Lee|Office Manager|ann@joes.com|", "||kim@joes.com|"}},
		{"a bare personal address before a role address",
			[]F{{Email: "info@joes.com"}, {Email: "kim@joes.com"}},
			[]string{"*||kim@joes.com|", "||info@joes.com|"}},
		{"the general inbox before other role addresses",
			[]F{{Email: "jobs@joes.com"}, {Email: "sales@joes.com"}, {Email: "office@joes.com"}, {Phone: "512-555-0142"}},
			[]string{"*||office@joes.com|", "||jobs@joes.com|", "||sales@joes.com|", "|||512-555-0142"}},
		{"a phone only when there is no address, a decision maker's first",
			[]F{{Phone: "512-555-0142"}, {Name: "Joe Smith", Title: "Owner", Phone: "512-555-0199"}, {Name: "Ann Lee", Title: "Owner"}},
			[]string{"*Joe Smith|Owner||512-555-0199|dm", "|||512-555-0142", "Ann Lee|Owner|||dm"}},
		{"a name alone is primary when it is all there is",
			[]F{{Name: "Ann Lee"}, {Name: "Joe Smith", Title: "President"}},
			[]string{"*Joe Smith|President|||dm", "Ann Lee|||"}},
		{"merge by address",
			[]F{
				{Email: "joe@joes.com", Evidence: EvidenceMailto},
				{Name: "Joe Smith", Title: "Owner", Email: "JOE@joes.com", Evidence: EvidenceTeam},
				{Name: "Joe Smith", Phone: "512-555-0199", LinkedInURL: "https://www.linkedin.com/in/joe"},
			},
			[]string{"*Joe Smith|Owner|joe@joes.com|512-555-0199|dm"}},
		{"merge by name keeps the personal address",
			[]F{
				{Name: "joe smith", Title: "Technician", Email: "joe@joes.com"},
				{Name: "Joe Smith", Title: "Co-Owner", Email: "joe.smith@joes.com"},
			},
			[]string{"*joe smith|Co-Owner|joe@joes.com||dm"}},
		{"a named person with a role address becomes two contacts",
			[]F{{Name: "Maria Gonzalez", Title: "Owner", Email: "info@joes.com"}},
			[]string{"*||info@joes.com|", "Maria Gonzalez|Owner|||dm"}},
		{"two people sharing a role address share one mailbox",
			[]F{{Name: "Ann Lee", Title: "Owner", Email: "office@joes.com"}, {Name: "Joe Smith", Title: "Estimator", Email: "office@joes.com"}},
			[]string{"*||office@joes.com|", "Ann Lee|Owner|||dm", "Joe Smith|Estimator||"}},
		{"two people never merge through one address",
			[]F{
				{Name: "Ann Lee", Title: "Owner", Email: "lees@joes.com"},
				{Email: "lees@joes.com"},
				{Name: "Bo Lee", Title: "Co-Owner", Email: "lees@joes.com"},
			},
			[]string{"*Ann Lee|Owner|lees@joes.com||dm", "Bo Lee|Co-Owner|||dm"}},
		{"a bare phone joins the contact that has it",
			[]F{{Name: "Joe Smith", Title: "Owner", Phone: "+1 512 555 0199"}, {Phone: "(512) 555-0199"}, {Phone: "512.555.0142"}, {Phone: "+15125550142"}},
			[]string{"*Joe Smith|Owner||+1 512 555 0199|dm", "|||512.555.0142"}},
		{"a shared switchboard does not join two people",
			[]F{{Phone: "512-555-0142"}, {Name: "Ann Lee", Phone: "512-555-0142"}, {Name: "Joe Smith", Phone: "512-555-0142"}},
			[]string{"*Ann Lee|||512-555-0142", "Joe Smith|||512-555-0142"}},
		{"invalid addresses are dropped, empty entries too",
			[]F{{Email: "not an address"}, {Title: "Owner"}, {Name: "Ann Lee", Email: "ann@@joes"}},
			[]string{"*Ann Lee|||"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Choose(tt.found)
			var s []string
			primaries := 0
			for _, c := range got {
				s = append(s, summary(c))
				if c.IsPrimary {
					primaries++
				}
			}
			if fmt.Sprint(s) != fmt.Sprint(tt.want) {
				t.Errorf("Choose:\n got %q\nwant %q", s, tt.want)
			}
			if len(got) > 0 && primaries != 1 {
				t.Errorf("%d primary contacts, want exactly one", primaries)
			}
			if got == nil {
				t.Error("Choose returned nil, want an empty slice")
			}
			for _, c := range got {
				if c.IsDecisionMaker && c.Email != "" && IsRoleAddress(c.Email) {
					t.Errorf("role address %q marked as a decision maker", c.Email)
				}
			}
		})
	}
}

func TestChooseFields(t *testing.T) {
	t.Parallel()
	got := Choose([]Found{
		{Name: "Dr. Jane A. Smith", Title: "Owner", Email: "jane@joes.com", Phone: "512-555-0199",
			LinkedInURL: "https://www.linkedin.com/in/jane", Source: SourceWebsite, Evidence: EvidenceTeam},
		{Name: "Smith, John", Source: "hunter"},
	})
	want := []Contact{
		{Name: "Dr. Jane A. Smith", FirstName: "Jane", LastName: "Smith", Title: "Owner", Email: "jane@joes.com",
			Phone: "512-555-0199", LinkedInURL: "https://www.linkedin.com/in/jane", IsPrimary: true,
			IsDecisionMaker: true, Source: SourceWebsite},
		{Name: "Smith, John", FirstName: "John", LastName: "Smith", Source: "hunter"},
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("Choose =\n%+v\nwant\n%+v", got, want)
	}
	// The JSON field names are the contacts table's columns.
	b, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"name":"Dr. Jane A. Smith","first_name":"Jane","last_name":"Smith","title":"Owner","email":"jane@joes.com","phone":"512-555-0199","linkedin_url":"https://www.linkedin.com/in/jane","is_primary":true,"is_decision_maker":true,"source":"website"}`
	if string(b) != wantJSON {
		t.Errorf("JSON = %s\nwant %s", b, wantJSON)
	}
}

// TestChooseFromPages runs the whole finding path over the golden pages.
func TestChooseFromPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, url, primary string
		decisionMakers     int
	}{
		{"team.html", "https://www.riverbendplumbing.com/our-team/", "Maria Gonzalez|Owner & Master Plumber|maria@riverbendplumbing.com|", 2},
		{"dated.html", "http://oakridgeauto.com/ourstaff.htm", "Dmitri Kowalski|Owner & Operator|dmitri@oakridgeauto.com|", 1},
		{"contact.html", "https://brightsmile-dental.com/contact", "Dr. Wei Chen, DDS|Founder|dr.chen@brightsmile-dental.com|", 1},
		{"jsonld.html", "https://harborlightlaw.com/about", "Samuel Oyelaran|Managing Partner|soyelaran@harborlightlaw.com|", 2},
		{"impressum.html", "https://www.baeckerei-sonnenschein.de/impressum", "Jürgen Müller-Lüdenscheidt|Geschäftsführer|j.mueller@baeckerei-sonnenschein.de|", 2},
		{"about.html", "https://summitroofing.com/about-us", "Keisha Brennan|Owner|kbrennan@summitroofing.com|", 2},
		{"sandbox.html", "https://www.riverbendplumbing-austin.example/our-team/", "Maria Gonzalez|Founder & Owner|maria.gonzalez@riverbendplumbing-austin.example|", 3},
	}
	for _, tt := range tests {
		src := golden.Read(t, tt.file)
		got := Choose(Extract(tt.url, src))
		if len(got) == 0 || strings.TrimSuffix(strings.TrimPrefix(summary(got[0]), "*"), "|dm") != tt.primary {
			t.Errorf("%s: primary = %q, want %q", tt.file, summary(got[0]), tt.primary)
		}
		dm := 0
		for _, c := range got {
			if c.IsDecisionMaker {
				dm++
			}
		}
		if dm != tt.decisionMakers {
			t.Errorf("%s: %d decision makers, want %d", tt.file, dm, tt.decisionMakers)
		}
	}
}
