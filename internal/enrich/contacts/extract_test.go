package contacts

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/golden"
)

// TestExtractGolden runs Extract over whole pages in testdata and compares
// the result with the .golden.json beside each page. Run with -update to
// rewrite them after a deliberate change, then read the diff.
func TestExtractGolden(t *testing.T) {
	t.Parallel()
	pages := []struct{ file, url string }{
		{"team.html", "https://www.riverbendplumbing.com/our-team/"},
		{"dated.html", "http://oakridgeauto.com/ourstaff.htm"},
		{"contact.html", "https://brightsmile-dental.com/contact"},
		{"jsonld.html", "https://harborlightlaw.com/about"},
		{"impressum.html", "https://www.baeckerei-sonnenschein.de/impressum"},
		{"about.html", "https://summitroofing.com/about-us"},
		{"sandbox.html", "https://www.riverbendplumbing-austin.example/our-team/"},
	}
	for _, p := range pages {
		t.Run(p.file, func(t *testing.T) {
			t.Parallel()
			got, err := json.MarshalIndent(Extract(p.url, golden.Read(t, p.file)), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, strings.TrimSuffix(p.file, ".html")+".golden.json", got)
		})
	}
}

// brief is a Found in one line, for compact expectations:
// "name|title|email|phone|evidence".
func brief(f Found) string {
	return strings.Join([]string{f.Name, f.Title, f.Email, f.Phone, f.Evidence}, "|")
}

func briefs(fs []Found) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = brief(f)
	}
	return out
}

// TestExtract checks one behaviour per small page.
func TestExtract(t *testing.T) {
	t.Parallel()
	const site = "https://joesplumbing.com/contact"
	tests := []struct {
		name string
		url  string
		html string
		want []string
	}{
		{"mailto with subject and encoding", site,
			`<a href="mailto:Joe%2Bweb@JoesPlumbing.com?subject=Hello%20there&body=x">Write</a>`,
			[]string{"||joe+web@joesplumbing.com||mailto"}},
		{"mailto with several recipients", site,
			`<a href="mailto:joe@joesplumbing.com,ann@joesplumbing.com;bob@joesplumbing.com">us</a>`,
			[]string{"||joe@joesplumbing.com||mailto", "||ann@joesplumbing.com||mailto", "||bob@joesplumbing.com||mailto"}},
		{"mailto link text names the person", site,
			`<p><a href="mailto:jsmith@joesplumbing.com">Joe Smith</a></p>`,
			[]string{"Joe Smith||jsmith@joesplumbing.com||mailto"}},
		{"text address with trailing punctuation", site,
			`<p>Write to Joe@JoesPlumbing.com.</p>`,
			[]string{"||joe@joesplumbing.com||text"}},
		{"address in parentheses", site,
			`<p>Ask Ann (ann@joesplumbing.com), she knows.</p>`,
			[]string{"||ann@joesplumbing.com||text"}},
		{"bracketed at and dot", site,
			`<p>joe [at] joesplumbing [dot] com</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"parenthesized, no spaces", site,
			`<p>joe(at)joesplumbing(dot)com</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"braces and a dotted local part", site,
			`<p>joe{dot}smith {at} joesplumbing {dot} co {dot} uk</p>`,
			[]string{"||joe.smith@joesplumbing.co.uk||obfuscated"}},
		{"spelled out with dot", site,
			`<p>joe at joesplumbing dot com</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"spelled out with a real dot and an email cue", site,
			`<p>Email joe at joesplumbing.com</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"spelled out with a real dot and no cue is a sentence", site,
			`<p>Find Joe at joesplumbing.com for quotes.</p>`,
			nil},
		{"ordinary word before at", site,
			`<p>Visit us at joesplumbing dot com</p>`,
			nil},
		{"character references", site,
			`<p>&#106;&#111;&#101;&#64;&#106;&#111;&#101;&#115;&#112;&#108;&#117;&#109;&#98;&#105;&#110;&#103;&#46;&#99;&#111;&#109;</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"hex character references", site,
			`<p>joe&#x40;joesplumbing.com</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"split across spans", site,
			`<p><span>joe</span><span>@</span><span>joesplumbing</span><span>.com</span></p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"label span glued to an address", site,
			`<p><span>Email</span><span>joe@joesplumbing.com</span></p>`,
			[]string{"||joe@joesplumbing.com||text"}},
		{"hidden decoy inside an address", site,
			`<p>joe<span style="display: none">.nospam</span>@joesplumbing.com</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"comment inside an address", site,
			`<p>joe<!-- harvesters go away -->@joesplumbing.com</p>`,
			[]string{"||joe@joesplumbing.com||obfuscated"}},
		{"cloudflare protection", site,
			`<a class="__cf_email__" href="/cdn-cgi/l/email-protection#422824272d2c02282d2731322e372f202b2c256c212d2f">[email&#160;protected]</a>`,
			[]string{"||jfeon@joesplumbing.com||obfuscated"}},
		{"script and style are not text", site,
			`<script>var e = "joe@joesplumbing.com";</script><style>/* ann@joesplumbing.com */</style><p>Hi</p>`,
			nil},
		{"placeholders", site,
			`<p>e.g. you@example.com, name@domain.com, email@website.com, your.name@joesplumbing.com, info@yourdomain.com</p>`,
			nil},
		{"image names and asset ids", site,
			`<p>logo@2x.png icon@3x.webp bg@1.5x.jpg 0123456789abcdef01234567@joesplumbing.com</p>`,
			nil},
		{"third-party service mailboxes", site,
			`<p>abc@o123.ingest.sentry.io x@sentry-next.wixpress.com filler@godaddy.com cal123@group.calendar.google.com</p>`,
			nil},
		{"no-reply addresses", site,
			`<p>noreply@joesplumbing.com no-reply@joesplumbing.com mailer-daemon@joesplumbing.com</p>`,
			nil},
		{"unknown top-level domain", site,
			`<p>joe@joesplumbing.invalidtld and ann@joesplumbing.local</p>`,
			nil},
		{"the page's own reserved domain is kept", "https://riverbend-austin.example/team",
			`<p>maria@riverbend-austin.example and bob@other-site.example</p>`,
			[]string{"||maria@riverbend-austin.example||text"}},
		{"free-mail address is kept", site,
			`<p>Email: joesplumbing78@gmail.com</p>`,
			[]string{"||joesplumbing78@gmail.com||text"}},
		{"tel link with extension and encoding", site,
			`<a href="tel:+1%20512%20555%200142;ext=7">Call</a>`,
			[]string{"|||+1 512 555 0142|tel"}},
		{"phone next to a phone word", site,
			`<p>Call us today: (512) 555-0142</p>`,
			[]string{"|||(512) 555-0142|text"}},
		{"phone under a label line", site,
			`<div><h4>Telephone</h4><p>+44 20 7946 0958</p></div>`,
			[]string{"|||+44 20 7946 0958|text"}},
		{"phone without a phone word", site,
			`<p>License 512-555-0142-A, established 1998.</p>`,
			nil},
		{"fax is not a phone", site,
			`<p>Fax: (512) 555-0143</p><p>Phone: (512) 555-0142 | Fax (512) 555-0144</p>`,
			[]string{"|||(512) 555-0142|text"}},
		{"years and zip codes are not phones", site,
			`<p>Call us, serving since 1998-2024, zip 78701-1234</p>`,
			nil},
		{"tel link and text are one phone", site,
			`<p>Phone: (512) 555-0142</p><a href="tel:+15125550142">Call</a>`,
			[]string{"|||+15125550142|tel"}},
		{"name, title", site,
			`<p>Maria Gonzalez, Owner</p>`,
			[]string{"Maria Gonzalez|Owner|||team"}},
		{"name – title", site,
			`<p>John Smith – President</p>`,
			[]string{"John Smith|President|||team"}},
		{"title: name", site,
			`<p>Geschäftsführer: Hans Müller</p>`,
			[]string{"Hans Müller|Geschäftsführer|||team"}},
		{"card with name, title and address", site,
			`<div class="card"><h3>Maria Gonzalez</h3><p>Co-Owner</p><p><a href="mailto:mg@joesplumbing.com">Email</a></p></div>`,
			[]string{"Maria Gonzalez|Co-Owner|mg@joesplumbing.com||team"}},
		{"card with a direct line and the business line elsewhere", site,
			`<div class="card"><h3>Ann Lee</h3><p>Office Manager</p><p>Direct: 512-555-0150</p></div><footer><p>Phone: 512-555-0142</p></footer>`,
			[]string{"Ann Lee|Office Manager||512-555-0150|team", "|||512-555-0142|text"}},
		{"business line shown in a card and elsewhere stays the business's", site,
			`<div class="card"><h3>Ann Lee</h3><p>Office Manager</p><p>Call 512-555-0142</p></div><footer><p>Phone: 512-555-0142</p></footer>`,
			[]string{"Ann Lee|Office Manager|||team", "|||512-555-0142|text"}},
		{"role address in a card is not the person's", site,
			`<div class="card"><h3>Maria Gonzalez</h3><p>Owner</p><p>info@joesplumbing.com</p></div>`,
			[]string{"Maria Gonzalez|Owner|||team", "||info@joesplumbing.com||text"}},
		{"someone else's address beside a person", site,
			`<div><p>Wei Chen, Founder</p><p>Write to our hygienist: priya.ramos@joesplumbing.com</p><p>` + strings.Repeat("We care for smiles. ", 30) + `</p></div>`,
			[]string{"Wei Chen|Founder|||team", "||priya.ramos@joesplumbing.com||text"}},
		{"an address names its person anywhere on the page", site,
			`<p>Maria Gonzalez, Owner</p><p>John Smith, President</p><div>` + strings.Repeat("Lorem ipsum. ", 50) + `</div><p>jsmith@joesplumbing.com</p>`,
			[]string{"Maria Gonzalez|Owner|||team", "John Smith|President|jsmith@joesplumbing.com||team"}},
		{"two cards in a grid keep their own addresses", site,
			`<div class="grid"><div><h3>Ann Lee</h3><p>Owner</p><p>al@joesplumbing.com</p></div><div><h3>Bob Ray</h3><p>Estimator</p><p>bob@joesplumbing.com</p></div></div>`,
			[]string{"Ann Lee|Owner|al@joesplumbing.com||team", "Bob Ray|Estimator|bob@joesplumbing.com||team"}},
		{"testimonials are customers", site,
			`<blockquote>Great job! — Jane Smith, Property Manager</blockquote><div class="review">Bob Ray, Owner of Ray's Cafe</div>`,
			nil},
		{"slogans and places are not people", site,
			`<p>Austin, Texas – Licensed Plumber</p><p>Family Owned – Since 1987</p><p>Contact Us – Office Manager</p>`,
			nil},
		{"LinkedIn profile in a card", site,
			`<div><h3>Ann Lee</h3><p>Founder</p><a href="https://linkedin.com/in/ann-lee-42/?trk=x">in</a></div><a href="https://www.linkedin.com/company/joes">Company</a>`,
			[]string{"Ann Lee|Founder|||team"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Extract(tt.url, []byte("<html><body>"+tt.html+"</body></html>"))
			if b := briefs(got); !slices.Equal(b, tt.want) && !(len(b) == 0 && len(tt.want) == 0) {
				t.Errorf("Extract:\n got %q\nwant %q", b, tt.want)
			}
			for _, f := range got {
				if f.Source != SourceWebsite || f.PageURL != tt.url {
					t.Errorf("Found %+v: Source and PageURL not set", f)
				}
			}
		})
	}
}

func TestExtractLinkedIn(t *testing.T) {
	t.Parallel()
	got := Extract("https://joesplumbing.com/team", []byte(`<div><h3>Ann Lee</h3><p>Founder</p><a href="https://linkedin.com/in/ann-lee-42/?trk=x">in</a></div>`))
	if len(got) != 1 || got[0].LinkedInURL != "https://www.linkedin.com/in/ann-lee-42" {
		t.Errorf("Extract = %+v, want Ann Lee with her canonical LinkedIn URL", got)
	}
}

// TestExtractJSONLD covers structured data shapes the golden page does
// not: a bare Person, a top-level list, broken JSON.
func TestExtractJSONLD(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ld string
		want     []string
	}{
		{"person", `{"@type":"Person","name":"Ann Lee","jobTitle":"CEO","email":"ann@joesplumbing.com","telephone":"+1 512 555 0100"}`,
			[]string{"Ann Lee|CEO|ann@joesplumbing.com|+1 512 555 0100|json-ld"}},
		{"list of objects", `[{"@type":"Organization","email":"office@joesplumbing.com"},{"@type":"Person","givenName":"Bob","familyName":"Ray"}]`,
			[]string{"||office@joesplumbing.com||json-ld", "Bob Ray||||json-ld"}},
		{"founder without title", `{"@type":"LocalBusiness","founder":{"@type":"Person","name":"Cy Young"}}`,
			[]string{"Cy Young|Founder|||json-ld"}},
		{"broken json", `{"@type":"Person","name":"Ann Lee"`, nil},
		{"review author is not a contact", `{"@type":"LocalBusiness","review":[{"@type":"Review","author":{"@type":"Person","name":"Dee Fox","email":"dee@gmail.com"}}]}`, nil},
		{"placeholder email", `{"@type":"Organization","email":"you@example.com"}`, nil},
	}
	for _, tt := range tests {
		page := `<html><head><script type="application/ld+json">` + tt.ld + `</script></head><body></body></html>`
		if got := briefs(Extract("https://joesplumbing.com/", []byte(page))); !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestCleanEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, site, want string
	}{
		{"Maria@Example.org", "", ""},
		{"maria@joesplumbing.com.", "joesplumbing.com", "maria@joesplumbing.com"},
		{"<maria@joesplumbing.com>", "", "maria@joesplumbing.com"},
		{"maria@joesplumbing.co.uk", "", "maria@joesplumbing.co.uk"},
		{"maria@joes.blogspot.com", "", "maria@joes.blogspot.com"},
		{"maria@joesplumbing.example", "", ""},
		{"maria@joesplumbing.example", "joesplumbing.example", "maria@joesplumbing.example"},
		{"name@domain.com", "", ""},
		{"name@domain.com", "domain.com", ""},
		{"info@domain.com", "domain.com", "info@domain.com"},
		{"logo@2x.png", "", ""},
		{"x@y.zip", "", ""},
		{"a..b@joesplumbing.com", "", ""},
		{"abc@sentry.io", "", ""},
		{"abc@o1.ingest.sentry.io", "", ""},
		{"donotreply@joesplumbing.com", "", ""},
		{"0123456789abcdef0123@joesplumbing.com", "", ""},
		{"cafe2024@joesplumbing.com", "", "cafe2024@joesplumbing.com"},
	}
	for _, tt := range tests {
		got, ok := cleanEmail(tt.in, tt.site)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("cleanEmail(%q, %q) = %q, %v; want %q", tt.in, tt.site, got, ok, tt.want)
		}
	}
}

func TestParseMailto(t *testing.T) {
	t.Parallel()
	tests := []struct {
		href string
		want string
	}{
		{"mailto:a@b.com", "a@b.com|"},
		{"MAILTO:a@b.com?subject=x", "a@b.com|"},
		{"mailto:a%40b.com", "a@b.com|"},
		{"mailto:a@b.com,c@d.com", "a@b.com| c@d.com|"},
		{"mailto:Ann%20Lee%20%3Cann@b.com%3E", "ann@b.com|Ann Lee"},
		{"mailto:?subject=only", ""},
		{"https://b.com", ""},
	}
	for _, tt := range tests {
		var parts []string
		for _, m := range parseMailto(tt.href) {
			parts = append(parts, m.addr+"|"+m.name)
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("parseMailto(%q) = %q, want %q", tt.href, got, tt.want)
		}
	}
}

func TestDecodeCloudflare(t *testing.T) {
	t.Parallel()
	// Key 0x42 XORed into "jfeon@joesplumbing.com".
	enc := "42"
	for _, c := range []byte("jfeon@joesplumbing.com") {
		enc += fmt.Sprintf("%02x", c^0x42)
	}
	if got, ok := decodeCloudflare(enc); !ok || got != "jfeon@joesplumbing.com" {
		t.Errorf("decodeCloudflare = %q, %v", got, ok)
	}
	for _, bad := range []string{"", "4", "zz", "42"} {
		if got, ok := decodeCloudflare(bad); ok {
			t.Errorf("decodeCloudflare(%q) = %q, want failure", bad, got)
		}
	}
}

func TestSamePhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"(512) 555-0142", "+1 512 555 0142", true},
		{"+15125550142", "512.555.0142", true},
		{"+49 30 1234567", "030 1234567", false},
		{"512-555-0142", "512-555-0143", false},
		{"555-0142", "+1 512 555 0142", false},
	}
	for _, tt := range tests {
		if got := samePhone(tt.a, tt.b); got != tt.want {
			t.Errorf("samePhone(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
