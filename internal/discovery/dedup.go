package discovery

import (
	"slices"
	"strings"
)

// Same reports whether a and b are listings of one business:
//   - the same source and source id (and never two ids of one source), or
//   - the same website domain (DomainKey: never a social page or a
//     directory), or
//   - the same phone or the same street address (house number and street),
//     with names at least half alike (see nameSimilarity), and, when both
//     zip codes are known, the same zip.
//
// A shared phone alone is not enough: the restaurants of one hotel share
// its switchboard. A name alone never is: a chain has many branches.
func Same(a, b Business) bool {
	fa, fb := newFingerprint(a), newFingerprint(b)
	return matchScore(&fa, &fb) > 0
}

// fingerprint holds what matching needs from a listing, computed once.
type fingerprint struct {
	source    string
	sourceKey string // source and source id, "" without an id
	domain    string
	phone     string
	street    streetAddr
	zip       string
	name      nameWords
}

func newFingerprint(b Business) fingerprint {
	f := fingerprint{
		street: parseStreet(b.Address),
		zip:    zipKey(b.Zip),
		name:   newNameWords(b.Name),
	}
	// The key is derived again rather than trusted, so a Domain filled in
	// by hand ("facebook.com") cannot merge unrelated businesses.
	switch {
	case b.Website != "":
		f.domain = DomainKey(b.Website)
	case b.Domain != "":
		f.domain = DomainKey(b.Domain)
	}
	if isE164(b.Phone) {
		f.phone = b.Phone
	}
	f.source = b.Source
	if b.Source != "" && b.SourceID != "" {
		f.sourceKey = b.Source + "\x00" + b.SourceID
	}
	return f
}

// zipKey keeps the letters and digits of a postal code, so "78701-1234",
// "787011234" and "SW1A 1AA", "sw1a1aa" compare by prefix.
func zipKey(zip string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(zip) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Match scores: any positive score means "same business"; among several
// candidates the highest wins.
const (
	scoreSourceID = 10
	scoreDomain   = 5
	scorePhone    = 0.5
	scoreStreet   = 0.5
)

// matchScore is 0 when a and b are different businesses, else a score that
// grows with the evidence: the name similarity, plus the agreeing phone and
// street, plus a large constant for a shared domain or source id.
func matchScore(a, b *fingerprint) float64 {
	if a.sourceKey != "" && b.sourceKey != "" && a.source == b.source {
		if a.sourceKey == b.sourceKey {
			return scoreSourceID
		}
		// The source listed them apart, and it knows its own listings
		// best: two restaurants of one hotel, not one restaurant twice.
		return 0
	}
	if a.domain != "" && a.domain == b.domain {
		return scoreDomain + nameSimilarity(a.name, b.name)
	}
	phone := a.phone != "" && a.phone == b.phone
	street := sameStreet(a.street, b.street) && zipsAgree(a.zip, b.zip)
	if !phone && !street {
		return 0
	}
	ns := nameSimilarity(a.name, b.name)
	if ns < sameNameScore {
		return 0
	}
	score := ns
	if phone {
		score += scorePhone
	}
	if street {
		score += scoreStreet
	}
	return score
}

// zipsAgree is false only when both zips are known and neither extends the
// other (ZIP+4 extends ZIP).
func zipsAgree(a, b string) bool {
	return a == "" || b == "" || strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

// Deduper gathers listings into businesses as they arrive, from any number
// of sources, in about O(1) per listing: candidates are found through
// indexes on source id, domain, phone and street, and only they are
// compared. It is not safe for concurrent use.
type Deduper struct {
	entries  []dedupEntry
	bySource map[string][]int
	byDomain map[string][]int
	byPhone  map[string][]int
	byStreet map[string][]int

	// seen marks the entries already gathered for the current listing with
	// its generation number, so an entry found under several keys is
	// compared once without building a set per listing.
	seen []uint32
	gen  uint32
}

// dedupEntry is one business and the fingerprint of every listing merged
// into it: a new listing matches the business when it matches any of them.
type dedupEntry struct {
	business Business
	members  []fingerprint
}

// NewDeduper returns an empty Deduper.
func NewDeduper() *Deduper {
	return &Deduper{
		bySource: map[string][]int{},
		byDomain: map[string][]int{},
		byPhone:  map[string][]int{},
		byStreet: map[string][]int{},
	}
}

// Seed adds a business that already exists, such as a prospect saved by an
// earlier run of the campaign, and returns its index. Seeded businesses are
// never merged with each other (they are distinct rows already), only with
// listings added later.
func (d *Deduper) Seed(b Business) int {
	return d.newEntry(b, newFingerprint(b))
}

// Add adds a listing. When it is the same business as one already held (see
// Same; the best match wins when several qualify), it is merged into it (see
// Merge) and Add returns that business's index and true; otherwise it
// becomes a new business and Add returns its index and false.
func (d *Deduper) Add(b Business) (index int, merged bool) {
	f := newFingerprint(b)
	best, bestScore := -1, 0.0
	for _, i := range d.candidates(&f) {
		for k := range d.entries[i].members {
			s := matchScore(&f, &d.entries[i].members[k])
			if s > bestScore || s == bestScore && s > 0 && i < best {
				best, bestScore = i, s
			}
		}
	}
	if best < 0 {
		return d.newEntry(b, f), false
	}
	e := &d.entries[best]
	Merge(&e.business, b)
	e.members = append(e.members, f)
	d.index(best, &f)
	return best, true
}

// Len returns the number of distinct businesses held.
func (d *Deduper) Len() int { return len(d.entries) }

// Business returns the business at index i, with everything merged into it.
func (d *Deduper) Business(i int) Business { return d.entries[i].business }

// Businesses returns every business held, in the order they were first seen
// (seeded ones first if they were seeded first).
func (d *Deduper) Businesses() []Business {
	out := make([]Business, len(d.entries))
	for i := range d.entries {
		out[i] = d.entries[i].business
	}
	return out
}

func (d *Deduper) newEntry(b Business, f fingerprint) int {
	b.Categories = slices.Clone(b.Categories)
	b.Sources = appendSources(slices.Clone(b.Sources), b.Source)
	i := len(d.entries)
	d.entries = append(d.entries, dedupEntry{business: b, members: []fingerprint{f}})
	d.seen = append(d.seen, 0)
	d.index(i, &f)
	return i
}

func (d *Deduper) index(i int, f *fingerprint) {
	if f.sourceKey != "" {
		d.bySource[f.sourceKey] = appendIndex(d.bySource[f.sourceKey], i)
	}
	if f.domain != "" {
		d.byDomain[f.domain] = appendIndex(d.byDomain[f.domain], i)
	}
	if f.phone != "" {
		d.byPhone[f.phone] = appendIndex(d.byPhone[f.phone], i)
	}
	for _, k := range streetIndexKeys(f.street) {
		d.byStreet[k] = appendIndex(d.byStreet[k], i)
	}
}

// appendIndex adds i unless it was the last one added: a listing merged into
// an entry usually shares the key the entry was found by. Other repeats are
// harmless, as candidates are gathered once.
func appendIndex(list []int, i int) []int {
	if n := len(list); n > 0 && list[n-1] == i {
		return list
	}
	return append(list, i)
}

func (d *Deduper) candidates(f *fingerprint) []int {
	d.gen++
	if d.gen == 0 {
		clear(d.seen)
		d.gen = 1
	}
	var out []int
	add := func(list []int) {
		for _, i := range list {
			if d.seen[i] != d.gen {
				d.seen[i] = d.gen
				out = append(out, i)
			}
		}
	}
	if f.sourceKey != "" {
		add(d.bySource[f.sourceKey])
	}
	if f.domain != "" {
		add(d.byDomain[f.domain])
	}
	if f.phone != "" {
		add(d.byPhone[f.phone])
	}
	for _, k := range streetIndexKeys(f.street) {
		add(d.byStreet[k])
	}
	return out
}
