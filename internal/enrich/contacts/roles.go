package contacts

import (
	"regexp"
	"strings"

	"github.com/prospectorhq/prospector/internal/enrich/verify"
)

// IsRoleAddress reports whether email belongs to a function (info@,
// office@, sales@, support@, jobs@, noreply@ …) rather than a person. Such
// an address is reachable but never a decision maker. The list lives in the
// verify package, which verification uses too, so the two never disagree.
func IsRoleAddress(email string) bool {
	return verify.IsRoleAccount(email)
}

// Decision levels, from "not a decision maker" up. A higher level is a
// better person to write to when a business lists several.
const (
	levelNone      = iota
	levelPartner   // partner, principal: decides with others
	levelExecutive // managing director, general manager, chief … officer
	levelOwner     // owner, founder, proprietor, CEO, president
)

// IsDecisionMaker reports whether a job title belongs to someone who can
// decide to buy for the business: owner, co-owner, founder, co-founder,
// proprietor, president, CEO and other chief … officers, managing director,
// managing partner or member, general manager, executive director,
// principal, partner, chairman, and their usual German, French, Spanish,
// Italian, Portuguese and Dutch forms (Inhaber, Geschäftsführer, gérant,
// PDG, dueño, fundador, titolare, eigenaar …). Matching ignores case and
// accents.
//
// Deliberately not decision makers:
//   - assistants, secretaries and anyone "to the" someone: "Assistant to
//     the President" works for the decision maker;
//   - vice, deputy, associate, junior, former and retired forms: "Vice
//     President", "Associate Partner", "Ex-Owner";
//   - office managers, store managers and other managers: in the small
//     businesses Prospector targets they run the day and read the mail, but
//     the owner decides; they are the gatekeeper to write through, not the
//     buyer;
//   - functional heads ("Director of Marketing", "Head of Sales"): the
//     product is sold to the business's owner, not a department;
//   - "product owner", "principal engineer", "partner manager" and similar
//     job names that only borrow the word.
//
// A title naming several roles ("Owner & Office Manager", "Vice President
// and General Manager") counts when any of them does.
func IsDecisionMaker(title string) bool {
	return decisionLevel(title) > levelNone
}

// workingFor matches titles that describe working for someone ("Assistant
// to the Owner"): whatever follows names the boss, not this person.
var workingFor = regexp.MustCompile(`(?i)\b(assistant|asst|secretary|aide|ea|pa)\b.*\bto\b`)

// titleParts splits a compound title into its roles.
var titleParts = regexp.MustCompile(`(?i)\s*(?:&|/|\||,|;|\+|\band\b|\bund\b|\bet\b|\by\b)\s*`)

func decisionLevel(title string) int {
	if strings.TrimSpace(title) == "" || workingFor.MatchString(title) {
		return levelNone
	}
	best := levelNone
	for _, part := range titleParts.Split(title, -1) {
		best = max(best, partLevel(words(part)))
	}
	return best
}

// notDeciding words make the role they appear in someone else's helper or
// stand-in, or a former holder.
var notDeciding = set(
	"assistant", "asst", "assistent", "assistentin", "assistente", "assistante", "asistente",
	"secretary", "receptionist", "intern", "trainee", "apprentice", "junior",
	"former", "ex", "retired", "emeritus", "past",
	"deputy", "vice", "vicepresident", "vicepresidente", "associate",
	"stellvertretend", "stellvertretender", "stellvertretende",
	"adjoint", "adjointe", "adjunto", "adjunta", "subdirector", "subdirectora",
)

// ownerWords are single words that make a top decision maker.
var ownerWords = set(
	"owner", "coowner", "founder", "cofounder", "proprietor", "proprietress",
	"ceo", "president", "chairman", "chairwoman", "chairperson",
	// German
	"inhaber", "inhaberin", "mitinhaber", "mitinhaberin", "eigentumer", "eigentumerin",
	"eigentuemer", "eigentuemerin", "teilhaber", "teilhaberin",
	"grunder", "grunderin", "gruender", "gruenderin", "mitgrunder", "mitgrunderin",
	"geschaftsfuhrer", "geschaftsfuhrerin", "geschaeftsfuehrer", "geschaeftsfuehrerin",
	"vorstandsvorsitzender", "vorstandsvorsitzende",
	// French
	"gerant", "gerante", "cogerant", "cogerante", "pdg", "fondateur", "fondatrice",
	"cofondateur", "cofondatrice", "proprietaire", "presidente",
	// Spanish, Portuguese, Italian
	"dueno", "duena", "propietario", "propietaria", "proprietario", "proprietaria",
	"fundador", "fundadora", "cofundador", "cofundadora", "presidenta",
	"titolare", "fondatore",
	// Dutch
	"eigenaar", "eigenares", "oprichter", "oprichtster", "zaakvoerder",
)

// executiveWords are the other chief officers; "chief" itself is handled
// as a phrase.
var executiveWords = set("coo", "cfo", "cto", "cmo", "cio", "cro", "vorstand")

// executivePhrases are word sequences naming the person who runs the
// business day to day.
var executivePhrases = [][]string{
	{"managing", "director"}, {"managing", "partner"}, {"managing", "member"},
	{"general", "manager"}, {"executive", "director"},
	{"gerente", "general"}, {"director", "general"}, {"directora", "general"},
	{"directeur", "general"}, {"directrice", "generale"}, {"algemeen", "directeur"},
	{"amministratore", "delegato"}, {"consejero", "delegado"}, {"socio", "director"},
	{"directeur", "eigenaar"},
}

// soleDirector titles are a decision maker only on their own: "Director"
// of a small company is its director; "Director of Marketing" is not.
var soleDirector = set("director", "directora", "directeur", "directrice", "direktor", "direktorin")

// Words that turn "owner", "principal" and "partner" into a job name that
// merely borrows them.
var (
	ownerBorrowedAfter    = set("product", "process", "account", "data", "system", "content", "project", "service")
	principalBorrowedNext = set("engineer", "scientist", "developer", "designer", "consultant", "analyst",
		"software", "product", "program", "programme", "researcher", "investigator", "data", "cloud",
		"solutions", "systems", "security", "ux", "technical")
	partnerBorrowedNext = set("manager", "management", "relations", "success", "program", "programme",
		"development", "marketing", "coordinator", "specialist", "support", "account", "channel",
		"alliances", "operations", "engagement", "network")
	partnerBorrowedAfter = set("channel", "business", "strategic", "preferred", "certified", "technology",
		"trusted", "community", "implementation", "hr", "client", "delivery")
)

func partLevel(w []string) int {
	if len(w) == 0 {
		return levelNone
	}
	for _, x := range w {
		if notDeciding[x] {
			return levelNone
		}
	}
	// "co-owner" and "co-founder" arrive as two words.
	var joined []string
	for i := 0; i < len(w); i++ {
		if w[i] == "co" && i+1 < len(w) {
			joined = append(joined, "co"+w[i+1])
			i++
			continue
		}
		joined = append(joined, w[i])
	}
	w = joined

	level := levelNone
	for i, x := range w {
		prev, next := "", ""
		if i > 0 {
			prev = w[i-1]
		}
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case x == "owner" && ownerBorrowedAfter[prev]:
		case ownerWords[x]:
			return levelOwner
		case executiveWords[x]:
			level = max(level, levelExecutive)
		case x == "chief" && next != "of" && next != "":
			level = max(level, levelExecutive)
		case x == "principal" && !principalBorrowedNext[next]:
			level = max(level, levelPartner)
		case (x == "partner" || x == "partners" || x == "socio" || x == "socia" || x == "socios") &&
			!partnerBorrowedNext[next] && !partnerBorrowedAfter[prev]:
			level = max(level, levelPartner)
		}
	}
	for _, p := range executivePhrases {
		if containsPhrase(w, p) {
			level = max(level, levelExecutive)
		}
	}
	if len(w) == 1 && soleDirector[w[0]] || len(w) == 2 && w[0] == "company" && w[1] == "director" {
		level = max(level, levelExecutive)
	}
	return level
}

func containsPhrase(w, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(w); i++ {
		match := true
		for j, p := range phrase {
			if w[i+j] != p {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
