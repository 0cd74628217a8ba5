package town

// The fictional people's names. The lists are fixed: appending to them is
// fine, reordering them changes every generated person.
var (
	firstNames = []string{
		"Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Elena", "William",
		"Susan", "Carlos", "Aisha", "Wei", "Priya", "Tomas", "Keisha", "Dmitri", "Hannah", "Omar",
		"Grace", "Luis", "Fatima", "Ethan", "Sofia", "Noah", "Olivia", "Marcus", "Yuki", "Andre",
		"Nadia", "Samuel", "Rosa", "Jamal", "Ingrid", "Rafael", "Mei", "Connor", "Leah", "Victor",
	}
	lastNames = []string{
		"Gonzalez", "Whitaker", "Okafor", "Lindqvist", "Brennan", "Castillo", "Nakamura", "Abernathy", "Delgado", "Fitzgerald",
		"Haverford", "Iverson", "Kowalski", "Marchetti", "Novak", "Oyelaran", "Pemberton", "Quintero", "Rasmussen", "Sandoval",
		"Thornbury", "Underhill", "Valdez", "Wexler", "Yamamoto", "Zeller", "Ashdown", "Blackwood", "Carrow", "Dunmore",
	}
)

type role struct{ title, seniority, department string }

var (
	ownerRoles = []role{
		{"Owner", "executive", "executive"}, {"Owner", "executive", "executive"}, {"Founder & Owner", "executive", "executive"},
		{"President", "executive", "executive"}, {"Owner & Operator", "executive", "executive"},
	}
	coOwnerRole = role{"Co-Owner", "executive", "executive"}
	staffRoles  = []role{
		{"General Manager", "executive", "management"}, {"Office Manager", "senior", "operations"},
		{"Operations Manager", "senior", "operations"}, {"Service Manager", "senior", "management"},
		{"Lead Technician", "senior", "operations"}, {"Bookkeeper", "junior", "finance"},
		{"Marketing Coordinator", "junior", "marketing"}, {"Customer Service Representative", "junior", "support"},
		{"Sales Manager", "senior", "sales"}, {"Front Desk Coordinator", "junior", "support"},
	}
	emailPatterns = []struct {
		pattern string
		weight  int
	}{{"{first}", 35}, {"{first}.{last}", 25}, {"{f}{last}", 20}, {"{first}{l}", 10}, {"{last}", 5}, {"{first}_{last}", 5}}
	otherRoleBoxes = []string{"contact", "hello", "service", "sales", "frontdesk"}
)

// teamNouns says what a business calls its staff, for team-size phrases.
var teamNouns = map[string]string{
	"plumber": "licensed plumbers", "electrician": "licensed electricians", "hvac": "certified technicians",
	"roofer": "roofing pros", "dentist": "dental professionals", "auto repair": "ASE-certified mechanics",
	"hair salon": "stylists", "barber": "barbers", "landscaper": "crew members", "cleaning service": "cleaners",
	"lawyer": "attorneys and staff", "accountant": "CPAs and bookkeepers", "veterinarian": "caring team members",
	"restaurant": "cooks and servers", "pest control": "technicians", "moving company": "movers",
}
