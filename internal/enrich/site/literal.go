package site

import (
	"regexp/syntax"
	"strings"
)

// requiredLiteral returns the longest string, lowercased, that every match
// of re contains, or "" when there is none (an alternation at the top, for
// instance). Fingerprints use it as a gate: a pattern is only run where its
// literal occurs, and one Aho–Corasick pass finds all literals at once.
func requiredLiteral(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		return strings.ToLower(string(re.Rune))
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		best, run := "", ""
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral {
				run += strings.ToLower(string(sub.Rune))
				if len(run) > len(best) {
					best = run
				}
				continue
			}
			run = ""
			if s := requiredLiteral(sub); len(s) > len(best) {
				best = s
			}
		}
		return best
	}
	return ""
}

// acMatcher finds many literals in one pass (Aho–Corasick, as a complete
// DFA over byte classes). ASCII letters are folded, so it finds the
// lowercase literals in text of any case without a lowered copy.
type acMatcher struct {
	class [256]uint8 // byte → column; 0 is "no literal uses this byte"
	ncols uint32
	// next maps state offset + column to the next state's offset (state
	// number × ncols), with outFlag set when literals end in that state;
	// offsets rather than numbers spare the scan a multiplication a byte.
	next   []uint32
	out    [][]int32 // state → ids of the literals ending there
	nlits  int
	litLen []int
}

const outFlag = 1 << 31

func newACMatcher(lits []string) *acMatcher {
	m := &acMatcher{nlits: len(lits), litLen: make([]int, len(lits))}
	ncols := 1
	for _, l := range lits {
		for i := 0; i < len(l); i++ {
			if c := l[i]; m.class[c] == 0 {
				m.class[c] = uint8(ncols)
				ncols++
			}
		}
	}
	m.ncols = uint32(ncols)
	for c := 'A'; c <= 'Z'; c++ {
		m.class[c] = m.class[c+'a'-'A']
	}
	row := func() []int32 {
		r := make([]int32, ncols)
		for i := range r {
			r[i] = -1
		}
		return r
	}
	// The trie, with -1 for a missing edge.
	goTo := [][]int32{row()}
	m.out = [][]int32{nil}
	for id, l := range lits {
		m.litLen[id] = len(l)
		s := int32(0)
		for i := 0; i < len(l); i++ {
			col := m.class[l[i]]
			if goTo[s][col] < 0 {
				goTo[s][col] = int32(len(goTo))
				goTo = append(goTo, row())
				m.out = append(m.out, nil)
			}
			s = goTo[s][col]
		}
		m.out[s] = append(m.out[s], int32(id))
	}
	// Breadth first: failure links, outputs inherited along them, and the
	// missing edges filled in from the failure state's, which makes the
	// automaton a DFA and the scan one table lookup per byte.
	fail := make([]int32, len(goTo))
	next := make([]int32, len(goTo)*ncols)
	queue := []int32{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for col := 0; col < ncols; col++ {
			t := goTo[s][col]
			switch {
			case t >= 0:
				if s != 0 {
					fail[t] = next[int(fail[s])*ncols+col]
				}
				m.out[t] = append(m.out[t], m.out[fail[t]]...)
				next[int(s)*ncols+col] = t
				queue = append(queue, t)
			case s == 0:
				next[col] = 0
			default:
				next[int(s)*ncols+col] = next[int(fail[s])*ncols+col]
			}
		}
	}
	m.next = make([]uint32, len(next))
	for i, t := range next {
		m.next[i] = uint32(t) * m.ncols
		if len(m.out[t]) > 0 {
			m.next[i] |= outFlag
		}
	}
	return m
}

// maxHitsPerLit bounds how many occurrences of one literal are kept: the
// patterns behind a literal get that many chances to match.
const maxHitsPerLit = 16

// scan returns, per literal id, the start offsets of its first
// maxHitsPerLit occurrences in text.
func (m *acMatcher) scan(text []byte) [][]int32 {
	hits := make([][]int32, m.nlits)
	next, class := m.next, &m.class
	off := uint32(0)
	for i, c := range text {
		off = next[off+uint32(class[c])]
		if off&outFlag == 0 {
			continue
		}
		off &^= outFlag
		for _, id := range m.out[off/m.ncols] {
			if len(hits[id]) < maxHitsPerLit {
				hits[id] = append(hits[id], int32(i+1-m.litLen[id]))
			}
		}
	}
	return hits
}
