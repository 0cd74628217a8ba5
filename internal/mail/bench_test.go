package mail

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
)

// BenchmarkSendToSandbox measures messages per second into the sandbox
// server over real loopback sockets with STARTTLS and AUTH, building each
// message too, from conns concurrent senders: each message on a
// connection of its own (Send, what a job per message does) or on one
// session per sender (Dial, then Session.Send). It checks that the server
// counted exactly b.N new messages.
func BenchmarkSendToSandbox(b *testing.B) {
	sb := startSandbox(b, sandboxsmtp.Options{Keep: 1000})
	srv := sandboxServer(b, sb, SecurityStartTLS)
	for _, reuse := range []bool{false, true} {
		for _, conns := range []int{1, 4, 20} {
			mode := "connection-per-message"
			if reuse {
				mode = "session-per-sender"
			}
			b.Run(fmt.Sprintf("%s/conns=%d", mode, conns), func(b *testing.B) {
				before := sb.Count()
				var next atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				start := time.Now()
				for range conns {
					wg.Go(func() {
						var s *Session
						if reuse {
							var err error
							if s, err = Dial(b.Context(), srv); err != nil {
								b.Error(err)
								return
							}
							defer s.Close()
						}
						for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
							to := fmt.Sprintf("p%d@lakeside-dental.example", i)
							m := stepOne()
							m.To = to
							built, err := Builder{}.Build(m)
							if err != nil {
								b.Error(err)
								return
							}
							if reuse {
								err = s.Send(b.Context(), m.From, to, built.Bytes)
							} else {
								err = Send(b.Context(), srv, m.From, to, built.Bytes)
							}
							if err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				if got := sb.Count() - before; got != b.N {
					b.Fatalf("the server counted %d messages, %d were sent", got, b.N)
				}
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
			})
		}
	}
}
