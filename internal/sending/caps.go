package sending

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// DailyCap is how many messages m may send in any rolling 24 hours at now:
// its daily limit, and while warming up at most start + increment × the
// whole days since it was added (Instantly's and Smartlead's ramp).
func DailyCap(m mailstore.Mailbox, now time.Time) int {
	if !m.WarmupEnabled {
		return m.DailyLimit
	}
	days := int(now.Sub(m.CreatedAt) / (24 * time.Hour))
	if days < 0 {
		days = 0
	}
	return min(m.DailyLimit, m.WarmupStart+m.WarmupIncrement*days)
}

// Gap is the pause before a mailbox's next send: a random whole number of
// seconds from minSeconds to maxSeconds, so sends do not tick like a
// machine. rnd is the random source (a fixed one in tests).
func Gap(minSeconds, maxSeconds int, rnd *rand.Rand) time.Duration {
	if maxSeconds <= minSeconds {
		return time.Duration(minSeconds) * time.Second
	}
	return time.Duration(minSeconds+rnd.IntN(maxSeconds-minSeconds+1)) * time.Second
}

// gapSource draws the gaps for every worker: math/rand's Rand is not safe
// for concurrent use on its own.
type gapSource struct {
	mu  sync.Mutex
	rnd *rand.Rand
}

func newGapSource(seed uint64) *gapSource {
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	return &gapSource{rnd: rand.New(rand.NewPCG(seed, seed>>1|1))}
}

func (g *gapSource) draw(minSeconds, maxSeconds int) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return Gap(minSeconds, maxSeconds, g.rnd)
}

// MailboxRoom is a candidate mailbox for a sequence's first message, with
// what it has sent in the last 24 hours.
type MailboxRoom struct {
	Mailbox     mailstore.Mailbox
	SentLast24h int
}

// PickMailbox chooses the mailbox for a sequence's first message: the first
// of RankMailboxes. ok is false when none has room: the message waits for
// the next slot, it is never dropped.
func PickMailbox(candidates []MailboxRoom, now time.Time) (mailstore.Mailbox, bool) {
	ranked := RankMailboxes(candidates, now)
	if len(ranked) == 0 {
		return mailstore.Mailbox{}, false
	}
	return ranked[0], true
}

// RankMailboxes orders the active mailboxes with room left under their cap
// at now, best first: those whose gap since their last send has passed
// before those still waiting for it, soonest first (a mailbox in its gap
// would hold the message back while another could send it now), then the
// most room, then the oldest id, so the order is stable. A claim takes the first of them
// that no other claim holds at the moment.
func RankMailboxes(candidates []MailboxRoom, now time.Time) []mailstore.Mailbox {
	type ranked struct {
		mailbox mailstore.Mailbox
		room    int
		waiting bool
	}
	var rs []ranked
	for _, c := range candidates {
		if c.Mailbox.Status != mailstore.MailboxActive {
			continue
		}
		room := DailyCap(c.Mailbox, now) - c.SentLast24h
		if room <= 0 {
			continue
		}
		waiting := c.Mailbox.NextSendAt != nil && c.Mailbox.NextSendAt.After(now)
		rs = append(rs, ranked{c.Mailbox, room, waiting})
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if a.waiting != b.waiting {
			if a.waiting {
				return 1
			}
			return -1
		}
		if a.waiting && !a.mailbox.NextSendAt.Equal(*b.mailbox.NextSendAt) {
			return a.mailbox.NextSendAt.Compare(*b.mailbox.NextSendAt)
		}
		if a.room != b.room {
			return b.room - a.room
		}
		return cmp.Compare(a.mailbox.ID, b.mailbox.ID)
	})
	out := make([]mailstore.Mailbox, len(rs))
	for i, r := range rs {
		out[i] = r.mailbox
	}
	return out
}

// nextWarmupStep is when a warming-up mailbox's cap next grows (its next
// whole day since it was added); ok is false once the ramp has reached the
// daily limit.
func nextWarmupStep(m mailstore.Mailbox, now time.Time) (time.Time, bool) {
	if !m.WarmupEnabled || DailyCap(m, now) >= m.DailyLimit {
		return time.Time{}, false
	}
	days := max(int(now.Sub(m.CreatedAt)/(24*time.Hour)), 0)
	return m.CreatedAt.Add(time.Duration(days+1) * 24 * time.Hour), true
}
