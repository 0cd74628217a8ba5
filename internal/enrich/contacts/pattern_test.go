package contacts

import "testing"

func TestInferPattern(t *testing.T) {
	t.Parallel()
	p := func(name, email string) Person { return Person{Name: name, Email: email} }
	tests := []struct {
		name     string
		known    []Person
		template string // "" means no pattern
		examples int
	}{
		{"two agreeing first.last", []Person{
			p("Maria Gonzalez", "maria.gonzalez@joes.com"),
			p("James Whitaker", "James.Whitaker@JOES.com"),
		}, "{first}.{last}", 2},
		{"one unambiguous example", []Person{
			p("Maria Gonzalez", "mgonzalez@joes.com"),
		}, "{f}{last}", 1},
		{"first name only, by FirstName and LastName", []Person{
			{FirstName: "Linda", LastName: "Okafor", Email: "linda@joes.com"},
			{FirstName: "Omar", LastName: "Pemberton", Email: "omar@joes.com"},
		}, "{first}", 2},
		{"a person known by first name only supports {first}", []Person{
			p("Linda", "linda@joes.com"),
		}, "{first}", 1},
		{"first name with last initial", []Person{p("Maria Gonzalez", "mariag@joes.com")}, "{first}{l}", 1},
		{"last name only", []Person{p("Maria Gonzalez", "gonzalez@joes.com")}, "{last}", 1},
		{"underscore", []Person{p("Maria Gonzalez", "maria_gonzalez@joes.com")}, "{first}_{last}", 1},
		{"initial dot last", []Person{p("Maria Gonzalez", "m.gonzalez@joes.com")}, "{f}.{last}", 1},
		{"accents folded", []Person{
			p("José Peña", "jose.pena@joes.com"),
			p("Zoë Müller", "zoe.muller@joes.com"),
		}, "{first}.{last}", 2},
		{"plus tag ignored", []Person{p("Maria Gonzalez", "maria.gonzalez+web@joes.com")}, "{first}.{last}", 1},
		{"majority wins", []Person{
			p("Maria Gonzalez", "maria.gonzalez@joes.com"),
			p("James Whitaker", "james.whitaker@joes.com"),
			p("Linda Okafor", "linda@joes.com"),
		}, "{first}.{last}", 2},
		{"two conflicting examples", []Person{
			p("Maria Gonzalez", "maria.gonzalez@joes.com"),
			p("James Whitaker", "james@joes.com"),
		}, "", 0},
		{"other domains, role addresses and unfit addresses ignored", []Person{
			p("Maria Gonzalez", "maria.gonzalez@gmail.com"),
			p("Office", "office@joes.com"),
			p("James Whitaker", "jw2000@joes.com"),
			p("Linda Okafor", "linda@joes.com"),
		}, "{first}", 1},
		{"ambiguous single example", []Person{p("A Abe", "aabe@joes.com")}, "", 0},
		{"nothing known", nil, "", 0},
		{"no name", []Person{{Email: "maria@joes.com"}}, "", 0},
	}
	for _, tt := range tests {
		got, ok := InferPattern("Joes.com", tt.known)
		if ok != (tt.template != "") || got.Template != tt.template || got.Examples != tt.examples {
			t.Errorf("%s: InferPattern = %+v, %v; want %q from %d", tt.name, got, ok, tt.template, tt.examples)
			continue
		}
		if ok && got.Domain != "joes.com" {
			t.Errorf("%s: Domain = %q", tt.name, got.Domain)
		}
	}
}

func TestPatternApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		template, first, last, want string
	}{
		{"{first}.{last}", "Maria", "Gonzalez", "maria.gonzalez@joes.com"},
		{"{first}.{last}", "José", "Peña", "jose.pena@joes.com"},
		{"{first}.{last}", "Jürgen", "Müller-Lüdenscheidt", "jurgen.mullerludenscheidt@joes.com"},
		{"{first}", "Zoë", "", "zoe@joes.com"},
		{"{f}{last}", "Sean", "O'Brien", "sobrien@joes.com"},
		{"{first}{l}", "Maria", "de la Cruz", "mariad@joes.com"},
		{"{last}", "Maria", "de la Cruz", "delacruz@joes.com"},
		{"{first}_{last}", "Mary Ann", "Smith", "maryann_smith@joes.com"},
		{"{f}.{l}", "Maria", "Gonzalez", "m.g@joes.com"},
		{"{last}.{first}", "Strauß", "Æsir", "aesir.strauss@joes.com"},
		{"{first}.{last}", "Maria", "", ""},
		{"{first}.{last}", "", "Gonzalez", ""},
		{"{first}", "李", "", ""},
		{"{nickname}", "Maria", "Gonzalez", ""},
		{"{first}+{last}", "Maria", "Gonzalez", ""},
		{"{first", "Maria", "Gonzalez", ""},
	}
	for _, tt := range tests {
		p := Pattern{Domain: "joes.com", Template: tt.template}
		if got := p.Apply(tt.first, tt.last); got != tt.want {
			t.Errorf("Pattern{%q}.Apply(%q, %q) = %q, want %q", tt.template, tt.first, tt.last, got, tt.want)
		}
	}
	if s := (Pattern{Domain: "joes.com", Template: "{first}"}).String(); s != "{first}@joes.com" {
		t.Errorf("String() = %q", s)
	}
}
