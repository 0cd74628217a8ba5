package settings

// Discovery sources a campaign may ask for, as target_criteria.sources
// spells them.
const (
	SourceGoogleMaps = "google_maps"
	SourceYelp       = "yelp"
	SourceOSM        = "osm"
)

// Sources returns every discovery source in the order they run.
func Sources() []string { return []string{SourceGoogleMaps, SourceYelp, SourceOSM} }

// Tiers a prospect can be scored into, as stored in prospects.tier and
// lead_scores.tier.
const (
	TierA = "A"
	TierB = "B"
	TierC = "C"
)

// Tiers returns every tier, best first.
func Tiers() []string { return []string{TierA, TierB, TierC} }

// DefaultOutreachTiers returns the tiers drafted for when a campaign does
// not say.
func DefaultOutreachTiers() []string { return []string{TierA, TierB} }

// Limits and defaults of max_results.
const (
	DefaultMaxResults = 100
	MaxMaxResults     = 5000
)

// Limits of a sequence: MaxSteps is the longest sequence, MaxDelayDays the
// latest send day. Campaign delays and edited sequences are held to them.
const (
	MaxSteps     = 5
	MaxDelayDays = 60
)

// DefaultDelays returns the send days of the default three-step sequence:
// the first email at once, a follow-up on day 3, a last one on day 7.
func DefaultDelays() []int { return []int{0, 3, 7} }
