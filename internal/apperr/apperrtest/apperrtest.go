// Package apperrtest checks, in tests, the *apperr.Error a call fails with.
package apperrtest

import (
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// Want fails the test at once unless err is an *apperr.Error with code, and
// returns it for further checks; code "" wants no error at all, and Want
// then returns nil.
func Want(t testing.TB, err error, code string) *apperr.Error {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		return nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return e
}
