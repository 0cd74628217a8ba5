package discovery

import (
	"errors"
	"testing"
)

func TestNormalizeWebsite(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"joesplumbing.com", "https://joesplumbing.com"},
		{"  www.JoesPlumbing.COM/  ", "https://joesplumbing.com"},
		{"HTTP://WWW.joesplumbing.com:80/", "http://joesplumbing.com"},
		{"https://joesplumbing.com:443/services/", "https://joesplumbing.com/services"},
		{"https://joesplumbing.com:8443/services", "https://joesplumbing.com:8443/services"},
		{"https://joesplumbing.com/About/Us?ref=gmb&x=1#contact", "https://joesplumbing.com/About/Us?ref=gmb&x=1"},
		{"https://joesplumbing.com/?", "https://joesplumbing.com"},
		{"//joesplumbing.com/x", "https://joesplumbing.com/x"},
		{"https://shop.joes-plumbing.co.uk/x/", "https://shop.joes-plumbing.co.uk/x"},
		{"https://joesplumbing.com./", "https://joesplumbing.com"},
		{"https://münchen-bäcker.de", "https://xn--mnchen-bcker-ncb24a.de"},
		{"https://www.com", "https://www.com"},
		{"http://192.168.1.20:8080/", "http://192.168.1.20:8080"},
		{"http://[2001:db8::1]/", "http://[2001:db8::1]"},
		{"https://joesplumbing.com/a b", "https://joesplumbing.com/a%20b"},
	} {
		got, err := NormalizeWebsite(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeWebsite(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNormalizeWebsiteRejectsGarbage(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"ht!tp//",
		"N/A",
		"none",
		"localhost",
		"joes plumbing.com",
		"https://joes plumbing.com",
		"ftp://joesplumbing.com",
		"mailto:joe@joesplumbing.com",
		"javascript:alert(1)",
		"https://user:secret@joesplumbing.com",
		"https://joesplumbing.com:99999",
		"https://-joes.com",
		"https://joes_plumbing.com",
		"https://1.2.3",
		"https://.com",
		"https://",
	} {
		if got, err := NormalizeWebsite(in); !errors.Is(err, ErrInvalidWebsite) {
			t.Errorf("NormalizeWebsite(%q) = %q, %v; want ErrInvalidWebsite", in, got, err)
		}
	}
}

func TestRegistrableDomain(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"https://shop.joes-plumbing.co.uk/x", "joes-plumbing.co.uk"},
		{"joesplumbing.com", "joesplumbing.com"},
		{"https://www.blog.joesplumbing.com", "joesplumbing.com"},
		{"joe.blogspot.com", "joe.blogspot.com"},
		{"https://sites.google.com/view/joes", "google.com"},
		{"http://192.168.1.20:8080", "192.168.1.20"},
	} {
		got, err := RegistrableDomain(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("RegistrableDomain(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"co.uk", "ht!tp//", ""} {
		if got, err := RegistrableDomain(in); err == nil {
			t.Errorf("RegistrableDomain(%q) = %q, want an error", in, got)
		}
	}
}

func TestIsSharedHost(t *testing.T) {
	for _, tc := range []struct {
		domain string
		want   bool
	}{
		{"facebook.com", true},
		{"www.facebook.com", true},
		{"m.facebook.com", true},
		{"instagram.com", true},
		{"yelp.com", true},
		{"yelp.co.uk", true},
		{"google.com", true},
		{"sites.google.com", true},
		{"google.de", true},
		{"linktr.ee", true},
		{"wixsite.com", true},
		{"joes.wixsite.com", true},
		{"wordpress.com", true},
		{"blogspot.com", true},
		{"squarespace.com", true},
		{"godaddysites.com", true},
		{"weebly.com", true},
		{"joesplumbing.com", false},
		{"notfacebook.com", false},
		{"googleplumbing.com", false},
		{"", false},
	} {
		if got := IsSharedHost(tc.domain); got != tc.want {
			t.Errorf("IsSharedHost(%q) = %v, want %v", tc.domain, got, tc.want)
		}
	}
}

// DomainKey decides which websites make two listings one business: a page
// on a shared platform must never do so, a site of its own must.
func TestDomainKey(t *testing.T) {
	for _, tc := range []struct {
		website, want string
	}{
		{"https://joesplumbing.com/contact", "joesplumbing.com"},
		{"https://shop.joes-plumbing.co.uk", "joes-plumbing.co.uk"},
		{"https://facebook.com/joesplumbing", ""},
		{"https://www.facebook.com/pages/Joes-Plumbing/123", ""},
		{"https://instagram.com/joesplumbing", ""},
		{"https://www.yelp.com/biz/joes-plumbing-austin", ""},
		{"https://sites.google.com/view/joesplumbing", ""},
		{"https://maps.google.com/?cid=123", ""},
		{"https://g.page/joesplumbing", ""},
		{"https://linktr.ee/joesplumbing", ""},
		{"https://joesplumbing.wixsite.com/home", "joesplumbing.wixsite.com"},
		{"https://joesplumbing.wordpress.com", "joesplumbing.wordpress.com"},
		{"https://joesplumbing.blogspot.com/2020/01/post", "joesplumbing.blogspot.com"},
		{"https://joesplumbing.squarespace.com", "joesplumbing.squarespace.com"},
		{"https://joesplumbing.godaddysites.com", "joesplumbing.godaddysites.com"},
		{"https://joesplumbing.weebly.com", "joesplumbing.weebly.com"},
		{"https://www.wixsite.com", ""},
		{"not a website", ""},
	} {
		if got := DomainKey(tc.website); got != tc.want {
			t.Errorf("DomainKey(%q) = %q, want %q", tc.website, got, tc.want)
		}
	}
}
