package apperr_test

import (
	"reflect"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
)

func TestInvalidIsOneFieldOfFields(t *testing.T) {
	f := apperr.Fields{}
	f.Add("limit", "must be a whole number from %d to %d", 1, 200)
	want, _ := apperr.As(f.Err())
	got := apperr.Invalid("limit", "must be a whole number from 1 to 200")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Invalid = %#v, want %#v", got, want)
	}
	if got.Code != apperr.CodeValidation || got.Message != "Some fields are not valid." {
		t.Errorf("Invalid = %#v, want the validation code and message", got)
	}
	if (apperr.Fields{}).Err() != nil {
		t.Error("Fields with nothing added is an error")
	}
}
