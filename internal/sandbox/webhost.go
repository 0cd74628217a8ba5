package sandbox

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The web host: every fictional business's website, on two loopback
// listeners (WebHTTPAddr, WebHTTPSAddr), routed by Host header (and, for
// TLS, by SNI). Site.Variant decides what a visitor meets:
//
//	modern        https with a valid certificate; http redirects to https
//	dated         http only; the https port refuses the handshake
//	broken_tls    https with a certificate for another name, or expired;
//	              the same pages over http, without a redirect
//	slow          like modern or dated, after the slow-site delay
//	server_error  500 on every page
//	parked        a registrar's parking page (http only)
//	dead          no DNS record; the web host answers like for an unknown host
//
// A request for the other spelling of the host (bare vs www.) is redirected
// to the listed one. Unknown hosts get a 404 from the "hosting provider".
// Pages: home, and the contact/about/team pages the Site lists, named the
// way the site's builder names them; robots.txt; sitemap.xml on modern
// sites. Every page says "Fictional business — Prospector sandbox".

// certificateFor picks the certificate for a TLS handshake by SNI name.
func (s *Sandbox) certificateFor(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	now := time.Now()
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	b, ok := s.LookupSite(name)
	if name == "" || !ok || b.Site.Variant == SiteDead {
		return s.ca.issue("default", []string{defaultCertName}, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	}
	site := b.Site
	names := []string{b.Domain, "www." + b.Domain}
	switch {
	case site.Variant == SiteBrokenTLS && site.BadCert == "wrong_name":
		return s.ca.issue("wrong-name", []string{wrongNameCertName, "*.sandbox-hosting.example"}, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	case site.Variant == SiteBrokenTLS:
		return s.ca.issue("expired|"+b.Domain, names, now.Add(-400*24*time.Hour), now.Add(-35*24*time.Hour))
	case site.Scheme != "https":
		return nil, fmt.Errorf("sandbox web host: %s is served over http only", name)
	}
	return s.ca.issue("site|"+b.Domain, names, now.Add(-time.Hour), now.Add(90*24*time.Hour))
}

// serveSite answers one request to the web host.
func (s *Sandbox) serveSite(w http.ResponseWriter, r *http.Request) {
	f := faultOf(r)
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	b, ok := s.LookupSite(host)
	if !ok || b.Site.Variant == SiteDead {
		unknownHost(w, host)
		return
	}
	site := b.Site
	if site.Variant == SiteSlow {
		s.mu.Lock()
		d := s.slowDelay
		s.mu.Unlock()
		if !sleep(r.Context(), d) {
			return
		}
	}
	if f.Status != 0 {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		plainPage(w, f.Status, http.StatusText(f.Status), "The server answered "+strconv.Itoa(f.Status)+" (sandbox fault).")
		return
	}
	scheme, want := "http", "http"
	if r.TLS != nil {
		scheme, want = "https", "https"
	}
	if scheme == "http" && site.HTTPSOK() {
		want = "https"
	}
	if want != scheme || host != site.Host {
		http.Redirect(w, r, s.siteURL(want, site.Host, r.URL.RequestURI()), http.StatusMovedPermanently)
		return
	}
	switch site.Variant {
	case SiteServerError:
		serverErrorPage(w, site)
		return
	case SiteParked:
		parkedPage(w, b)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plainPage(w, http.StatusMethodNotAllowed, "Method Not Allowed", "The contact form is not connected in the sandbox.")
		return
	}
	s.renderSite(w, r, b)
}

// unknownHost is the hosting provider's answer for a name it serves no
// site for.
func unknownHost(w http.ResponseWriter, host string) {
	plainPage(w, http.StatusNotFound, "Site not found",
		"No website is configured for "+host+" on the sandbox web host.")
}

func plainPage(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Server", "nginx")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n<h1>%s</h1>\n<p>%s</p>\n<hr><p><small>%s</small></p>\n</body></html>\n",
		esc(title), esc(title), esc(msg), fictionalNote)
}

const fictionalNote = "Fictional business — Prospector sandbox"

func serverErrorPage(w http.ResponseWriter, site *Site) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if site.Platform == "WordPress" {
		w.Header().Set("X-Powered-By", "PHP/8.2.18")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en-US\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Database Error</title></head>\n<body id=\"error-page\"><div class=\"wp-die-message\"><h1>Error establishing a database connection</h1></div>\n<p><small>%s</small></p></body></html>\n", fictionalNote)
		return
	}
	w.Header().Set("Server", "Apache/2.4.41 (Ubuntu)")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>500 Internal Server Error</title>\n</head><body>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n<hr>\n<address>Apache/2.4.41 (Ubuntu) Server &mdash; %s</address>\n</body></html>\n",
		strings.ReplaceAll(fictionalNote, "—", "&mdash;"))
}

func parkedPage(w http.ResponseWriter, b *Business) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Server", "nginx")
	d := esc(b.Domain)
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s - This domain is parked</title>
<meta name="robots" content="noindex, nofollow"></head>
<body class="parked">
<h1>%s</h1>
<p>This domain is parked free of charge with Sandbox Registrar (a fictional registrar).</p>
<p>Is this your domain? <a href="https://registrar.sandbox.example/login">Log in to build your website</a>.</p>
<p>Interested in this domain? <a href="https://registrar.sandbox.example/buy?domain=%s">Buy this domain</a></p>
<h2>Related searches</h2>
<ul><li>%s near me</li><li>Best %s in %s</li><li>Free estimates</li></ul>
<footer><small>%s</small></footer>
</body></html>
`, d, d, d, esc(titleCase(b.Type)), esc(b.Type), esc(b.City), fictionalNote)
}

// renderSite serves the business's own pages.
func (s *Sandbox) renderSite(w http.ResponseWriter, r *http.Request, b *Business) {
	site := b.Site
	path := r.URL.Path
	if path == "/robots.txt" {
		s.robots(w, b)
		return
	}
	if path == "/sitemap.xml" && !site.Dated {
		s.sitemap(w, b)
		return
	}
	page := ""
	for _, p := range []string{"/", site.ContactPath, site.AboutPath, site.TeamPath} {
		if p == "" {
			continue
		}
		if path == p || path == "/index.html" && p == "/" || site.Dated && path == "/index.htm" && p == "/" {
			page = p
			break
		}
		if strings.HasSuffix(p, "/") && path+"/" == p {
			// WordPress adds the trailing slash.
			http.Redirect(w, r, p, http.StatusMovedPermanently)
			return
		}
	}
	sb := &siteBuilder{s: s, b: b, site: site, page: page}
	status := http.StatusOK
	if page == "" {
		status = http.StatusNotFound
	}
	body := sb.render()
	sb.headers(w.Header())
	w.WriteHeader(status)
	w.Write([]byte(body))
}

func (s *Sandbox) robots(w http.ResponseWriter, b *Business) {
	site := b.Site
	if site.Dated {
		unknownPath(w, site)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var out strings.Builder
	out.WriteString("User-agent: *\n")
	if site.Platform == "WordPress" {
		out.WriteString("Disallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n")
	} else {
		out.WriteString("Allow: /\n")
	}
	out.WriteString("\nSitemap: " + s.siteURL(site.Scheme, site.Host, "/sitemap.xml") + "\n")
	w.Write([]byte(out.String()))
}

func (s *Sandbox) sitemap(w http.ResponseWriter, b *Business) {
	site := b.Site
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	var out strings.Builder
	out.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range []string{"/", site.ContactPath, site.AboutPath, site.TeamPath} {
		if p != "" {
			fmt.Fprintf(&out, "  <url><loc>%s</loc></url>\n", esc(s.siteURL(site.Scheme, site.Host, p)))
		}
	}
	out.WriteString("</urlset>\n")
	w.Write([]byte(out.String()))
}

func unknownPath(w http.ResponseWriter, site *Site) {
	w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head><title>404 Not Found</title></head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n<hr><address>%s</address>\n</body></html>\n",
		strings.ReplaceAll(fictionalNote, "—", "&mdash;"))
}
