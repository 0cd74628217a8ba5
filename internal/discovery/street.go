package discovery

import (
	"strings"
)

// StreetKey reads the street line of an address into its house number and a
// canonical street, so that listings written "435 S. La Cienega Blv." and
// "435 South La Cienega Boulevard" give the same key ("435", "s la cienega
// blvd"). Suffixes and directions are folded to their short forms (Street
// and St, North and N), ordinal words to numbers ("Fifth" and "5th"), units
// are dropped ("Ste 200", "#5", "Apt 3"), and so is anything after the
// street: a cross street or a landmark ("between 54th and 55th sts.", "at
// 6th st.", "Peachtree Battle Shopping Center"). When the address holds
// several comma-separated parts, the first that starts with a house number
// is read. An address without a house number gives number "".
func StreetKey(address string) (number, street string) {
	p := parseStreet(address)
	return p.number, p.String()
}

// streetAddr is a parsed street line.
type streetAddr struct {
	number string
	dir    string // canonical short direction, "" when none
	post   bool   // dir is written after the street ("Las Vegas Blvd S")
	name   string // the street's own words, canonical, space separated
	kind   string // canonical suffix (st, ave…), "" when none
}

func (s streetAddr) String() string {
	parts := make([]string, 0, 4)
	if s.dir != "" && !s.post {
		parts = append(parts, s.dir)
	}
	if s.name != "" {
		parts = append(parts, s.name)
	}
	if s.kind != "" {
		parts = append(parts, s.kind)
	}
	if s.dir != "" && s.post {
		parts = append(parts, s.dir)
	}
	return strings.Join(parts, " ")
}

// streetTypes maps USPS street suffixes and their common spellings to the
// USPS abbreviation.
var streetTypes = map[string]string{
	"st": "st", "street": "st", "str": "st", "sts": "st", "streets": "st",
	"ave": "ave", "av": "ave", "avenue": "ave", "aves": "ave", "avenues": "ave",
	"blvd": "blvd", "blv": "blvd", "boulevard": "blvd", "boul": "blvd",
	"rd": "rd", "road": "rd", "dr": "dr", "drive": "dr", "drv": "dr",
	"ln": "ln", "lane": "ln", "la": "ln", "ct": "ct", "court": "ct",
	"pl": "pl", "place": "pl", "pkwy": "pkwy", "parkway": "pkwy", "pky": "pkwy",
	"hwy": "hwy", "highway": "hwy", "sq": "sq", "square": "sq",
	"ter": "ter", "terrace": "ter", "cir": "cir", "circle": "cir",
	"way": "way", "wy": "way", "plz": "plz", "plaza": "plz",
	"trl": "trl", "trail": "trl", "aly": "aly", "alley": "aly",
	"expy": "expy", "expressway": "expy", "fwy": "fwy", "freeway": "fwy",
	"xing": "xing", "crossing": "xing", "row": "row", "walk": "walk",
}

// directions maps direction words to their short form; directionNames
// gives the long form back, for streets whose name starts with one ("North
// Point St" written "Northpoint").
var directions = map[string]string{
	"n": "n", "north": "n", "s": "s", "south": "s", "e": "e", "east": "e",
	"w": "w", "west": "w", "ne": "ne", "northeast": "ne", "nw": "nw",
	"northwest": "nw", "se": "se", "southeast": "se", "sw": "sw", "southwest": "sw",
}

var directionNames = map[string]string{
	"n": "north", "s": "south", "e": "east", "w": "west",
	"ne": "northeast", "nw": "northwest", "se": "southeast", "sw": "southwest",
}

var ordinalWords = map[string]string{
	"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th",
	"sixth": "6th", "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th",
	"eleventh": "11th", "twelfth": "12th", "thirteenth": "13th", "fourteenth": "14th",
	"fifteenth": "15th", "sixteenth": "16th", "seventeenth": "17th", "eighteenth": "18th",
	"nineteenth": "19th", "twentieth": "20th",
	// Saint, Mount and Fort are abbreviated or not at the writer's whim.
	"saint": "st", "mount": "mt", "fort": "ft",
}

// unitWords introduce a unit within a building; the unit does not tell two
// businesses at one street address apart reliably, so it is dropped with the
// word that follows.
var unitWords = map[string]bool{
	"ste": true, "suite": true, "unit": true, "apt": true, "apartment": true,
	"fl": true, "floor": true, "rm": true, "room": true, "bldg": true,
	"building": true, "lot": true, "spc": true, "space": true, "dept": true, "#": true,
}

// streetEnds start the part of a street line that describes where the
// street is rather than which street it is.
var streetEnds = map[string]bool{
	"between": true, "at": true, "near": true, "off": true, "across": true,
	"corner": true, "inside": true, "opposite": true,
}

func parseStreet(address string) streetAddr {
	s := fold(address)
	if i := strings.IndexAny(s, "(["); i >= 0 {
		s = s[:i]
	}
	var tokens []string
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		t := streetTokens(seg)
		if len(t) == 0 {
			continue
		}
		if tokens == nil {
			tokens = t
		}
		if isHouseNumber(t[0]) {
			tokens = t
			break
		}
	}
	if len(tokens) == 0 {
		return streetAddr{}
	}

	var p streetAddr
	if isHouseNumber(tokens[0]) {
		p.number = houseNumber(tokens[0])
		tokens = tokens[1:]
	}
	var words []string
	for _, t := range tokens {
		words = append(words, strings.FieldsFunc(t, func(r rune) bool { return r == '-' })...)
	}
	for i, w := range words {
		if i > 0 && streetEnds[w] {
			words = words[:i]
			break
		}
	}

	// The suffix is the first street type after the street's first word
	// that is not a direction ("Avenue A" starts with a type word, "S La
	// Cienega Blvd" and "W St Louis Ave" have one early); whatever follows
	// it, bar a direction, is a landmark or a city.
	for i := 1; i < len(words); i++ {
		k, ok := streetTypes[words[i]]
		if !ok || onlyDirections(words[:i]) {
			continue
		}
		// "La" is Lane only at the end: elsewhere it is the article of
		// "De La Vina".
		if words[i] == "la" && !(i == len(words)-1 || i == len(words)-2 && directions[words[i+1]] != "") {
			continue
		}
		p.kind = k
		if i+1 < len(words) {
			if d, ok := directions[words[i+1]]; ok {
				p.dir, p.post = d, true
			}
		}
		words = words[:i]
		break
	}
	if p.kind == "" && len(words) > 1 {
		if d, ok := directions[words[len(words)-1]]; ok {
			p.dir, p.post = d, true
			words = words[:len(words)-1]
		}
	}
	if len(words) > 1 {
		if d, ok := directions[words[0]]; ok {
			p.dir, p.post = d, false
			words = words[1:]
		}
	}
	for i, w := range words {
		if o, ok := ordinalWords[w]; ok {
			words[i] = o
		} else if k, ok := streetTypes[w]; ok && w != "la" {
			words[i] = k
		}
	}
	p.name = strings.Join(words, " ")
	return p
}

// streetTokens splits one part of an address into words, without dots,
// fractions ("1/2") and units.
func streetTokens(seg string) []string {
	var b strings.Builder
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '/' || c >= 0x80:
			b.WriteByte(c)
		case c == '.' || c == '\'':
		case c == '#':
			b.WriteString(" # ")
		default:
			b.WriteByte(' ')
		}
	}
	raw := strings.Fields(b.String())
	tokens := raw[:0]
	for i := 0; i < len(raw); i++ {
		t := raw[i]
		switch {
		case unitWords[t]:
			i++ // the unit's number or letter goes with it
		case strings.Contains(t, "/"):
		default:
			tokens = append(tokens, t)
		}
	}
	return tokens
}

// isHouseNumber reports whether t is a house number ("435", "293-b", "12a",
// "123-45"), as opposed to an ordinal street ("5th") or a word.
func isHouseNumber(t string) bool {
	if t == "" || t[0] < '0' || t[0] > '9' {
		return false
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	switch t[i:] {
	case "st", "nd", "rd", "th":
		return false
	}
	return true
}

// houseNumber keeps the digits of a house number, and a second group after a
// hyphen (Queens, "123-45"); a unit letter ("293-b", "12a") is dropped.
func houseNumber(t string) string {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i+1 < len(t) && t[i] == '-' && t[i+1] >= '0' && t[i+1] <= '9' {
		j := i + 1
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		return t[:j]
	}
	return t[:i]
}

// sameStreet reports whether two parsed street lines are one place: the same
// house number on the same street, a direction or suffix written by only one
// of them being no difference ("3000 W Paradise Rd", "3000 Paradise Rd").
func sameStreet(a, b streetAddr) bool {
	if a.number == "" || a.number != b.number || a.name == "" || b.name == "" {
		return false
	}
	if a.kind != "" && b.kind != "" && a.kind != b.kind {
		return false
	}
	ga, gb := glue(a.name), glue(b.name)
	if ga == gb {
		return a.dir == "" || b.dir == "" || a.dir == b.dir
	}
	// One source may have read a direction word as part of the name:
	// "North Point St" and "Northpoint".
	return a.dir != "" && directionNames[a.dir]+ga == gb ||
		b.dir != "" && directionNames[b.dir]+gb == ga
}

// streetIndexKeys are the keys under which sameStreet candidates meet:
// number and glued name, and number and glued direction plus name.
func streetIndexKeys(s streetAddr) []string {
	if s.number == "" || s.name == "" {
		return nil
	}
	keys := []string{s.number + "|" + glue(s.name)}
	if s.dir != "" {
		keys = append(keys, s.number+"|"+directionNames[s.dir]+glue(s.name))
	}
	return keys
}

func onlyDirections(words []string) bool {
	for _, w := range words {
		if directions[w] == "" {
			return false
		}
	}
	return true
}

func glue(s string) string {
	return strings.ReplaceAll(s, " ", "")
}
