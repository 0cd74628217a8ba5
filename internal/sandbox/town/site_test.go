package town

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The site generator draws from a new stream per business, so every
// attribute generated before it (names, phones, ids, domains…) is unchanged.
func TestSitesLeaveExistingAttributesAlone(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/town_fingerprints.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		typ, loc, _ := strings.Cut(line[:i], "|")
		h := sha256.New()
		for _, b := range Generate(typ, loc).Businesses {
			b.Site = nil
			b.Website = strings.TrimPrefix(strings.TrimPrefix(b.Website, "https://"), "http://")
			b.GoogleWebsite = strings.TrimPrefix(strings.TrimPrefix(b.GoogleWebsite, "https://"), "http://")
			j, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			h.Write([]byte(strings.Replace(string(j), `"Site":null,`, "", 1)))
		}
		if got := fmt.Sprintf("%x", h.Sum(nil)); got != line[i+1:] {
			t.Errorf("%s|%s: fingerprint %s, want %s: generated attributes changed", typ, loc, got, line[i+1:])
		}
		n++
	}
	if n == 0 {
		t.Fatal("no fingerprints read")
	}
}

func TestSitesAreDeterministic(t *testing.T) {
	t.Parallel()
	a, b := Generate("roofer", "Tulsa, OK"), Generate("roofers", "tulsa, ok")
	for i := range a.Businesses {
		if !reflect.DeepEqual(a.Businesses[i].Site, b.Businesses[i].Site) {
			t.Fatalf("business %d: sites differ", i)
		}
	}
}

// The variants, contact styles and phrases the enrichment stage must cope
// with all occur, in roughly the intended shares.
func TestSiteVariety(t *testing.T) {
	t.Parallel()
	variants := map[SiteVariant]int{}
	styles := map[ContactStyle]int{}
	platforms := map[string]int{}
	var total, withSite, founded, unfounded, teamSize, hunterOnly, siteOnly, noMX, acceptAll, flash int
	var pages [3]int
	for _, typ := range []string{"plumber", "dentist", "landscaper", "kite repair"} {
		for _, loc := range []string{"Austin, TX", "Omaha, NE", "Pine Village, VT"} {
			town := Generate(typ, loc)
			claimed := 0
			for _, b := range town.Businesses {
				total++
				s := b.Site
				if s == nil {
					if b.Domain != "" || b.Website != "" {
						t.Errorf("%s has a domain but no site", b.BaseName)
					}
					continue
				}
				withSite++
				variants[s.Variant]++
				platforms[s.Platform]++
				if !strings.HasPrefix(b.Website, s.Scheme+"://"+s.Host+"/") || strings.TrimPrefix(s.Host, "www.") != b.Domain {
					t.Errorf("website %q does not match site %s://%s", b.Website, s.Scheme, s.Host)
				}
				if s.Variant == SiteModern && (s.Scheme != "https" || s.Dated || s.Platform == "" || s.CopyrightYear < 2024) ||
					s.Variant == SiteDated && (s.Scheme != "http" || !s.Dated || s.CopyrightYear > 2016 || !strings.HasPrefix(s.JQuery, "1.8.")) {
					t.Errorf("%s site %+v", s.Variant, s)
				}
				if s.Founded != 0 {
					founded++
					if !strings.Contains(s.FoundingPhrase, fmt.Sprint(s.Founded)) {
						t.Errorf("founding phrase %q does not state %d", s.FoundingPhrase, s.Founded)
					}
				} else if s.Serves() {
					unfounded++
				}
				if s.TeamSize != 0 {
					teamSize++
					if !strings.Contains(s.TeamPhrase, fmt.Sprint(s.TeamSize)) {
						t.Errorf("team phrase %q does not state %d", s.TeamPhrase, s.TeamSize)
					}
				}
				for i, p := range []string{s.ContactPath, s.AboutPath, s.TeamPath} {
					if p != "" {
						pages[i]++
					}
				}
				if !s.MX {
					noMX++
				}
				if s.AcceptAll {
					acceptAll++
				}
				if s.Flash {
					flash++
				}
				for _, p := range s.People {
					if p.Shown != "" {
						styles[p.Shown]++
					}
					if p.Claimed {
						claimed++
					}
					if p.OnHunter && !p.ShowsEmail() {
						hunterOnly++
					}
					if p.ShowsEmail() && !p.OnHunter {
						siteOnly++
					}
					if s.MX != (p.Email != "") || p.Email != "" && !strings.HasSuffix(p.Email, "@"+b.Domain) {
						t.Errorf("%s: email %q on a domain with MX %v", b.Domain, p.Email, s.MX)
					}
				}
			}
			if claimed != 1 {
				t.Errorf("%s in %s: %d claimed people, want exactly 1", typ, loc, claimed)
			}
		}
	}
	share := func(n int) float64 { return float64(n) / float64(total) }
	for v, want := range map[SiteVariant][2]float64{
		SiteModern: {0.22, 0.32}, SiteDated: {0.22, 0.32}, SiteBrokenTLS: {0.05, 0.11}, SiteSlow: {0.05, 0.11},
		SiteServerError: {0.01, 0.05}, SiteParked: {0.005, 0.04}, SiteDead: {0.005, 0.04},
	} {
		if got := share(variants[v]); got < want[0] || got > want[1] {
			t.Errorf("%s: %.3f of businesses, want %.2f–%.2f", v, got, want[0], want[1])
		}
	}
	if got := share(total - withSite); got < 0.2 || got > 0.3 {
		t.Errorf("%.3f of businesses without a website", got)
	}
	for _, st := range []ContactStyle{ShownMailto, ShownPlain, ShownObfuscated, ShownEntities, ShownJSONLD, ShownCard} {
		if styles[st] < 10 {
			t.Errorf("only %d people shown as %s", styles[st], st)
		}
	}
	for _, p := range []string{"WordPress", "Webflow", "Squarespace", "Wix", "Shopify"} {
		if platforms[p] < 5 {
			t.Errorf("only %d %s sites", platforms[p], p)
		}
	}
	for name, n := range map[string]int{"with a founding phrase": founded, "serving pages without one": unfounded,
		"with a team size": teamSize, "with a contact page": pages[0], "with an about page": pages[1], "with a team page": pages[2],
		"people only Hunter knows": hunterOnly, "people only the website shows": siteOnly, "domains without MX": noMX,
		"accept-all domains": acceptAll, "Flash embeds": flash} {
		if n < 10 {
			t.Errorf("only %d %s", n, name)
		}
	}
}

func TestApplyPattern(t *testing.T) {
	t.Parallel()
	tests := []struct{ pattern, want string }{
		{"{first}", "maria"}, {"{first}.{last}", "maria.gonzalez"}, {"{f}{last}", "mgonzalez"},
		{"{first}{l}", "mariag"}, {"{last}", "gonzalez"}, {"{first}_{last}", "maria_gonzalez"},
	}
	for _, tt := range tests {
		if got := ApplyPattern(tt.pattern, "Maria", "Gonzalez"); got != tt.want {
			t.Errorf("ApplyPattern(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}
