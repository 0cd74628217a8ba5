package golden

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what Check reports; Fatal ends the
// goroutine running Check, as it does a test.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = true
	r.Errorf(format, args...)
	panic(r)
}

// record runs f on a recorder and returns it, once f has returned or
// failed fatally.
func record(f func(t testing.TB)) (r *recorder) {
	r = &recorder{}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
	}()
	f(r)
	return r
}

func check[T ~string | ~[]byte](name string, got T) *recorder {
	return record(func(t testing.TB) { Check(t, name, got) })
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, got string
		fatal           bool
		want            string // part of the one report; "" for none
	}{
		{"same text", "hello.txt", "hello\n", false, ""},
		{"other text", "hello.txt", "goodbye\n", false, "output differs from testdata/hello.txt (run go test -update and review the diff):\ngoodbye\n"},
		{"missing newline", "hello.txt", "hello", false, "differs"},
		{"no such file", "absent.txt", "hello\n", true, "run go test -update to create it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []*recorder{check(tt.file, tt.got), check(tt.file, []byte(tt.got))} {
				if tt.want == "" {
					if len(r.errors) != 0 {
						t.Errorf("reports %q, want none", r.errors)
					}
					continue
				}
				if len(r.errors) != 1 || !strings.Contains(r.errors[0], tt.want) || r.fatal != tt.fatal {
					t.Errorf("reports %q (fatal %v), want one holding %q (fatal %v)", r.errors, r.fatal, tt.want, tt.fatal)
				}
			}
		})
	}
}

func TestRead(t *testing.T) {
	t.Parallel()
	if got := string(Read(t, "hello.txt")); got != "hello\n" {
		t.Errorf("Read(hello.txt) = %q, want %q", got, "hello\n")
	}
	r := record(func(t testing.TB) { Read(t, "absent.txt") })
	if !r.fatal || len(r.errors) != 1 || !strings.Contains(r.errors[0], "absent.txt") {
		t.Errorf("Read(absent.txt) reports %q (fatal %v), want one fatal naming the file", r.errors, r.fatal)
	}
}
