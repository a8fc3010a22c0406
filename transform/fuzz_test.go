package transform

import (
	"context"
	"fmt"
	"strings"
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
	for _, s := range []string{"$", "$.a[*].b", "$..c", "$.a[1:-1]", "$['a','b']", "$.a[?(@.b > 1)]", "..x", "$.a[0,1]",
		"$..[?(@.b =~ /[0-9]+/i || 'a' != @.b && @.c)]", "$.a[?(/x/ =~ @.b)]", "$[?(&& ||)]", "$[?((( )))]",
		"$.a.[0]", "$[(@.length-1)]", "..[0]$", "$[?]", "$[ ]", "$['a]b'].c", "$..[']", ".", "$..[5:7]", "$..[-3:-5]"} {
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
	// $s is a variable; $d.s, $d.n and $d.f come unboxed from a parsed
	// payload (a string, an Integer and a Double).
	calls := []string{"$util.escapeJavaScript($s)", "$util.urlEncode($s)", "$util.base64Encode($s)",
		"$util.escapeJavaScript($d.s)", "$util.urlEncode($d.s)", "$util.escapeJavaScript($d.n)", "$util.base64Encode($d.f)"}
	tmpl := vtl.MustParse("t", strings.Join(calls, "|"))
	// #set evaluates the same calls as values: the boxed path.
	var sets, prints []string
	for i, c := range calls {
		sets = append(sets, fmt.Sprintf("#set($r%d = %s)", i, c))
		prints = append(prints, fmt.Sprintf("$r%d", i))
	}
	boxedTmpl := vtl.MustParse("t", strings.Join(sets, "")+strings.Join(prints, "|"))
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
		payload := `{"s":` + vtl.ToJSON(s) + `,"n":7,"f":1.5}`
		render := func(tp *vtl.Template) string {
			d, err := ParseJSON(payload)
			if err != nil {
				t.Fatal(err)
			}
			out, err := tp.RenderString(context.Background(), map[string]any{"util": util{}, "s": s, "d": d}, vtl.RenderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		got, want := render(tmpl), render(boxedTmpl)
		if got != want {
			t.Fatalf("unboxed calls print %q, boxed ones %q", got, want)
		}
	})
}
