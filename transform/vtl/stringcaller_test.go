package vtl

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// upper is a StringCaller: upper(s) unboxed, and through CallMethod also
// upper for any value and "boxed" for the methods CallString leaves to it.
type upper struct{ calls *[]string }

func (u upper) CallMethod(name string, args []any) (any, bool, error) {
	*u.calls = append(*u.calls, "CallMethod "+name)
	switch {
	case len(args) != 1:
		return nil, false, nil
	case name == "upper":
		return strings.ToUpper(ToString(args[0])), true, nil
	case name == "boxed":
		return "boxed:" + ToString(args[0]), true, nil
	}
	return nil, false, nil
}

func (u upper) CallString(name, s string) (string, bool) {
	if name != "upper" {
		return "", false
	}
	*u.calls = append(*u.calls, "CallString "+name)
	return strings.ToUpper(s), true
}

// A printed call with one argument goes to CallString with a string
// argument, and otherwise takes the boxed path with the argument evaluated
// once.
func TestPrintedCallsOnStringCallers(t *testing.T) {
	tests := []struct {
		src, want string
		calls     []string
	}{
		{`$u.upper($s)`, "ABC", []string{"CallString upper"}},
		{`$u.upper($m.k)`, "V", []string{"CallString upper"}},
		{`$u.upper($m.n)`, "7", []string{"CallMethod upper"}},        // a number: boxed
		{`$u.boxed($s)`, "boxed:abc", []string{"CallMethod boxed"}},  // CallString declines
		{`$u.upper($missing)`, "NULL", []string{"CallMethod upper"}}, // a null argument: boxed
		{`$!u.nothing($s)|$u.nothing($s)`, "|", []string{"CallMethod nothing", "CallMethod nothing"}},
		{`$none.upper($l.remove(0))|$l`, "|[x, y]", nil}, // a null receiver: the argument is not evaluated
		{`$s.concat($s)`, "abcabc", nil},                 // not a StringCaller
		{`$u.boxed($l.remove(0))|$l`, "boxed:x|[y]", []string{"CallMethod boxed"}},
	}
	for _, tt := range tests {
		var calls []string
		m := NewMap()
		m.Put("k", "v")
		m.Put("n", int32(7))
		vars := map[string]any{"u": upper{&calls}, "s": "abc", "m": m, "l": &List{Kind: ArrayList, Items: []any{"x", "y"}}}
		got, err := render(t, tt.src, vars, RenderOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got != tt.want || strings.Join(calls, ",") != strings.Join(tt.calls, ",") {
			t.Errorf("%s = %q after %q, want %q after %q", tt.src, got, calls, tt.want, tt.calls)
		}
	}
}

// A StringCaller's result is held to the output limit like any method's.
func TestPrintedCallResultLimit(t *testing.T) {
	var calls []string
	_, err := render(t, `$u.upper($s)`, map[string]any{"u": upper{&calls}, "s": strings.Repeat("a", 64)}, RenderOptions{MaxOutputBytes: 32})
	if !errors.Is(err, ErrOutputLimit) {
		t.Fatalf("err = %v, want ErrOutputLimit", err)
	}
}

// $foreach's properties give what its getters give, in nested loops.
func TestForeachPropertiesMatchGetters(t *testing.T) {
	props := []string{"hasNext", "index", "count", "first", "last", "parent", "topmost", "HasNext", "Index", "class"}
	var viaProp, viaGetter strings.Builder
	for _, p := range props {
		getter := "get" + strings.ToUpper(p[:1]) + p[1:] + "()"
		if p == "hasNext" {
			getter = "hasNext()"
		}
		viaProp.WriteString("$foreach." + p + "|")
		viaGetter.WriteString("$foreach." + getter + "|")
	}
	loop := "#foreach($a in [1..2])#foreach($b in [1..3])%s;#end#end"
	got, err := render(t, fmt.Sprintf(loop, viaProp.String()), nil, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := render(t, fmt.Sprintf(loop, viaGetter.String()), nil, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("properties print\n%s\ngetters\n%s", got, want)
	}
}
