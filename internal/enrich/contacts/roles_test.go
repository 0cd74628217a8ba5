package contacts

import "testing"

func TestIsDecisionMaker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title string
		want  bool
	}{
		{"Owner", true},
		{"owner", true},
		{"Co-Owner", true},
		{"Co-owner & Operator", true},
		{"Founder", true},
		{"Co-Founder & CEO", true},
		{"President", true},
		{"CEO", true},
		{"Chief Executive Officer", true},
		{"Chief Operating Officer", true},
		{"CFO", true},
		{"Managing Director", true},
		{"Managing Partner", true},
		{"Managing Member", true},
		{"General Manager", true},
		{"Executive Director", true},
		{"Principal", true},
		{"Principal Architect", true},
		{"Proprietor", true},
		{"Partner", true},
		{"Senior Partner", true},
		{"Founding Partner", true},
		{"Chairman of the Board", true},
		{"Director", true},
		{"Owner & Office Manager", true},
		{"Vice President and General Manager", true},
		{"Owner / Associate Broker", true},
		{"Inhaber", true},
		{"Inhaberin", true},
		{"Geschäftsführer", true},
		{"Geschäftsführerin", true},
		{"geschaeftsfuehrer", true},
		{"Gérant", true},
		{"Gérante", true},
		{"PDG", true},
		{"Directeur Général", true},
		{"Dueño", true},
		{"Fundadora", true},
		{"Gerente General", true},
		{"Titolare", true},
		{"Eigenaar", true},

		{"", false},
		{"Assistant to the President", false},
		{"Executive Assistant to the Owner and President", false},
		{"Vice President", false},
		{"Vice-President of Sales", false},
		{"VP of Marketing", false},
		{"Deputy Managing Director", false},
		{"Associate Partner", false},
		{"Former Owner", false},
		{"Ex-Owner", false},
		{"Retired Founder", false},
		{"Office Manager", false},
		{"Store Manager", false},
		{"Operations Manager", false},
		{"Director of Marketing", false},
		{"Head of Sales", false},
		{"Chief of Staff", false},
		{"Product Owner", false},
		{"Principal Engineer", false},
		{"Partner Manager", false},
		{"Channel Partner", false},
		{"Lead Technician", false},
		{"Bookkeeper", false},
		{"Receptionist", false},
		{"Stellvertretender Geschäftsführer", false},
		{"Directeur adjoint", false},
	}
	for _, tt := range tests {
		if got := IsDecisionMaker(tt.title); got != tt.want {
			t.Errorf("IsDecisionMaker(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}

func TestDecisionLevel(t *testing.T) {
	t.Parallel()
	// Stronger titles rank higher, for choosing among decision makers.
	order := []string{"Owner", "General Manager", "Partner", "Office Manager"}
	for i := 1; i < len(order); i++ {
		if decisionLevel(order[i-1]) <= decisionLevel(order[i]) {
			t.Errorf("decisionLevel(%q) = %d, not above decisionLevel(%q) = %d",
				order[i-1], decisionLevel(order[i-1]), order[i], decisionLevel(order[i]))
		}
	}
}

func TestIsRoleAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		email string
		want  bool
	}{
		{"info@joesplumbing.com", true},
		{"office@joesplumbing.com", true},
		{"sales@joesplumbing.com", true},
		{"contact@joesplumbing.com", true},
		{"hello@joesplumbing.com", true},
		{"admin@joesplumbing.com", true},
		{"support@joesplumbing.com", true},
		{"billing@joesplumbing.com", true},
		{"service@joesplumbing.com", true},
		{"team@joesplumbing.com", true},
		{"jobs@joesplumbing.com", true},
		{"careers@joesplumbing.com", true},
		{"enquiries@joesplumbing.com", true},
		{"noreply@joesplumbing.com", true},
		{"maria@joesplumbing.com", false},
		{"owner@joesplumbing.com", false},
	}
	for _, tt := range tests {
		if got := IsRoleAddress(tt.email); got != tt.want {
			t.Errorf("IsRoleAddress(%q) = %v, want %v", tt.email, got, tt.want)
		}
	}
}
