// Package world is the set of fictional towns one sandbox has shown. Every
// fake that answers about a business by its domain or name (the web host,
// the DNS server, Hunter, PageSpeed) asks the World, so that all of them
// find the same business behind a name, and only the businesses of towns a
// discovery fake (or Sandbox.Town) has shown exist.
package world

import (
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/prospectorhq/prospector/internal/sandbox/town"
	"github.com/prospectorhq/prospector/internal/textfold"
)

// Options configures New.
type Options struct {
	// WebsitePorts makes Town show each website at the web host's address
	// (https://<domain>:<HTTPSPort>/ or http://<domain>:<HTTPPort>/)
	// instead of the port-less URL the generator made.
	WebsitePorts bool
	// HTTPPort and HTTPSPort are the web host's ports.
	HTTPPort, HTTPSPort int
}

// World caches the towns it has generated and finds a business again from
// its domain or company name. It is safe for concurrent use.
type World struct {
	opts Options

	mu        sync.Mutex
	towns     map[string]*town.Town
	sites     map[string]siteRef // domain → the business whose site it is
	companies map[string]string  // normalised company name → domain (Hunter's company=)
}

// siteRef finds a business again from its domain: its town's type and
// location (to regenerate the town if the cache dropped it) and its index.
type siteRef struct {
	businessType, location string
	index                  int
}

// New returns an empty world.
func New(opts Options) *World {
	return &World{opts: opts, towns: map[string]*town.Town{}, sites: map[string]siteRef{}, companies: map[string]string{}}
}

// Town returns the (cached) town for a type and a location, with its
// domains registered and, with Options.WebsitePorts, its Website and
// GoogleWebsite URLs carrying the web host's ports.
func (w *World) Town(businessType, location string) *town.Town {
	key := town.Canonical(businessType) + "|" + textfold.Phrase(location)
	w.mu.Lock()
	t, ok := w.towns[key]
	w.mu.Unlock()
	if ok {
		return t
	}
	g := town.Generate(businessType, location)
	if w.opts.WebsitePorts {
		for i := range g.Businesses {
			if b := &g.Businesses[i]; b.Site != nil {
				served := w.WebsiteURL(b)
				b.GoogleWebsite = served + strings.TrimPrefix(b.GoogleWebsite, b.Website)
				b.Website = served
			}
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.towns) >= 512 {
		// A demo touches a handful of towns; this bound only keeps a
		// long-running sandbox from growing without end.
		clear(w.towns)
	}
	w.towns[key] = &g
	w.register(&g, location)
	return &g
}

// register records the domains and company names of g; w.mu is held.
func (w *World) register(g *town.Town, location string) {
	if len(w.sites) >= 1<<20 {
		clear(w.sites)
		clear(w.companies)
	}
	for i := range g.Businesses {
		b := &g.Businesses[i]
		if b.Site == nil {
			continue
		}
		if _, taken := w.sites[b.Domain]; !taken {
			// Two towns can make the same domain (one city typed two
			// ways); the first keeps it, so a site never changes owner.
			w.sites[b.Domain] = siteRef{g.Type, location, i}
		}
		for _, name := range []string{b.BaseName, b.GoogleName, b.OSMName} {
			if n := textfold.Phrase(name); w.companies[n] == "" {
				w.companies[n] = b.Domain
			}
		}
	}
}

// LookupSite returns the business whose website is on host: a domain, its
// "www." form, or a URL's host with a port. Only the towns this world has
// generated are known.
func (w *World) LookupSite(host string) (*town.Business, bool) {
	d := SiteDomain(host)
	w.mu.Lock()
	ref, ok := w.sites[d]
	w.mu.Unlock()
	if !ok {
		return nil, false
	}
	t := w.Town(ref.businessType, ref.location)
	if ref.index >= len(t.Businesses) || t.Businesses[ref.index].Domain != d {
		return nil, false
	}
	return &t.Businesses[ref.index], true
}

// CompanyDomain is the domain of the business a company name (any of the
// names the listings show) belongs to, "" when no town shown has it.
func (w *World) CompanyDomain(company string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.companies[textfold.Phrase(company)]
}

// SiteDomain reduces a host (or host:port) to the domain the sites are
// registered under: lowercase, no port, no trailing dot, no "www.".
func SiteDomain(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	return strings.TrimPrefix(host, "www.")
}

// WebsiteURL is the address the web host serves b's website at:
// "https://<host>:<https port>/" or "http://<host>:<http port>/", with
// <host> the listed "www." or bare form. It is "" when b has no website.
func (w *World) WebsiteURL(b *town.Business) string {
	if b.Site == nil {
		return ""
	}
	return w.SiteURL(b.Site.Scheme, b.Site.Host, "/")
}

// SiteURL is the web host's address of path on host over scheme.
func (w *World) SiteURL(scheme, host, path string) string {
	port := w.opts.HTTPPort
	if scheme == "https" {
		port = w.opts.HTTPSPort
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(port)) + path
}
