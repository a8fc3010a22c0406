package transform

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// refParseJSON is a plain recursive parser with ParseJSON's grammar that
// builds every value at once, the model the taped, build-on-use ParseJSON
// is checked against. It shares the scanner's token helpers (quoted, key,
// separator, token, topScalar, tokenValue), not its structure.
func refParseJSON(text string) (any, error) {
	p := &jsonParser{s: text}
	p.skipSpace()
	if p.i >= len(p.s) {
		return "", nil
	}
	switch c := p.s[p.i]; c {
	case '{', '[', '"', '\'':
		return refValue(p, 0, 0)
	case '}', ']', ':':
		return nil, p.unexpected()
	}
	return p.topScalar()
}

func refValue(p *jsonParser, depth int, closing byte) (any, error) {
	if depth > maxJSONDepth {
		return nil, p.errorf("nesting too deep")
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.s[p.i]; c {
	case '{':
		p.i++
		m := vtl.NewMap()
		for {
			p.skipSpace()
			if p.i >= len(p.s) {
				return nil, p.errorf("unterminated object")
			}
			if p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			v, err := refValue(p, depth+1, '}')
			if err != nil {
				return nil, err
			}
			m.Put(key, v)
			if err := p.separator('}'); err != nil {
				return nil, err
			}
			if p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			p.i++
		}
	case '[':
		p.i++
		l := vtl.NewList(vtl.JSONArray)
		for {
			p.skipSpace()
			if p.i >= len(p.s) {
				return nil, p.errorf("unterminated array")
			}
			if p.s[p.i] == ']' {
				p.i++
				return l, nil
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			v, err := refValue(p, depth+1, ']')
			if err != nil {
				return nil, err
			}
			l.Items = append(l.Items, v)
			p.skipSpace()
			if p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != ']' {
				continue
			}
			if err := p.separator(']'); err != nil {
				return nil, err
			}
			if p.s[p.i] == ']' {
				p.i++
				return l, nil
			}
			p.i++
		}
	case '"', '\'':
		return p.quoted(c)
	}
	start, end, err := p.token(closing)
	if err != nil {
		return nil, err
	}
	if p.s[start] < ' ' {
		return javaTrim(p.s[start:end]), nil
	}
	return tokenValue(p.s[start:end]), nil
}

// dumpJSON prints a value with its Java types, to compare two parses.
func dumpJSON(b *strings.Builder, v any) {
	switch x := v.(type) {
	case *vtl.Map:
		b.WriteString("M{")
		x.Range(func(k, v any) bool {
			fmt.Fprintf(b, "%q:", k)
			dumpJSON(b, v)
			b.WriteByte(',')
			return true
		})
		b.WriteByte('}')
	case *vtl.List:
		fmt.Fprintf(b, "L%d[", x.Kind)
		for _, e := range x.Items {
			dumpJSON(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case *big.Int:
		fmt.Fprintf(b, "big(%s)", x)
	default:
		fmt.Fprintf(b, "%T(%#v)", v, v)
	}
}

func dumped(v any) string {
	var b strings.Builder
	dumpJSON(&b, v)
	return b.String()
}

// checkAgainstRef parses s both ways and compares the errors, the values,
// and every key looked up in a fresh parse before anything builds it.
func checkAgainstRef(t *testing.T, s string) {
	t.Helper()
	want, werr := refParseJSON(s)
	got, gerr := ParseJSON(s)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) {
		t.Fatalf("ParseJSON(%q) error = %v, want %v", s, gerr, werr)
	}
	if werr != nil {
		return
	}
	if g, w := dumped(got), dumped(want); g != w {
		t.Fatalf("ParseJSON(%q) =\n%s\nwant\n%s", s, g, w)
	}
	fresh, _ := ParseJSON(s)
	lookups(t, s, fresh, want)
	hintedLookups(t, s, want)
	// $input.json over a payload writes it from the tape, building nothing.
	fresh, _ = ParseJSON(s)
	if g, w := vtl.ToJSON(fresh), vtl.ToJSON(want); g != w {
		t.Fatalf("ToJSON(ParseJSON(%q)) = %s, want %s", s, g, w)
	}
}

// hintedLookups renders, for each plain key of the objects in a top-level
// list, a loop printing and reading that key of every object: one
// template step, and so one lookup hint, serves objects of any shape.
func hintedLookups(t *testing.T, s string, want any) {
	t.Helper()
	l, ok := want.(*vtl.List)
	if !ok {
		return
	}
	keys := map[string]bool{}
	for _, it := range l.Items {
		if m, ok := it.(*vtl.Map); ok {
			for _, k := range m.Keys() {
				if ks, ok := k.(string); ok && plainIdent(ks) {
					keys[ks] = true
				}
			}
		}
	}
	for k := range keys {
		tp := vtl.MustParse("t", fmt.Sprintf("#foreach($o in $d)$!o.%s|#set($v = $o.%s)$!v|#end", k, k))
		fresh, _ := ParseJSON(s)
		got, gerr := tp.RenderString(context.Background(), map[string]any{"d": fresh}, vtl.RenderOptions{})
		exp, werr := tp.RenderString(context.Background(), map[string]any{"d": want}, vtl.RenderOptions{})
		if got != exp || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("ParseJSON(%q), key %s: %q, %v; want %q, %v", s, k, got, gerr, exp, werr)
		}
	}
}

func plainIdent(s string) bool {
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '_')) {
			return false
		}
	}
	return s != "" && s != "class"
}

// lookups compares GetString on the maps of a fresh parse, before they are
// built, with the reference, descending through built containers.
func lookups(t *testing.T, s string, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case *vtl.Map:
		g := got.(*vtl.Map)
		for _, k := range w.Keys() {
			ks, _ := k.(string)
			gv, gok := g.GetString(ks)
			wv, _ := w.GetString(ks)
			if !gok || dumped(gv) != dumped(wv) {
				t.Fatalf("ParseJSON(%q): [%q] = %s, %v; want %s", s, ks, dumped(gv), gok, dumped(wv))
			}
			lookups(t, s, gv, wv)
		}
		if _, ok := g.GetString("\x00absent"); ok {
			t.Fatalf("ParseJSON(%q): an absent key was found", s)
		}
	case *vtl.List:
		g := got.(*vtl.List)
		for i := range w.Items {
			lookups(t, s, g.Items[i], w.Items[i])
		}
	}
}

var lazySamples = []string{
	`{"a":[1,2.5,"x",null,true]}`, `{a:1, b: x y ,}`, `[1,2,]`, `a=b&c=d`, `"s\u00e9"`,
	`{"a":{"b":[[]]}} x`, `-0`, `1e400`, `{"a":1,"a":2}`, `{"a":{"x":1},"b":2,"a":3}`,
	`{"a":3,"b":2,"a":{"x":1}}`, `{'k':'v', "e\"sc":"q\\\"", k2 : v2 }`, `{"k" : 1, "j"	:2}`,
	`{"a":"\u00e9\ud83d\ude00\n"}`, `{"a":"\u12"}`, `{"a" 1}`, `[1,2`, `{"a":`, `{"a":"x`,
	`{"a":1}}`, `[{"id":1,"t":"a"},{"id":2,"t":"b"},{"t":"c","id":3},{"id":4}]`, `{,}`, `[,]`,
	`{"":1,"":2}`, `{"a":[{"b":[{"c":1}]}]}`, `{"1":1,"01":2}`, `{"a":-1.5e3,"b":123456789012345678901234}`,
	`[true,false,null,NaN,-Infinity]`, `{"x":"` + strings.Repeat("y", 300) + `"}`,
	`[{"a":1,"b":2},{"b":3,"a":4},{"a":{"b":5},"b":6},{"x":[1],"a":7,"b":8},{"b":9,"b":10,"a":11},{"a":"s"}]`,
	manyKeys(40, "k3"), manyKeys(40, "k39"), manyKeys(40, ""), manyKeys(9, "k0"), manyKeys(200, "k150"),
	`{"s":"a\"b\\c/d\u0001\u007f\u0085\u2028é😀\n","bad":"\ud800","n":[1,-2.5,1e400,12345678901234567890,0.0001]}`,
	"{\"raw\":\"\xff\xfe\",\"x\":{\"y\":{\"a\":1,\"a\":{\"z\":[{\"b\":2,\"b\":3}]}}}}",
	strings.Repeat(`{"d":`, 120) + "1" + strings.Repeat("}", 120),
}

// manyKeys returns an object with keys k0..k(n-1), then again (if not
// empty), to check repeats past the first few keys.
func manyKeys(n int, again string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		fmt.Fprintf(&b, `"k%d":%d,`, i, i)
	}
	if again != "" {
		fmt.Fprintf(&b, `%q:"again",`, again)
	}
	b.WriteString(`"last":[1]}`)
	return b.String()
}

func TestParseJSONMatchesReference(t *testing.T) {
	for _, s := range lazySamples {
		checkAgainstRef(t, s)
	}
	deep := strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2)
	checkAgainstRef(t, deep)
	checkAgainstRef(t, `{"a":`+strings.Repeat(`{"a":`, maxJSONDepth)+`1`+strings.Repeat(`}`, maxJSONDepth+1))
}

// FuzzParseJSONReference compares ParseJSON with refParseJSON.
func FuzzParseJSONReference(f *testing.F) {
	for _, s := range lazySamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAgainstRef(t, s)
	})
}

// A document's maps are built on first use, once: a nested value keeps its
// identity, and changes made through it show in the document.
func TestParseJSONBuildsOnceAndKeepsChanges(t *testing.T) {
	doc, err := ParseJSON(`{"items":[{"id":1,"tags":["a"]},{"id":2}],"n":{"k":"v"}}`)
	if err != nil {
		t.Fatal(err)
	}
	m := doc.(*vtl.Map)
	n1, _ := m.GetString("n")
	n2, _ := m.GetString("n")
	if n1 != n2 {
		t.Fatal("a nested map was built twice")
	}
	n1.(*vtl.Map).Put("k2", "v2")
	items, _ := m.GetString("items")
	first := items.(*vtl.List).Items[0].(*vtl.Map)
	if id, _ := first.GetString("id"); id != int32(1) {
		t.Fatalf("id = %#v", id)
	}
	tags, _ := first.GetString("tags")
	tags.(*vtl.List).Items = append(tags.(*vtl.List).Items, "b")
	first.Put("id", int32(9))
	if got, want := vtl.ToJSON(doc), `{"items":[{"id":9,"tags":["a","b"]},{"id":2}],"n":{"k":"v","k2":"v2"}}`; got != want {
		t.Fatalf("ToJSON = %s, want %s", got, want)
	}
}

// FuzzShortNumber checks the one-pass number reader against parseNumber.
func FuzzShortNumber(f *testing.F) {
	for _, s := range []string{"1", "-0", "162.59", "1.", "-.5", ".5", "123456789", "1234567890", "0.000000000000001", "-1234567.12345678", "1e5", "--1", "1.2.3",
		"0", "007", "-7", "0.001", "0.0009", "0.0015", "9999999.5", "10000000.5", "01.5", "1.50", "0.5", "-0.5", "0.1", "0.30000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := shortNumber(s)
		if !ok {
			return
		}
		// A number noted to print as written does.
		_, _, _, asIs, _ := readShortNumber(s)
		if printed := vtl.ToString(got); asIs && printed != s {
			t.Fatalf("%q prints as %q, but readShortNumber says it prints as written", s, printed)
		}
		want, wok := parseNumber(s)
		if !wok || fmt.Sprintf("%T %#v", got, got) != fmt.Sprintf("%T %#v", want, want) {
			t.Fatalf("shortNumber(%q) = %T %#v, parseNumber gives %T %#v, %v", s, got, got, want, want, wok)
		}
	})
}

// Printing $doc.key takes unboxed values from the payload's tape; the
// output must be what the boxed values print.
func TestPrintedEntriesMatchBoxedValues(t *testing.T) {
	doc := `{"s":"x\/y","e":"","i":7,"n":-42,"z":-0,"l":123456789,"ll":1234567890,"d":162.59,"d0":100.0,` +
		`"dd":0.001,"dm":0.0009,"b7":9999999.5,"n5":-0.5,"lz":01.5,` +
		`"dz":-0.0,"tiny":0.0001,"big":12345678.5,"lead":007,"tr":1.50,"exp":1e3,"t":true,"nul":null,` +
		`"q":'single',"u":bare word,"o":{"k":1},"a":[1,2],"dup":1,"dup":"two"}`
	keys := []string{"s", "e", "i", "n", "z", "l", "ll", "d", "d0", "dd", "dm", "b7", "n5", "lz", "dz", "tiny", "big", "lead", "tr", "exp", "t", "nul", "q", "u", "o", "a", "dup", "missing"}
	boxed, err := refParseJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		// Each key from a fresh parse: a nested container builds the map.
		tp := vtl.MustParse("t", fmt.Sprintf("$d.%s|$!d.%s|$d.o.k", k, k))
		for _, opts := range []vtl.RenderOptions{{}, {LiteralNulls: true}} {
			lazy, err := ParseJSON(doc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tp.RenderString(context.Background(), map[string]any{"d": lazy}, opts)
			if err != nil {
				t.Fatal(err)
			}
			want, err := tp.RenderString(context.Background(), map[string]any{"d": boxed}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s, LiteralNulls=%v: got %q, want %q", k, opts.LiteralNulls, got, want)
			}
		}
	}
}

// FuzzTemplateOverPayload renders templates over a payload parsed onto
// the tape and over the same payload built all at once by the reference
// parser: outputs and errors must be the same, whatever the template
// reads, prints, changes or writes back as JSON.
func FuzzTemplateOverPayload(f *testing.F) {
	const body = `{"items":[{"id":1,"type":"dog","price":162.59,"name":"a\"b","tags":["t0"]},{"id":2,"type":"cat","price":76.5,"tags":[]},{"type":"x","id":"3"}],"n":{"k":"v","k":"w"},"big":12345678901234567890,"s":"\u00e9/"}`
	for _, tmpl := range []string{
		`#set($r = $input.path('$'))#foreach($e in $r.items)$e.id,$e.type,$!e.price,$e.tags;#end`,
		`$input.json('$')|$input.json('$.items[0]')|$input.path('$.n.k')`,
		`#set($e = $d.items[0])#set($e.id = 9)$e.put('z', [1])$input.json('$')`,
		`#foreach($e in $d.items)#foreach($k in $e.keySet())$k=$e.get($k) #end#end`,
		`$d.n|$d.items[1]|$d.items.size()|$d.big|$d.s|$d.missing|$!d.missing.x`,
		`#set($x = $d.items[2])#if($x.id == "3")str#end$x.entrySet()$x.containsKey('type')$x.equals($d.items[2])`,
		`$d.items[0].tags.add('t1')$input.json('$.items[0]')#set($d.items[1].name = 'q')$d.items[1]`,
		`$d.items[0].hashCode()$d.items[0].remove('id')$d.items[0]$d.items[0].size()`,
		// Comparisons and conditions read $map.key unboxed.
		`#foreach($e in $d.items)#if($e.price > 100)hi#elseif($e.price <= 76.5)lo#end#if($e.id == 2)two#end#if($e.id != 2.0)x#end#if($e.type != "dog")nd#end#if($e.name)n#end#if($e.id >= "1")s#end#if($e.id < $e.price)p#end#if($e.id > 1)g#end#if($e.id < 2)l#end#if($e.id <= 1)le#end#if($e.id >= 2)ge#end#if($e.price > 76.5)q#end$e.price * 2 $e.type + "x" $e.id - 1;#end`,
		// Printed $e.key and $foreach's flags at the top level, in a
		// macro, and after a template replaces $foreach.
		"#macro(m $x)$x.id$e.type#if($foreach.hasNext)+#end#end#foreach($e in $d.items)$e.id$e.price$e.tags#m($e)#if($foreach.hasNext),#end#if($foreach.first)F#end#if($foreach.last)L#end#set($foreach.hasNext = false)#if($foreach.hasNext)h#end#end#set($foreach = {'hasNext': 1})#if($foreach.hasNext)H#end",
		`#if($d.big > 1)b#end#if($d.s == "é/")e#end#if($d.missing == $null)m#end#if($d.n.k < 3)k#end#if($d.n.k == "w")w#end#if($d.items[1].type == $d.items[1].type)t#end#if(!$d.s)ns#end`,
	} {
		f.Add(tmpl)
	}
	ref, err := refParseJSON(body)
	if err != nil {
		f.Fatal(err)
	}
	refJSON := vtl.ToJSON(ref)
	f.Fuzz(func(t *testing.T, tmpl string) {
		tp, err := vtl.Parse("t", tmpl)
		if err != nil {
			return
		}
		render := func(doc, inputDoc any) (string, error) {
			in := newInput(body, Params{})
			if inputDoc != nil {
				in.doc, in.parsed = inputDoc, true
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			return tp.RenderString(ctx, map[string]any{"input": in, "d": doc, "util": util{}}, vtl.RenderOptions{MaxOutputBytes: 1 << 16, MaxIterations: 200})
		}
		lazy, err := ParseJSON(body)
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := render(lazy, nil)
		eager, _ := refParseJSON(body)
		eagerInput, _ := refParseJSON(body)
		want, werr := render(eager, eagerInput)
		if got != want || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("template %q:\n got %q, %v\nwant %q, %v", tmpl, got, gerr, want, werr)
		}
		if vtl.ToJSON(ref) != refJSON {
			t.Fatal("the reference document changed")
		}
	})
}
