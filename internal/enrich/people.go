package enrich

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/enrich/contacts"
	"github.com/prospectorhq/prospector/internal/enrich/verify"
	"github.com/prospectorhq/prospector/internal/providers"
	"github.com/prospectorhq/prospector/internal/providers/hunter"
	"github.com/prospectorhq/prospector/internal/store"
)

// Contact sources beyond the website's own.
const (
	SourceHunter  = "hunter"
	SourcePattern = "pattern" // an address guessed from the domain's pattern
	SourceManual  = "manual"
)

// PeopleFinder finds the people to write to — on the website, through
// Hunter when keyed, and by the domain's address pattern — and verifies
// their addresses. A person Hunter says asked not to be processed (451) is
// never stored.
type PeopleFinder struct {
	Hunter *hunter.Client // nil: off (no HUNTER_API_KEY)
	// Verify configures email verification (resolver, optional SMTP probe);
	// Hunter's verifier is added when Hunter is on.
	Verify verify.Config
	// MaxFinder bounds Hunter email-finder calls per prospect; MaxVerify
	// the addresses verified.
	MaxFinder int
	MaxVerify int
}

// People is what Find learned.
type People struct {
	Contacts []store.NewContact
	Notes    map[string]any // for website_analysis: Hunter trouble, pattern used
}

// Find returns the prospect's contacts, existing manual ones included.
func (f *PeopleFinder) Find(ctx context.Context, p store.Prospect, region string, s *SiteFindings, existing []store.Contact) People {
	out := People{Notes: map[string]any{}}
	var found []contacts.Found
	if s != nil {
		for _, page := range s.Pages {
			found = append(found, contacts.Extract(page.URL, page.HTML)...)
		}
	}
	for _, c := range existing {
		if store.OrEmpty(c.Source) == SourceManual {
			found = append(found, contacts.Found{Name: store.OrEmpty(c.Name), FirstName: store.OrEmpty(c.FirstName), LastName: store.OrEmpty(c.LastName),
				Title: store.OrEmpty(c.Title), Email: store.OrEmpty(c.Email), Phone: store.OrEmpty(c.Phone), Source: SourceManual})
		}
	}
	domain := ""
	if p.Website != nil {
		domain = discovery.DomainKey(*p.Website)
	}
	claimed := map[string]bool{} // addresses of people who asked not to be processed

	var hunterPattern string
	if f.Hunter != nil && domain != "" {
		res, err := f.Hunter.DomainSearch(ctx, hunter.DomainSearchParams{Domain: domain})
		switch {
		case err == nil:
			hunterPattern = string(res.Pattern)
			for _, e := range res.Emails {
				found = append(found, contacts.Found{FirstName: string(e.FirstName), LastName: string(e.LastName),
					Name: strings.TrimSpace(string(e.FirstName) + " " + string(e.LastName)), Title: string(e.Position),
					Email: strings.ToLower(e.Value), Phone: string(e.PhoneNumber), LinkedInURL: string(e.LinkedIn), Source: SourceHunter})
			}
		case !hunter.IsDoNotProcess(err):
			out.Notes["hunter_error"] = providers.Describe(err)
		}
	}

	found = f.fillAddresses(ctx, domain, hunterPattern, found, claimed, out.Notes)
	chosen := f.verifyChosen(ctx, found, claimed)
	for _, c := range chosen {
		nc := store.NewContact{ProspectID: p.ID, Name: store.NullIfEmpty(c.Name), FirstName: store.NullIfEmpty(c.FirstName), LastName: store.NullIfEmpty(c.LastName),
			Title: store.NullIfEmpty(c.Title), Email: store.NullIfEmpty(c.Email), LinkedinURL: store.NullIfEmpty(c.LinkedInURL), IsPrimary: c.IsPrimary,
			IsDecisionMaker: c.IsDecisionMaker, Source: c.Source}
		if c.Phone != "" {
			phone := c.Phone
			if e164, ok := discovery.NormalizePhone(c.Phone, region); ok {
				phone = e164
			}
			nc.Phone = &phone
		}
		if c.status != "" {
			status := c.status
			nc.EmailVerificationStatus = &status
		}
		out.Contacts = append(out.Contacts, nc)
	}
	return out
}

// fillAddresses gives named people without an address one: Hunter's email
// finder when keyed (a few calls at most), else the domain's pattern, learned
// from the addresses found or given by Hunter.
func (f *PeopleFinder) fillAddresses(ctx context.Context, domain, hunterPattern string, found []contacts.Found, claimed map[string]bool, notes map[string]any) []contacts.Found {
	if domain == "" {
		return found
	}
	var known []contacts.Person
	for _, c := range found {
		if c.Email != "" && c.FirstName != "" && strings.HasSuffix(c.Email, "@"+domain) {
			known = append(known, contacts.Person{Name: c.Name, FirstName: c.FirstName, LastName: c.LastName, Email: c.Email})
		}
	}
	pattern, havePattern := contacts.InferPattern(domain, known)
	if !havePattern && hunterPattern != "" {
		pattern, havePattern = contacts.Pattern{Domain: domain, Template: hunterPattern}, true
	}
	if havePattern {
		notes["email_pattern"] = pattern.String()
	}
	calls := 0
	var out []contacts.Found
	for _, c := range found {
		if c.Email != "" || c.FirstName == "" || c.LastName == "" {
			out = append(out, c)
			continue
		}
		if f.Hunter != nil && calls < f.maxFinder() {
			calls++
			res, err := f.Hunter.EmailFinder(ctx, hunter.EmailFinderParams{Domain: domain, FirstName: c.FirstName, LastName: c.LastName})
			if hunter.IsDoNotProcess(err) {
				continue // this person asked not to be processed: drop them entirely
			}
			if err == nil && res.Found && res.Email != "" {
				c.Email, c.Source = strings.ToLower(string(res.Email)), SourceHunter
				out = append(out, c)
				continue
			}
			if err != nil {
				notes["hunter_error"] = providers.Describe(err)
			}
		}
		if havePattern {
			if guess := pattern.Apply(c.FirstName, c.LastName); guess != "" {
				c.Email, c.Source = guess, SourcePattern
			}
		}
		out = append(out, c)
	}
	return out
}

type chosenContact struct {
	contacts.Contact
	status string // verification outcome, "" when not verified
}

// verifyChosen picks the contacts and verifies their addresses. A person
// Hunter's verifier reports as claimed is removed and the choice made again,
// so exactly one primary remains among those kept.
func (f *PeopleFinder) verifyChosen(ctx context.Context, found []contacts.Found, claimed map[string]bool) []chosenContact {
	hv := &hunterVerifier{client: f.Hunter, claimed: claimed}
	cfg := f.Verify
	if f.Hunter != nil {
		cfg.Hunter = hv
	}
	v, err := verify.New(cfg)
	if err != nil {
		v = nil
	}
	statuses := map[string]string{}
	for round := 0; round < 3; round++ {
		kept := found[:0:0]
		for _, c := range found {
			if c.Email == "" || !hv.isClaimed(c.Email) {
				kept = append(kept, c)
			}
		}
		found = kept
		chosen := contacts.Choose(found)
		var todo []string
		for _, c := range chosen {
			if c.Email != "" && statuses[c.Email] == "" && v != nil && len(todo) < f.maxVerify() {
				todo = append(todo, c.Email)
			}
		}
		for email, status := range verifyAll(ctx, v, todo) {
			statuses[email] = status
		}
		if !slices.ContainsFunc(chosen, func(c contacts.Contact) bool { return hv.isClaimed(c.Email) }) {
			out := make([]chosenContact, len(chosen))
			for i, c := range chosen {
				out[i] = chosenContact{Contact: c, status: statuses[c.Email]}
			}
			return out
		}
	}
	return nil
}

func (f *PeopleFinder) maxFinder() int {
	if f.MaxFinder > 0 {
		return f.MaxFinder
	}
	return 3
}

func (f *PeopleFinder) maxVerify() int {
	if f.MaxVerify > 0 {
		return f.MaxVerify
	}
	return 10
}

// verifyParallel bounds concurrent verifications of one prospect's
// addresses: each may wait on DNS, SMTP or Hunter's polling.
const verifyParallel = 4

// verifyAll verifies emails a few at a time and returns their statuses.
func verifyAll(ctx context.Context, v *verify.Verifier, emails []string) map[string]string {
	out := make(map[string]string, len(emails))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, verifyParallel)
	for _, email := range emails {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			status := v.Verify(ctx, email).Status
			mu.Lock()
			out[email] = status
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// hunterVerifier adapts Hunter's email verifier to the verify package and
// remembers the addresses of people who asked not to be processed.
type hunterVerifier struct {
	client  *hunter.Client
	mu      sync.Mutex
	claimed map[string]bool
}

var errClaimed = errors.New("the person asked not to be processed")

func (h *hunterVerifier) isClaimed(email string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.claimed[email]
}

func (h *hunterVerifier) Verify(ctx context.Context, email string) (string, error) {
	res, err := h.client.EmailVerifier(ctx, email)
	if hunter.IsDoNotProcess(err) {
		h.mu.Lock()
		h.claimed[email] = true
		h.mu.Unlock()
		return "", errClaimed
	}
	if err != nil {
		return "", err
	}
	return res.Status, nil
}
