package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	"github.com/prospectorhq/prospector/internal/discovery"
	"github.com/prospectorhq/prospector/internal/sandbox"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type detail struct {
	ID         string  `json:"id"`
	Website    *string `json:"website"`
	Status     string  `json:"status"`
	Enrichment *struct {
		WebsiteScore    *int            `json:"website_score"`
		MobileScore     *int            `json:"mobile_score"`
		PageSpeed       *float64        `json:"page_speed"`
		SSLValid        *bool           `json:"ssl_valid"`
		YearFounded     *int            `json:"year_founded"`
		TechStack       []string        `json:"tech_stack"`
		GoogleRating    *float64        `json:"google_rating"`
		YelpReviews     *int            `json:"yelp_reviews"`
		WebsiteAnalysis json.RawMessage `json:"website_analysis"`
	} `json:"enrichment"`
	Contacts []struct {
		Email            *string `json:"email"`
		IsPrimary        bool    `json:"is_primary"`
		IsDecisionMaker  bool    `json:"is_decision_maker"`
		Source           *string `json:"source"`
		VerificationStat *string `json:"email_verification_status"`
	} `json:"contacts"`
}

// TestEnrichmentFindingsMatchTheSandboxSites runs a campaign through
// discovery and enrichment against the sandbox and checks what was learned
// against the fictional sites' ground truth.
func TestEnrichmentFindingsMatchTheSandboxSites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		srv := apptest.Start(t, e, apptest.Options{Sandbox: &sandbox.Options{}})
		c, _ := srv.SignUp(t)
		id := startCampaign(t, c, map[string]any{"max_results": 120, "sources": []string{"google_maps"}})
		st := waitStatus(t, c, id, "completed")
		if pastEnrichment(st) != st.LeadsFound || st.LeadsFound == 0 {
			t.Fatalf("stats = %+v, want every prospect enriched", st)
		}

		truth := map[string]*sandbox.Business{}
		town := srv.Sandbox.Town("plumber", "Austin, TX")
		claimed := map[string]bool{}
		for i := range town.Businesses {
			b := &town.Businesses[i]
			if b.Domain != "" {
				truth[b.Domain] = b
			}
			if b.Site != nil {
				for _, p := range b.Site.People {
					if p.Claimed && p.Email != "" {
						claimed[p.Email] = true
					}
				}
			}
		}

		var list struct {
			Data []struct {
				ID string `json:"id"`
			}
		}
		c.Get("/api/prospects?limit=200&campaign_id="+id).JSON(t, &list)
		checked := map[sandbox.SiteVariant]int{}
		withContact, withSite := 0, 0
		for _, row := range list.Data {
			var d detail
			c.Get("/api/prospects/"+row.ID).JSON(t, &d)
			if d.Enrichment == nil {
				t.Fatalf("prospect %s has no enrichment", d.ID)
			}
			primaries := 0
			for _, ct := range d.Contacts {
				if ct.IsPrimary {
					primaries++
				}
				if ct.Email != nil && claimed[*ct.Email] {
					t.Errorf("stored %s, who asked not to be processed (Hunter 451)", *ct.Email)
				}
			}
			if len(d.Contacts) > 0 && primaries != 1 {
				t.Errorf("prospect %s has %d primary contacts, want exactly 1", d.ID, primaries)
			}
			if d.Website == nil {
				continue
			}
			b := truth[discovery.DomainKey(*d.Website)]
			if b == nil || b.Site == nil {
				continue
			}
			withSite++
			if len(d.Contacts) > 0 {
				withContact++
			}
			en := d.Enrichment
			var wa struct {
				Website struct {
					Status string `json:"status"`
					Reason string `json:"reason"`
				} `json:"website"`
			}
			json.Unmarshal(en.WebsiteAnalysis, &wa)
			label := fmt.Sprintf("%s (%s)", b.Domain, b.Site.Variant)
			switch b.Site.Variant {
			case sandbox.SiteModern:
				if en.WebsiteScore == nil || *en.WebsiteScore < 60 || en.SSLValid == nil || !*en.SSLValid || len(en.TechStack) == 0 {
					t.Errorf("%s: score %v ssl %v tech %v, want a good score, valid SSL and a tech stack", label, deref(en.WebsiteScore), derefB(en.SSLValid), en.TechStack)
				}
				if b.Site.Platform != "" && !containsFold(en.TechStack, b.Site.Platform) {
					t.Errorf("%s: tech %v lacks the platform %s", label, en.TechStack, b.Site.Platform)
				}
			case sandbox.SiteDated:
				if en.WebsiteScore == nil || *en.WebsiteScore > 60 || en.SSLValid == nil || *en.SSLValid {
					t.Errorf("%s: score %v ssl %v, want a low score and no valid SSL", label, deref(en.WebsiteScore), derefB(en.SSLValid))
				}
			case sandbox.SiteBrokenTLS:
				if en.SSLValid == nil || *en.SSLValid || wa.Website.Status != "analysed" {
					t.Errorf("%s: ssl %v status %q, want invalid SSL on an analysed page", label, derefB(en.SSLValid), wa.Website.Status)
				}
			case sandbox.SiteDead:
				if en.WebsiteScore != nil || wa.Website.Status != "unreachable" || wa.Website.Reason == "" {
					t.Errorf("%s: score %v analysis %+v, want null scores and the reason", label, deref(en.WebsiteScore), wa.Website)
				}
			}
			if b.Site.Founded != 0 && (en.YearFounded == nil || *en.YearFounded != b.Site.Founded) && b.Site.Variant == sandbox.SiteModern {
				t.Errorf("%s: year_founded %v, the site says %q", label, deref(en.YearFounded), b.Site.FoundingPhrase)
			}
			if b.Site.Founded == 0 && en.YearFounded != nil {
				t.Errorf("%s: year_founded %d invented: the site states none", label, *en.YearFounded)
			}
			checked[b.Site.Variant]++
		}
		if checked[sandbox.SiteModern] == 0 || checked[sandbox.SiteDated] == 0 {
			t.Errorf("variants checked = %v: the sample must include modern and dated sites", checked)
		}
		t.Logf("variants checked %v; contacts found for %d of %d sites", checked, withContact, withSite)
	})
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func derefB(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

func containsFold(list []string, want string) bool {
	for _, s := range list {
		if strings.EqualFold(s, want) {
			return true
		}
	}
	return false
}
