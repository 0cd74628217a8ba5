package contacts

import (
	"strings"

	"github.com/prospectorhq/prospector/internal/enrich/verify"
)

// Person is someone whose address at a domain is known, as InferPattern
// learns from. FirstName and LastName win over Name; Name is split with
// SplitName when they are empty.
type Person struct {
	Name      string
	FirstName string
	LastName  string
	Email     string
}

// Pattern is how a domain makes its people's addresses. Template uses
// Hunter's notation, so a pattern from Hunter's domain search can be used
// as is: {first} and {last} are the folded first and last name, {f} and
// {l} their initials, and ".", "_" and "-" stand for themselves:
// "{first}.{last}" gives maria.gonzalez@….
type Pattern struct {
	Domain   string
	Template string
	// Examples is how many known addresses fit the template; zero for a
	// pattern built by hand or taken from Hunter.
	Examples int
}

// templates are the patterns InferPattern considers, the common ones
// first.
var templates = []string{
	"{first}", "{first}.{last}", "{f}{last}", "{first}{last}", "{first}_{last}", "{last}",
	"{f}.{last}", "{first}{l}", "{first}-{last}", "{last}.{first}", "{last}{first}", "{last}{f}",
	"{last}.{f}", "{f}{l}", "{first}.{l}", "{f}_{last}", "{last}_{first}", "{first}_{l}",
}

// String is the pattern as an address: "{first}.{last}@example.com".
func (p Pattern) String() string { return p.Template + "@" + p.Domain }

// Apply returns the address the pattern gives a person, or "" when it
// cannot make one (the template needs a last name that is missing, or the
// result is not an address). Names are folded the way mail administrators
// type them: accents dropped (José → jose, Müller → muller, ß → ss) and
// everything but the letters a to z removed (O'Brien → obrien,
// "de la Cruz" → delacruz).
func (p Pattern) Apply(first, last string) string {
	local, ok := expand(p.Template, letters(first), letters(last))
	if !ok {
		return ""
	}
	addr, err := verify.Normalize(local + "@" + p.Domain)
	if err != nil {
		return ""
	}
	return addr
}

// expand fills a template with folded names; ok is false when a part the
// template uses is empty or the template holds anything but placeholders
// and separators.
func expand(template, f, l string) (string, bool) {
	var b strings.Builder
	rest := template
	for rest != "" {
		if rest[0] != '{' {
			c := rest[0]
			if !(c == '.' || c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				return "", false
			}
			b.WriteByte(c)
			rest = rest[1:]
			continue
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return "", false
		}
		var part string
		switch rest[1:end] {
		case "first":
			part = f
		case "last":
			part = l
		case "f":
			part = initial(f)
		case "l":
			part = initial(l)
		default:
			return "", false
		}
		if part == "" {
			return "", false
		}
		b.WriteString(part)
		rest = rest[end+1:]
	}
	return b.String(), b.Len() > 0
}

func initial(s string) string {
	if s == "" {
		return ""
	}
	return s[:1]
}

// InferPattern learns a domain's address pattern from people whose address
// at that domain is known. It needs two examples that agree (more than
// fit any other pattern), or a single example that fits exactly one
// pattern; examples that fit no pattern ("mg2@", "sales@") are ignored, and
// role addresses never count. With conflicting examples and no clear
// winner it reports false rather than guess.
func InferPattern(domain string, known []Person) (Pattern, bool) {
	domain = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), "."))
	counts := map[string]int{}
	examples, single := 0, ""
	for _, k := range known {
		addr, err := verify.Normalize(k.Email)
		if err != nil || IsRoleAddress(addr) {
			continue
		}
		local, d, _ := strings.Cut(addr, "@")
		if d != domain {
			continue
		}
		if i := strings.IndexByte(local, '+'); i >= 0 {
			local = local[:i]
		}
		first, last := k.FirstName, k.LastName
		if first == "" && last == "" {
			first, last = SplitName(k.Name)
		}
		f, l := letters(first), letters(last)
		if f == "" {
			continue
		}
		var fits []string
		for _, t := range templates {
			if got, ok := expand(t, f, l); ok && got == local {
				fits = append(fits, t)
			}
		}
		if len(fits) == 0 {
			continue
		}
		examples++
		for _, t := range fits {
			counts[t]++
		}
		if len(fits) == 1 {
			single = fits[0]
		}
	}
	best, bestN, runnerUp := "", 0, 0
	for _, t := range templates {
		switch n := counts[t]; {
		case n > bestN:
			best, bestN, runnerUp = t, n, bestN
		case n > runnerUp:
			runnerUp = n
		}
	}
	switch {
	case bestN >= 2 && bestN > runnerUp:
	case examples == 1 && single != "":
		best, bestN = single, 1
	default:
		return Pattern{}, false
	}
	return Pattern{Domain: domain, Template: best, Examples: bestN}, true
}
