package vtl

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
)

func render(t *testing.T, src string, vars map[string]any, opts RenderOptions) (string, error) {
	t.Helper()
	tmpl, err := Parse("t", src)
	if err != nil {
		return "", err
	}
	return tmpl.RenderString(context.Background(), vars, opts)
}

func TestParseErrorsNamePosition(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"#if(true)x", "t:1:11:"},
		{"line1\n#set($a = )", "t:2:11:"},
		{"a\nb\n  #else", "t:3:3:"},
		{"$", "t:1:2:"},
		{"ok\n#foreach($i in [1..2])$i", "t:2:25:"},
		{"#set($x = $a -1)", "t:1:14:"},
		{"$true", "t:1:1:"},
		{"#macro()x#end", "t:1:1:"},
	}
	for _, tt := range tests {
		_, err := Parse("t", tt.src)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error", tt.src)
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) error %T is not *Error", tt.src, err)
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %q, want prefix %q", tt.src, err, tt.want)
		}
	}
}

func TestRenderErrorsNamePosition(t *testing.T) {
	tests := []struct {
		src, want string
		is        error
	}{
		{"#set($l = [1])\n  $l[5]", "t:2:5:", nil},
		{"#set($s = 'abc')\n\n$s.substring(9)", "t:3:4:", nil},
		{"x\n#parse('a.vm')", "t:2:1:", ErrUnsupported},
		{"#include('a.vm')", "t:1:1:", ErrUnsupported},
	}
	for _, tt := range tests {
		_, err := render(t, tt.src, nil, RenderOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("render(%q) error = %v, want prefix %q", tt.src, err, tt.want)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("render(%q) error = %v, want errors.Is %v", tt.src, err, tt.is)
		}
	}
}

// Refusals name Java's exception, as Velocity's MethodInvocationException
// does (the corpus pins that these templates fail; this pins how).
func TestRenderErrorsNameJavaException(t *testing.T) {
	tests := []struct{ src, want string }{
		{"#set($s = 'Hello')$s.replaceAll('l', $null)", "NullPointerException"},
		{"#set($s = '')$s.replaceAll('', $null)", "NullPointerException"},
		{"#set($s = 'Hello')$s.replaceFirst('x', $null)", "NullPointerException"},
		{"#set($s = 'Hello')$s.replaceAll('(', $null)", "PatternSyntaxException"},
		{"#set($t = true)$t.compareTo('b')", "ClassCastException"},
		{"#set($t = true)$t.compareTo($null)", "NullPointerException"},
		{"#set($s = 'Abc')$s.getBytes(1)", "wrong number of arguments"},
		{"#set($s = 'Abc')$s.strip(1)", "wrong number of arguments"},
	}
	for _, tt := range tests {
		_, err := render(t, tt.src, nil, RenderOptions{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("render(%q) error = %v, want %q", tt.src, err, tt.want)
		}
	}
}

func TestLoopLimit(t *testing.T) {
	out, err := render(t, "#foreach($i in [1..100000])x#end", nil, RenderOptions{})
	if !errors.Is(err, ErrLoopLimit) {
		t.Fatalf("err = %v, want ErrLoopLimit", err)
	}
	if out != "" {
		t.Errorf("output on error = %q, want none", out)
	}
	if !strings.HasPrefix(err.Error(), "t:1:1:") {
		t.Errorf("err = %q, want position t:1:1", err)
	}
	out, err = render(t, "#foreach($i in [1..1000])#end#foreach($i in [1..1000])#end", nil, RenderOptions{})
	if err != nil || out != "" {
		t.Errorf("1000 iterations per loop: %q, %v", out, err)
	}
	if _, err := render(t, "#foreach($i in [1..11])#end", nil, RenderOptions{MaxIterations: 10}); !errors.Is(err, ErrLoopLimit) {
		t.Errorf("MaxIterations 10: err = %v", err)
	}
	if _, err := render(t, "#foreach($i in [1..5000])#end", nil, RenderOptions{MaxIterations: -1}); err != nil {
		t.Errorf("unlimited: err = %v", err)
	}
}

// A list doubled by addAll in a loop stops at the size a range may have
// instead of eating the memory.
func TestGrowthLimits(t *testing.T) {
	_, err := render(t, "#set($l = [1])#foreach($i in [1..30])#set($ok = $l.addAll($l))#end$l.size()", nil, RenderOptions{})
	if !errors.Is(err, ErrOutputLimit) {
		t.Errorf("addAll: err = %v, want ErrOutputLimit", err)
	}
	_, err = render(t, "#set($l = [1])#foreach($i in [1..30])#set($ok = $l.addAll(0, $l))#end$l.size()", nil, RenderOptions{})
	if !errors.Is(err, ErrOutputLimit) {
		t.Errorf("addAll(0, l): err = %v, want ErrOutputLimit", err)
	}
	// The prime and modular methods refuse operands they would take too
	// long over.
	for _, call := range []string{"$b.isProbablePrime(10)", "$b.nextProbablePrime()", "$b.modPow($b, $b)", "$b.modPow($one, $b)", "$b.modInverse($b)"} {
		tmpl := "#set($b = 99999999999999999999)#set($one = $b.divide($b))#foreach($i in [1..8])#set($b = $b.multiply($b))#end" + call
		_, err = render(t, tmpl, nil, RenderOptions{})
		if !errors.Is(err, ErrOutputLimit) {
			t.Errorf("%s: err = %v, want ErrOutputLimit", call, err)
		}
	}
	// So does a BigInteger squared in a loop, by method or operator, or
	// shifted or given a bit far out (refused before it is built).
	for _, step := range []string{"$b.multiply($b)", "$b * $b", "$b.shiftLeft(2000000000)", "$b.shiftRight(-2147483647)", "$b.shiftRight(-2147483648)", "$b.setBit(2000000000)", "$b.flipBit(2147483647)"} {
		_, err = render(t, "#set($b = 99999999999999999999)#foreach($i in [1..30])#set($b = "+step+")#end$b.signum()", nil, RenderOptions{})
		if !errors.Is(err, ErrOutputLimit) {
			t.Errorf("%s: err = %v, want ErrOutputLimit", step, err)
		}
	}
}

func TestOutputLimit(t *testing.T) {
	_, err := render(t, "#foreach($i in [1..100])0123456789#end", nil, RenderOptions{MaxOutputBytes: 500})
	if !errors.Is(err, ErrOutputLimit) {
		t.Fatalf("err = %v, want ErrOutputLimit", err)
	}
	out, err := render(t, "#foreach($i in [1..50])0123456789#end", nil, RenderOptions{MaxOutputBytes: 500})
	if err != nil || len(out) != 500 {
		t.Errorf("exactly at the limit: len %d, err %v", len(out), err)
	}
}

// Every limit holds at every byte, with the output buffer sized by an
// earlier, unlimited render of the same template or not sized at all.
func TestOutputLimitAtEachSize(t *testing.T) {
	vars := map[string]any{"s": "xyz", "z": strings.Repeat("z", 40)}
	for _, src := range []string{
		`ab$s$s#foreach($i in [1..20])$s.#end$z`,
		`#foreach($i in [1..12])ab$i#if($i % 3 == 0)"$i-$i"#end#end$z`,
	} {
		sized := MustParse("t", src)
		full, err := sized.RenderString(context.Background(), vars, RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for limit := 1; limit <= len(full)+2; limit++ {
			for _, tmpl := range []*Template{MustParse("t", src), sized, sized} {
				out, err := tmpl.RenderString(context.Background(), vars, RenderOptions{MaxOutputBytes: limit})
				if fits := len(full) <= limit; fits != (err == nil) || fits && out != full {
					t.Fatalf("%s, limit %d: %q, %v (the output has %d bytes)", src, limit, out, err, len(full))
				}
				if err != nil && !errors.Is(err, ErrOutputLimit) {
					t.Fatalf("%s, limit %d: %v", src, limit, err)
				}
			}
		}
	}
}

func TestDepthLimit(t *testing.T) {
	_, err := render(t, "#macro(r)#r()#end#r()", nil, RenderOptions{})
	if !errors.Is(err, ErrDepthLimit) {
		t.Fatalf("err = %v, want ErrDepthLimit", err)
	}
	// A block that names itself stops two levels deep, as Velocity's do
	// (dir-define-self in the corpus); a chain of blocks is capped by
	// MaxDepth.
	_, err = render(t, "#define($d1)$d2#end#define($d2)$d3#end#define($d3)$d4#end#define($d4)$d5#end#define($d5)$d6#end#define($d6)x#end$d1", nil, RenderOptions{MaxDepth: 5})
	if !errors.Is(err, ErrDepthLimit) {
		t.Fatalf("err = %v, want ErrDepthLimit", err)
	}
}

func TestCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tmpl := MustParse("t", "#foreach($i in [1..10])$i#end")
	_, err := tmpl.RenderString(ctx, nil, RenderOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// BigInteger's prime and modular methods take up to ~100 ms a call: the
// context is checked after every call on a BigInteger, even in one chain
// of calls, which counts no loop turns.
func TestCancellationBetweenBigIntegerCalls(t *testing.T) {
	p := new(big.Int).Lsh(big.NewInt(1), 100)
	tmpl := MustParse("t", "$p.nextProbablePrime().nextProbablePrime().nextProbablePrime()")
	_, err := tmpl.RenderString(&cancelLater{Context: context.Background()}, map[string]any{"p": p}, RenderOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// cancelLater is a context canceled from its second Err call on: after
// the render has started.
type cancelLater struct {
	context.Context
	calls int
}

func (c *cancelLater) Err() error {
	if c.calls++; c.calls > 1 {
		return context.Canceled
	}
	return nil
}

// A loop whose body is only text still sees its context canceled.
func TestCancellationInTextLoop(t *testing.T) {
	tmpl := MustParse("t", "#foreach($i in [1..100000])x#end")
	out, err := tmpl.RenderString(&cancelLater{Context: context.Background()}, nil, RenderOptions{MaxIterations: -1})
	if !errors.Is(err, context.Canceled) || out != "" {
		t.Fatalf("%d bytes, err = %v, want context.Canceled", len(out), err)
	}
}

func TestConcurrentRender(t *testing.T) {
	tmpl := MustParse("t", `#set($acc = [])#foreach($i in $items)#set($ok = $acc.add("$prefix$i"))#end$acc $acc.size()#set($m = {"k": $prefix})$m`)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			prefix := fmt.Sprintf("g%d-", g)
			for n := 0; n < 50; n++ {
				out, err := tmpl.RenderString(context.Background(), map[string]any{
					"items": []any{1, 2, 3}, "prefix": prefix}, RenderOptions{})
				want := fmt.Sprintf("[%[1]s1, %[1]s2, %[1]s3] 3{k=%[1]s}", prefix)
				if err != nil || out != want {
					errs <- fmt.Errorf("got %q, %v; want %q", out, err, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestVarsNotModified(t *testing.T) {
	vars := map[string]any{"x": "orig"}
	out, err := render(t, "#set($x = 'new')$x", vars, RenderOptions{})
	if err != nil || out != "new" || vars["x"] != "orig" {
		t.Errorf("out %q err %v vars %v", out, err, vars)
	}
}

// Variables the template never names are read by text that #evaluate
// parses, and a template without #evaluate renders the same without them.
func TestVarsReadOnlyThroughEvaluate(t *testing.T) {
	vars := map[string]any{"a": "x", "list": []any{"p", "q"}, "unused": NewMap()}
	for _, c := range []struct{ tmpl, want string }{
		{`#evaluate('$a $list.get(1)')`, "x q"},
		{`#set($n = 'list')#evaluate("$${n}.get(0)")`, "p"},
		{`#evaluate('#foreach($i in $list)$i#end')`, "pq"},
		{`#macro(m)$a#end#evaluate('#m()')`, "x"},
		{`$!a|$!unused|#foreach($i in [1])$velocityCount#end`, "x|{}|1"},
		{`[$!b]`, "[]"},
	} {
		out, err := render(t, c.tmpl, vars, RenderOptions{})
		if err != nil || out != c.want {
			t.Errorf("%s: output %q, %v; want %q", c.tmpl, out, err, c.want)
		}
	}
}

// A #define block that reaches the render of another template (through
// a map both are given) reads and sets its names in the context that
// prints it, as Velocity's Block.Reference does, whatever slots either
// template gave them.
func TestBlocksOfAnotherTemplate(t *testing.T) {
	for _, c := range []struct {
		name, define, print, want string
		vars                      map[string]any
	}{
		{"names the printer lacks", `#set($a = 1)#set($q = 2)#set($z = 3)#define($b)$z|$m.k#end#set($m.b = $b)`, `$m.b`, "|K", nil},
		{"loop counter", `#define($b)[$velocityCount $velocityHasNext]#end#set($m.b = $b)`, `#foreach($i in [1, 2])$m.b#end$m.b`, "[1 true][2 false][ ]", nil},
		{"loop counter from the caller", `#define($b)[$velocityCount]#end#set($m.b = $b)`, `$m.b#foreach($i in [7])$m.b#end`, "[c][1]", map[string]any{"velocityCount": "c"}},
		{"caller variable read by #evaluate", `#define($b)#evaluate('<$a>')#end#set($m.b = $b)`, `$m.b`, "<x>", map[string]any{"a": "x"}},
		{"#set in the block", `#define($b)#set($y = "by $m.k")#end#set($m.b = $b)`, `$m.b$y`, "by K", nil},
		{"the printer's macro", `#define($b)#mac($z)#end#set($m.b = $b)`, `#macro(mac $p)<$p>#end#set($z = 'Z')$m.b`, "<Z>", nil},
		{"a block made in the block", `#define($b)#define($c)[$w]#end#set($m.c = $c)#end#set($m.b = $b)`, `#set($w = 'W')$m.b$m.c`, "[W]", nil},
		{"loop in the block", `#define($b)#foreach($i in ['p', 'q'])$i$velocityCount#end#end#set($m.b = $b)`, `$m.b`, "p1q2", nil},
		// Turned into a string (toString, a list printed) the block renders
		// in the render that made it, as Block.Reference.toString does;
		// printed, in a string literal too, in the printing one.
		{"as a string", `#set($z = 3)#define($b)$z|$m.k#end#set($m.b = $b)`, `#set($z = 4)#set($s = "($m.b)")#set($l = [$m.b])$m.b.toString() $s $l $m.b`, "3|K (4|K) [3|K] 4|K", nil},
	} {
		m := NewMap()
		m.Put("k", "K")
		if _, err := render(t, c.define, map[string]any{"m": m}, RenderOptions{}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		vars := map[string]any{"m": m}
		for k, v := range c.vars {
			vars[k] = v
		}
		out, err := render(t, c.print, vars, RenderOptions{})
		if err != nil || out != c.want {
			t.Errorf("%s: %s printed %q, %v; want %q", c.name, c.print, out, err, c.want)
		}
	}
}

func TestMapsAreReadBack(t *testing.T) {
	ctx := NewMap()
	over := NewMap()
	over.Put("header", NewMap())
	ctx.Put("responseOverride", over)
	_, err := render(t, "#set($context.responseOverride.status = 201)#set($context.responseOverride.header.X-A = 'v')", map[string]any{"context": ctx}, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ToString(ctx); got != "{responseOverride={header={X-A=v}, status=201}}" {
		t.Errorf("context after render = %s", got)
	}
}

func TestNormalize(t *testing.T) {
	out, err := render(t, "$i $l $f $m $s $u", map[string]any{
		"i": 3, "l": int64(1) << 40, "f": float32(1.5), "m": map[string]any{"b": 1, "a": []string{"x"}},
		"s": []any{"a", nil}, "u": uint64(1) << 63,
	}, RenderOptions{})
	want := `3 1099511627776 1.5 {a=["x"], b=1} ["a",null] 9223372036854775808`
	if err != nil || out != want {
		t.Errorf("got %q, %v; want %q", out, err, want)
	}
}

func TestFormatDouble(t *testing.T) {
	tests := map[float64]string{
		0: "0.0", 1: "1.0", -2.5: "-2.5", 1e7: "1.0E7", 1.234e-5: "1.234E-5", 0.001: "0.001",
		123456789.0: "1.23456789E8", 1e21: "1.0E21", 9999999: "9999999.0",
	}
	for f, want := range tests {
		if got := FormatDouble(f); got != want {
			t.Errorf("FormatDouble(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestTypedNilValuesAreNull(t *testing.T) {
	m := NewMap()
	m.Put("inner", (*Map)(nil))
	m.Put("list", (*List)(nil))
	out, err := render(t, "[$m.inner][$m.inner.x][$m.list.size()]#set($m.inner.x = 1)#set($m.list[0] = 1)#foreach($i in $m.list)x#end[$n]", map[string]any{"m": m, "n": (*Map)(nil)}, RenderOptions{})
	if err != nil || out != "[][][][]" {
		t.Errorf("got %q, %v", out, err)
	}
}

// Macro arguments are passed by name, so a literal argument is built again
// at each use and nested macros multiply that: the render stops at
// MaxBuiltValues instead of building 4^14 lists, and a parameter read
// again and again without building anything still sees its context.
func TestMacroArgumentsByNameAreBounded(t *testing.T) {
	tmpl := MustParse("t", `#macro(m $x)#set($d=$d+1)#if($d<14)#m([$x,$x,$x,$x])#else$x.size()#end#end#set($d=0)#m(1)`)
	if _, err := tmpl.RenderString(context.Background(), nil, RenderOptions{}); !errors.Is(err, ErrOutputLimit) {
		t.Fatalf("err = %v, want ErrOutputLimit", err)
	}
	// The limit is the option's: a small one stops a small template.
	small := MustParse("t", `#set($a = [1, 2, 3])#set($b = [4, 5])[$a][$b]`)
	if _, err := small.RenderString(context.Background(), nil, RenderOptions{MaxBuiltValues: 4}); !errors.Is(err, ErrOutputLimit) {
		t.Fatalf("err = %v, want ErrOutputLimit with MaxBuiltValues 4", err)
	}
	if out, err := small.RenderString(context.Background(), nil, RenderOptions{MaxBuiltValues: 5}); err != nil || out != "[[1, 2, 3]][[4, 5]]" {
		t.Fatalf("MaxBuiltValues 5: %q, %v", out, err)
	}
	reads := MustParse("t", `#macro(m $x)#set($d=$d+1)#if($d<20)#m("$x.substring(0,0)$x.substring(0,0)$x.substring(0,0)$x.substring(0,0)")#else[$x]#end#end#set($d=0)#m("a")`)
	if _, err := reads.RenderString(&cancelLater{Context: context.Background()}, nil, RenderOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// With LiteralNulls (plain Velocity) a null macro parameter prints as the
// caller wrote its argument, but only written bare ($a): Velocity keeps
// the caller's node under ".literal.$a". Outputs recorded from Velocity
// 1.7 (vtl-oracle --literal-nulls).
func TestLiteralNullMacroArguments(t *testing.T) {
	for tmpl, want := range map[string]string{
		`#macro(mm $a)[$a][${a}][$a.foo][$!a][$a.toString()]#end#mm($nope.zz('$.zz'))`: `[$nope.zz('$.zz')][${a}][$a.foo][][$a.toString()]`,
		`#macro(mm $a)[$a]#end#mm($nope)`:                                              `[$nope]`,
		`#macro(mm $a)[$a]#end#mm("$nope")`:                                            `[$nope]`,
		`#macro(mm $a)[$a]#end#mm([$nope])`:                                            `[[null]]`,
		`#macro(mm $a)#macro(nn $b)[$b]#end#nn($a)#end#mm($nope.x)`:                    `[$a]`,
		`#macro(mm $a)[$a]#end#mm( $nope )`:                                            `[$nope]`,
		`#macro(mm $a $b)[$a|$b]#end#mm($nope, $other)`:                                `[$nope|$other]`,
		`#macro(mm $a)#foreach($a in [$null])[$a]#end#end#mm($nope)`:                   `[$nope]`,
	} {
		tp, err := Parse("t", tmpl)
		if err != nil {
			t.Fatalf("%s: %v", tmpl, err)
		}
		got, err := tp.RenderString(context.Background(), nil, RenderOptions{LiteralNulls: true})
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", tmpl, got, err, want)
		}
	}
}

// With LiteralNulls Velocity writes the backslashes before a null
// reference twice (its parser kept half of them), so an even run prints
// as written; before a value, and with API Gateway's empty nulls, half of
// them print. Outputs recorded from Velocity 1.7 (vtl-oracle, with and
// without --literal-nulls).
func TestNullReferenceEscapes(t *testing.T) {
	for _, tt := range []struct {
		tmpl               string
		literal, gatewayed string
	}{
		{`\$nope|\\$nope|\\\$nope|\\\\$nope|`, `\$nope|\\$nope|\\$nope|\\\\$nope|`, `\$nope|\|\\$nope|\\|`},
		{`#set($x=1)\$x|\\$x|\\\$x|\\\\$x`, `$x|\1|\$x|\\1`, `$x|\1|\$x|\\1`},
		{`\$!nope|\\$!nope|\\${nope}|\\$nope.foo|\\$!{nope}`, `\$!nope|\\|\\${nope}|\\$nope.foo|\\`, `\$!nope|\|\|\|\`},
		{`#set($s = "\\$nope")$s`, `\\$nope`, `\`},
	} {
		for _, mode := range []struct {
			opts RenderOptions
			want string
		}{{RenderOptions{LiteralNulls: true}, tt.literal}, {RenderOptions{}, tt.gatewayed}} {
			got, err := render(t, tt.tmpl, nil, mode.opts)
			if err != nil || got != mode.want {
				t.Errorf("%s (LiteralNulls %v): got %q, %v; want %q", tt.tmpl, mode.opts.LiteralNulls, got, err, mode.want)
			}
		}
	}
}

type parameterlessHost struct{}

func (parameterlessHost) CallMethod(name string, args []any) (any, bool, error) {
	if name == "count" && len(args) == 0 {
		return int32(3), true, nil
	}
	return nil, false, nil
}

func (parameterlessHost) HasParameterless(name string) bool { return name == "count" }

// A host Object that says a name has a method without parameters gets
// Velocity's failure for a call of it with arguments that fit nothing
// else; another unknown call stays null.
func TestParameterlessMethods(t *testing.T) {
	vars := map[string]any{"o": parameterlessHost{}}
	if out, err := render(t, `$o.count()|$!o.other(1)`, vars, RenderOptions{}); err != nil || out != "3|" {
		t.Errorf("got %q, %v", out, err)
	}
	if _, err := render(t, `$o.count(1)`, vars, RenderOptions{}); err == nil || !strings.Contains(err.Error(), "wrong number of arguments") {
		t.Errorf("count(1): %v", err)
	}
}
