package contacts

import (
	"fmt"
	"strings"
	"testing"
)

// bigDirectory is a law-firm-sized staff directory: n cards, each with a
// name, a title, an address and a phone, plus the usual footer.
func bigDirectory(n int) []byte {
	firsts := []string{"Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Elena", "Carlos", "Aisha", "Wei"}
	lasts := []string{"Gonzalez", "Whitaker", "Okafor", "Lindqvist", "Brennan", "Castillo", "Nakamura", "Abernathy", "Delgado", "Fitzgerald"}
	var b strings.Builder
	b.WriteString(`<html><body><h1>Our Attorneys</h1><div class="grid">`)
	for i := range n {
		f, l := firsts[i%10], lasts[(i/10)%10]
		fmt.Fprintf(&b, `<div class="card"><h3>%s %s%c</h3><p>Associate</p><p><a href="mailto:%s.%s%d@firm.com">Email</a></p><p>Direct: (206) 555-%04d</p></div>`+"\n",
			f, l, 'A'+rune(i%26), strings.ToLower(f), strings.ToLower(l), i, i)
	}
	b.WriteString(`</div><footer><p>Phone: (206) 555-9999</p><p><a href="mailto:info@firm.com">info@firm.com</a></p></footer></body></html>`)
	return []byte(b.String())
}

func TestExtractBigDirectory(t *testing.T) {
	t.Parallel()
	got := Extract("https://firm.com/attorneys", bigDirectory(300))
	people := 0
	for _, f := range got {
		if f.Name != "" && f.Email != "" && f.Phone != "" {
			people++
		}
	}
	if people != 300 {
		t.Errorf("%d people with address and phone, want 300", people)
	}
}

func BenchmarkExtract(b *testing.B) {
	for _, n := range []int{10, 300} {
		page := bigDirectory(n)
		b.Run(fmt.Sprintf("cards=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				Extract("https://firm.com/attorneys", page)
			}
		})
	}
}
