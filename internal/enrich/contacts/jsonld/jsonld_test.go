package jsonld

import (
	"reflect"
	"strings"
	"testing"
)

func TestObjectsFollowsLinksInOrder(t *testing.T) {
	blocks := []string{`<!-- {"@context":"https://schema.org","@type":"Plumber","name":"Riverbend",
		"email":"info@riverbend.example",
		"review":{"@type":"Review","author":{"@type":"Person","name":"A Customer"}},
		"founder":{"@type":"Person","name":"Maria Gonzalez"},
		"employee":[{"@type":["Person"],"name":"John Smith","jobTitle":{"@type":"DefinedTerm","name":"Office Manager"}}],
	} -->`, `not json`, `{"@graph":[{"@type":"http://schema.org/Person","name":"Ann Lee"}]}`}
	var got []string
	for _, o := range Objects(blocks) {
		got = append(got, o.First("name")+"|"+o.First("jobTitle")+"|"+o.DefaultTitle+"|"+map[bool]string{true: "person"}[o.Is("Person")])
	}
	want := []string{"Riverbend|||", "Maria Gonzalez||Founder|person", "John Smith|Office Manager||person", "|||", "Ann Lee|||person"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("objects:\n got %q\nwant %q", got, want)
	}
}

func TestObjectsBounds(t *testing.T) {
	deep := strings.Repeat(`{"@type":"Organization","subOrganization":`, 40) + `{"@type":"Person","name":"Too Deep"}` + strings.Repeat("}", 40)
	for _, o := range Objects([]string{deep}) {
		if o.First("name") == "Too Deep" {
			t.Error("the walk went deeper than maxDepth")
		}
	}
	huge := `{"@type":"Person","name":"Big","description":"` + strings.Repeat("x", maxBlock) + `"}`
	if n := len(Objects([]string{huge})); n != 0 {
		t.Errorf("a block over maxBlock gave %d objects", n)
	}
}
