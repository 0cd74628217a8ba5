package webhost

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/sandbox/world"
)

// The pages of a fictional business's website. A modern look carries its
// builder's generator tags, script URLs and response headers (what a tech
// detector reads); a dated look is a 2000s table layout with font tags,
// jQuery 1.8 and sometimes a Flash movie, declared as ISO-8859-1 and written
// in ASCII.
//
// Where things are: people on the team page, else the about page, else the
// contact page, else the home page; role addresses on the contact page, else
// the home page; the founding and team-size phrases on the about page, else
// the home page.

type siteBuilder struct {
	world *world.World
	b     *town.Business
	site  *town.Site
	page  string // the page's path, "" for a 404
	ld    []any  // JSON-LD objects for the head
}

func esc(s string) string { return html.EscapeString(s) }

// text escapes s for the page: HTML-escaped, and on a dated (ISO-8859-1)
// page every non-ASCII character as a character reference.
func (sb *siteBuilder) text(s string) string {
	s = html.EscapeString(s)
	if !sb.site.Dated {
		return s
	}
	var out strings.Builder
	for _, r := range s {
		if r < 128 {
			out.WriteRune(r)
		} else {
			fmt.Fprintf(&out, "&#%d;", r)
		}
	}
	return out.String()
}

// dash is the separator of a team card: "Maria Gonzalez — Owner".
func (sb *siteBuilder) dash() string {
	if sb.site.Dated {
		return " &ndash; "
	}
	return " — "
}

func (sb *siteBuilder) seed(salt string) uint64 { return town.Hash(sb.b.ID + "|" + salt) }

// link is how a page links to path: dated sites use relative links.
func (sb *siteBuilder) link(path string) string {
	switch {
	case !sb.site.Dated:
		return path
	case path == "/":
		return "index.html"
	}
	return strings.TrimPrefix(path, "/")
}

func (sb *siteBuilder) title() string {
	site, b := sb.site, sb.b
	switch sb.page {
	case "":
		return "Page not found - " + b.BaseName
	case "/":
		if site.Dated {
			return b.BaseName + " - " + town.TitleCase(b.Type) + " - " + b.City + ", " + b.State
		}
		return b.BaseName + " | " + town.TitleCase(b.Type) + " in " + b.City + ", " + b.State
	case site.ContactPath:
		return "Contact Us - " + b.BaseName
	case site.AboutPath:
		return "About Us - " + b.BaseName
	}
	return "Our Team - " + b.BaseName
}

// render writes the whole page.
func (sb *siteBuilder) render() string {
	site := sb.site
	var main strings.Builder
	switch sb.page {
	case "":
		fmt.Fprintf(&main, "<h1>Page not found</h1>\n<p>Sorry, the page you are looking for does not exist. <a href=\"%s\">Back to the home page</a>.</p>\n", sb.link("/"))
	case "/":
		sb.home(&main)
	case site.ContactPath:
		sb.contact(&main)
	case site.AboutPath:
		fmt.Fprintf(&main, "<h1>About %s</h1>\n", sb.text(sb.b.BaseName))
		fmt.Fprintf(&main, "<p>%s is a locally owned %s business in %s, %s.</p>\n", sb.text(sb.b.BaseName), sb.text(sb.b.Type), sb.text(sb.b.City), sb.text(sb.b.State))
	case site.TeamPath:
		fmt.Fprintf(&main, "<h1>Our Team</h1>\n")
	}
	if sb.page != "" {
		if sb.page == site.StoryPage() {
			sb.story(&main)
		}
		if sb.page == site.PeoplePage() {
			sb.people(&main)
		}
		if sb.page == site.RolesPage() {
			sb.roles(&main)
		}
	}
	if site.Dated {
		return sb.datedLayout(main.String())
	}
	return sb.modernLayout(main.String())
}

func (sb *siteBuilder) home(out *strings.Builder) {
	b, site := sb.b, sb.site
	phone := b.Phone.National()
	if site.Dated {
		fmt.Fprintf(out, "<h1>Welcome to %s!</h1>\n<p>We are a %s serving %s and the surrounding areas.<br>\nCall us today: <b>%s</b></p>\n",
			sb.text(b.BaseName), sb.text(b.Type), sb.text(b.City), phone)
		fmt.Fprintf(out, "<p><b>Why choose us?</b><br>\n&bull; Free estimates<br>\n&bull; Licensed &amp; insured<br>\n&bull; Senior discounts</p>\n")
		fmt.Fprintf(out, "<p><img src=\"images/counter.gif\" alt=\"\"> You are visitor number %06d<br>\n<small>Best viewed with Internet Explorer 8 at 1024x768</small></p>\n", 1000+sb.seed("counter")%90000)
		return
	}
	fmt.Fprintf(out, "<section class=\"hero\">\n<h1>%s</h1>\n<p class=\"tagline\">Trusted %s in %s, %s</p>\n<a class=\"button\" href=\"tel:%s\">Call %s</a>\n</section>\n",
		sb.text(b.BaseName), sb.text(b.Type), sb.text(b.City), b.State, b.Phone.E164(), phone)
	fmt.Fprintf(out, "<section class=\"services\">\n<h2>What we do</h2>\n<ul><li>Free, upfront estimates</li><li>Licensed &amp; insured</li><li>Residential &amp; commercial</li><li>Same-week appointments</li></ul>\n</section>\n")
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "LocalBusiness", "name": b.BaseName,
		"url": sb.world.SiteURL(site.Scheme, site.Host, "/"), "telephone": b.Phone.International(),
		"address": map[string]any{"@type": "PostalAddress", "streetAddress": b.HouseNumber + " " + b.Street.Long(),
			"addressLocality": b.City, "addressRegion": b.State, "postalCode": b.Postcode, "addressCountry": "US"},
	}
	if site.Founded != 0 {
		ld["foundingDate"] = fmt.Sprint(site.Founded)
	}
	if len(site.RoleEmails) > 0 {
		ld["email"] = site.RoleEmails[0]
	}
	sb.ld = append(sb.ld, ld)
}

func (sb *siteBuilder) contact(out *strings.Builder) {
	b, site := sb.b, sb.site
	hours := cmp.Or(b.OpeningHours, "Mo-Fr 08:00-17:00")
	addr := b.HouseNumber + " " + b.Street.Long()
	if b.Unit != "" {
		addr += ", " + b.Unit
	}
	fmt.Fprintf(out, "<h1>Contact Us</h1>\n<p>%s<br>\n%s, %s %s<br>\nPhone: <a href=\"tel:%s\">%s</a><br>\nHours: %s</p>\n",
		sb.text(addr), sb.text(b.City), b.State, b.Postcode, b.Phone.E164(), b.Phone.National(), sb.text(hours))
	if site.Dated {
		fmt.Fprintf(out, "<form method=\"post\" action=\"/cgi-bin/formmail.pl\">\n<table border=\"0\"><tr><td>Name:</td><td><input type=\"text\" name=\"name\" size=\"30\"></td></tr>\n<tr><td>E-mail:</td><td><input type=\"text\" name=\"email\" size=\"30\"></td></tr>\n<tr><td valign=\"top\">Message:</td><td><textarea name=\"comments\" rows=\"5\" cols=\"30\"></textarea></td></tr>\n<tr><td></td><td><input type=\"submit\" value=\"Submit\"></td></tr></table>\n</form>\n")
		return
	}
	fmt.Fprintf(out, "<form class=\"contact-form\" method=\"post\" action=\"%s\">\n<label>Name <input name=\"your-name\" required></label>\n<label>Email <input type=\"email\" name=\"your-email\" required></label>\n<label>Message <textarea name=\"your-message\"></textarea></label>\n<button type=\"submit\">Send message</button>\n</form>\n", sb.page)
}

// story holds the founding and team-size phrases, when the site has them.
func (sb *siteBuilder) story(out *strings.Builder) {
	site := sb.site
	if site.FoundingPhrase != "" {
		if site.Dated {
			fmt.Fprintf(out, "<p><b>%s</b></p>\n", sb.text(site.FoundingPhrase))
		} else {
			fmt.Fprintf(out, "<p class=\"since\">%s</p>\n", sb.text(site.FoundingPhrase))
		}
	}
	if site.TeamPhrase != "" {
		fmt.Fprintf(out, "<p>Meet %s.</p>\n", sb.text(site.TeamPhrase))
	}
	if sb.page != "/" {
		fmt.Fprintf(out, "<p>We treat every customer like a neighbor, because they are.</p>\n")
	}
}

// people shows the staff the website shows, each in their own style.
func (sb *siteBuilder) people(out *strings.Builder) {
	site := sb.site
	var shown []town.Person
	for _, p := range site.People {
		if p.Shown != "" {
			shown = append(shown, p)
		}
	}
	if len(shown) == 0 {
		return
	}
	if site.Dated {
		out.WriteString("<p><b>Our Staff</b></p>\n<table border=\"0\" cellpadding=\"3\">\n")
	} else {
		out.WriteString("<section class=\"team\">\n<h2>Meet the team</h2>\n<div class=\"team-grid\">\n")
	}
	for _, p := range shown {
		card := sb.text(p.Name()) + sb.dash() + sb.text(p.Position)
		var line string
		switch p.Shown {
		case town.ShownMailto:
			line = fmt.Sprintf("<a href=\"mailto:%s\">%s</a>", esc(p.Email), esc(p.Email))
		case town.ShownPlain:
			line = "Email: " + esc(p.Email)
		case town.ShownObfuscated:
			line = "Email: " + esc(obfuscate(p.Email, sb.seed(p.Email)%2 == 0))
		case town.ShownEntities:
			line = fmt.Sprintf("<a href=\"%s\">%s</a>", entities("mailto:"+p.Email), entities(p.Email))
		case town.ShownJSONLD:
			person := map[string]any{"@context": "https://schema.org", "@type": "Person", "name": p.Name(), "jobTitle": p.Position,
				"worksFor": map[string]any{"@type": "LocalBusiness", "name": sb.b.BaseName}}
			if p.Email != "" {
				person["email"] = p.Email
			}
			sb.ld = append(sb.ld, person)
		}
		if site.Dated {
			fmt.Fprintf(out, "<tr><td><b>%s</b>", card)
			if line != "" {
				fmt.Fprintf(out, "<br>%s", line)
			}
			out.WriteString("</td></tr>\n")
			continue
		}
		fmt.Fprintf(out, "<div class=\"team-card\"><h3>%s</h3>", card)
		if line != "" {
			fmt.Fprintf(out, "<p>%s</p>", line)
		}
		out.WriteString("</div>\n")
	}
	if site.Dated {
		out.WriteString("</table>\n")
	} else {
		out.WriteString("</div>\n</section>\n")
	}
}

// roles shows the role addresses (info@, office@), each in a style of its
// own.
func (sb *siteBuilder) roles(out *strings.Builder) {
	for _, e := range sb.site.RoleEmails {
		switch sb.seed("role|"+e) % 3 {
		case 0:
			fmt.Fprintf(out, "<p>Email us: <a href=\"mailto:%s\">%s</a></p>\n", esc(e), esc(e))
		case 1:
			fmt.Fprintf(out, "<p>Email: %s</p>\n", esc(e))
		default:
			fmt.Fprintf(out, "<p>Write to us at %s</p>\n", esc(obfuscate(e, sb.seed(e)%2 == 0)))
		}
	}
}

// obfuscate writes an address the way sites hide it from harvesters:
// "maria [at] x [dot] example" or "maria (at) x (dot) example".
func obfuscate(email string, brackets bool) string {
	at, dot := " (at) ", " (dot) "
	if brackets {
		at, dot = " [at] ", " [dot] "
	}
	local, domain, _ := strings.Cut(email, "@")
	return local + at + strings.ReplaceAll(domain, ".", dot)
}

// entities writes s as decimal character references.
func entities(s string) string {
	var out strings.Builder
	for _, r := range s {
		fmt.Fprintf(&out, "&#%d;", r)
	}
	return out.String()
}

func (sb *siteBuilder) nav(sep string) string {
	site := sb.site
	links := []string{fmt.Sprintf("<a href=\"%s\">Home</a>", sb.link("/"))}
	for _, p := range []struct{ path, label string }{{site.AboutPath, "About Us"}, {site.TeamPath, "Our Team"}, {site.ContactPath, "Contact"}} {
		if p.path != "" {
			links = append(links, fmt.Sprintf("<a href=\"%s\">%s</a>", sb.link(p.path), p.label))
		}
	}
	return strings.Join(links, sep)
}

func (sb *siteBuilder) jsonLD() string {
	var out strings.Builder
	for _, v := range sb.ld {
		var j strings.Builder
		enc := json.NewEncoder(&j)
		enc.SetEscapeHTML(false) // as sites write it: "Plumbing & Drain"
		enc.Encode(v)
		// "</" would end the script element early.
		fmt.Fprintf(&out, "<script type=\"application/ld+json\">%s</script>\n", strings.ReplaceAll(strings.TrimSpace(j.String()), "</", `<\/`))
	}
	return out.String()
}

func (sb *siteBuilder) footerAddress() string {
	b := sb.b
	return fmt.Sprintf("%s %s, %s, %s %s", b.HouseNumber, b.Street.Long(), b.City, b.State, b.Postcode)
}

// platformIDs are the opaque ids a builder puts in its asset URLs.
func (sb *siteBuilder) platformID(n int) string {
	const hex = "0123456789abcdef"
	h := sb.seed("platform")
	out := make([]byte, n)
	for i := range out {
		out[i] = hex[h%16]
		h = h*6364136223846793005 + 1442695040888963407
	}
	return string(out)
}

func (sb *siteBuilder) modernLayout(main string) string {
	site, b := sb.site, sb.b
	var h strings.Builder
	id := sb.platformID(24)
	htmlAttrs := ` lang="en-US"`
	if site.Platform == "Webflow" {
		htmlAttrs = fmt.Sprintf(` data-wf-domain="%s" data-wf-page="%s" data-wf-site="%s" lang="en"`, site.Host, id[12:]+id[:12], id)
	}
	fmt.Fprintf(&h, "<!DOCTYPE html>\n<html%s>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n", htmlAttrs, sb.text(sb.title()))
	fmt.Fprintf(&h, "<meta name=\"description\" content=\"%s: trusted %s in %s, %s. %s\">\n", sb.text(b.BaseName), sb.text(b.Type), sb.text(b.City), b.State, fictionalNote)
	fmt.Fprintf(&h, "<link rel=\"canonical\" href=\"%s\">\n", esc(sb.world.SiteURL(site.Scheme, site.Host, cmp.Or(sb.page, "/"))))
	slugName := town.Slug(b.BaseName)
	switch site.Platform {
	case "WordPress":
		fmt.Fprintf(&h, "<meta name='robots' content='index, follow, max-image-preview:large' />\n<!-- This site is optimized with the Yoast SEO plugin v23.5 - https://yoast.com/wordpress/plugins/seo/ -->\n")
		fmt.Fprintf(&h, "<link rel='stylesheet' id='astra-theme-css-css' href='/wp-content/themes/astra/assets/css/minified/main.min.css?ver=4.8.3' media='all' />\n")
		fmt.Fprintf(&h, "<script src=\"/wp-includes/js/jquery/jquery.min.js?ver=%s\" id=\"jquery-core-js\"></script>\n<script src=\"/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1\" id=\"jquery-migrate-js\"></script>\n", site.JQuery)
		fmt.Fprintf(&h, "<link rel=\"https://api.w.org/\" href=\"/wp-json/\" />\n<meta name=\"generator\" content=\"WordPress %s\" />\n", site.PlatformVersion)
	case "Wix":
		fmt.Fprintf(&h, "<meta name=\"generator\" content=\"Wix.com Website Builder\"/>\n<link rel=\"preconnect\" href=\"https://static.parastorage.com\" crossorigin>\n<link rel=\"preconnect\" href=\"https://static.wixstatic.com\" crossorigin>\n")
		fmt.Fprintf(&h, "<script src=\"https://static.parastorage.com/services/wix-thunderbolt/dist/main.%s.bundle.min.js\" async></script>\n", id[:8])
	case "Squarespace":
		fmt.Fprintf(&h, "<!-- This is Squarespace. --><!-- %s -->\n", slugName)
		fmt.Fprintf(&h, "<link rel=\"stylesheet\" type=\"text/css\" href=\"https://static1.squarespace.com/static/versioned-site-css/%s/12/%s/site.css\"/>\n", id, id[:12])
		fmt.Fprintf(&h, "<script>Static.SQUARESPACE_CONTEXT = {\"website\":{\"id\":\"%s\",\"identifier\":\"%s\"}};</script>\n", id, slugName)
		fmt.Fprintf(&h, "<script type=\"text/javascript\" src=\"https://assets.squarespace.com/universal/scripts-compressed/common-%s-min.en-US.js\"></script>\n", id[:16])
	case "Webflow":
		fmt.Fprintf(&h, "<meta content=\"Webflow\" name=\"generator\"/>\n<link href=\"https://cdn.prod.website-files.com/%s/css/%s.webflow.shared.%s.min.css\" rel=\"stylesheet\" type=\"text/css\"/>\n", id, slugName, id[:9])
	case "Shopify":
		shop := fmt.Sprint(60000000 + sb.seed("shop")%9000000)
		assets := "//cdn.shopify.com/s/files/1/0" + shop[:3] + "/" + shop[3:] + "/t/3/assets/"
		fmt.Fprintf(&h, "<meta name=\"shopify-digital-wallet\" content=\"/%s/digital_wallets/dialog\">\n", shop)
		fmt.Fprintf(&h, "<link href=\"%sbase.css?v=%s\" rel=\"stylesheet\" type=\"text/css\" media=\"all\" />\n", assets, shop)
		fmt.Fprintf(&h, "<script>var Shopify = Shopify || {};\nShopify.shop = \"%s.myshopify.com\";\nShopify.locale = \"en\";\nShopify.currency = {\"active\":\"USD\",\"rate\":\"1.0\"};\nShopify.theme = {\"name\":\"Dawn\",\"id\":1%s,\"schema_name\":\"Dawn\",\"schema_version\":\"15.0.0\",\"role\":\"main\"};</script>\n", slugName, shop)
		fmt.Fprintf(&h, "<script src=\"%sglobal.js?v=%s\" defer=\"defer\"></script>\n", assets, shop)
	}
	if site.Analytics != "" {
		fmt.Fprintf(&h, "<script async src=\"https://www.googletagmanager.com/gtag/js?id=%s\"></script>\n<script>window.dataLayer = window.dataLayer || [];\nfunction gtag(){dataLayer.push(arguments);}\ngtag('js', new Date());\ngtag('config', '%s');</script>\n", site.Analytics, site.Analytics)
	}
	h.WriteString(sb.jsonLD())
	h.WriteString("</head>\n")
	bodyClass := map[string]string{"WordPress": "home page-template-default page wp-custom-logo", "Squarespace": "sqs-site", "Wix": "wix-site", "Webflow": "body", "Shopify": "template-index"}[site.Platform]
	fmt.Fprintf(&h, "<body class=\"%s\">\n", bodyClass)
	if site.Platform == "Wix" {
		h.WriteString("<div id=\"SITE_CONTAINER\">\n")
	}
	fmt.Fprintf(&h, "<header class=\"site-header\">\n<a class=\"site-logo\" href=\"/\">%s</a>\n<nav class=\"main-navigation\">%s</nav>\n</header>\n", sb.text(b.BaseName), sb.nav(" "))
	fmt.Fprintf(&h, "<main id=\"content\">\n%s</main>\n", main)
	fmt.Fprintf(&h, "<footer class=\"site-footer\">\n<p>%s &middot; %s &middot; <a href=\"tel:%s\">%s</a></p>\n<p>&copy; %d %s. All rights reserved.</p>\n<p class=\"sandbox-note\">%s</p>\n</footer>\n",
		sb.text(b.BaseName), sb.text(sb.footerAddress()), b.Phone.E164(), b.Phone.National(), site.CopyrightYear, sb.text(b.BaseName), fictionalNote)
	switch site.Platform {
	case "Wix":
		h.WriteString("</div>\n")
	case "Webflow":
		fmt.Fprintf(&h, "<script src=\"https://d3e54v103j8qbb.cloudfront.net/js/jquery-%s.min.dc5e7f18c8.js?site=%s\" type=\"text/javascript\" crossorigin=\"anonymous\"></script>\n<script src=\"https://cdn.prod.website-files.com/%s/js/webflow.%s.js\" type=\"text/javascript\"></script>\n", site.JQuery, id, id, id[:16])
	case "WordPress":
		h.WriteString("<script src=\"/wp-content/plugins/contact-form-7/includes/js/index.js?ver=5.9.8\" id=\"contact-form-7-js\"></script>\n")
	}
	h.WriteString("</body>\n</html>\n")
	return h.String()
}

func (sb *siteBuilder) datedLayout(main string) string {
	site, b := sb.site, sb.b
	var h strings.Builder
	h.WriteString("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" \"http://www.w3.org/TR/html4/loose.dtd\">\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\n")
	fmt.Fprintf(&h, "<title>%s</title>\n<meta name=\"keywords\" content=\"%s, %s, %s %s\">\n", sb.text(sb.title()), sb.text(b.Type), sb.text(b.City), sb.text(b.City), sb.text(b.Type))
	if sb.seed("frontpage")%5 < 2 {
		h.WriteString("<meta name=\"GENERATOR\" content=\"Microsoft FrontPage 6.0\">\n<meta name=\"ProgId\" content=\"FrontPage.Editor.Document\">\n")
	}
	if sb.seed("jquery-cdn")%2 == 0 {
		fmt.Fprintf(&h, "<script type=\"text/javascript\" src=\"http://ajax.googleapis.com/ajax/libs/jquery/%s/jquery.min.js\"></script>\n", site.JQuery)
	} else {
		fmt.Fprintf(&h, "<script type=\"text/javascript\" src=\"js/jquery-%s.min.js\"></script>\n", site.JQuery)
	}
	h.WriteString("<style type=\"text/css\">\n<!--\nbody { font-family: Verdana, Arial, Helvetica, sans-serif; }\na:link { color: #003399; }\n-->\n</style>\n</head>\n")
	h.WriteString("<body bgcolor=\"#FFFFFF\" leftmargin=\"0\" topmargin=\"0\" marginwidth=\"0\" marginheight=\"0\">\n")
	h.WriteString("<table width=\"780\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" align=\"center\">\n")
	fmt.Fprintf(&h, "<tr><td bgcolor=\"#003366\" height=\"90\"><font face=\"Arial\" size=\"6\" color=\"#FFFFFF\"><b>&nbsp;%s</b></font><br><font face=\"Arial\" size=\"2\" color=\"#FFCC00\">&nbsp;&nbsp;Call Today: %s</font></td></tr>\n",
		sb.text(b.BaseName), b.Phone.National())
	if site.Flash && sb.page == "/" {
		h.WriteString("<tr><td><object classid=\"clsid:D27CDB6E-AE6D-11cf-96B8-444553540000\" codebase=\"http://download.macromedia.com/pub/shockwave/cabs/flash/swflash.cab#version=9,0,28,0\" width=\"780\" height=\"200\">\n<param name=\"movie\" value=\"flash/header.swf\">\n<param name=\"quality\" value=\"high\">\n<embed src=\"flash/header.swf\" quality=\"high\" pluginspage=\"http://www.adobe.com/shockwave/download/download.cgi?P1_Prod_Version=ShockwaveFlash\" type=\"application/x-shockwave-flash\" width=\"780\" height=\"200\"></embed>\n</object></td></tr>\n")
	}
	fmt.Fprintf(&h, "<tr><td><table width=\"100%%\" border=\"0\" cellpadding=\"6\" cellspacing=\"0\">\n<tr><td width=\"160\" valign=\"top\" bgcolor=\"#E8E8E8\"><font face=\"Verdana, Arial\" size=\"2\">%s</font></td>\n<td valign=\"top\"><font face=\"Verdana, Arial\" size=\"2\">\n%s</font></td></tr>\n</table></td></tr>\n",
		sb.nav("<br>\n"), main)
	fmt.Fprintf(&h, "<tr><td align=\"center\" bgcolor=\"#E8E8E8\"><font face=\"Verdana, Arial\" size=\"1\">%s &middot; %s<br>\nCopyright &copy; %d %s. All Rights Reserved.<br>\n%s</font></td></tr>\n</table>\n</body>\n</html>\n",
		sb.text(sb.footerAddress()), b.Phone.National(), site.CopyrightYear, sb.text(b.BaseName), strings.ReplaceAll(fictionalNote, "—", "&mdash;"))
	return h.String()
}

// headers sets the response headers of the site's server and builder.
func (sb *siteBuilder) headers(hd http.Header) {
	site := sb.site
	if site.Dated {
		hd.Set("Content-Type", "text/html")
		if sb.seed("server")%3 == 0 {
			hd.Set("Server", "Microsoft-IIS/7.5")
			hd.Set("X-Powered-By", "ASP.NET")
		} else {
			hd.Set("Server", "Apache/2.2.22 (Unix) mod_ssl/2.2.22 OpenSSL/0.9.8e-fips-rhel5")
			hd.Set("X-Powered-By", "PHP/5.3.29")
		}
		return
	}
	hd.Set("Content-Type", "text/html; charset=utf-8")
	switch site.Platform {
	case "WordPress":
		hd.Set("Server", "nginx")
		hd.Set("X-Powered-By", "PHP/8.2.18")
		hd.Set("Link", "<"+sb.world.SiteURL(site.Scheme, site.Host, "/wp-json/")+">; rel=\"https://api.w.org/\"")
	case "Wix":
		hd.Set("Server", "Pepyaka")
		hd.Set("X-Wix-Request-Id", sb.platformID(32))
		hd.Set("Via", "1.1 google")
	case "Squarespace":
		hd.Set("Server", "Squarespace")
		hd.Set("X-Contextid", sb.platformID(8)+"/"+sb.platformID(16)[8:])
	case "Webflow":
		hd.Set("Server", "cloudflare")
		hd.Set("Surrogate-Control", "max-age=432000")
	case "Shopify":
		hd.Set("Server", "cloudflare")
		hd.Set("Powered-By", "Shopify")
		hd.Set("X-ShopId", fmt.Sprint(60000000+sb.seed("shop")%9000000))
		hd.Set("X-Shopify-Stage", "production")
	}
	if site.HTTPSOK() {
		hd.Set("Strict-Transport-Security", "max-age=31536000")
	}
}
