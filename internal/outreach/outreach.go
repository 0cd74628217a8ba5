// Package outreach drafts cold-email sequences.
//
// Its core is the pure "content agent": it turns what discovery, enrichment
// and research learned about a business (Facts, read from stored rows by
// FactsFrom) into a short sequence of plain-text emails (Steps), either
// from fixed templates (Template, no model) or with the writer model
// (Writer, whose LLM call is given to it), checks any sequence, generated or
// edited by hand, for spam trigger words, length, readability and links
// (Check, ValidateSteps), and picks whom to write to (BestContact,
// Reachable). None of that touches the database or the network itself.
//
// Two files use the database: stage.go is the generate stage around that
// core (Generator reads a qualified prospect's rows, drafts, and saves the
// draft and the prospect's new status), and service.go holds the rules of
// reviewing drafts (Service: edit, approve, ask for a fresh draft) that the
// HTTP API and the dashboard call. Nothing here serves HTTP or sends mail.
package outreach

import (
	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/campaign/settings"
)

// Facts are what a draft may use: only facts from discovery, enrichment and
// research. Text fields come from third parties (business listings, the
// business's own website, the research model) and are untrusted: Writer
// passes them to the model only inside data blocks.
type Facts struct {
	CompanyName, BusinessType, City, State, Website string
	// The contact; all may be empty (a role address such as info@).
	ContactFirstName, ContactName, ContactTitle string

	WebsiteScore, MobileScore *int     // 0–100, higher is better
	PageSpeed                 *float64 // 0–100, higher is better
	SSLValid                  *bool
	HasWebsite                bool
	// WebsiteReason says why the site could not be analysed; "" when it was.
	WebsiteReason string
	// Signals are site analysis codes such as old_copyright, no_https,
	// no_viewport, table_layout, flash, old_jquery.
	Signals   []string
	TechStack []string

	GoogleRating  *float64
	GoogleReviews *int
	YelpRating    *float64
	YelpReviews   *int
	YearFounded   *int

	CompanySummary    string
	PainPoints, Hooks []string

	// SenderName is who signs the emails: the user's sender profile
	// (trusted, unlike the business's facts); "" until it is filled in.
	SenderName string
}

// Step is one email of a sequence, as stored in outreach_sequences.emails.
// DelayDays counts from the start of the sequence: the first step is sent
// on day 0.
type Step struct {
	Step      int    `json:"step"`
	DelayDays int    `json:"delay_days"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
}

// Limits of a sequence's text. Generated drafts always respect them;
// ValidateSteps enforces them on edits, with the campaign settings' limits
// on steps and send days (settings.MaxSteps, settings.MaxDelayDays).
const (
	// MaxWords bounds a body: every body must have strictly fewer words.
	// Check reports a longer body; ValidateSteps does not refuse one.
	MaxWords = 120
	// MaxSubjectChars and MaxBodyChars bound the text, in characters.
	MaxSubjectChars = 150
	MaxBodyChars    = 5000
)

// Draft is a drafted sequence with its checks and provenance.
type Draft struct {
	Steps  []Step
	Checks Checks
	// GeneratedBy is "template" or the model id that wrote the sequence.
	GeneratedBy string
	// PromptVersion is the prompt id ("sequence@2+guard@1"); "" for templates.
	PromptVersion string
	// Usage is the model call's cost and tokens; zero for templates.
	Usage agent.Result
}

// GeneratedByTemplate is Draft.GeneratedBy for sequences written by Template.
const GeneratedByTemplate = "template"

// normalizeDelays makes delays usable for a sequence: nil or empty means
// settings.DefaultDelays, more than settings.MaxSteps are cut to MaxSteps,
// the first send day is 0 and each later one lies between the previous one
// and settings.MaxDelayDays.
// So every generated draft passes ValidateSteps, whatever the caller passed.
func normalizeDelays(delays []int) []int {
	if len(delays) == 0 {
		delays = settings.DefaultDelays()
	}
	out := make([]int, min(len(delays), settings.MaxSteps))
	for i := range out {
		d := min(max(delays[i], 0), settings.MaxDelayDays)
		if i == 0 {
			d = 0
		} else {
			d = max(d, out[i-1])
		}
		out[i] = d
	}
	return out
}
