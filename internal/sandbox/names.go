package sandbox

import (
	"net/http"

	"github.com/prospectorhq/prospector/internal/sandbox/anthropic"
	"github.com/prospectorhq/prospector/internal/sandbox/fake"
	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

// The names the rest of Prospector uses, kept here so that a test needs
// one import to start a sandbox, fault it and compare findings with the
// town's ground truth. Each is the same type or value as in the package
// that defines it.

// Fault makes a service misbehave (fake.Fault).
type Fault = fake.Fault

// QuotaExhaustedKey is accepted as a key but always answered with the
// service's "quota spent" error (fake.QuotaExhaustedKey).
const QuotaExhaustedKey = fake.QuotaExhaustedKey

// UnknownLocation is a location every fake geocoder and search knows nothing
// about (any location containing "nowhere" behaves the same).
const UnknownLocation = town.UnknownLocation

// DefaultSlowSiteDelay is how long SiteSlow websites take to answer unless
// Options.SlowSiteDelay says otherwise.
const DefaultSlowSiteDelay = town.SlowSiteDelay

// The fictional towns (package town).
type (
	Town        = town.Town
	Business    = town.Business
	Site        = town.Site
	Person      = town.Person
	SiteVariant = town.SiteVariant
)

// Site variants (town.SiteVariant).
const (
	SiteModern      = town.SiteModern
	SiteDated       = town.SiteDated
	SiteBrokenTLS   = town.SiteBrokenTLS
	SiteSlow        = town.SiteSlow
	SiteServerError = town.SiteServerError
	SiteParked      = town.SiteParked
	SiteDead        = town.SiteDead
)

// Generate builds the town for a business type and a location, as
// town.Generate; Sandbox.Town is the town as a running sandbox serves it.
func Generate(businessType, location string) Town { return town.Generate(businessType, location) }

// The Anthropic Messages API fake (package anthropic).
type (
	AnthropicFault   = anthropic.Fault
	AnthropicOptions = anthropic.Options
)

// Scripted answers of the Anthropic fake (anthropic.Fault).
const (
	AnthropicRateLimited = anthropic.RateLimited
	AnthropicOverloaded  = anthropic.Overloaded
	AnthropicServerError = anthropic.ServerError
	AnthropicBadOutput   = anthropic.BadOutput
	AnthropicMaxTokens   = anthropic.MaxTokens
)

// DefaultAnthropicKey is the key the Anthropic fake accepts when
// AnthropicOptions.APIKey is empty.
const DefaultAnthropicKey = anthropic.DefaultKey

// NewAnthropicHandler returns the fake of the Anthropic Messages API, to
// mount at a host root (anthropic.NewHandler).
func NewAnthropicHandler(opts AnthropicOptions) http.Handler { return anthropic.NewHandler(opts) }
