package transform

import (
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// FuzzParseJSON checks that no payload makes the permissive parser panic,
// and that what it accepts prints and re-parses.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,"x",null,true]}`, `{a:1, b: x y ,}`, `[1,2,]`, `a=b&c=d`, `"s\u00e9"`, `{"a":{"b":[[]]}} x`, `-0`, `1e400`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseJSON(s)
		if err != nil {
			return
		}
		_ = vtl.ToString(v)
		if _, err := ParseJSON(vtl.ToJSON(v)); err != nil {
			if _, isStr := v.(string); !isStr {
				t.Fatalf("ToJSON output of %q does not parse: %v", s, err)
			}
		}
	})
}

// FuzzJSONPath checks that no path makes compilation or evaluation panic.
func FuzzJSONPath(f *testing.F) {
	for _, s := range []string{"$", "$.a[*].b", "$..c", "$.a[1:-1]", "$['a','b']", "$.a[?(@.b > 1)]", "..x", "$.a[0,1]"} {
		f.Add(s)
	}
	doc, err := ParseJSON(`{"a":[{"b":1},{"b":[2,3]},"s",null],"c":{"c":{"d":4}}}`)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string) {
		jp, err := CompileJSONPath(path)
		if err != nil {
			return
		}
		v, err := jp.Read(doc)
		if err == nil {
			_ = vtl.ToString(v)
		}
	})
}
