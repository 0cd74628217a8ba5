package contacts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/golden"
)

func TestCandidatePages(t *testing.T) {
	t.Parallel()
	links := func(hrefs ...string) []byte {
		var b strings.Builder
		b.WriteString("<html><body><nav>")
		for _, h := range hrefs {
			href, text, _ := strings.Cut(h, " ")
			fmt.Fprintf(&b, "<a href=%q>%s</a>\n", href, text)
		}
		b.WriteString("</nav></body></html>")
		return []byte(b.String())
	}
	tests := []struct {
		name string
		base string
		html []byte
		want []string
	}{
		{"home page fixture", "https://www.riverbendplumbing.com/", golden.Read(t, "home.html"), []string{
			"https://www.riverbendplumbing.com/contact-us/",
			"https://www.riverbendplumbing.com/our-team/",
			"https://www.riverbendplumbing.com/about-us/",
			"https://www.riverbendplumbing.com/impressum",
		}},
		{"dated site with relative links", "http://oakridgeauto.com/", golden.Read(t, "dated.html"), []string{
			"http://oakridgeauto.com/contactus.htm",
			"http://oakridgeauto.com/ourstaff.htm",
			"http://oakridgeauto.com/aboutus.htm",
		}},
		{"sandbox shop paths", "https://joes.example/", links(
			"/pages/about About", "/pages/our-team Our Team", "/pages/contact Contact", "/products/x Contact the maker",
		), []string{
			"https://joes.example/pages/contact",
			"https://joes.example/pages/our-team",
			"https://joes.example/pages/about",
		}},
		{"german site", "https://www.baeckerei-sonnenschein.de/", links(
			"/kontakt Kontakt", "/%C3%BCber-uns Über uns", "/impressum Impressum", "/datenschutz Datenschutz", "/team Unser Team",
		), []string{
			"https://www.baeckerei-sonnenschein.de/kontakt",
			"https://www.baeckerei-sonnenschein.de/team",
			"https://www.baeckerei-sonnenschein.de/%C3%BCber-uns",
			"https://www.baeckerei-sonnenschein.de/impressum",
		}},
		{"one of each kind before a second of any", "https://joes.com/", links(
			"/en/contact Contact", "/fr/contact Contact", "/de/kontakt Kontakt", "/es/contacto Contacto", "/about About", "/staff Staff",
		), []string{
			"https://joes.com/en/contact",
			"https://joes.com/staff",
			"https://joes.com/about",
			"https://joes.com/fr/contact",
		}},
		{"link text alone", "https://joes.com/", links("/page-12 Meet the team", "/p?id=7 Contact us"), []string{
			"https://joes.com/page-12",
			"https://joes.com/p?id=7",
		}},
		{"base href", "https://joes.com/", []byte(`<html><head><base href="https://joes.com/site/"></head><body><a href="contact">Contact</a></body></html>`),
			[]string{"https://joes.com/site/contact"}},
		{"the page itself is not a candidate", "https://joes.com/contact/", links("/contact Contact", "https://www.joes.com/contact/#form Contact", "/about About"),
			[]string{"https://joes.com/about"}},
		{"other sites, files and schemes", "https://joes.com/", links(
			"https://facebook.com/joes Contact", "https://joes.com.evil.example/contact Contact", "mailto:joe@joes.com Contact",
			"tel:+15125550142 Call", "javascript:void(0) Contact", "/team.pdf Team", "//cdn.example/contact Contact",
			"https://user:pw@joes.com/contact Contact", "ftp://joes.com/contact Contact",
		), []string{}},
		{"subdomain of the same site", "https://joes.com/", links("https://shop.joes.com/contact Contact"),
			[]string{"https://shop.joes.com/contact"}},
		{"site on a builder's subdomain keeps to itself", "https://joes.wixsite.com/plumbing", links(
			"https://joes.wixsite.com/plumbing/contact Contact", "https://annes.wixsite.com/cakes/contact Contact",
		), []string{"https://joes.wixsite.com/plumbing/contact"}},
		{"loopback test server", "http://127.0.0.1:8081/", links("/contact Contact", "http://127.0.0.2:8081/contact Contact"),
			[]string{"http://127.0.0.1:8081/contact"}},
		{"policies, blogs and careers are skipped", "https://joes.com/", links(
			"/privacy-policy Contact us about privacy", "/blog/contact-tips Contact tips", "/careers/team Join the team", "/terms Terms",
		), []string{}},
		{"not a web page URL", "mailto:joe@joes.com", links("/contact Contact"), []string{}},
		{"empty page", "https://joes.com/", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := CandidatePages(tt.base, tt.html)
			if got == nil {
				t.Fatal("CandidatePages returned nil, want an empty slice")
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("CandidatePages:\n got %q\nwant %q", got, tt.want)
			}
			if len(got) > MaxCandidatePages {
				t.Errorf("%d pages, more than %d", len(got), MaxCandidatePages)
			}
		})
	}
}
