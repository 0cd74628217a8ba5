package site

import (
	"unicode"
	"unicode/utf8"
)

const (
	textHeadCap = 512 << 10
	textTailCap = 128 << 10
)

// boundedText accumulates visible text with whitespace collapsed, keeping
// the first textHeadCap bytes and the last textTailCap bytes. The tail is
// kept because footers (copyright, "family owned since…") sit at the end of
// long pages; the middle of a huge page is mostly product grids.
type boundedText struct {
	head, tail []byte
	started    bool // something was written
	space      bool // a space is owed before the next visible character
	cut        bool // bytes were dropped between head and tail
}

// gap records a word boundary (a block-level tag) without writing anything.
func (t *boundedText) gap() { t.space = true }

func (t *boundedText) write(s []byte) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				t.space = true
				i++
				continue
			}
			// Emit the whole run of visible ASCII at once.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && !asciiSpace[s[j]] {
				j++
			}
			t.emit(s[i:j])
			i = j
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if unicode.IsSpace(r) || r == '\u200b' {
			t.space = true
		} else {
			t.emit(s[i : i+n])
		}
		i += n
	}
}

var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\n': true, '\t': true, '\r': true, '\f': true, '\v': true}

func (t *boundedText) emit(b []byte) {
	if t.space && t.started {
		t.put([]byte{' '})
	}
	t.space = false
	t.started = true
	t.put(b)
}

func (t *boundedText) put(b []byte) {
	if !t.cut {
		if len(t.head)+len(b) <= textHeadCap {
			t.head = append(t.head, b...)
			return
		}
		// Fill the head to the brim, on a character boundary.
		room := textHeadCap - len(t.head)
		for room > 0 && room < len(b) && !utf8.RuneStart(b[room]) {
			room--
		}
		t.head = append(t.head, b[:room]...)
		b = b[room:]
	}
	t.cut = true
	t.tail = append(t.tail, b...)
	if len(t.tail) > 2*textTailCap {
		// Drop the older half in one copy rather than on every byte.
		drop := len(t.tail) - textTailCap
		for drop < len(t.tail) && !utf8.RuneStart(t.tail[drop]) {
			drop++
		}
		t.tail = append(t.tail[:0], t.tail[drop:]...)
	}
}

func (t *boundedText) String() string {
	if !t.cut {
		return string(t.head)
	}
	tail := t.tail
	if len(tail) > textTailCap {
		drop := len(tail) - textTailCap
		for drop < len(tail) && !utf8.RuneStart(tail[drop]) {
			drop++
		}
		tail = tail[drop:]
	}
	// A newline marks the gap, so that no phrase is read across it.
	return string(t.head) + "\n" + string(tail)
}
