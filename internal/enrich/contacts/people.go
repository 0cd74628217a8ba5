package contacts

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// chunkSeparators split a line into the parts a name and a title are
// written in: "Maria Gonzalez, Owner", "John Smith – President",
// "Inhaber: Hans Müller", "Jane Doe | Office Manager".
var chunkSeparators = regexp.MustCompile(`\s*(?:,|–|—|\s-\s|\||•|·|:)\s*`)

// findPeople finds names written with a job title: in one line, a name
// and a title side by side; or a line that is only a name followed, in the
// same card, by a line whose first part is a title.
func (x *extraction) findPeople() {
	lines := x.page.lines
	for i, l := range lines {
		if x.inTestimonial(l.node) {
			continue
		}
		at := occurrence{line: i, node: l.node}
		chunks := nameChunks(l.spaced())
		for k := 0; k+1 < len(chunks); k++ {
			if name, ok := parseName(chunks[k], true); ok {
				if title, ok := parseTitle(chunks[k+1]); ok {
					x.addPerson(name, title, EvidenceTeam, at)
					k++
					continue
				}
			}
			if title, ok := parseTitle(chunks[k]); ok {
				if name, ok := parseName(chunks[k+1], true); ok {
					x.addPerson(name, title, EvidenceTeam, at)
					k++
				}
			}
		}
		if i+1 == len(lines) || len(chunks) != 1 {
			continue
		}
		name, ok := parseName(chunks[0], false)
		if !ok {
			continue
		}
		next := lines[i+1]
		title, ok := parseTitle(chunkSeparators.Split(next.spaced(), 2)[0])
		if ok && x.card(commonAncestor(l.node, next.node)) {
			x.addPerson(name, title, EvidenceTeam, at)
		}
	}
}

// nameChunks splits a line at its separators, keeping a name's suffixes
// with it: "Dr. Wei Chen, DDS – Founder" is [Dr. Wei Chen, DDS] [Founder].
func nameChunks(text string) []string {
	var out []string
	for _, c := range chunkSeparators.Split(text, -1) {
		if len(out) > 0 && c != "" && allSuffixes(c) {
			out[len(out)-1] += ", " + c
			continue
		}
		out = append(out, c)
	}
	return out
}

// inTestimonial reports whether a line sits in a quotation or a review,
// where "Jane S., Property Manager" is a customer, not staff.
func (x *extraction) inTestimonial(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		if n.DataAtom == atom.Blockquote || n.DataAtom == atom.Q {
			return true
		}
		cls := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
		if strings.Contains(cls, "testimonial") || strings.Contains(cls, "review") || strings.Contains(cls, "quote") {
			return true
		}
	}
	return false
}

func (x *extraction) small(n *html.Node) bool {
	return n != nil && x.page.textLen[n] <= cardMaxText
}

// card reports whether n can be a person's card: small, and not the whole
// document, however short the page.
func (x *extraction) card(n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode || n.DataAtom == atom.Body || n.DataAtom == atom.Html {
		return false
	}
	return x.small(n)
}

// sameCard reports whether p and something at occurrence o share a card:
// a small element that holds no other person.
func (x *extraction) sameCard(p *person, o occurrence) bool {
	if abs(o.line-p.occ.line) > maxCardLines {
		// Too far apart to share a small element; saves the walk up the
		// tree on pages with hundreds of people.
		return false
	}
	lca := commonAncestor(p.occ.node, o.node)
	if !x.card(lca) {
		return false
	}
	for _, q := range x.people {
		if q != p && isUnder(q.occ.node, lca) {
			return false
		}
	}
	return true
}

func isUnder(n, ancestor *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == ancestor {
			return true
		}
	}
	return false
}
