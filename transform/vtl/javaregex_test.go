package vtl

import (
	"errors"
	"regexp"
	"strings"
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
	} {
		re, err := translateJavaRegex(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		compiled, err := regexp.Compile(re)
		if err != nil {
			t.Errorf("%q → %q: %v", c.pattern, re, err)
			continue
		}
		var b strings.Builder
		last := 0
		for _, m := range findAllJava(compiled, c.in, -1) {
			b.WriteString(c.in[last:m[0]])
			b.WriteString("x")
			last = m[1]
		}
		b.WriteString(c.in[last:])
		if b.String() != c.want {
			t.Errorf("%q on %q: %q, want %q (RE2 %q)", c.pattern, c.in, b.String(), c.want, re)
		}
	}
}

func TestJavaRegexRefused(t *testing.T) {
	for _, p := range []string{
		`{id}`, `a{,2}`, `[[]`, `[a`, `a\`, `(?=x)`, `(?<=x)`, `(?!x)`, `(?<!x)`, `(a)\1`, `\k<n>`, `\Z`, `\G`,
		`(?q)`, `\p{Nope}`, `[z-a]`, `\uZZZZ`, `\xZ`, `\y`,
	} {
		re, err := translateJavaRegex(p)
		if err == nil {
			if _, err = regexp.Compile(re); err == nil {
				t.Errorf("%q was accepted (as %q)", p, re)
			}
		}
	}
	if _, err := translateJavaRegex(`(?=x)`); !errors.Is(err, errRegexUnsupported) {
		t.Errorf("lookahead: %v, want errRegexUnsupported", err)
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

func (s runeSet) has(r rune) bool {
	for i := 0; i+1 < len(s); i += 2 {
		if r >= s[i] && r <= s[i+1] {
			return true
		}
	}
	return false
}

// FuzzTranslateJavaRegex: any pattern is translated or refused without a
// panic, and a translation RE2 accepts runs; a pattern of plain letters
// and digits matches itself literally.
func FuzzTranslateJavaRegex(f *testing.F) {
	for _, s := range []string{`.`, `\s+`, `[a-z&&[^b]]`, `(?i)abc`, `(?x) a # c`, `[[:alpha:]]`, `\p{Alnum}+`, `\uD83D\uDE00`,
		`(?<n>a)|b{2,3}+`, `[^\p{L}\d]`, `\Q.*\E`, `\0777`, `\x{10FFFF}`, `(?U)\w\b`, `[\s\S]`, `a**`, `(`} {
		f.Add(s, "a.b c\r\n")
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
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
