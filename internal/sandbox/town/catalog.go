package town

import (
	"strings"
	"unicode"

	"github.com/prospectorhq/prospector/internal/textfold"
)

// kind is how the fictional world files one business type on each source.
// It is the sandbox's own table, written independently of the clients'
// tables, so that a test passes because both sides agree with the real
// services' vocabulary and not because they share a data structure. What
// they share is how a typed phrase is folded before either looks it up
// (textfold.Phrase, textfold.Singular): no service does that folding, it
// only decides which key the phrase is filed under.
type kind struct {
	key     string   // canonical type, as Canonical returns it
	aliases []string // other ways users write it
	trades  []string // words used in business names ("Plumbing", "Plumbing & Drain")
	google  string   // Google Places primaryType
	yelp    [2]string
	osm     map[string]string // tags every OSM element of this kind carries
}

var catalogue = []kind{
	{"plumber", []string{"plumbers", "plumbing", "plumbing contractor"}, []string{"Plumbing", "Plumbing & Drain", "Plumbing Services"}, "plumber", [2]string{"plumbing", "Plumbing"}, map[string]string{"craft": "plumber"}},
	{"electrician", []string{"electricians", "electrical contractor", "electric"}, []string{"Electric", "Electrical Services", "Electric Co"}, "electrician", [2]string{"electricians", "Electricians"}, map[string]string{"craft": "electrician"}},
	{"dentist", []string{"dentists", "dental", "dental clinic", "dental office"}, []string{"Dental", "Family Dentistry", "Dental Care"}, "dentist", [2]string{"generaldentistry", "General Dentistry"}, map[string]string{"amenity": "dentist", "healthcare": "dentist"}},
	{"roofer", []string{"roofers", "roofing", "roofing contractor"}, []string{"Roofing", "Roofing & Exteriors"}, "roofing_contractor", [2]string{"roofing", "Roofing"}, map[string]string{"craft": "roofer"}},
	{"restaurant", []string{"restaurants"}, []string{"Kitchen", "Grill", "Bistro", "Table"}, "restaurant", [2]string{"newamerican", "American (New)"}, map[string]string{"amenity": "restaurant"}},
	{"hair salon", []string{"salon", "salons", "hair salons", "hairdresser", "hairdressers"}, []string{"Salon", "Hair Studio"}, "hair_salon", [2]string{"hair", "Hair Salons"}, map[string]string{"shop": "hairdresser"}},
	{"beauty salon", []string{"beauty salons", "beauty"}, []string{"Beauty Bar", "Beauty Studio"}, "beauty_salon", [2]string{"beautysvc", "Beauty & Spas"}, map[string]string{"shop": "beauty"}},
	{"lawyer", []string{"lawyers", "attorney", "attorneys", "law firm", "law office"}, []string{"Law", "Law Group", "Legal"}, "lawyer", [2]string{"lawyers", "Lawyers"}, map[string]string{"office": "lawyer"}},
	{"accountant", []string{"accountants", "accounting", "cpa", "bookkeeper", "bookkeeping"}, []string{"Accounting", "Tax & Accounting", "CPAs"}, "accounting", [2]string{"accountants", "Accountants"}, map[string]string{"office": "accountant"}},
	{"hvac", []string{"hvac contractor", "heating and cooling", "air conditioning", "heating"}, []string{"Heating & Air", "HVAC", "Comfort Systems"}, "hvac_contractor", [2]string{"hvac", "Heating & Air Conditioning/HVAC"}, map[string]string{"craft": "hvac"}},
	{"landscaper", []string{"landscapers", "landscaping", "lawn care", "gardener"}, []string{"Landscaping", "Lawn & Garden", "Outdoor Living"}, "landscaper", [2]string{"landscaping", "Landscaping"}, map[string]string{"craft": "gardener"}},
	{"bakery", []string{"bakeries", "bakers"}, []string{"Bakery", "Bake Shop", "Breads"}, "bakery", [2]string{"bakeries", "Bakeries"}, map[string]string{"shop": "bakery"}},
	{"cafe", []string{"cafes", "coffee shop", "coffee shops", "coffee"}, []string{"Coffee", "Cafe", "Coffee House"}, "cafe", [2]string{"coffee", "Coffee & Tea"}, map[string]string{"amenity": "cafe"}},
	{"gym", []string{"gyms", "fitness center", "fitness", "health club"}, []string{"Fitness", "Gym", "Athletic Club"}, "gym", [2]string{"gyms", "Gyms"}, map[string]string{"leisure": "fitness_centre"}},
	{"veterinarian", []string{"veterinarians", "vet", "vets", "veterinary clinic", "animal hospital"}, []string{"Veterinary Clinic", "Animal Hospital", "Pet Clinic"}, "veterinary_care", [2]string{"vet", "Veterinarians"}, map[string]string{"amenity": "veterinary"}},
	{"chiropractor", []string{"chiropractors", "chiropractic"}, []string{"Chiropractic", "Spine & Wellness"}, "chiropractor", [2]string{"chiropractors", "Chiropractors"}, map[string]string{"healthcare": "alternative", "healthcare:speciality": "chiropractic"}},
	{"florist", []string{"florists", "flower shop", "flowers"}, []string{"Flowers", "Florist", "Blooms"}, "florist", [2]string{"florists", "Florists"}, map[string]string{"shop": "florist"}},
	{"photographer", []string{"photographers", "photography", "photo studio"}, []string{"Photography", "Photo Studio"}, "photographer", [2]string{"photographers", "Photographers"}, map[string]string{"craft": "photographer"}},
	{"real estate agent", []string{"real estate agents", "real estate", "realtor", "realtors", "real estate agency", "estate agent"}, []string{"Realty", "Real Estate", "Properties"}, "real_estate_agency", [2]string{"realestateagents", "Real Estate Agents"}, map[string]string{"office": "estate_agent"}},
	{"auto repair", []string{"auto repair shop", "auto repair shops", "mechanic", "mechanics", "car repair", "auto shop", "garage"}, []string{"Auto Repair", "Automotive", "Auto Care"}, "car_repair", [2]string{"autorepair", "Auto Repair"}, map[string]string{"shop": "car_repair"}},
	{"car wash", []string{"car washes", "auto detailing", "detailing"}, []string{"Car Wash", "Auto Spa"}, "car_wash", [2]string{"carwash", "Car Wash"}, map[string]string{"amenity": "car_wash"}},
	{"locksmith", []string{"locksmiths"}, []string{"Locksmith", "Lock & Key"}, "locksmith", [2]string{"locksmiths", "Keys & Locksmiths"}, map[string]string{"shop": "locksmith"}},
	{"painter", []string{"painters", "painting contractor", "house painter", "painting"}, []string{"Painting", "Painting Co"}, "painter", [2]string{"painters", "Painters"}, map[string]string{"craft": "painter"}},
	{"carpenter", []string{"carpenters", "carpentry", "woodworking"}, []string{"Carpentry", "Woodworks"}, "carpenter", [2]string{"carpenters", "Carpenters"}, map[string]string{"craft": "carpenter"}},
	{"cleaning service", []string{"cleaning services", "cleaners", "house cleaning", "maid service", "janitorial", "cleaning"}, []string{"Cleaning", "Cleaning Services", "Maids"}, "house_cleaning_service", [2]string{"homecleaning", "Home Cleaning"}, map[string]string{"craft": "cleaning"}},
	{"pest control", []string{"exterminator", "exterminators", "pest control service"}, []string{"Pest Control", "Pest Solutions"}, "pest_control_service", [2]string{"pest_control", "Pest Control"}, map[string]string{"craft": "pest_control"}},
	{"insurance agency", []string{"insurance agencies", "insurance agent", "insurance agents", "insurance"}, []string{"Insurance", "Insurance Agency"}, "insurance_agency", [2]string{"insurance", "Insurance"}, map[string]string{"office": "insurance"}},
	{"physiotherapist", []string{"physiotherapists", "physical therapist", "physical therapy", "physio", "physiotherapy"}, []string{"Physical Therapy", "Physio & Rehab"}, "physiotherapist", [2]string{"physicaltherapy", "Physical Therapy"}, map[string]string{"healthcare": "physiotherapist"}},
	{"optician", []string{"opticians", "optometrist", "optometrists", "eye doctor", "eyewear"}, []string{"Optical", "Eye Care", "Vision Center"}, "optician", [2]string{"optometrists", "Optometrists"}, map[string]string{"shop": "optician"}},
	{"pharmacy", []string{"pharmacies", "drugstore", "chemist"}, []string{"Pharmacy", "Drug", "Apothecary"}, "pharmacy", [2]string{"pharmacy", "Pharmacy"}, map[string]string{"amenity": "pharmacy", "healthcare": "pharmacy"}},
	{"barber", []string{"barbers", "barber shop", "barbershop", "barber shops"}, []string{"Barber Shop", "Barbers"}, "barber_shop", [2]string{"barbers", "Barbers"}, map[string]string{"shop": "hairdresser", "hairdresser": "barber"}},
	{"spa", []string{"spas", "day spa", "massage", "day spas"}, []string{"Day Spa", "Spa", "Wellness Spa"}, "spa", [2]string{"spas", "Day Spas"}, map[string]string{"leisure": "spa"}},
	{"tattoo", []string{"tattoo shop", "tattoo shops", "tattoo parlor", "tattoo studio", "tattoos"}, []string{"Tattoo", "Ink"}, "tattoo_parlor", [2]string{"tattoo", "Tattoo"}, map[string]string{"shop": "tattoo"}},
	{"hotel", []string{"hotels", "motel", "motels", "inn", "lodging"}, []string{"Inn", "Hotel", "Suites"}, "hotel", [2]string{"hotels", "Hotels"}, map[string]string{"tourism": "hotel"}},
	{"bar", []string{"bars", "pub", "pubs", "tavern", "taverns"}, []string{"Tavern", "Taproom", "Pub"}, "bar", [2]string{"bars", "Bars"}, map[string]string{"amenity": "bar"}},
	{"pizza", []string{"pizzeria", "pizzerias", "pizza restaurant", "pizza place", "pizza places"}, []string{"Pizza", "Pizzeria", "Pizza Co"}, "pizza_restaurant", [2]string{"pizza", "Pizza"}, map[string]string{"amenity": "restaurant", "cuisine": "pizza"}},
	{"yoga studio", []string{"yoga studios", "yoga"}, []string{"Yoga", "Yoga Studio"}, "yoga_studio", [2]string{"yoga", "Yoga"}, map[string]string{"leisure": "fitness_centre", "sport": "yoga"}},
	{"daycare", []string{"daycares", "day care", "child care", "childcare", "preschool"}, []string{"Kids Academy", "Child Care", "Early Learning"}, "child_care_agency", [2]string{"childcare", "Child Care & Day Care"}, map[string]string{"amenity": "childcare"}},
	{"tutoring", []string{"tutor", "tutors", "tutoring center", "tutoring service"}, []string{"Tutoring", "Learning Center"}, "tutoring_service", [2]string{"tutoring", "Tutoring Centers"}, map[string]string{"amenity": "prep_school"}},
	{"printing", []string{"print shop", "print shops", "printer", "printers", "printing service", "copy shop"}, []string{"Printing", "Print & Copy"}, "print_shop", [2]string{"printingservices", "Printing Services"}, map[string]string{"shop": "copyshop"}},
	{"moving company", []string{"moving companies", "movers", "moving", "removals"}, []string{"Moving", "Movers", "Moving & Storage"}, "moving_company", [2]string{"movers", "Movers"}, map[string]string{"office": "moving_company"}},
	{"architect", []string{"architects", "architecture firm"}, []string{"Architecture", "Design Studio"}, "architect", [2]string{"architects", "Architects"}, map[string]string{"office": "architect"}},
	{"hardware store", []string{"hardware stores", "hardware"}, []string{"Hardware", "Supply"}, "hardware_store", [2]string{"hardware", "Hardware Stores"}, map[string]string{"shop": "hardware"}},
}

// OSMKind is how OpenStreetMap tags one business type: the Overpass fake
// reads it to know which towns a tag filter can match.
type OSMKind struct {
	Type string            // canonical type
	Tags map[string]string // tags every element of this kind carries; read only
}

// OSMKinds lists the catalogue's types with their OpenStreetMap tags.
func OSMKinds() []OSMKind {
	out := make([]OSMKind, len(catalogue))
	for i, k := range catalogue {
		out[i] = OSMKind{Type: k.key, Tags: k.osm}
	}
	return out
}

// Canonical folds the ways people write a business type ("Plumbers",
// "plumbing contractor") onto one key, so that Google's textQuery, Yelp's term
// and Overpass's tags all land on the same fictional businesses. An unknown
// type is returned normalised (lowercase, single spaces, singular) and still
// gets its own town.
func Canonical(businessType string) string {
	t := textfold.Phrase(businessType)
	if k, ok := lookupKind(t); ok {
		return k.key
	}
	return textfold.Singular(t)
}

func lookupKind(t string) (*kind, bool) {
	t = textfold.Phrase(t)
	for _, cand := range []string{t, textfold.Singular(t)} {
		for i := range catalogue {
			k := &catalogue[i]
			if k.key == cand {
				return k, true
			}
			for _, a := range k.aliases {
				if a == cand {
					return k, true
				}
			}
		}
	}
	return nil, false
}

// kindFor returns the catalogue entry of a canonical type, or a made-up one
// for a type the catalogue does not know: the sandbox answers any query.
func kindFor(canonical string) kind {
	if k, ok := lookupKind(canonical); ok {
		return *k
	}
	title := TitleCase(canonical)
	if title == "" {
		title = "Business"
	}
	alias := strings.ReplaceAll(canonical, " ", "")
	return kind{
		key:    canonical,
		trades: []string{title},
		google: strings.ReplaceAll(canonical, " ", "_"),
		yelp:   [2]string{alias, title},
		osm:    map[string]string{"shop": strings.ReplaceAll(canonical, " ", "_")},
	}
}

func TitleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		words[i] = string(unicode.ToUpper(r[0])) + string(r[1:])
	}
	return strings.Join(words, " ")
}
