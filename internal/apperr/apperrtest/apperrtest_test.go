package apperrtest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// fatalRecorder is a testing.TB whose Fatalf records the failure and ends
// the goroutine running Want, as it ends a test.
type fatalRecorder struct {
	testing.TB
	failure string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.failure = fmt.Sprintf(format, args...)
	panic(f)
}

func want(err error, code string) (e *apperr.Error, failure string) {
	f := &fatalRecorder{}
	defer func() {
		if p := recover(); p != nil && p != f {
			panic(p)
		}
		failure = f.failure
	}()
	return Want(f, err, code), ""
}

func TestWant(t *testing.T) {
	t.Parallel()
	notFound := apperr.NotFound("campaign")
	tests := []struct {
		name    string
		err     error
		code    string
		want    *apperr.Error
		failure string
	}{
		{"no error wanted, none", nil, "", nil, ""},
		{"no error wanted, one", notFound, "", nil, "error = not_found: campaign not found, want none"},
		{"the code", notFound, apperr.CodeNotFound, notFound, ""},
		{"the code, wrapped", fmt.Errorf("load: %w", notFound), apperr.CodeNotFound, notFound, ""},
		{"another code", notFound, apperr.CodeConflict, nil, "error = not_found: campaign not found, want code conflict"},
		{"not an apperr", errors.New("disk full"), apperr.CodeNotFound, nil, "error = disk full, want code not_found"},
		{"no error, a code wanted", nil, apperr.CodeNotFound, nil, "error = <nil>, want code not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, failure := want(tt.err, tt.code)
			if e != tt.want || failure != tt.failure {
				t.Errorf("Want = %v, failure %q; want %v, failure %q", e, failure, tt.want, tt.failure)
			}
		})
	}
}
