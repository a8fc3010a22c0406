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

// twoEntries is a MapSource holding k: "v" and n: 7, which it gives
// unboxed through LookupScalar.
type twoEntries struct{}

func (twoEntries) LookupMap(at int, key string, hint *int32) (any, bool, bool) {
	switch key {
	case "k":
		return "v", true, false
	case "n":
		return int32(7), true, false
	}
	return nil, false, false
}

func (twoEntries) LookupScalar(at int, key string, hint *int32) (Scalar, bool) {
	switch key {
	case "k":
		return StringScalar("v"), true
	case "n":
		return IntegerScalar(7), true
	}
	return Scalar{}, false
}

func (twoEntries) FillMap(at int, m *Map) {
	m.Put("k", "v")
	m.Put("n", int32(7))
}

func (s twoEntries) WriteJSON(at int, w JSONWriter, depth int) {
	m := NewMap()
	s.FillMap(at, m)
	w.Value(m, depth)
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
		{`$u.upper($m.n)`, "7", []string{"CallMethod upper"}},         // a number: boxed
		{`$u.upper($src.k)`, "V", []string{"CallString upper"}},       // unboxed from a MapSource
		{`$u.upper($src.n)`, "7", []string{"CallMethod upper"}},       // unboxed, then boxed for CallMethod
		{`$u.boxed($src.k)`, "boxed:v", []string{"CallMethod boxed"}}, // unboxed, declined, then boxed
		{`$u.boxed($s)`, "boxed:abc", []string{"CallMethod boxed"}},   // CallString declines
		{`$u.upper($missing)`, "NULL", []string{"CallMethod upper"}},  // a null argument: boxed
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
		vars := map[string]any{"u": upper{&calls}, "s": "abc", "m": m, "src": NewSourcedMap(twoEntries{}, 0), "l": &List{Kind: ArrayList, Items: []any{"x", "y"}}}
		got, err := render(t, tt.src, vars, RenderOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got != tt.want || strings.Join(calls, ",") != strings.Join(tt.calls, ",") {
			t.Errorf("%s = %q after %q, want %q after %q", tt.src, got, calls, tt.want, tt.calls)
		}
	}
}

// A StringCaller's result, and $foreach.parent, are held to the output
// limit like any method's result.
func TestShortcutResultsKeepTheLimit(t *testing.T) {
	var calls []string
	for _, src := range []string{
		`$u.upper($s)`,
		`#set($foreach = $s)#foreach($i in [1])$foreach.parent.length()#end`,
	} {
		_, err := render(t, src, map[string]any{"u": upper{&calls}, "s": strings.Repeat("a", 40)}, RenderOptions{MaxOutputBytes: 16})
		if !errors.Is(err, ErrOutputLimit) {
			t.Errorf("%s: err = %v, want ErrOutputLimit", src, err)
		}
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

// A .name step's accessor names are get<name>, get<Name>, is<name> and
// is<Name>, <Name> flipping the case of the first letter.
func FuzzIdentPartAccessors(f *testing.F) {
	for _, s := range []string{"", "name", "Name", "hasNext", "x", "éclair", "Éclair", "ǅ", "\xff", "1a", "ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p := newIdentPart(pos{}, name)
		flipped := flipFirst(name)
		want := [4]string{"get" + name, "get" + flipped, "is" + name, "is" + flipped}
		if got := [4]string{p.getters[0], p.getters[1], p.isers[0], p.isers[1]}; got != want || p.name != name {
			t.Fatalf("newIdentPart(%q) = %q, %q, want %q", name, got, p.name, want)
		}
	})
}
