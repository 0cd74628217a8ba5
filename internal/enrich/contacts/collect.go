package contacts

import (
	"strings"
)

// Addresses, phones and profiles, from links (mailto:, tel:, LinkedIn,
// Cloudflare-protected addresses) and from the visible text, plain or
// obfuscated.

func (x *extraction) collectLinks() {
	for _, l := range x.page.links {
		at := occurrence{line: l.line, node: l.node}
		if l.cfEmail != "" {
			if s, ok := decodeCloudflare(l.cfEmail); ok {
				if addr, ok := cleanEmail(s, x.site); ok {
					x.addEmail(addr, EvidenceObfuscated, at)
				}
			}
			continue
		}
		if num, ok := parseTel(l.href); ok {
			x.addPhone(num, EvidenceTel, at)
			continue
		}
		if u, ok := linkedInProfile(l.href); ok {
			x.profiles = append(x.profiles, &profileItem{url: u, occ: at})
			continue
		}
		for _, m := range parseMailto(l.href) {
			addr, ok := cleanEmail(m.addr, x.site)
			if !ok {
				continue
			}
			e := x.addEmail(addr, EvidenceMailto, at)
			if IsRoleAddress(addr) || e.owner != nil {
				continue
			}
			// A link whose text (or display name) is a name is that
			// person's address: <a href="mailto:maria@…">Maria Gonzalez</a>.
			for _, label := range []string{m.name, l.text} {
				if name, ok := parseName(label, false); ok {
					p := x.addPerson(name, "", EvidenceMailto, at)
					if p.email == nil {
						p.email, e.owner = e, p
					}
					break
				}
			}
		}
	}
}

func (x *extraction) collectText() {
	lines := x.page.lines
	for i, l := range lines {
		at := occurrence{line: i, node: l.node}
		spaced := l.spaced()
		for _, s := range textEmails(spaced, l.joined()) {
			addr, ok := cleanEmail(s, x.site)
			if !ok {
				continue
			}
			evidence := EvidenceText
			if !strings.Contains(x.raw, addr) {
				// The source never spells the address out: it was
				// written with character references or split across
				// elements.
				evidence = EvidenceObfuscated
			}
			x.addEmail(addr, evidence, at)
		}
		for _, s := range obfuscatedEmails(spaced) {
			if addr, ok := cleanEmail(s, x.site); ok {
				x.addEmail(addr, EvidenceObfuscated, at)
			}
		}
		prev := ""
		if i > 0 {
			prev = lines[i-1].spaced()
		}
		for _, num := range textPhones(spaced, prev) {
			x.addPhone(num, EvidenceText, at)
		}
	}
}
