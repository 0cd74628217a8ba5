package contacts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// honorifics come before a name and are not part of it.
var honorifics = set(
	"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "rev", "fr", "sir", "dame", "hon",
	"herr", "frau", "mme", "mlle", "sr", "sra", "srta", "dott", "dottssa", "ing", "mag", "dipl",
)

// suffixes come after a name: generations and degrees or licences.
var suffixes = set(
	"jr", "sr", "ii", "iii", "iv", "phd", "md", "dds", "dmd", "dvm", "od", "do", "cpa", "esq",
	"mba", "rn", "np", "pe", "jd", "llm", "cfp", "cfa", "dc", "lcsw", "lmft", "aia", "ret",
	"msc", "bsc", "ba", "ma", "cpt", "pmp",
)

// particles are lowercase words that belong to the last name that follows
// them: "de la Cruz", "van Dijk", "von Trapp".
var particles = set(
	"de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "la", "le",
	"van", "von", "ter", "ten", "zu", "bin", "ibn", "al", "el", "st",
)

// SplitName splits a person's name into first and last name, the way a mail
// administrator would read it to build an address:
//
//	"Maria Gonzalez"        → Maria, Gonzalez
//	"Dr. Jane A. Smith"     → Jane, Smith (honorific and middle initial dropped)
//	"Smith, Jane"           → Jane, Smith
//	"John Smith Jr., CPA"   → John, Smith
//	"Maria de la Cruz"      → Maria, de la Cruz
//	"Madonna"               → Madonna, ""
//
// Middle names are dropped. A person with two family names ("Ana García
// López") gets the last one, since the text cannot tell which one the
// address uses.
func SplitName(full string) (first, last string) {
	s := cleanName(full)
	if s == "" {
		return "", ""
	}
	if before, after, ok := strings.Cut(s, ","); ok {
		after = strings.TrimSpace(after)
		if allSuffixes(after) {
			s = before
		} else {
			// "Smith, Jane A." lists the family name first.
			given := nameTokens(after)
			family := nameTokens(before)
			if len(given) > 0 && len(family) > 0 {
				return trimInitial(given[0]), strings.Join(family, " ")
			}
			s = before + " " + after
		}
	}
	t := nameTokens(s)
	switch len(t) {
	case 0:
		return "", ""
	case 1:
		return trimInitial(t[0]), ""
	}
	i := len(t) - 1
	for i > 1 && particles[strings.ToLower(t[i-1])] {
		i--
	}
	return trimInitial(t[0]), strings.Join(t[i:], " ")
}

// cleanName removes nicknames in quotes or brackets and collapses spaces.
func cleanName(s string) string {
	var b strings.Builder
	depth := 0
	quote := rune(0)
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
		case (r == ')' || r == ']') && depth > 0:
			depth--
		case quote == 0 && (r == '"' || r == '“' || r == '«'):
			quote = r
		case quote != 0 && (r == '"' || r == '”' || r == '»'):
			quote = 0
		case depth == 0 && quote == 0:
			b.WriteRune(r)
		}
	}
	return strings.Trim(strings.Join(strings.Fields(b.String()), " "), " ,;:-–—|")
}

// nameTokens splits a name into words without honorifics or suffixes.
func nameTokens(s string) []string {
	t := strings.Fields(strings.ReplaceAll(s, ",", " "))
	for len(t) > 1 && honorifics[bare(t[0])] {
		t = t[1:]
	}
	for len(t) > 1 && suffixes[bare(t[len(t)-1])] {
		t = t[:len(t)-1]
	}
	return t
}

// bare lowercases a token and drops its dots: "Ph.D." → phd.
func bare(tok string) string {
	return strings.ToLower(strings.ReplaceAll(tok, ".", ""))
}

func allSuffixes(s string) bool {
	t := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(t) == 0 {
		return true
	}
	for _, x := range t {
		if !suffixes[bare(x)] {
			return false
		}
	}
	return true
}

// trimInitial drops the dot of an initial: "J." → "J".
func trimInitial(s string) string {
	if utf8.RuneCountInString(s) == 2 && strings.HasSuffix(s, ".") {
		return s[:len(s)-1]
	}
	return s
}

// notNameWords appear in the short lines of a web page (headings, buttons,
// labels, addresses, business names) that would otherwise read as a name.
var notNameWords = set(
	"a", "about", "all", "and", "appointment", "are", "at", "avenue", "ave", "blog", "book", "by",
	"call", "careers", "center", "centre", "city", "click", "clinic", "co", "company", "contact",
	"copyright", "corp", "county", "dental", "directions", "drive", "email", "estimate", "faq",
	"follow", "for", "free", "from", "gallery", "get", "group", "hello", "help", "here", "home",
	"hours", "in", "inc", "info", "information", "is", "jobs", "law", "learn", "llc", "llp", "location",
	"locations", "ltd", "mail", "map", "meet", "menu", "message", "more", "my", "name", "new", "news",
	"now", "of", "office", "on", "open", "or", "our", "phone", "plumbing", "policy", "privacy",
	"quote", "read", "request", "reserved", "reviews", "rights", "road", "schedule", "send",
	"service", "services", "shop", "solutions", "staff", "street", "studio", "submit", "suite",
	"support", "team", "terms", "the", "to", "today", "touch", "us", "view", "we", "welcome",
	"with", "you", "your", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday", "january", "february", "march", "april", "june", "july", "august", "september",
	"october", "november", "december", "website", "web", "online", "login", "cart", "search",
	"kontakt", "impressum", "uber", "uns", "telefon", "fax", "tel", "mobile", "cell",
	// Words of the slogans and places printed next to a trade
	// ("Austin, Texas – Licensed Plumber", "Family Owned – Since 1987").
	"licensed", "insured", "bonded", "certified", "professional", "residential", "commercial",
	"local", "family", "owned", "operated", "best", "top", "quality", "trusted", "expert",
	"experts", "award", "winning", "usa", "america", "texas", "florida", "california", "arizona",
	"nevada", "oregon", "colorado", "utah", "ohio", "michigan", "illinois", "indiana", "iowa",
	"kansas", "kentucky", "tennessee", "alabama", "mississippi", "louisiana", "arkansas",
	"oklahoma", "nebraska", "minnesota", "wisconsin", "missouri", "massachusetts",
	"connecticut", "maryland", "delaware", "pennsylvania", "vermont", "maine", "alaska",
	"hawaii", "idaho", "wyoming", "york", "jersey", "county",
)

// parseName reads s as a person's name as web pages print them: two to
// five words, each capitalized (or an initial, or a particle such as "de"),
// optionally with an honorific and suffixes; all capitals are accepted and
// turned into title case. With single true, one capitalized word is enough
// (a first name on its own, as small businesses often sign). It returns the
// name as it should be shown.
func parseName(s string, single bool) (string, bool) {
	s = strings.Trim(strings.TrimSpace(s), " ,;:-–—|•·")
	if s == "" || len(s) > 60 || strings.ContainsAny(s, "@/\\?!:;=<>{}[]()#$%*+_|0123456789\"") {
		return "", false
	}
	if isUpperText(s) {
		s = titleCase(s)
	}
	all := strings.Fields(s)
	t := nameTokens(s)
	if len(t) == 0 || len(t) > 5 || len(all) > 7 {
		return "", false
	}
	real := 0
	for _, tok := range t {
		switch {
		case particles[tok], isInitial(tok):
			continue
		case !isCapitalizedWord(tok):
			return "", false
		}
		w := bare(tok)
		if notNameWords[w] || titleWords[w] && !surnameTitles[w] {
			return "", false
		}
		real++
	}
	switch {
	case real == 0:
		return "", false
	case len(t) == 1 && !single:
		return "", false
	}
	return strings.Join(all, " "), true
}

func isInitial(tok string) bool {
	r, size := utf8.DecodeRuneInString(tok)
	rest := tok[size:]
	return unicode.IsUpper(r) && (rest == "" || rest == ".")
}

// isCapitalizedWord reports whether tok is a capitalized name word: an
// upper-case letter, then letters, with inner apostrophes and hyphens
// ("O'Brien", "Smith-Jones", "McDonald").
func isCapitalizedWord(tok string) bool {
	tok = strings.TrimSuffix(tok, ".")
	r, size := utf8.DecodeRuneInString(tok)
	if !unicode.IsUpper(r) || utf8.RuneCountInString(tok) < 2 {
		return false
	}
	prev := r
	for _, c := range tok[size:] {
		switch {
		case unicode.IsLetter(c):
		case (c == '\'' || c == '’' || c == '-') && unicode.IsLetter(prev):
		default:
			return false
		}
		prev = c
	}
	return unicode.IsLetter(prev)
}

func isUpperText(s string) bool {
	hasLetter := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			hasLetter = true
		}
	}
	return hasLetter
}

// titleCase turns "MARIA DE LA CRUZ" into "Maria de la Cruz".
func titleCase(s string) string {
	f := strings.Fields(strings.ToLower(s))
	for i, w := range f {
		if i > 0 && particles[w] {
			continue
		}
		f[i] = capitalizeParts(w)
	}
	return strings.Join(f, " ")
}

// capitalizeParts capitalizes each part of a hyphenated or apostrophized
// word: "o'brien-smith" → "O'Brien-Smith".
func capitalizeParts(w string) string {
	var b strings.Builder
	up := true
	for _, r := range w {
		if up && unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
			up = false
			continue
		}
		b.WriteRune(r)
		if r == '-' || r == '\'' || r == '’' {
			up = true
		}
	}
	return b.String()
}

// titleWords are the words a job title is recognized by. A short line made
// of a few words, one of them here, is read as a title.
var titleWords = set(
	"owner", "coowner", "founder", "cofounder", "president", "ceo", "cfo", "coo", "cto", "cmo",
	"cio", "chief", "director", "manager", "partner", "principal", "proprietor", "officer", "vp",
	"chairman", "chairwoman", "chairperson", "head", "lead", "supervisor", "coordinator",
	"administrator", "assistant", "associate", "secretary", "treasurer", "receptionist",
	"specialist", "consultant", "advisor", "adviser", "agent", "broker", "realtor", "attorney",
	"lawyer", "counsel", "paralegal", "dentist", "hygienist", "orthodontist", "doctor",
	"physician", "surgeon", "nurse", "therapist", "chiropractor", "veterinarian", "optometrist",
	"pharmacist", "technician", "engineer", "architect", "designer", "developer", "accountant",
	"bookkeeper", "chef", "sommelier", "stylist", "barber", "instructor", "trainer", "coach",
	"estimator", "foreman", "superintendent", "electrician", "plumber", "mechanic", "inspector",
	"planner", "representative", "executive", "analyst", "editor", "photographer", "producer",
	"operator", "dispatcher", "baker", "pastor",
	// German, French, Spanish, Italian, Portuguese, Dutch
	"inhaber", "inhaberin", "geschaftsfuhrer", "geschaftsfuhrerin", "geschaeftsfuehrer",
	"geschaeftsfuehrerin", "grunder", "grunderin", "gruender", "gruenderin", "eigentumer",
	"eigentumerin", "leiter", "leiterin", "vorstand", "teilhaber", "teilhaberin", "mitinhaber",
	"gerant", "gerante", "directeur", "directrice", "fondateur", "fondatrice", "proprietaire",
	"pdg", "presidente", "presidenta", "dueno", "duena", "propietario", "propietaria",
	"fundador", "fundadora", "gerente", "socio", "socia", "titolare", "fondatore",
	"amministratore", "eigenaar", "oprichter", "zaakvoerder", "directora",
)

// surnameTitles are title words that are also common family names (Tom
// Baker, Ann Coach): a name may contain them.
var surnameTitles = set("baker", "barber", "coach", "chef", "counsel")

// parseTitle reads s as a job title: up to ten words, no digits, with at
// least one word a title is recognized by.
func parseTitle(s string) (string, bool) {
	s = strings.Trim(strings.TrimSpace(s), " ,;:-–—|•·")
	if s == "" || len(s) > 80 || strings.ContainsAny(s, "@?!0123456789=<>{}") {
		return "", false
	}
	w := words(s)
	if len(w) == 0 || len(w) > 10 {
		return "", false
	}
	for _, x := range w {
		if titleWords[x] || titleWords[strings.TrimSuffix(x, "s")] {
			s = strings.Join(strings.Fields(s), " ")
			if isUpperText(s) {
				s = titleCaseTitle(s)
			}
			return s, true
		}
	}
	return "", false
}

// titleCaseTitle turns an all-capitals title into title case, keeping
// short words that are acronyms: "OWNER & CEO" → "Owner & CEO",
// "HEAD OF SALES" → "Head of Sales".
func titleCaseTitle(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		switch lw := strings.ToLower(w); {
		case smallTitleWords[lw] && i > 0:
			f[i] = lw
		case len([]rune(w)) <= 3:
		default:
			f[i] = capitalizeParts(lw)
		}
	}
	return strings.Join(f, " ")
}

var smallTitleWords = set("of", "and", "the", "for", "to", "at", "de", "du", "des", "la", "le", "y", "und", "et")
