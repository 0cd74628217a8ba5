// Package burst makes many calls at the same instant and tallies what they
// answer: how the auth tests and the authburst benchmark load a throttle or
// a hashing limiter with concurrent requests.
package burst

import "sync"

// Tally calls call(0) … call(n-1), each on its own goroutine, releases them
// all at once when every goroutine is started, and counts the answers.
func Tally[K comparable](n int, call func(i int) K) map[K]int {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[K]int{}
		start  = make(chan struct{})
	)
	for i := range n {
		wg.Go(func() {
			<-start
			answer := call(i)
			mu.Lock()
			counts[answer]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return counts
}
