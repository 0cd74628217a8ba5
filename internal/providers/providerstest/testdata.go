package providerstest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Testdata reads a file of the test's testdata folder: a documented example
// of the service's JSON, mostly.
func Testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// DecodeStrict decodes a documented example into v with unknown fields
// refused, so that a misspelt json tag fails the test instead of silently
// dropping a field.
func DecodeStrict(t *testing.T, name string, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(Testdata(t, name)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// RoundTrip decodes a documented example strictly into v and encodes it
// back: the same JSON must come out, nulls included, so that a fake built on
// the client's types answers as the service does.
func RoundTrip(t *testing.T, name string, v any) {
	t.Helper()
	DecodeStrict(t, name, v)
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var want, back any
	if err := json.Unmarshal(Testdata(t, name), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	w, _ := json.Marshal(want)
	b, _ := json.Marshal(back)
	if !bytes.Equal(w, b) {
		t.Errorf("%s round trip:\n got %s\nwant %s", name, b, w)
	}
}

// CheckNormalize reports each input of cases that normalize, called name
// in the report, gets wrong: cases maps an input to its canonical form,
// or to "" for an input normalize must refuse.
func CheckNormalize(t *testing.T, name string, normalize func(string) (string, bool), cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		if got, ok := normalize(in); got != want || ok != (want != "") {
			t.Errorf("%s(%q) = %q %v, want %q %v", name, in, got, ok, want, want != "")
		}
	}
}
