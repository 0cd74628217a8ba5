package outreach

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/agent"
)

// Site analysis signal codes the templates talk about (the stable codes of
// internal/enrich/site; repeated here so drafting does not depend on the
// analyser).
const (
	sigHTTPError         = "http_error"
	sigEmptyPage         = "empty_page"
	sigParkedDomain      = "parked_domain"
	sigNoHTTPS           = "no_https"
	sigSSLInvalid        = "ssl_invalid"
	sigNoViewport        = "no_viewport"
	sigFlash             = "flash"
	sigUnderConstruction = "under_construction"
	sigTableLayout       = "table_layout"
	sigFrames            = "frames"
	sigSlowResponse      = "slow_response"
	sigHeavyPage         = "heavy_page"
	sigDatedTech         = "dated_tech"
	sigOldCopyright      = "old_copyright"
	sigOldJQuery         = "old_jquery"
	sigFontTags          = "font_tags"
	sigMarqueeOrBlink    = "marquee_or_blink"
	sigSpacerGIF         = "spacer_gif"
	sigOldDoctype        = "old_doctype"
	sigBestViewedIn      = "best_viewed_in"
	sigOldPHP            = "old_php"
)

// Thresholds for what counts as worth mentioning.
const (
	lowScore      = 50  // a mobile or speed score below this is "slow"
	goodRating    = 4.0 // a rating at least this good is a compliment…
	enoughReviews = 5   // …when this many reviews back it
	maxNameRunes  = 80  // a longer company name is cut (subjects stay short)
)

// obsKind orders observations: the first email uses the first that applies.
type obsKind int

const (
	obsNoWebsite   obsKind = iota // no website at all
	obsUnreachable                // the site could not be loaded, or shows an error or parked page
	obsInsecure                   // no valid certificate, or no https
	obsSlow                       // low mobile or speed score, slow or heavy page
	obsDated                      // dated signals: no viewport, Flash, old copyright…
	obsReviews                    // a good rating backed by reviews (positive hook)
	obsGeneric                    // nothing specific: always available, last
)

// observation is one real thing about the business, with the words the
// templates need to talk about it. Every number and name in it comes from
// Facts.
type observation struct {
	kind     obsKind
	line     string // one or two sentences for the first email
	benefit  string // what acting on it brings
	question string // the low-friction question ending the first email
	about    string // what "my note about …" refers to
	topic    string // what the sequence is about: "your website", "a website for Acme"
	subject  string // subject of the first email
}

// view is Facts cleaned for use in text.
type view struct {
	Facts
	company string // cleaned company name; "" when unknown
	name    string // company, or "your business"
	city    string
	first   string // the contact's first name; "" when unknown
}

func newView(f Facts) view {
	v := view{Facts: f, company: cutRunes(agent.OneLine(f.CompanyName), maxNameRunes), city: agent.OneLine(f.City)}
	v.name = v.company
	if v.name == "" {
		v.name = "your business"
	}
	v.first = firstName(f.ContactFirstName, f.ContactName)
	return v
}

// firstName returns a usable first name: ContactFirstName, else the first
// word of ContactName; "" when neither looks like a name (a role address
// such as "info", an email address, digits).
func firstName(first, full string) string {
	n := agent.OneLine(first)
	if n == "" {
		if fs := strings.Fields(full); len(fs) > 0 {
			n = fs[0]
		}
	}
	n = strings.TrimRight(n, ",.;:")
	if n == "" || utf8.RuneCountInString(n) > 30 || !unicode.IsLetter([]rune(n)[0]) {
		return ""
	}
	for _, r := range n {
		if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' && r != '.' {
			return ""
		}
	}
	if slices.Contains([]string{"info", "contact", "hello", "office", "admin", "sales", "support", "team", "owner", "manager"}, strings.ToLower(n)) {
		return ""
	}
	return n
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

// num writes a number as it was given: 41 as "41", 4.8 as "4.8".
func num(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func (v view) has(codes ...string) string {
	for _, c := range codes {
		if slices.Contains(v.Signals, c) {
			return c
		}
	}
	return ""
}

func (v view) in() string {
	if v.city == "" {
		return ""
	}
	return " in " + v.city
}

func (v view) siteTopic() string {
	if !v.HasWebsite {
		return "a website for " + v.name
	}
	return "your website"
}

// project is the work the sequence proposes, for "if … moves up your list".
func (v view) project() string {
	if !v.HasWebsite {
		return "a website for " + v.name
	}
	return "updating your website"
}

// observations returns what can truthfully be said about the business, in
// the fixed priority order of obsKind, at most one of each kind, with the
// generic observation always last.
func observations(v view) []observation {
	var out []observation
	add := func(o observation) {
		if o.topic == "" {
			o.topic = v.siteTopic()
		}
		out = append(out, o)
	}
	if !v.HasWebsite {
		add(observation{
			kind:     obsNoWebsite,
			line:     "I came across " + v.name + v.in() + " but couldn't find a website for the business.",
			benefit:  "Most people look a business up online before they call, and a simple site gives them a reason to pick you.",
			question: "Would it be worth a short call to see what a simple site could look like?",
			about:    "a website for " + v.name,
			subject:  "a website for " + v.name,
		})
	} else {
		if o, ok := unreachable(v); ok {
			add(o)
		}
		if o, ok := insecure(v); ok {
			add(o)
		}
		if o, ok := slow(v); ok {
			add(o)
		}
		if o, ok := dated(v); ok {
			add(o)
		}
	}
	if o, ok := reviews(v); ok {
		add(o)
	}
	came := "I came across " + v.company + v.in() + " while looking at local businesses"
	if v.company == "" {
		came = "I came across your business online"
	}
	add(observation{
		kind:     obsGeneric,
		line:     came + ", and I had a couple of ideas for " + v.siteTopic() + ".",
		benefit:  "We help local businesses get more calls and bookings from their websites.",
		question: "Would you be open to a short call next week?",
		about:    v.siteTopic(),
		subject:  "an idea for " + v.name,
	})
	return out
}

func unreachable(v view) (observation, bool) {
	o := observation{
		kind:     obsUnreachable,
		benefit:  "Anyone who looks you up and hits an error is likely to call the next business on the list instead.",
		question: "Would you like me to send over what I saw, so you can check it yourself?",
		about:    "your website not loading",
		subject:  "your website isn't loading",
	}
	switch {
	case strings.TrimSpace(v.WebsiteReason) != "":
		o.line = "When I tried to open your website, it didn't load for me"
		if h := reasonHint(v.WebsiteReason); h != "" {
			o.line += ": " + h
		}
		o.line += "."
	case v.has(sigParkedDomain) != "":
		o.line = "When I opened your web address, I got a parked-domain page instead of your site."
	case v.has(sigHTTPError) != "":
		o.line = "When I opened your website, I got an error page instead of your site."
	case v.has(sigEmptyPage) != "":
		o.line = "When I opened your website, the homepage came up blank."
	default:
		return o, false
	}
	return o, true
}

// reasonHint turns the fetcher's reason into plain words for an owner; the
// reason itself is technical (and untrusted) and is never quoted.
func reasonHint(reason string) string {
	r := strings.ToLower(reason)
	has := func(subs ...string) bool {
		return slices.ContainsFunc(subs, func(s string) bool { return strings.Contains(r, s) })
	}
	switch {
	case has("timed out", "did not answer in time", "no complete answer"):
		return "it kept loading and never finished"
	case has("no such host", "dns", "no address for"):
		return "the address didn't lead to a server"
	case has("tls", "certificate", "handshake"):
		return "the browser couldn't open a secure connection"
	case has("refused", "closed the connection", "connection failed"):
		return "the server refused the connection"
	case has("redirect"):
		return "it kept redirecting without reaching a page"
	}
	return ""
}

func insecure(v view) (observation, bool) {
	o := observation{
		kind:     obsInsecure,
		benefit:  "Fixing that is a small job, and it stops the warning from putting off people who were about to get in touch.",
		question: "Would it help if I sent you a short note on how to fix it?",
		about:    "the security warning on your website",
		subject:  "the security warning on your website",
	}
	switch {
	case v.SSLValid != nil && !*v.SSLValid || v.has(sigSSLInvalid) != "":
		o.line = "Your website's security certificate isn't valid, so browsers warn visitors before they even see your page."
	case v.has(sigNoHTTPS) != "":
		o.line = "Your website doesn't use a secure (https) connection, so browsers label it \"Not secure\" next to the address."
	default:
		return o, false
	}
	return o, true
}

func slow(v view) (observation, bool) {
	o := observation{
		kind:     obsSlow,
		benefit:  "A faster site that works well on phones keeps visitors from giving up before they call you.",
		question: "Would you be open to a short call about what would speed it up?",
		about:    "your website's speed",
		subject:  "your website's speed",
	}
	mobileLow := v.MobileScore != nil && *v.MobileScore < lowScore
	speedLow := v.PageSpeed != nil && *v.PageSpeed < lowScore
	switch {
	case mobileLow && (!speedLow || float64(*v.MobileScore) <= *v.PageSpeed):
		o.line = "When I checked your website on a phone, it scored " + strconv.Itoa(*v.MobileScore) + " out of a hundred for mobile use."
		o.about, o.subject = "how your website works on phones", "your website on phones"
	case speedLow:
		o.line = "When I tested how fast your website loads, it scored " + num(*v.PageSpeed) + " out of a hundred."
	case v.has(sigSlowResponse, sigHeavyPage) != "":
		o.line = "Your website takes a while to load, especially on a phone."
	default:
		return o, false
	}
	return o, true
}

func dated(v view) (observation, bool) {
	o := observation{
		kind:     obsDated,
		benefit:  "A refreshed site would work well on phones and show visitors that " + v.name + " is up to date.",
		question: "Would it be useful if I sent a few ideas on what I would change first?",
		about:    "refreshing your website",
		subject:  "a quick thought on your website",
	}
	switch v.has(sigNoViewport, sigFlash, sigUnderConstruction, sigOldCopyright,
		sigTableLayout, sigFrames, sigFontTags, sigSpacerGIF, sigMarqueeOrBlink, sigOldDoctype, sigBestViewedIn,
		sigOldJQuery, sigDatedTech, sigOldPHP) {
	case sigNoViewport:
		o.line = "Your website doesn't adjust to phone screens, so visitors on a phone have to pinch and zoom to read it."
	case sigFlash:
		o.line = "Parts of your website still rely on Flash, which today's browsers no longer play."
	case sigUnderConstruction:
		o.line = "Your website still shows an \"under construction\" notice."
	case sigOldCopyright:
		o.line = "The copyright notice at the bottom of your website looks a few years out of date."
	case sigTableLayout, sigFrames, sigFontTags, sigSpacerGIF, sigMarqueeOrBlink, sigOldDoctype, sigBestViewedIn:
		o.line = "Your website is built with older web techniques that make it hard to read on phones and hard to update."
	case sigOldJQuery, sigDatedTech, sigOldPHP:
		o.line = "Your website runs on older software that is due for an update."
	default:
		return o, false
	}
	return o, true
}

func reviews(v view) (observation, bool) {
	o := observation{
		kind:     obsReviews,
		benefit:  "We help businesses like yours turn that reputation into more calls and bookings online.",
		question: "Would you be open to a short call to see if it's a fit?",
	}
	who := v.company + " has "
	if v.company == "" {
		who = "You have "
	}
	switch {
	case v.GoogleRating != nil && v.GoogleReviews != nil && *v.GoogleRating >= goodRating && *v.GoogleReviews >= enoughReviews:
		o.line = who + num(*v.GoogleRating) + " stars from " + strconv.Itoa(*v.GoogleReviews) + " Google reviews, so your customers clearly like your work."
		o.about, o.subject = "your Google reviews", "your google reviews"
	case v.YelpRating != nil && v.YelpReviews != nil && *v.YelpRating >= goodRating && *v.YelpReviews >= enoughReviews:
		o.line = who + num(*v.YelpRating) + " stars from " + strconv.Itoa(*v.YelpReviews) + " Yelp reviews, so your customers clearly like your work."
		o.about, o.subject = "your Yelp reviews", "your yelp reviews"
	default:
		return o, false
	}
	return o, true
}
