package query

import (
	"reflect"
	"testing"
)

func TestValues(t *testing.T) {
	got := Values("q=a;b&x=1&x=2&sp=a+b%20c&bad=%zz&=v&flag&&k%3D=v%26")
	want := map[string][]string{
		"q": {"a;b"}, "x": {"1", "2"}, "sp": {"a b c"}, "bad": {"%zz"}, "": {"v"}, "flag": {""}, "k=": {"v&"},
	}
	if !reflect.DeepEqual(map[string][]string(got), want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if Get("x=1&x=2", "x") != "1" || Get("x=1", "y") != "" || Get("q=a;b", "q") != "a;b" {
		t.Error("Get")
	}
}

func FuzzValues(f *testing.F) {
	for _, s := range []string{"", "a=b", "a;b=c&d", "%", "a=%2", "&&=&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n := 0
		Each(raw, func(string, string) { n++ })
		total := 0
		for _, vs := range Values(raw) {
			total += len(vs)
		}
		if total != n {
			t.Fatalf("Values kept %d of %d pairs", total, n)
		}
	})
}
