package scoring

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/golden"
)

func p[T any](v T) *T { return &v }

var now = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// site is a reachable website with the given measured scores.
func site(score, mobile int, speed float64) Input {
	return Input{HasWebsite: true, WebsiteReachable: true, WebsiteScore: p(score), MobileScore: p(mobile), PageSpeed: p(speed), SSLValid: p(true), Now: now}
}

func with(in Input, f func(*Input)) Input { f(&in); return in }

// factorCase is what one factor is given and the score it must give.
type factorCase[In any] struct {
	name string
	in   In
	want int
}

// checkFactor runs factor (named name in failures) over tests, each as a
// parallel subtest.
func checkFactor[In any](t *testing.T, name string, factor func(In) (int, []Part), tests []factorCase[In]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, parts := factor(tt.in); got != tt.want {
				t.Errorf("%s = %d, want %d (parts %v)", name, got, tt.want, parts)
			}
		})
	}
}

func TestWebsiteOpportunity(t *testing.T) {
	t.Parallel()
	tests := []factorCase[Input]{
		{"no website", Input{}, 90},
		{"unreachable", Input{HasWebsite: true}, 95},
		{"parked domain", with(site(90, 90, 90), func(in *Input) { in.Signals = []string{"parked_domain"} }), 95},
		{"http error", with(site(90, 90, 90), func(in *Input) { in.Signals = []string{"http_error"} }), 95},
		{"modern fast site", site(95, 95, 95), 5},
		{"perfect site", site(100, 100, 100), 0},
		{"all zero", site(0, 0, 0), 100},
		{"weighted mean", site(40, 60, 80), 100 - (20 + 18 + 16)},
		{"only website score", Input{HasWebsite: true, WebsiteReachable: true, WebsiteScore: p(30)}, 70},
		{"out of range scores clamp", site(150, -20, 100), 100 - (50 + 0 + 20)},
		{"no SSL adds 10", with(site(60, 60, 60), func(in *Input) { in.SSLValid = p(false) }), 50},
		{"no SSL counted once", with(site(60, 60, 60), func(in *Input) {
			in.SSLValid = p(false)
			in.Signals = []string{"no_https", "ssl_invalid"}
		}), 50},
		{"measured bonus capped at 15", with(site(60, 60, 60), func(in *Input) {
			in.Signals = []string{"flash", "no_viewport", "table_layout"}
		}), 55},
		{"duplicate signals count once", with(site(60, 60, 60), func(in *Input) {
			in.Signals = []string{"old_jquery", "old_jquery"}
		}), 45},
		{"unknown signal ignored", with(site(60, 60, 60), func(in *Input) { in.Signals = []string{"font_tags"} }), 40},
		{"unmeasured base", Input{HasWebsite: true, WebsiteReachable: true}, 40},
		{"unmeasured with signals", Input{HasWebsite: true, WebsiteReachable: true, SSLValid: p(false), Signals: []string{"flash", "no_viewport", "old_copyright"}}, 40 + 10 + 10 + 8 + 5},
		{"unmeasured bonus capped at 50", Input{HasWebsite: true, WebsiteReachable: true, SSLValid: p(false), Signals: []string{"flash", "under_construction", "no_viewport", "table_layout", "frames", "old_jquery"}}, 90},
		{"weak site clamps at 100", with(site(5, 5, 5), func(in *Input) { in.SSLValid = p(false); in.Signals = []string{"flash"} }), 100},
	}
	checkFactor(t, "websiteOpportunity", websiteOpportunity, tests)
}

func TestReviewStrength(t *testing.T) {
	t.Parallel()
	tests := []factorCase[Input]{
		{"nothing known", Input{}, 10},
		{"zero reviews", Input{GoogleReviews: p(0), YelpReviews: p(0)}, 10},
		{"example 4.6 from 210", Input{GoogleRating: p(4.6), GoogleReviews: p(210)}, 77},
		{"full volume perfect rating", Input{GoogleRating: p(5.0), GoogleReviews: p(500)}, 100},
		{"volume saturates", Input{GoogleRating: p(5.0), GoogleReviews: p(5000)}, 100},
		{"2 stars is no quality", Input{GoogleRating: p(2.0), GoogleReviews: p(500)}, 10},
		{"below 2 stars clamps", Input{GoogleRating: p(1.0), GoogleReviews: p(500)}, 10},
		{"counts without rating are neutral", Input{GoogleReviews: p(500)}, 55},
		{"rating without count is one review", Input{GoogleRating: p(5.0)}, 10 + 10}, // 90 × log10(2)/log10(501)
		{"google and yelp combine", Input{GoogleRating: p(5.0), GoogleReviews: p(250), YelpRating: p(5.0), YelpReviews: p(250)}, 100},
		{"ratings weighted by count", Input{GoogleRating: p(5.0), GoogleReviews: p(400), YelpRating: p(2.0), YelpReviews: p(100)}, 10 + 72}, // rating 4.4
		{"negative counts ignored", Input{GoogleReviews: p(-5)}, 10},
		{"one review", Input{GoogleRating: p(5.0), GoogleReviews: p(1)}, 20},
	}
	checkFactor(t, "reviewStrength", reviewStrength, tests)
}

func TestContactQuality(t *testing.T) {
	t.Parallel()
	const e = "jo@example.com"
	tests := []factorCase[[]ContactInput]{
		{"nothing", nil, 0},
		{"empty contact", []ContactInput{{}}, 0},
		{"verified decision maker", []ContactInput{{Email: e, Verification: "valid", IsDecisionMaker: true}}, 100},
		{"verified person", []ContactInput{{Email: e, Verification: "valid"}}, 80},
		{"verified role", []ContactInput{{Email: e, Verification: "valid", IsRole: true}}, 60},
		{"role wins over decision maker", []ContactInput{{Email: e, Verification: "valid", IsRole: true, IsDecisionMaker: true}}, 60},
		{"catch-all decision maker", []ContactInput{{Email: e, Verification: "catch_all", IsDecisionMaker: true}}, 70},
		{"unknown decision maker", []ContactInput{{Email: e, Verification: "unknown", IsDecisionMaker: true}}, 60},
		{"unverified decision maker", []ContactInput{{Email: e, IsDecisionMaker: true}}, 60},
		{"unrecognized status is unknown", []ContactInput{{Email: e, Verification: "risky", IsDecisionMaker: true}}, 60},
		{"catch-all role", []ContactInput{{Email: e, Verification: "catch_all", IsRole: true}}, 45},
		{"invalid", []ContactInput{{Email: e, Verification: "invalid", IsDecisionMaker: true}}, 5},
		{"invalid with phone", []ContactInput{{Email: e, Verification: "invalid", HasPhone: true}}, 25},
		{"phone only", []ContactInput{{HasPhone: true}}, 25},
		{"decision maker phone only", []ContactInput{{HasPhone: true, IsDecisionMaker: true}}, 30},
		{"best contact wins", []ContactInput{{HasPhone: true}, {Email: e, Verification: "valid", IsRole: true}, {Email: e, Verification: "invalid"}}, 60},
	}
	checkFactor(t, "contactQuality", func(cs []ContactInput) (int, []Part) {
		return contactQuality(Input{Contacts: cs})
	}, tests)
}

func TestTimingSignals(t *testing.T) {
	t.Parallel()
	live := Input{HasWebsite: true, WebsiteReachable: true, Now: now}
	tests := []factorCase[Input]{
		{"nothing", live, 0},
		{"site down", Input{HasWebsite: true, Now: now}, 35},
		{"no website is not down", Input{Now: now}, 0},
		{"ssl expired", with(live, func(in *Input) { in.SSLExpiresInDays = p(-1) }), 35},
		{"ssl expires today", with(live, func(in *Input) { in.SSLExpiresInDays = p(0) }), 30},
		{"ssl 30 days", with(live, func(in *Input) { in.SSLExpiresInDays = p(30) }), 30},
		{"ssl 31 days", with(live, func(in *Input) { in.SSLExpiresInDays = p(31) }), 15},
		{"ssl 60 days", with(live, func(in *Input) { in.SSLExpiresInDays = p(60) }), 15},
		{"ssl 61 days", with(live, func(in *Input) { in.SSLExpiresInDays = p(61) }), 0},
		{"ssl signal without days", with(live, func(in *Input) { in.Signals = []string{"ssl_expiring"} }), 25},
		{"ssl days win over signal", with(live, func(in *Input) { in.SSLExpiresInDays = p(90); in.Signals = []string{"ssl_expiring"} }), 0},
		{"ssl days without website", Input{SSLExpiresInDays: p(-3), Now: now}, 0},
		{"copyright 5 years", with(live, func(in *Input) { in.CopyrightYear = p(2021) }), 25},
		{"copyright 4 years", with(live, func(in *Input) { in.CopyrightYear = p(2022) }), 15},
		{"copyright 3 years", with(live, func(in *Input) { in.CopyrightYear = p(2023) }), 15},
		{"copyright 2 years", with(live, func(in *Input) { in.CopyrightYear = p(2024) }), 0},
		{"copyright in future", with(live, func(in *Input) { in.CopyrightYear = p(2030) }), 0},
		{"old copyright signal without year", with(live, func(in *Input) { in.Signals = []string{"old_copyright"} }), 15},
		{"founded this year", with(live, func(in *Input) { in.YearFounded = p(2026) }), 30},
		{"founded 1 year ago", with(live, func(in *Input) { in.YearFounded = p(2025) }), 30},
		{"founded 3 years ago", with(live, func(in *Input) { in.YearFounded = p(2023) }), 15},
		{"founded 4 years ago", with(live, func(in *Input) { in.YearFounded = p(2022) }), 0},
		{"no clock skips years", Input{HasWebsite: true, WebsiteReachable: true, CopyrightYear: p(2001), YearFounded: p(2026)}, 0},
		{"sum caps at 100", Input{HasWebsite: true, SSLExpiresInDays: p(-1), CopyrightYear: p(2010), YearFounded: p(2026), Now: now}, 100},
	}
	checkFactor(t, "timingSignals", timingSignals, tests)
}

func TestComputeWeightsAndThresholds(t *testing.T) {
	t.Parallel()
	// Factors: website 90, reviews 10, contact 0, timing 0.
	in := Input{Now: now}
	tests := []struct {
		name      string
		c         settings.Targeting
		overall   int
		tier      string
		warnCount int
	}{
		{"defaults", settings.Targeting{}, 34, "C", 0}, // 0.35×90 + 0.25×10 = 34
		{"website only", settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: 1}}, 90, "A", 0},
		{"unnormalized weights", settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: 3, ReviewStrength: 1}}, 70, "A", 0},
		{"custom thresholds", settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: 1}, TierThresholds: &settings.Thresholds{A: 95, B: 90}}, 90, "B", 0},
		{"invalid weights fall back", settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: -1}}, 34, "C", 1},
		{"invalid thresholds fall back", settings.Targeting{TierThresholds: &settings.Thresholds{A: 40, B: 50}}, 34, "C", 1},
		{"out of range thresholds fall back", settings.Targeting{TierThresholds: &settings.Thresholds{A: 200, B: 50}}, 34, "C", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Compute(in, tt.c)
			if s.Overall != tt.overall || s.Tier != tt.tier || len(s.Factors.Warnings) != tt.warnCount {
				t.Errorf("got overall %d tier %s warnings %v, want %d %s %d", s.Overall, s.Tier, s.Factors.Warnings, tt.overall, tt.tier, tt.warnCount)
			}
		})
	}
}

func TestDisqualify(t *testing.T) {
	t.Parallel()
	good := with(site(88, 80, 80), func(in *Input) {
		in.GoogleRating, in.GoogleReviews = p(4.0), p(12)
	})
	tests := []struct {
		name string
		in   Input
		c    settings.Targeting
		want string
	}{
		{"no criteria", good, settings.Targeting{}, ""},
		{"website score above limit", good, settings.Targeting{MaxWebsiteScore: p(50)}, "website score 88 is above the campaign's limit of 50"},
		{"website score at limit", good, settings.Targeting{MaxWebsiteScore: p(88)}, ""},
		{"unknown website score", Input{}, settings.Targeting{MaxWebsiteScore: p(50)}, ""},
		{"too few reviews", good, settings.Targeting{MinReviews: p(20)}, "12 reviews is below the campaign's minimum of 20"},
		{"enough reviews", good, settings.Targeting{MinReviews: p(12)}, ""},
		{"zero known reviews", Input{GoogleReviews: p(0)}, settings.Targeting{MinReviews: p(1)}, "0 reviews is below the campaign's minimum of 1"},
		{"unknown reviews", Input{}, settings.Targeting{MinReviews: p(20)}, ""},
		{"rating too low", good, settings.Targeting{MinRating: p(4.5)}, "rating 4.0 is below the campaign's minimum of 4.5"},
		{"rating at minimum", good, settings.Targeting{MinRating: p(4.0)}, ""},
		{"unknown rating", Input{GoogleReviews: p(30)}, settings.Targeting{MinRating: p(4.5)}, ""},
		{"several reasons", good, settings.Targeting{MaxWebsiteScore: p(50), MinRating: p(4.5)},
			"website score 88 is above the campaign's limit of 50; rating 4.0 is below the campaign's minimum of 4.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Compute(tt.in, tt.c)
			if s.Disqualified != (tt.want != "") || s.DisqualifyReason != tt.want {
				t.Fatalf("disqualified %v %q, want %q", s.Disqualified, s.DisqualifyReason, tt.want)
			}
			if s.Disqualified && (s.Tier != settings.TierC || s.TierReason != "Disqualified: "+tt.want) {
				t.Errorf("disqualified score has tier %s reason %q", s.Tier, s.TierReason)
			}
		})
	}
}

func TestAdjust(t *testing.T) {
	t.Parallel()
	// Website only weights make Overall equal the website factor: 68.
	base := Compute(site(32, 32, 32), settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: 1}})
	if base.Overall != 68 || base.Tier != settings.TierB {
		t.Fatalf("base overall %d tier %s", base.Overall, base.Tier)
	}
	tests := []struct {
		name    string
		delta   int
		overall int
		applied int
		tier    string
	}{
		{"up into A", 2, 70, 2, "A"},
		{"clamped up", 50, 78, 10, "A"},
		{"clamped down", -50, 58, -10, "B"},
		{"zero", 0, 68, 0, "B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Adjust(base, tt.delta, " owner just posted a job ad ")
			a := s.Factors.Adjustment
			if s.Overall != tt.overall || s.Tier != tt.tier || a == nil || a.Applied != tt.applied || a.Requested != tt.delta || a.Reason != "owner just posted a job ad" {
				t.Errorf("got overall %d tier %s adjustment %+v", s.Overall, s.Tier, a)
			}
			if tt.applied != 0 && !strings.HasSuffix(s.TierReason, fmt.Sprintf("; adjusted %+d: owner just posted a job ad", tt.applied)) {
				t.Errorf("reason %q does not record the adjustment", s.TierReason)
			}
		})
	}
	t.Run("does not accumulate", func(t *testing.T) {
		t.Parallel()
		s := Adjust(Adjust(base, 10, "a"), 10, "b")
		if s.Overall != 78 {
			t.Errorf("twice +10 gave %d, want 78", s.Overall)
		}
	})
	t.Run("clamps to 0..100", func(t *testing.T) {
		t.Parallel()
		hi := Compute(Input{}, settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: 1}}) // 90
		if s := Adjust(Adjust(hi, 10, "x"), 10, "x"); s.Overall != 100 {
			t.Errorf("got %d", s.Overall)
		}
		lo := Compute(Input{}, settings.Targeting{ScoreWeights: &settings.Weights{ContactQuality: 1}}) // 0
		if s := Adjust(lo, -10, "x"); s.Overall != 0 || s.Tier != settings.TierC {
			t.Errorf("got %d %s", s.Overall, s.Tier)
		}
	})
	t.Run("disqualified stays C", func(t *testing.T) {
		t.Parallel()
		dq := Compute(site(32, 32, 32), settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: 1}, MaxWebsiteScore: p(10)})
		s := Adjust(dq, 10, "x")
		if !s.Disqualified || s.Tier != settings.TierC || s.Factors.ComputedTier != settings.TierA {
			t.Errorf("got disqualified %v tier %s computed %s", s.Disqualified, s.Tier, s.Factors.ComputedTier)
		}
	})
}

// reasonCases are whole prospects whose reasons are kept in
// testdata/reasons.golden; run with -update after a deliberate change.
var reasonCases = []struct {
	name string
	in   Input
	c    settings.Targeting
}{
	{"tier A weak site", Input{
		HasWebsite: true, WebsiteReachable: true, WebsiteScore: p(32), MobileScore: p(20), PageSpeed: p(40.0), SSLValid: p(false),
		Signals: []string{"no_https", "table_layout"}, CopyrightYear: p(2017),
		GoogleRating: p(4.6), GoogleReviews: p(210),
		Contacts: []ContactInput{{Email: "info@x.test", Verification: "valid", IsRole: true}, {Email: "owner@x.test", Verification: "valid", IsDecisionMaker: true, IsPrimary: true}},
		Now:      now,
	}, settings.Targeting{}},
	{"no website phone only", Input{GoogleRating: p(4.2), GoogleReviews: p(35), YelpRating: p(3.8), YelpReviews: p(12), Contacts: []ContactInput{{HasPhone: true}}, YearFounded: p(2025), Now: now}, settings.Targeting{}},
	{"site down catch-all", Input{HasWebsite: true, Signals: []string{"http_error"}, GoogleReviews: p(1), GoogleRating: p(5.0),
		Contacts: []ContactInput{{Email: "jo@x.test", Verification: "catch_all", IsDecisionMaker: true}}, SSLExpiresInDays: p(-4), Now: now}, settings.Targeting{}},
	{"modern site", with(site(96, 94, 92), func(in *Input) {
		in.Contacts = []ContactInput{{Email: "hello@x.test", Verification: "unknown", IsRole: true}}
	}), settings.Targeting{}},
	{"dated unmeasured", Input{HasWebsite: true, WebsiteReachable: true, Signals: []string{"flash", "old_copyright", "ssl_expiring"},
		Contacts: []ContactInput{{Email: "a@x.test", Verification: "invalid"}}, Now: now}, settings.Targeting{}},
	{"disqualified", with(site(88, 80, 80), func(in *Input) { in.GoogleRating, in.GoogleReviews = p(4.0), p(3) }),
		settings.Targeting{MaxWebsiteScore: p(50), MinReviews: p(5)}},
}

func TestReasonsGolden(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for _, rc := range reasonCases {
		s := Compute(rc.in, rc.c)
		b.WriteString(rc.name + "\n\t" + strconv.Itoa(s.Overall) + " " + s.Tier + " " + s.TierReason + "\n")
	}
	golden.Check(t, "reasons.golden", b.String())
}

func TestFactorsJSON(t *testing.T) {
	t.Parallel()
	s := Compute(reasonCases[0].in, reasonCases[0].c)
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "@x.test") {
		t.Errorf("scoring_factors holds an email address: %s", raw)
	}
	var back struct {
		Factors struct {
			Input struct {
				WebsiteScore *int `json:"website_score"`
				Contacts     []struct {
					HasEmail bool `json:"has_email"`
				} `json:"contacts"`
			} `json:"input"`
			WebsiteOpportunity []Part `json:"website_opportunity"`
		} `json:"scoring_factors"`
	}
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	f := back.Factors
	if f.Input.WebsiteScore == nil || *f.Input.WebsiteScore != 32 || len(f.Input.Contacts) != 2 || !f.Input.Contacts[0].HasEmail || len(f.WebsiteOpportunity) == 0 {
		t.Errorf("factors did not round-trip: %s", raw)
	}
}

func randomInput(r *rand.Rand) Input {
	maybeInt := func(lo, hi int) *int {
		if r.IntN(4) == 0 {
			return nil
		}
		return p(lo + r.IntN(hi-lo+1))
	}
	maybeFloat := func(lo, hi float64) *float64 {
		if r.IntN(4) == 0 {
			return nil
		}
		return p(lo + r.Float64()*(hi-lo))
	}
	codes := []string{"old_copyright", "no_https", "old_jquery", "table_layout", "flash", "no_viewport", "http_error", "parked_domain", "ssl_invalid", "ssl_expiring", "slow_response", "bogus"}
	statuses := []string{"valid", "invalid", "catch_all", "unknown", "", "weird"}
	in := Input{
		HasWebsite: r.IntN(5) > 0, WebsiteReachable: r.IntN(5) > 0,
		WebsiteScore: maybeInt(-50, 150), MobileScore: maybeInt(-50, 150), PageSpeed: maybeFloat(-50, 150),
		SSLExpiresInDays: maybeInt(-400, 400), CopyrightYear: maybeInt(1990, 2040), YearFounded: maybeInt(1800, 2040),
		GoogleRating: maybeFloat(-1, 7), GoogleReviews: maybeInt(-10, 100000), YelpRating: maybeFloat(-1, 7), YelpReviews: maybeInt(-10, 100000),
		Now: now,
	}
	if r.IntN(3) > 0 {
		in.SSLValid = p(r.IntN(2) == 0)
	}
	for range r.IntN(6) {
		in.Signals = append(in.Signals, codes[r.IntN(len(codes))])
	}
	for range r.IntN(4) {
		c := ContactInput{Verification: statuses[r.IntN(len(statuses))], IsDecisionMaker: r.IntN(2) == 0, IsRole: r.IntN(3) == 0, IsPrimary: r.IntN(3) == 0, HasPhone: r.IntN(2) == 0}
		if r.IntN(4) > 0 {
			c.Email = "x@y.test"
		}
		in.Contacts = append(in.Contacts, c)
	}
	return in
}

func TestRandomInputsInRange(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		in := randomInput(r)
		c := settings.Targeting{ScoreWeights: &settings.Weights{WebsiteOpportunity: r.Float64(), ReviewStrength: r.Float64(), ContactQuality: r.Float64(), TimingSignals: r.Float64()}}
		s := Adjust(Compute(in, c), r.IntN(61)-30, "random")
		for name, v := range map[string]int{"overall": s.Overall, "website": s.WebsiteOpportunity, "reviews": s.ReviewStrength, "contact": s.ContactQuality, "timing": s.TimingSignals} {
			if v < 0 || v > 100 {
				t.Fatalf("case %d: %s = %d out of range for %+v", i, name, v, in)
			}
		}
		if s.Tier != settings.TierA && s.Tier != settings.TierB && s.Tier != settings.TierC {
			t.Fatalf("case %d: tier %q", i, s.Tier)
		}
		if !strings.HasPrefix(s.TierReason, "Tier "+s.Tier+": ") && !strings.HasPrefix(s.TierReason, "Disqualified: ") {
			t.Fatalf("case %d: reason %q", i, s.TierReason)
		}
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		in := randomInput(r)
		a, b := Compute(in, settings.Targeting{}), Compute(in, settings.Targeting{})
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("two computations differ:\n%+v\n%+v", a, b)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Fatalf("JSON differs:\n%s\n%s", ja, jb)
		}
	}
}

// TestFormulasDoc keeps formulas.md in step with the constants it explains.
func TestFormulasDoc(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("formulas.md")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]any{
		"noWebsitePoints": noWebsitePoints, "brokenWebsitePoints": brokenWebsitePoints, "unmeasuredBase": unmeasuredBase,
		"measuredBonusCap": measuredBonusCap, "unmeasuredBonusCap": unmeasuredBonusCap, "noSSLPoints": noSSLPoints,
		"noReviewsPoints": noReviewsPoints, "fullVolume": fullVolume, "minRating": strconv.FormatFloat(minRating, 'f', 1, 64),
		"maxRating": strconv.FormatFloat(maxRating, 'f', 1, 64), "neutralQuality": neutralQuality,
		"invalidEmailPoints": invalidEmailPoints, "phoneOnlyPoints": phoneOnlyPoints, "dmPhoneOnlyPoints": dmPhoneOnlyPoints,
		"noContactPoints": noContactPoints, "siteDownPoints": siteDownPoints, "sslExpiredPoints": sslExpiredPoints,
		"sslSoonDays": sslSoonDays, "sslExpiringSoonPoints": sslExpiringSoonPoints, "sslLaterDays": sslLaterDays,
		"sslExpiringPoints": sslExpiringPoints, "sslSignalPoints": sslSignalPoints, "copyrightOldYears": copyrightOldYears,
		"copyrightOldPoints": copyrightOldPoints, "copyrightDatedYears": copyrightDatedYears, "copyrightDatedPoints": copyrightDatedPoints,
		"copyrightSignalPoints": copyrightSignalPoints, "newBusinessYears": newBusinessYears, "newBusinessPoints": newBusinessPoints,
		"youngBusinessYears": youngBusinessYears, "youngBusinessPoints": youngBusinessPoints, "MaxAdjustment": MaxAdjustment,
	}
	for name, v := range consts {
		if want := "`" + name + "` = " + toString(v); !strings.Contains(string(doc), want) {
			t.Errorf("formulas.md does not say %s", want)
		}
	}
	for code, pts := range datedSignalPoints {
		if !strings.Contains(string(doc), "`"+code+"`") {
			t.Errorf("formulas.md does not list signal %s (%d points)", code, pts)
		}
	}
	for _, q := range qualityWeights {
		if want := "`" + q.code + "` " + strconv.FormatFloat(q.w, 'f', -1, 64); !strings.Contains(string(doc), want) {
			t.Errorf("formulas.md does not say %s", want)
		}
	}
	for verif, row := range emailPoints {
		line := "| `" + verif + "`"
		cells := " | " + strconv.Itoa(row.dm) + " | " + strconv.Itoa(row.person) + " | " + strconv.Itoa(row.role) + " |"
		found := false
		for l := range strings.Lines(string(doc)) {
			if strings.HasPrefix(l, line) && strings.Contains(l, cells) {
				found = true
			}
		}
		if !found {
			t.Errorf("formulas.md email table row for %s does not say%s", verif, cells)
		}
	}
	d, th := settings.DefaultWeights(), settings.DefaultThresholds()
	for _, want := range []string{
		"website_opportunity " + strconv.FormatFloat(d.WebsiteOpportunity, 'f', 2, 64),
		"review_strength\n" + strconv.FormatFloat(d.ReviewStrength, 'f', 2, 64),
		"contact_quality " + strconv.FormatFloat(d.ContactQuality, 'f', 2, 64),
		"timing_signals " + strconv.FormatFloat(d.TimingSignals, 'f', 2, 64),
		"A ≥ " + strconv.Itoa(th.A), "B ≥ " + strconv.Itoa(th.B),
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("formulas.md does not say %q", want)
		}
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	panic("unsupported")
}
