package transform

import (
	"context"
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

// FuzzUtilCallString checks that $util's unboxed calls (a printed
// $util.escapeJavaScript($x), say) give what its boxed calls give, and
// that a template prints the same through either.
func FuzzUtilCallString(f *testing.F) {
	for _, s := range []string{"", "plain", `it's "q" / \ é 😀 `, "a b&c=d/é~*", "\x00\x1f\x7f\xff", "\u2028"} {
		f.Add(s)
	}
	names := []string{"escapeJavaScript", "urlEncode", "base64Encode", "urlDecode", "base64Decode", "parseJson", "other"}
	tmpl := vtl.MustParse("t", "$util.escapeJavaScript($s)|$util.urlEncode($s)|$util.base64Encode($s)|$util.escapeJavaScript($m.s)|$!util.escapeJavaScript($m.n)")
	// #set evaluates the calls as values: the boxed path.
	boxedTmpl := vtl.MustParse("t", "#set($a = $util.escapeJavaScript($s))#set($b = $util.urlEncode($s))#set($c = $util.base64Encode($s))#set($d = $util.escapeJavaScript($m.s))$a|$b|$c|$d|")
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range names {
			got, ok := util{}.CallString(name, s)
			want, wok, err := util{}.CallMethod(name, []any{s})
			if !ok {
				continue
			}
			if !wok || err != nil || want != got {
				t.Fatalf("CallString(%q, %q) = %q; CallMethod gives %#v, %v, %v", name, s, got, want, wok, err)
			}
		}
		// The same calls printed, and evaluated by #set.
		m := vtl.NewMap()
		m.Put("s", s)
		vars := map[string]any{"util": util{}, "s": s, "m": m}
		got, err := tmpl.RenderString(context.Background(), vars, vtl.RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want, err := boxedTmpl.RenderString(context.Background(), vars, vtl.RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("unboxed calls print %q, boxed ones %q", got, want)
		}
	})
}
