package providerstest

import (
	"testing"

	"github.com/prospectorhq/prospector/internal/providers"
)

// CheckError reports an error unless err is a providers.Error of service
// with kind and code: the shape every client's failures take.
func CheckError(t testing.TB, err error, service string, kind providers.Kind, code string) {
	t.Helper()
	if e, ok := providers.AsError(err); !ok || e.Service != service || e.Kind != kind || e.Code != code {
		t.Errorf("err = %#v, want a %s error of kind %v, code %q", err, service, kind, code)
	}
}
