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
	if Last("x=1&%78=2&y=3", "x") != "2" || Last("y=1", "x") != "" || !reflect.DeepEqual(All("x=1&y=2&x=a+b", "x"), []string{"1", "a b"}) || All("y=1", "x") != nil {
		t.Error("Last/All")
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
		// The one-name readers agree with Values.
		for name, vs := range Values(raw) {
			if all := All(raw, name); !reflect.DeepEqual(all, vs) {
				t.Fatalf("All(%q) = %q, Values has %q", name, all, vs)
			}
			if Last(raw, name) != vs[len(vs)-1] || Get(raw, name) != vs[0] {
				t.Fatalf("Last/Get(%q) disagree with %q", name, vs)
			}
		}
	})
}
