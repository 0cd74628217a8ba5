package contacts

import "testing"

func TestSplitName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, first, last string }{
		{"Maria Gonzalez", "Maria", "Gonzalez"},
		{"  Maria   Gonzalez ", "Maria", "Gonzalez"},
		{"Dr. Jane A. Smith", "Jane", "Smith"},
		{"Smith, Jane", "Jane", "Smith"},
		{"Smith, Jane A.", "Jane", "Smith"},
		{"John Smith Jr.", "John", "Smith"},
		{"John Smith, Jr., CPA", "John", "Smith"},
		{"Jane Smith, Ph.D.", "Jane", "Smith"},
		{"Maria de la Cruz", "Maria", "de la Cruz"},
		{"Ludwig van Beethoven", "Ludwig", "van Beethoven"},
		{"Robert \"Bob\" Jones", "Robert", "Jones"},
		{"Robert (Bob) Jones", "Robert", "Jones"},
		{"Mary-Jane O'Brien-Smith", "Mary-Jane", "O'Brien-Smith"},
		{"J. Robert Smith", "J", "Smith"},
		{"Madonna", "Madonna", ""},
		{"Mr. Bean", "Bean", ""},
		{"Renée Öztürk", "Renée", "Öztürk"},
		{"Ana García López", "Ana", "López"},
		{"", "", ""},
		{" , ", "", ""},
	}
	for _, tt := range tests {
		first, last := SplitName(tt.in)
		if first != tt.first || last != tt.last {
			t.Errorf("SplitName(%q) = %q, %q; want %q, %q", tt.in, first, last, tt.first, tt.last)
		}
	}
}

func TestParseName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		single bool
		want   string // "" means not a name
	}{
		{"Maria Gonzalez", false, "Maria Gonzalez"},
		{"Dr. Jane A. Smith", false, "Dr. Jane A. Smith"},
		{"MARIA DE LA CRUZ", false, "Maria de la Cruz"},
		{"Sean O'Neil", false, "Sean O'Neil"},
		{"J. Smith", false, "J. Smith"},
		{"Tom Baker", false, "Tom Baker"},
		{"Maria", false, ""},
		{"Maria", true, "Maria"},
		{"maria gonzalez", false, ""},
		{"Contact Us", false, ""},
		{"Our Team", false, ""},
		{"Austin Texas", false, ""},
		{"Office Manager", false, ""},
		{"Riverbend Plumbing", false, ""},
		{"Call 512 555 0142", false, ""},
		{"maria@example.com", false, ""},
		{"A B", false, ""},
		{"One Two Three Four Five Six", false, ""},
	}
	for _, tt := range tests {
		got, ok := parseName(tt.in, tt.single)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parseName(%q, %v) = %q, %v; want %q", tt.in, tt.single, got, ok, tt.want)
		}
	}
}

func TestParseTitle(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Owner", "Owner"},
		{"Owner & Master Plumber", "Owner & Master Plumber"},
		{"OWNER & CEO", "Owner & CEO"},
		{"HEAD OF SALES AND MARKETING DIRECTOR", "Head of Sales and Marketing Director"},
		{"Geschäftsführerin", "Geschäftsführerin"},
		{"Managing Partners", "Managing Partners"},
		{"Customer Service Representative", "Customer Service Representative"},
		{"Since 1987", ""},
		{"Licensed Roofer", ""},
		{"Call today!", ""},
		{"owner@example.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := parseTitle(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parseTitle(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestNameMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		local, name string
		want        int
	}{
		{"maria.gonzalez", "Maria Gonzalez", matchFull},
		{"mgonzalez", "Maria Gonzalez", matchFull},
		{"mariag", "Maria Gonzalez", matchFull},
		{"gonzalez.m", "Maria Gonzalez", matchFull},
		{"mg", "Maria Gonzalez", matchFull},
		{"maria", "Maria Gonzalez", matchFirst},
		{"maria2", "Maria Gonzalez", matchFirst},
		{"gonzalez", "Maria Gonzalez", matchLast},
		{"patricia.gonzalez", "Maria Gonzalez", matchLast},
		{"jose", "José García", matchFirst},
		{"j.mueller", "Jürgen Müller-Lüdenscheidt", matchFull},
		{"juergen", "Jürgen Müller", matchFirst},
		{"info", "Maria Gonzalez", matchNone},
		{"jsmith", "Maria Gonzalez", matchNone},
	}
	for _, tt := range tests {
		if got := nameMatch(tt.local, tt.name); got != tt.want {
			t.Errorf("nameMatch(%q, %q) = %d, want %d", tt.local, tt.name, got, tt.want)
		}
	}
}
