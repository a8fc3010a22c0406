package javaregex

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// The outputs here were checked with java.util.regex (through the
// Velocity oracle's replaceAll); the corpus in transform/testdata/vtl
// holds the same behaviours as whole templates.
func TestJavaRegexMatches(t *testing.T) {
	for _, c := range []struct{ pattern, in, want string }{
		{`.`, "a\rb\nc\u2028d", "x\rx\nx\u2028x"},
		{`(?s).`, "a\rb", "xxx"},
		{`(?d).`, "a\rb\nc", "xxx\nx"},
		{`\s`, "a\x0bb c", "axbxc"},
		{`\h`, "a\tb\u00a0c d", "axbxcxd"},
		{`\v`, "a\x0bb\u2028c", "axbxc"},
		{`\R`, "a\r\nb\nc\rd", "axbxcxd"},
		{`\u00e9`, "café", "cafx"},
		{`\uD83D\uDE00`, "a😀", "ax"},
		{`\0101`, "A-B", "x-B"},
		{`\x41\x{42}`, "AB", "x"},
		{`\cI`, "a\tb", "axb"},
		{`[a-c[1-2]]`, "abc123", "xxxxx3"},
		{`[a-z&&[^bd]]`, "abcde", "xbxdx"},
		{`[\w&&[^_]]`, "a_1", "x_x"},
		{`[[:alpha:]]`, "alphabet:[x]", "xxxxxbetx[x]"},
		{`[^\p{Alnum}]`, "a-b_1!", "axbx1x"},
		{`[\p{Punct}\s]`, "a.b c", "axbxc"},
		{`\p{L}+`, "héllo wörld", "x x"},
		{`\p{IsLatin}`, "aΩ", "xΩ"},
		{`\++`, "a+++b", "axb"},
		{`[*+]`, "a*+b", "axxb"},
		{`a*+`, "aaab", "xxbx"},
		{`(?>ab|a)c`, "abc", "x"},
		{`(?i)é`, "É", "É"},
		{`(?iu)é`, "É", "x"},
		{`(?i)k`, "K\u212a", "x\u212a"},
		{`(?i)[a-c]`, "ABCd", "xxxd"},
		{`(?U)\w`, "é1", "xx"},
		{`\w`, "é1", "éx"},
		{`(?x) a b # comment`, "ab", "x"},
		{`(?<y>a)`, "ba", "bx"},
		{`[]a]`, "]a", "xx"},
		{`[a-]`, "-a", "xx"},
		{`^.*$`, "abc", "x"},
		{`^\s*`, "  a", "xa"},
		{`(?m)^`, "a\nb", "xa\nxb"},
		// The backtracking matcher's share.
		{`(?m)^`, "a\nb\n", "xa\nxb\n"},
		{`$`, "ab\n", "abx\nx"},
		{`$`, "ab\r\n", "abx\r\nx"},
		{`\Z`, "ab\n", "abx\nx"},
		{`(?m)$`, "a\r\nb", "ax\r\nbx"},
		{`\b`, "café bar", "xcaféx xbarx"},
		{`(\d)(?=(\d{3})+$)`, "1234567", "x23x567"},
		{`(?<=[a-z])(?=[A-Z])`, "helloWorldFoo", "helloxWorldxFoo"},
		{`(?<!x)y`, "xy zy", "xy zx"},
		{`(?<=ab{1,3})c`, "abbbc abc ac", "abbbx abx ac"},
		{`(\w)\1`, "aabbcd", "xxcd"},
		{`(?i)(a)\1`, "aA", "x"},
		{`(?<q>["'])(.*?)\k<q>`, `"x" and 'y'`, "x and x"},
		{`a*+a`, "aaa", "aaa"},
		{`(?>a+)b|a`, "aab", "x"},
		{`(a|)*b`, "aab", "x"},
		{`\G\d`, "12a3", "xxa3"},
		{`(?i)[^a-z0-9]`, "Hi, Jo 4!", "HixxJox4x"},
		{`(?iu)[^é]`, "ÉéA", "Ééx"},
		{`(?i)(?<name>a)b`, "xAbx", "xxx"},
		{`(?i)\p{Lu}`, "café", "xxxx"},
		{`(?<=^\s*)y`, "  y y", "  x y"},
		{`a{1001}`, strings.Repeat("a", 1002), "xa"},
		{`(?m)^`, "", ""},
		{`x|{2}`, "ax", "xaxx"},
		{`(?i){0,1}b`, "ab", "ax"},
		{`[\D&&]`, "a1b", "x1x"},
		{`[&&\d]`, "a1b", "axb"},
		{`[\Q-\E]`, "a-b", "axb"},
		{`\Q.*\E*`, "a.**b", "axb"},
		{`(?i)(é)\1`, "éÉ", "éÉ"},
		{`(?iu)(é)\1`, "éÉ", "x"},
		{`b$`, "abab", "abax"},
		{`b$`, "abab\n", "abax\n"},
	} {
		re, err := Compile(c.pattern, Find)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		ms, err := re.FindAll(context.Background(), c.in, -1)
		if err != nil {
			t.Errorf("%q on %q: %v", c.pattern, c.in, err)
			continue
		}
		var b strings.Builder
		last := 0
		for _, m := range ms {
			b.WriteString(c.in[last:m[0]])
			b.WriteString("x")
			last = m[1]
		}
		b.WriteString(c.in[last:])
		if b.String() != c.want {
			t.Errorf("%q on %q: %q, want %q (%T)", c.pattern, c.in, b.String(), c.want, re)
		}
	}
}

func TestJavaRegexRefused(t *testing.T) {
	for _, p := range []string{
		`{id}`, `a{,2}`, `(?)*`, `(?<a_b>x)`, `(?<1x>x)`, `[[]`, `[a`, `a\`, `(?q)`, `\p{Nope}`, `[z-a]`, `\uZZZZ`, `\xZ`, `\y`,
		`\k<nope>`, `(a`, `a)`, strings.Repeat("(", 2000) + "a" + strings.Repeat(")", 2000), strings.Repeat("[", 2000) + "a" + strings.Repeat("]", 2000), `*a`, `(?<n>a)(?<n>b)`, `\p{InNoSuchBlock}`, `\p{InGreek_and_Coptic}`,
	} {
		if re, err := Compile(p, Find); err == nil {
			t.Errorf("%q was accepted (%T)", p, re)
		} else if !strings.HasPrefix(err.Error(), "PatternSyntaxException") {
			t.Errorf("%q: %v", p, err)
		}
	}
	// RE2 cannot say these; the backtracking matcher takes them.
	for _, p := range []string{`(?=x)`, `(?<=x)`, `(?!x)`, `(?<!x)`, `(a)\1`, `\G`, `a++`, `(?>a)`, `(?<=a+)b`, `a{1001}`} {
		if re, err := Compile(p, Find); err != nil {
			t.Errorf("%q: %v", p, err)
		} else if _, ok := re.(*btPattern); !ok {
			t.Errorf("%q went to %T", p, re)
		}
	}
	// These run on RE2 but for texts where their anchors differ.
	for _, p := range []string{`\Z`, `$`, `\b`, `(?m)^`} {
		if re, err := Compile(p, Find); err != nil {
			t.Errorf("%q: %v", p, err)
		} else if _, ok := re.(*hybridPattern); !ok {
			t.Errorf("%q went to %T", p, re)
		}
	}
	if _, err := translateJavaRegex(`(?=x)`); !errors.Is(err, errRegexUnsupported) {
		t.Errorf("lookahead for RE2: %v, want errRegexUnsupported", err)
	}
}

// A pattern that backtracks exponentially gives up with an error instead
// of taking the render's time.
func TestBacktrackGivesUp(t *testing.T) {
	re, err := Compile(`(a+)+(?=b)`, Find)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := re.FindAll(context.Background(), strings.Repeat("a", 40)+"!", -1); !errors.Is(err, ErrTooComplex) {
		t.Errorf("got %v, want ErrTooComplex", err)
	}
}

func TestRuneSetOps(t *testing.T) {
	az := runeSet{'a', 'z'}
	vowels := runeSet{'a', 'a', 'e', 'e', 'i', 'i', 'o', 'o', 'u', 'u'}
	consonants := az.intersect(vowels.complement())
	for r := rune(0); r < 0x200; r++ {
		want := r >= 'a' && r <= 'z' && !strings.ContainsRune("aeiou", r)
		if got := consonants.has(r); got != want {
			t.Fatalf("%q in consonants: %v", r, got)
		}
	}
	if got := az.union(runeSet{'0', '9'}).union(runeSet{'b', 'c'}); len(got) != 4 || got[0] != '0' || got[3] != 'z' {
		t.Errorf("union %q", got)
	}
	if all := (runeSet{}).complement(); len(all) != 2 || all[0] != 0 || all[1] != unicode.MaxRune {
		t.Errorf("complement of nothing: %v", all)
	}
	if none := (runeSet{0, unicode.MaxRune}).complement(); len(none) != 0 {
		t.Errorf("complement of everything: %v", none)
	}
	if s := (runeSet{}).String(); regexp.MustCompile(s).MatchString("a\x00\U0010ffff") {
		t.Errorf("the empty set %s matched", s)
	}
}

// FuzzTranslateJavaRegex: any pattern is translated or refused without a
// panic, and a translation RE2 accepts runs; a pattern of plain letters
// and digits matches itself literally. The backtracking matcher compiles
// or refuses it, and runs, without a panic either.
func FuzzTranslateJavaRegex(f *testing.F) {
	for _, s := range []string{`.`, `\s+`, `[a-z&&[^b]]`, `(?i)abc`, `(?x) a # c`, `[[:alpha:]]`, `\p{Alnum}+`, `\uD83D\uDE00`,
		`(?<n>a)|b{2,3}+`, `[^\p{L}\d]`, `\Q.*\E`, `\0777`, `\x{10FFFF}`, `(?U)\w\b`, `[\s\S]`, `a**`, `(`,
		`(\d)(?=(\d{3})+$)`, `(?<=a{1,3})b`, `(\w)\1`, `(?<q>.)\k<q>`, `(?>a+)b`, `(a+)+$`, `\Z`, `(?m)^$`} {
		f.Add(s, "a.b c\r\n")
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if bp, err := compileBacktrack(pattern, Find); err == nil {
			bp.FindAll(context.Background(), text, -1) // no panic; gives up past its step budget
		}
		re, err := translateJavaRegex(pattern)
		if err != nil {
			return
		}
		compiled, err := regexp.Compile(re)
		if err != nil {
			return
		}
		findAllJava(compiled, text, -1)
		if pattern != "" && strings.IndexFunc(pattern, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) < 0 && compiled.MatchString(pattern+text) != true {
			t.Fatalf("%q (as %q) does not match itself", pattern, re)
		}
	})
}

// FuzzBacktrackAgreesWithRE2: on the patterns compileJavaRegex gives RE2
// (no Java-only feature, no anchor that differs, no loop that can turn
// empty), the backtracking matcher finds the same matches and groups.
func FuzzBacktrackAgreesWithRE2(f *testing.F) {
	for _, s := range []string{`a|ab`, `(a|ab)(c|bcd)(d*)`, `(a*)+b`, `x*`, `[a-c]+?c`, `(\w+)\s(\w+)`, `(?i)Ab`, `(?s).`, `.`,
		`a{2,3}`, `(?:ab)*`, `[^\s]+`, `^a`, `\d+(?:\.\d+)?`, `(a)|b`, `((a)|b)+`} {
		f.Add(s, "abcd ab a\nb AB 12.5 aab")
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if len(text) > 64 || len(pattern) > 32 {
			return
		}
		jp, err := Compile(pattern, Find)
		if err != nil {
			return
		}
		re2, ok := jp.(re2Pattern)
		if !ok {
			return // the backtracker runs it anyway
		}
		compiled := re2.re
		re := compiled.String()
		bp, err := compileBacktrack(pattern, Find)
		if err != nil {
			t.Fatalf("%q: RE2 takes it (as %q), the backtracker refuses: %v", pattern, re, err)
		}
		want := findAllJava(compiled, text, -1)
		got, err := bp.FindAll(context.Background(), text, -1)
		if err != nil {
			return // gave up: too much backtracking
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%q on %q: backtracker %v, RE2 %v", pattern, text, got, want)
		}
	})
}

// A linear pattern that needs the backtracking matcher stays inside its
// budget on a large text (the budget grows with the text).
func TestBacktrackLargeText(t *testing.T) {
	re, err := Compile(`(?<=[a-z])(?=[A-Z])`, Find)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("abC", 100_000)
	ms, err := re.FindAll(context.Background(), text, -1)
	if err != nil || len(ms) != 100_000 {
		t.Fatalf("%d matches, %v", len(ms), err)
	}
	// A canceled render stops the search.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	slow, err := Compile(`(a+)+(?=b)`, Find)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := slow.FindAll(ctx, strings.Repeat("a", 30)+"!", -1); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// A loop over an alternation nests the matcher's calls a few levels a
// turn: on a long text the depth cap stops it with an error, long before
// Go's stack limit, whose overflow kills the process.
func TestBacktrackDepthBounded(t *testing.T) {
	re, err := Compile(`"(?:[^"\\]|\\.)*"(?=\s*:)`, Find)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"k": "` + strings.Repeat("x", 500_000) + `"}`
	if _, err := re.FindAll(context.Background(), body, -1); !errors.Is(err, ErrTooComplex) {
		t.Errorf("got %v, want ErrTooComplex", err)
	}
	// Short texts are matched as usual.
	ms, err := re.FindAll(context.Background(), `{"k": "v", "x\"y": 1}`, -1)
	if err != nil || len(ms) != 2 {
		t.Errorf("%v %v", ms, err)
	}
}

// Work that one step hides is counted: a backreference compares its
// group's text, character by character.
func TestBacktrackBackrefCounted(t *testing.T) {
	re, err := compileBacktrack(`^(a*)\1b`, Find)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := re.FindAll(context.Background(), strings.Repeat("a", 200_000)+"c", -1); !errors.Is(err, ErrTooComplex) {
		t.Errorf("got %v, want ErrTooComplex", err)
	}
}

// Lengths saturate: nested counts in a lookbehind do not wrap negative
// (which made the matcher read past the text).
func TestBacktrackLookbehindLengthsSaturate(t *testing.T) {
	re, err := compileBacktrack(`(?<=\b(?:(?:a{16777215}){16777215}){65536,65537})c`, Find)
	if err != nil {
		t.Fatal(err)
	}
	if ms, err := re.FindAll(context.Background(), "bc", -1); err != nil || len(ms) != 0 {
		t.Errorf("%v %v", ms, err)
	}
}

// A pattern from CompileShared is shared by the goroutines of a gateway: one whose
// anchors need the backtracking matcher on some texts (here '$' before a
// final line break) is matched concurrently on such texts and others;
// the race detector sees any write.
func TestCompileSharedConcurrent(t *testing.T) {
	re, err := CompileShared(`[\s\S]*failed$[\s\S]*`, Whole)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				text, want := "it failed", true
				switch (i + j) % 3 {
				case 1:
					text = "it failed\n" // Java's $ also matches before a final line break, RE2's not
				case 2:
					text, want = "it failed twice", false
				}
				if ms, err := re.FindAll(context.Background(), text, 1); (len(ms) > 0) != want || err != nil {
					t.Errorf("%q: %v %v, want %v", text, ms, err, want)
					return
				}
				if ok, err := re.MatchString(context.Background(), text); ok != want || err != nil {
					t.Errorf("%q: MatchString %v %v, want %v", text, ok, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	if _, err := CompileShared("a**", Whole); err == nil || !strings.Contains(err.Error(), "dangling meta character") {
		t.Errorf("a**: %v", err)
	}
}

// Prefix mode matches as Matcher.lookingAt does: from the
// start of the text, not necessarily to its end; Java's anchors keep
// their meaning ('$' before a final line break).
func TestPrefixMode(t *testing.T) {
	for _, tt := range []struct {
		pattern, text string
		want          bool
	}{
		{`4\d\d`, "404 Not Found", true},
		{`Not found`, "Error: Not found", false},
		{`(?!x).`, "abc", true},
		{`(?!a).`, "abc", false},
		{`a$`, "a\n", true},
		{`a$`, "ab", false},
		{`(a)\1`, "aab", true},
		{``, "anything", true},
	} {
		re, err := CompileShared(tt.pattern, Prefix)
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		if ms, err := re.FindAll(context.Background(), tt.text, 1); (len(ms) > 0) != tt.want || err != nil {
			t.Errorf("%q on %q: %v %v, want %v", tt.pattern, tt.text, ms, err, tt.want)
		}
		if ok, err := re.MatchString(context.Background(), tt.text); ok != tt.want || err != nil {
			t.Errorf("%q on %q: MatchString %v %v, want %v", tt.pattern, tt.text, ok, err, tt.want)
		}
	}
}
