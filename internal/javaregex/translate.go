package javaregex

import (
	"cmp"
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// This file rewrites java.util.regex patterns, which String.replaceAll,
// split and matches take, into RE2 syntax for Go's regexp. Where the two
// spell a feature differently the rewrite keeps Java's meaning: '.' stops
// at \r, \u0085, \u2028 and \u2029 too; \s takes \u000B; \h, \v, \R,
// \uXXXX, octal \0nn, \cX and \e exist; character classes nest, unite and
// intersect ([a-z&&[^b]]); [:alpha:] inside a class is a set of
// characters, not a POSIX class; \p{Alpha} and the other POSIX-like
// names are ASCII; (?x) allows spaces and comments; (?U) makes \w, \d
// and \s Unicode (RE2's U flag, ungreedy, has no Java equivalent); (?i)
// folds ASCII only unless (?u) is on; possessive quantifiers and atomic
// groups become greedy ones. Lookaround, backreferences, \Z and \G have
// no RE2 equivalent: such patterns fail (errRegexUnsupported).
//
// Left as RE2 has them: \b and \B see ASCII word characters (Java's \b
// sees Unicode letters), and '$' matches only at the very end (Java's
// also before a final line terminator), '^' and '$' in (?m) mode see only
// \n as a line terminator.

var errRegexUnsupported = errors.New("not supported by this engine")

// regexFlags are the Java flags that change how the pattern is rewritten.
type regexFlags struct {
	dotAll, unixLines, comments, unicodeCase, unicodeClass, caseless, multiline bool
}

// set turns the inline flag c on or off; false for an unknown flag.
func (f *regexFlags) set(c rune, on bool) bool {
	switch c {
	case 'i':
		f.caseless = on
	case 'm':
		f.multiline = on
	case 's':
		f.dotAll = on
	case 'd':
		f.unixLines = on
	case 'u':
		f.unicodeCase = on
	case 'x':
		f.comments = on
	case 'U':
		f.unicodeClass = on
	case 'c':
		// CANON_EQ: nothing to do for precomposed text.
	default:
		return false
	}
	return true
}

type regexTranslator struct {
	p     []rune
	i     int
	out   strings.Builder
	flags []regexFlags // one per open group; the last is in force
	// repeatable: the last thing read can take a quantifier; quantified:
	// it is a quantifier, which Java lets no second one follow.
	repeatable, quantified bool
	// javaOnly notes a construct RE2 would run differently whatever the
	// text (a possessive quantifier, an atomic group).
	javaOnly bool
	// anchors notes anchors RE2 takes differently on some texts only
	// (see anchorKinds).
	anchors anchorKinds
	names   map[string]bool // the named groups so far
	// classDepth counts the classes open (they nest).
	classDepth int
}

// anchorKinds are the anchors whose Java meaning RE2 shares on most
// texts: a pattern holding them runs on RE2 unless the text is one where
// they differ (see needsJava).
type anchorKinds uint8

const (
	anchorDollar    anchorKinds = 1 << iota // '$' outside (?m), \Z: also before a final line terminator
	anchorWord                              // \b, \B: Unicode letters and digits are word characters
	anchorMultiline                         // '^', '$' in (?m): every line terminator; no '^' at the end
)

// needsJava reports whether anchors of these kinds can mean something
// else in Java than in RE2 on text s.
func (k anchorKinds) needsJava(s string) bool {
	if k == 0 {
		return false
	}
	if k&(anchorDollar|anchorMultiline) != 0 {
		if s == "" {
			return k&anchorMultiline != 0 // Java's (?m)^ never matches at the end, so not in ""
		}
		if r, _ := utf8.DecodeLastRuneInString(s); isLineTerminator(r) {
			return true
		}
	}
	if k&anchorMultiline != 0 && strings.ContainsAny(s, "\r\u0085\u2028\u2029") {
		return true
	}
	if k&anchorWord != 0 {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return true
			}
		}
	}
	return false
}

// translateJavaRegex rewrites a Java pattern into RE2 syntax.
func translateJavaRegex(pattern string) (string, error) {
	s, _, _, err := translateJavaRegexFor(pattern)
	return s, err
}

// translateJavaRegexFor is translateJavaRegex that also reports whether
// the pattern needs the backtracking matcher whatever the text
// (javaOnly), and which anchors need it on some texts.
func translateJavaRegexFor(pattern string) (re2 string, javaOnly bool, anchors anchorKinds, err error) {
	if !utf8.ValidString(pattern) {
		return "", false, 0, errors.New("invalid UTF-8")
	}
	t := &regexTranslator{p: []rune(pattern), flags: []regexFlags{{}}}
	if err := t.run(); err != nil {
		return "", false, 0, err
	}
	return t.out.String(), t.javaOnly, t.anchors, nil
}

func (t *regexTranslator) cur() *regexFlags { return &t.flags[len(t.flags)-1] }

func (t *regexTranslator) more() bool { return t.i < len(t.p) }

func (t *regexTranslator) peek(k int) rune {
	if t.i+k < len(t.p) {
		return t.p[t.i+k]
	}
	return -1
}

func (t *regexTranslator) run() error {
	for t.more() {
		c := t.p[t.i]
		f := t.cur()
		switch {
		case f.comments && isPatternSpace(c):
			t.i++
		case f.comments && c == '#':
			for t.more() && t.p[t.i] != '\n' {
				t.i++
			}
		case c == '\\':
			if err := t.escapeOutside(); err != nil {
				return err
			}
		case c == '[':
			set, err := t.class()
			if err != nil {
				return err
			}
			t.set(set)
		case c == '.':
			t.i++
			switch {
			case f.dotAll:
				t.out.WriteString(`(?s:.)`)
			case f.unixLines:
				t.out.WriteString(`[^\n]`)
			default:
				t.out.WriteString(`[^\n\r\x{85}\x{2028}\x{2029}]`)
			}
		case c == '(':
			if err := t.group(); err != nil {
				return err
			}
		case c == ')':
			t.i++
			if len(t.flags) == 1 {
				return errors.New("unmatched closing ')'")
			}
			t.flags = t.flags[:len(t.flags)-1]
			t.out.WriteByte(')')
		case c == '*' || c == '+' || c == '?':
			if !t.repeatable || t.quantified {
				return fmt.Errorf("dangling meta character '%c'", c)
			}
			t.i++
			t.out.WriteRune(c)
			t.quantifierSuffix()
		case c == '^' || c == '$' || c == '|':
			t.i++
			t.out.WriteRune(c)
			switch {
			case (c == '$' || c == '^') && f.multiline:
				t.anchors |= anchorMultiline
			case c == '$':
				t.anchors |= anchorDollar
			}
		case c == '{' && !t.counted():
			return errors.New("illegal repetition") // Java: "Illegal repetition"
		case c == '{':
			end := t.i + 1
			for t.p[end] != '}' {
				end++
			}
			lo, hi, comma := strings.Cut(string(t.p[t.i+1:end]), ",")
			lo, hi = trimZeros(lo), trimZeros(hi)
			if comma && hi != "" && (len(hi) < len(lo) || len(hi) == len(lo) && hi < lo) || countTooLarge(lo) || countTooLarge(hi) {
				return errors.New("illegal repetition range")
			}
			t.i = end + 1
			if !t.repeatable || t.quantified {
				// Java repeats nothing (an empty match); RE2 would read
				// the braces literally, or repeat the repetition. A lazy
				// or possessive suffix belongs to that empty repetition:
				// it is passed over, not written after what came before.
				t.skipSpace()
				if c := t.peek(0); c == '?' || c == '+' {
					t.i++
				}
				t.quantified = true
				continue
			}
			// The counts as numbers: RE2 reads {000} literally (it takes
			// no leading zeros), Java as {0}.
			t.out.WriteString("{" + lo)
			if comma {
				t.out.WriteString("," + hi)
			}
			t.out.WriteByte('}')
			t.quantifierSuffix()
		default:
			t.i++
			t.literal(c)
		}
		// What follows can take a quantifier but at the start of the
		// pattern or a group, after '|', after a flag group, or after a
		// quantifier.
		switch {
		case f.comments && (isPatternSpace(c) || c == '#'):
		case c == '(' || c == '|':
			t.repeatable, t.quantified = false, false // a group just opened, or a flag group
		case c == '*' || c == '+' || c == '?' || c == '{':
			t.repeatable, t.quantified = true, true
		default:
			t.repeatable, t.quantified = true, false
		}
	}
	if len(t.flags) > 1 {
		return errors.New("unclosed group")
	}
	return nil
}

// trimZeros drops the leading zeros of a count ("" stays "").
func trimZeros(n string) string {
	if t := strings.TrimLeft(n, "0"); t != "" || n == "" {
		return t
	}
	return "0"
}

// counted reports whether a '{' at the position starts {n}, {n,} or {n,m}.
func (t *regexTranslator) counted() bool {
	j := t.i + 1
	if j >= len(t.p) || t.p[j] < '0' || t.p[j] > '9' {
		return false
	}
	commas := 0
	for j < len(t.p) && (t.p[j] >= '0' && t.p[j] <= '9' || t.p[j] == ',') {
		if t.p[j] == ',' {
			commas++
		}
		j++
	}
	return commas <= 1 && j < len(t.p) && t.p[j] == '}'
}

// countTooLarge reports whether a repetition count (without leading
// zeros) is above Java's limit, Integer.MAX_VALUE.
func countTooLarge(n string) bool {
	return len(n) > 10 || len(n) == 10 && n > "2147483647"
}

// skipSpace skips, in comments mode, the spaces and comments Java's
// parser passes over before it looks at the next character (such as a
// quantifier after its atom).
func (t *regexTranslator) skipSpace() {
	for t.cur().comments && t.more() {
		switch c := t.p[t.i]; {
		case isPatternSpace(c):
			t.i++
		case c == '#':
			for t.more() && t.p[t.i] != '\n' {
				t.i++
			}
		default:
			return
		}
	}
}

// quantifierSuffix copies a lazy '?'; a possessive '+' sends the pattern
// to the backtracking matcher.
func (t *regexTranslator) quantifierSuffix() {
	t.skipSpace()
	switch t.peek(0) {
	case '?':
		t.i++
		t.out.WriteByte('?')
	case '+':
		t.i++
		t.javaOnly = true // possessive: RE2 would backtrack into it
	}
}

// literal writes one literal character. The pattern is handed to RE2
// without its i flag, so the characters (?i) lets it match are written
// out here (foldSingle).
func (t *regexTranslator) literal(c rune) {
	if set := t.foldSingle(c); len(set) > 2 || set[0] != set[1] {
		t.out.WriteString(set.String())
		return
	}
	t.out.WriteString(regexpQuote(c))
}

// foldSingle is the set a character c of the pattern matches, as Java
// 17 reads it: under (?i) also the other case of an ASCII letter; under
// (?iu) every character whose Character.toLowerCase(toUpperCase(x)) is
// c's (SingleU: ı, I, i and İ all match i), and c's own.
func (t *regexTranslator) foldSingle(c rune) runeSet {
	f := t.cur()
	switch {
	case !f.caseless:
		return runeSet{c, c}
	case f.unicodeCase || f.unicodeClass:
		up := unicode.ToUpper(c)
		key := unicode.ToLower(up)
		if up == key {
			return runeSet{c, c}
		}
		set := runeSet{c, c, key, key}
		for _, x := range javaCases().byKey[key] {
			set = append(set, x, x)
		}
		return normalizeRanges(set)
	}
	return runeSet{c, c}.union(asciiFold(runeSet{c, c}))
}

// foldRange is the set a range lo-hi of a class matches: under (?i) also
// the other case of its ASCII letters (CIRange); under (?iu) every x
// whose toUpperCase, or toLowerCase of that, falls in it (CIRangeU: so
// [a-z] takes ı, İ and the Kelvin sign, [A-Z] ı but neither of the
// others).
func (t *regexTranslator) foldRange(lo, hi rune) runeSet {
	f := t.cur()
	set := runeSet{lo, hi}
	switch {
	case !f.caseless:
		return set
	case f.unicodeCase || f.unicodeClass:
		var extra runeSet
		for _, x := range javaCases().mapped {
			up := unicode.ToUpper(x)
			if key := unicode.ToLower(up); up >= lo && up <= hi || key >= lo && key <= hi {
				extra = append(extra, x, x)
			}
		}
		return set.union(normalizeRanges(extra))
	}
	return set.union(asciiFold(set))
}

// caseData is what Java's Unicode case-insensitive matching needs of
// Character's case mappings.
type caseData struct {
	byKey  map[rune][]rune // toLowerCase(toUpperCase(x)) → every such x that either mapping changes
	mapped []rune          // the characters either mapping changes
}

var javaCases = sync.OnceValue(func() *caseData {
	d := &caseData{byKey: map[rune][]rune{}}
	for r := rune(0); r <= 0x1ffff; r++ { // no cased letters past the second plane
		up := unicode.ToUpper(r)
		if key := unicode.ToLower(up); up != r || key != r {
			d.mapped = append(d.mapped, r)
			d.byKey[key] = append(d.byKey[key], r)
		}
	}
	return d
})

func regexpQuote(c rune) string {
	if c < utf8.RuneSelf && strings.ContainsRune(`\.+*?()|[]{}^$`, c) {
		return `\` + string(c)
	}
	if c < ' ' || c == 0x7f || c >= 0x80 && !unicode.IsPrint(c) {
		return fmt.Sprintf(`\x{%x}`, c)
	}
	return string(c)
}

// maxRegexNesting bounds the groups and classes open at once: the parsers
// recurse (RE2's limit is the same).
const maxRegexNesting = 1000

var errRegexNesting = errors.New("the pattern nests too deeply")

// group translates what follows a '(': flags, group kinds.
func (t *regexTranslator) group() error {
	if len(t.flags) > maxRegexNesting {
		return errRegexNesting
	}
	t.i++
	f := *t.cur()
	if t.peek(0) != '?' {
		t.flags = append(t.flags, f)
		t.out.WriteByte('(')
		return nil
	}
	switch t.peek(1) {
	case '=', '!':
		return fmt.Errorf("lookahead %w", errRegexUnsupported)
	case '<':
		if c := t.peek(2); c == '=' || c == '!' {
			return fmt.Errorf("lookbehind %w", errRegexUnsupported)
		}
		end := t.i + 2
		for end < len(t.p) && t.p[end] != '>' {
			end++
		}
		name := string(t.p[t.i+2 : min(end, len(t.p))])
		if !validGroupName(name) {
			return fmt.Errorf("capturing group name <%s> does not start with a Latin letter or holds other than Latin letters and digits", name)
		}
		if t.names[name] {
			return fmt.Errorf("named capturing group <%s> is already defined", name)
		}
		if t.names == nil {
			t.names = map[string]bool{}
		}
		t.names[name] = true
		if end >= len(t.p) {
			return errors.New("named capturing group is missing trailing '>'")
		}
		t.i = end + 1
		t.flags = append(t.flags, f)
		t.out.WriteString(`(?P<` + name + `>`) // the name as written, not folded as text
		return nil
	case '>':
		t.i += 2
		t.flags = append(t.flags, f)
		t.out.WriteString(`(?:`)
		t.javaOnly = true // atomic: RE2 would backtrack into it
		return nil
	case ':':
		t.i += 2
		t.flags = append(t.flags, f)
		t.out.WriteString(`(?:`)
		return nil
	}
	// Flags: of these only m goes to RE2; the others change the rewrite.
	t.i++
	end, multiline, err := t.inlineFlags(&f)
	if err != nil {
		return err
	}
	if end == ':' {
		t.flags = append(t.flags, f)
		t.out.WriteString(`(?` + multiline + `:`)
		return nil
	}
	*t.cur() = f
	if multiline != "" {
		t.out.WriteString(`(?` + multiline + `)`)
	}
	return nil // a {n} after it repeats nothing, as in Java
}

// inlineFlags reads the flags of (?idmsuxU-idmsuxU) or (?idmsuxU-idmsuxU:X)
// from after the "(?" into f, and the ')' or ':' that ends them (end).
// multiline is what RE2 is to be told of m: "", "m" or "-m". A quantifier
// after a flag group has nothing to repeat.
func (t *regexTranslator) inlineFlags(f *regexFlags) (end rune, multiline string, err error) {
	on := true
	for t.more() {
		c := t.p[t.i]
		t.i++
		switch c {
		case '-':
			on = false
		case ':':
			return c, multiline, nil
		case ')':
			if c := t.peek(0); c == '*' || c == '+' || c == '?' {
				return 0, "", fmt.Errorf("dangling meta character '%c'", c)
			}
			return c, multiline, nil
		default:
			if !f.set(c, on) {
				return 0, "", fmt.Errorf("unknown inline flag %q", c)
			}
			if c == 'm' {
				multiline = "m"
				if !on {
					multiline = "-m"
				}
			}
		}
	}
	return 0, "", errors.New("unclosed group")
}

// escapeOutside translates an escape outside a character class.
func (t *regexTranslator) escapeOutside() error {
	c := t.peek(1)
	switch c {
	case -1:
		return errors.New("trailing backslash")
	case 'Q':
		t.i += 2
		for t.more() && !(t.p[t.i] == '\\' && t.peek(1) == 'E') {
			t.literal(t.p[t.i])
			t.i++
		}
		if t.more() {
			t.i += 2
		}
		return nil
	case 'b', 'B', 'A', 'z':
		t.i += 2
		t.out.WriteString(`\` + string(c))
		if c == 'b' || c == 'B' {
			t.anchors |= anchorWord
		}
		return nil
	case 'Z':
		// Java's \Z is '$' outside (?m); RE2's '$' there is \z, the same
		// but on texts ending in a line terminator.
		t.i += 2
		t.out.WriteString(`(?-m:$)`)
		t.anchors |= anchorDollar
		return nil
	case 'G':
		return fmt.Errorf(`\%c %w`, c, errRegexUnsupported)
	case 'R':
		t.i += 2
		t.out.WriteString(`(?:\r\n|[\n\x0B\f\r\x{85}\x{2028}\x{2029}])`)
		return nil
	case 'k':
		return fmt.Errorf("backreference %w", errRegexUnsupported)
	}
	if c >= '1' && c <= '9' {
		return fmt.Errorf("backreference %w", errRegexUnsupported)
	}
	set, r, err := t.escape()
	if err != nil {
		return err
	}
	if set != nil {
		t.set(set)
	} else {
		t.literal(r)
	}
	return nil
}

// set writes a class (folded: RE2 gets no i flag).
// set writes a class, a predefined class or a property. Java folds
// none of these under (?i): a class's members were folded as they were
// read, and \w or \p{Alpha} match what they say.
func (t *regexTranslator) set(set runeSet) {
	t.out.WriteString(set.String())
}

// asciiFold returns the other case of the ASCII letters in set.
func asciiFold(set runeSet) runeSet {
	var out runeSet
	for _, r := range []struct{ lo, hi, shift rune }{{'a', 'z', 'A' - 'a'}, {'A', 'Z', 'a' - 'A'}} {
		in := set.intersect(runeSet{r.lo, r.hi})
		for i := 0; i+1 < len(in); i += 2 {
			out = append(out, in[i]+r.shift, in[i+1]+r.shift)
		}
	}
	return normalizeRanges(out)
}

// escape reads an escape valid both inside and outside classes: a class
// (set) or one character (r).
func (t *regexTranslator) escape() (set runeSet, r rune, err error) {
	t.i++ // the backslash
	c := t.peek(0)
	t.i++
	f := t.cur()
	switch c {
	case 't':
		return nil, '\t', nil
	case 'n':
		return nil, '\n', nil
	case 'r':
		return nil, '\r', nil
	case 'f':
		return nil, '\f', nil
	case 'a':
		return nil, 0x07, nil
	case 'e':
		return nil, 0x1B, nil
	case '0':
		return t.octal()
	case 'x':
		return t.hex()
	case 'u':
		return t.unicodeEscape()
	case 'c':
		if !t.more() {
			return nil, 0, errors.New(`illegal control escape \c`)
		}
		r := t.p[t.i]
		t.i++
		return nil, r ^ 64, nil
	case 'd', 'D', 'w', 'W', 's', 'S':
		return predefined(c, f.unicodeClass), 0, nil
	case 'h', 'H':
		return maybeNegate(hSpace, c == 'H'), 0, nil
	case 'v', 'V':
		return maybeNegate(vSpace, c == 'V'), 0, nil
	case 'p', 'P':
		set, err := t.property()
		if err != nil {
			return nil, 0, err
		}
		return maybeNegate(set, c == 'P'), 0, nil
	}
	if c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return nil, 0, fmt.Errorf(`illegal/unsupported escape sequence \%c`, c)
	}
	return nil, c, nil
}

func (t *regexTranslator) octal() (runeSet, rune, error) {
	v, n := rune(0), 0
	for n < 3 && t.more() && t.p[t.i] >= '0' && t.p[t.i] <= '7' {
		next := v*8 + t.p[t.i] - '0'
		if next > 0377 {
			break
		}
		v = next
		t.i++
		n++
	}
	if n == 0 {
		return nil, 0, errors.New("illegal octal escape sequence")
	}
	return nil, v, nil
}

func (t *regexTranslator) hex() (runeSet, rune, error) {
	if t.peek(0) == '{' {
		end := t.i + 1
		for end < len(t.p) && t.p[end] != '}' {
			end++
		}
		if end >= len(t.p) {
			return nil, 0, errors.New("unclosed hexadecimal escape sequence")
		}
		v, err := strconv.ParseUint(string(t.p[t.i+1:end]), 16, 32)
		if err != nil || v > unicode.MaxRune {
			return nil, 0, errors.New("illegal hexadecimal escape sequence")
		}
		t.i = end + 1
		return nil, rune(v), nil
	}
	if t.i+2 > len(t.p) {
		return nil, 0, errors.New("illegal hexadecimal escape sequence")
	}
	v, err := strconv.ParseUint(string(t.p[t.i:t.i+2]), 16, 8)
	if err != nil {
		return nil, 0, errors.New("illegal hexadecimal escape sequence")
	}
	t.i += 2
	return nil, rune(v), nil
}

func (t *regexTranslator) unicodeEscape() (runeSet, rune, error) {
	read := func() (rune, bool) {
		if t.i+4 > len(t.p) {
			return 0, false
		}
		v, err := strconv.ParseUint(string(t.p[t.i:t.i+4]), 16, 16)
		if err != nil {
			return 0, false
		}
		t.i += 4
		return rune(v), true
	}
	hi, ok := read()
	if !ok {
		return nil, 0, errors.New("illegal Unicode escape sequence")
	}
	// A surrogate pair written as two escapes is one character.
	if hi >= 0xD800 && hi < 0xDC00 && t.peek(0) == '\\' && t.peek(1) == 'u' {
		save := t.i
		t.i += 2
		if lo, ok := read(); ok && lo >= 0xDC00 && lo < 0xE000 {
			return nil, (hi-0xD800)<<10 + (lo - 0xDC00) + 0x10000, nil
		}
		t.i = save
	}
	return nil, hi, nil
}

// property reads the name of \p{Name} or \pL.
func (t *regexTranslator) property() (runeSet, error) {
	var name string
	if t.peek(0) == '{' {
		end := t.i + 1
		for end < len(t.p) && t.p[end] != '}' {
			end++
		}
		if end >= len(t.p) {
			return nil, errors.New("unclosed character family")
		}
		name = string(t.p[t.i+1 : end])
		t.i = end + 1
	} else if t.more() {
		name = string(t.p[t.i])
		t.i++
	}
	f := t.cur()
	set, err := javaProperty(name, f.unicodeClass)
	switch {
	case err != nil || !f.caseless:
	case caseProperty(name), f.unicodeClass && (name == "Lower" || name == "Upper"):
		set = uCased // Java: under (?i) a case property matches every cased letter
	case name == "Lower" || name == "Upper":
		set = runeSet{'A', 'Z', 'a', 'z'} // the ASCII ones, as ASCII.ALPHA
	}
	return set, err
}

// class reads a character class from its '['.
func (t *regexTranslator) class() (runeSet, error) {
	return t.classLevel(true)
}

// classOperand is an operand of a class's unions and intersections: a
// set of its own, or the class level's shared single characters (bits).
type classOperand struct {
	set  runeSet
	bits bool
}

// classStep is one step of the chain a class level builds: the operand
// united with (or, for and, intersected with) what came before.
type classStep struct {
	and bool
	x   classOperand
}

// classLevel reads a class as java.util.regex.Pattern.clazz does: from
// its '[' when open is set (consuming the closing ']'), or, for the
// right operand of "&&", from the current character up to the ']' that
// ends the class (left for the caller). Java collects single characters
// below 256 of a level into one shared set (its BitClass) and chains
// every other member, nested class and "&&" operand onto the members
// before it; the shared set is taken as it is at the end, so characters
// after an "&&" count in operands before it too ([!-&&&&] holds !-&).
// After "&&" the right operand runs to the next '&' or the end of the
// class: nested classes, and plain members read as a level of their own
// (up to that end, with its own "&&"s), united.
func (t *regexTranslator) classLevel(open bool) (runeSet, error) {
	if t.classDepth++; t.classDepth > maxRegexNesting {
		return nil, errRegexNesting
	}
	defer func() { t.classDepth-- }()
	negate := false
	if open {
		t.i++ // '['
		if t.peek(0) == '^' {
			negate = true
			t.i++
		}
	}
	var (
		bits    runeSet // the shared single characters
		hasBits bool    // bits took characters since the last "&&"
		chain   []classStep
		curr    classOperand // the last operand
		// currNone: the last member went to bits, which leaves Java's
		// curr null. An "&&" with nothing after it then intersects with
		// null: Java fails with a NullPointerException on a character
		// of the left side, and finds any other outside the
		// intersection, so it is taken as empty here (the failure
		// itself, which depends on the text, is not reproduced).
		currNone bool
	)
	unite := func(x classOperand) {
		curr, currNone = x, false
		chain = append(chain, classStep{x: x})
	}
	for {
		t.skipSpace()
		if !t.more() {
			return nil, errors.New("unclosed character class")
		}
		if t.p[t.i] == '\\' && t.peek(1) == 'Q' && t.peek(2) == '\\' && t.peek(3) == 'E' {
			t.i += 4 // an empty quote is nothing: Java removes \Q\E before it parses
			continue
		}
		switch c := t.p[t.i]; {
		case c == '[':
			nested, err := t.classLevel(true)
			if err != nil {
				return nil, err
			}
			unite(classOperand{set: nested})
			continue
		case c == '&' && t.peek(1) == '&':
			t.i += 2
			var right runeSet
			haveRight := false
			for t.skipSpace(); t.more() && t.p[t.i] != ']' && t.p[t.i] != '&'; t.skipSpace() {
				op, err := t.classLevel(t.p[t.i] == '[')
				if err != nil {
					return nil, err
				}
				if haveRight {
					op = right.union(op)
				}
				right, haveRight = op, true
			}
			if hasBits {
				if len(chain) == 0 {
					curr, currNone = classOperand{bits: true}, false
				}
				chain = append(chain, classStep{x: classOperand{bits: true}})
				hasBits = false
			}
			if haveRight {
				curr, currNone = classOperand{set: right}, false
			}
			switch {
			case len(chain) == 0 && !haveRight:
				return nil, errors.New("bad class syntax")
			case len(chain) == 0:
				chain = append(chain, classStep{x: curr})
			case currNone:
				chain = append(chain, classStep{and: true, x: classOperand{set: runeSet{}}})
			default:
				chain = append(chain, classStep{and: true, x: curr})
			}
			continue
		case c == ']' && (len(chain) > 0 || hasBits):
			if open {
				t.i++
			}
			if hasBits || len(chain) == 0 {
				chain = append(chain, classStep{x: classOperand{bits: true}})
			}
			value := func(x classOperand) runeSet {
				if x.bits {
					return normalizeRanges(bits)
				}
				return x.set
			}
			set := value(chain[0].x)
			for _, st := range chain[1:] {
				if st.and {
					set = set.intersect(value(st.x))
				} else {
					set = set.union(value(st.x))
				}
			}
			if negate { // after the members' folding: (?i)[^a-z] leaves out A-Z too
				set = set.complement()
			}
			return set, nil
		}
		// A member (Java's range()): a ']' before anything else, a lone
		// '&' and a '-' that starts no range are characters too.
		lo, set, err := t.classAtom()
		if err != nil {
			return nil, err
		}
		if set != nil {
			unite(classOperand{set: set})
			continue
		}
		// A range lo-hi, unless '-' ends the class or comes before a
		// nested one. Java takes "-&" as a range even before "&&":
		// [!-&&b] is the range !-& with & and b.
		if t.peek(0) == '-' && t.peek(1) != ']' && t.peek(1) != -1 && t.peek(1) != '[' {
			t.i++
			hi, hiSet, err := t.classAtom()
			if err != nil {
				return nil, err
			}
			if hiSet != nil || hi < lo {
				return nil, errors.New("illegal character range")
			}
			unite(classOperand{set: t.foldRange(lo, hi)})
			continue
		}
		if t.sharedBit(lo) {
			bits = append(bits, t.foldSingle(lo)...) // BitClass.add takes both cases
			hasBits, currNone = true, true
		} else {
			unite(classOperand{set: t.foldSingle(lo)})
		}
	}
}

// sharedBit reports whether Java keeps the class member c in the level's
// shared set (BitClass): characters below 256, but for the letters whose
// case folding leaves Latin-1 under (?iu).
func (t *regexTranslator) sharedBit(c rune) bool {
	if c >= 256 {
		return false
	}
	if f := t.cur(); f.caseless && (f.unicodeCase || f.unicodeClass) { // (?U) implies UNICODE_CASE
		switch c {
		case 0xff, 0xb5, 'I', 'i', 'S', 's', 'K', 'k', 0xc5, 0xe5:
			return false
		}
	}
	return true
}

func (t *regexTranslator) classAtom() (rune, runeSet, error) {
	c := t.p[t.i]
	if c != '\\' {
		t.i++
		return c, nil, nil
	}
	switch t.peek(1) {
	case -1:
		return 0, nil, errors.New("trailing backslash")
	case 'Q': // quoted characters, each a member
		t.i += 2
		var set runeSet
		for t.more() && !(t.p[t.i] == '\\' && t.peek(1) == 'E') {
			set = append(set, t.foldSingle(t.p[t.i])...)
			t.i++
		}
		if t.more() {
			t.i += 2
		}
		return 0, normalizeRanges(set), nil
	case 'b', 'B', 'A', 'z', 'Z', 'G', 'R', 'k':
		return 0, nil, fmt.Errorf(`\%c in a character class %w`, t.peek(1), errRegexUnsupported)
	}
	set, r, err := t.escape()
	return r, set, err
}

// validGroupName is Java's rule for group names: a Latin letter, then
// Latin letters and digits.
func validGroupName(name string) bool {
	for i, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return name != ""
}

// isPatternSpace is what (?x) skips: Java's ASCII whitespace.
func isPatternSpace(c rune) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r'
}

// runeSet is a sorted list of disjoint, non-adjacent inclusive ranges,
// lo0, hi0, lo1, hi1, ...
type runeSet []rune

func (s runeSet) union(o runeSet) runeSet {
	if len(o) == 0 {
		return s
	}
	all := append(append(runeSet(nil), s...), o...)
	return normalizeRanges(all)
}

func normalizeRanges(r runeSet) runeSet {
	type rg struct{ lo, hi rune }
	rs := make([]rg, 0, len(r)/2)
	for i := 0; i+1 < len(r); i += 2 {
		rs = append(rs, rg{r[i], r[i+1]})
	}
	slices.SortFunc(rs, func(a, b rg) int { return cmp.Compare(a.lo, b.lo) })
	var out runeSet
	for _, x := range rs {
		if n := len(out); n > 0 && x.lo <= out[n-1]+1 {
			out[n-1] = max(out[n-1], x.hi)
			continue
		}
		out = append(out, x.lo, x.hi)
	}
	return out
}

func (s runeSet) complement() runeSet {
	var out runeSet
	next := rune(0)
	for i := 0; i+1 < len(s); i += 2 {
		if s[i] > next {
			out = append(out, next, s[i]-1)
		}
		next = s[i+1] + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, next, unicode.MaxRune)
	}
	return out
}

func (s runeSet) intersect(o runeSet) runeSet {
	var out runeSet
	for i, j := 0, 0; i+1 < len(s) && j+1 < len(o); {
		lo, hi := max(s[i], o[j]), min(s[i+1], o[j+1])
		if lo <= hi {
			out = append(out, lo, hi)
		}
		if s[i+1] < o[j+1] {
			i += 2
		} else {
			j += 2
		}
	}
	return out
}

// String writes the set as an RE2 class.
func (s runeSet) String() string {
	if len(s) == 0 {
		return `[^\x00-\x{10ffff}]`
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i+1 < len(s); i += 2 {
		fmt.Fprintf(&b, `\x{%x}`, s[i])
		if s[i+1] != s[i] {
			fmt.Fprintf(&b, `-\x{%x}`, s[i+1])
		}
	}
	b.WriteByte(']')
	return b.String()
}

func maybeNegate(s runeSet, neg bool) runeSet {
	if neg {
		return s.complement()
	}
	return s
}

// rangesOf returns the characters an RE2 class expression matches.
func rangesOf(re2Class string) runeSet {
	re, err := syntax.Parse(re2Class, syntax.Perl)
	if err != nil {
		panic("vtl: bad built-in class " + re2Class + ": " + err.Error())
	}
	re = re.Simplify()
	if re.Op == syntax.OpLiteral && len(re.Rune) == 1 {
		return runeSet{re.Rune[0], re.Rune[0]}
	}
	return normalizeRanges(append(runeSet(nil), re.Rune...))
}

// tableSet returns the characters of Unicode tables as a set.
func tableSet(tabs ...*unicode.RangeTable) runeSet {
	var out runeSet
	add := func(lo, hi, stride rune) {
		if stride == 1 {
			out = append(out, lo, hi)
			return
		}
		for r := lo; r <= hi; r += stride {
			out = append(out, r, r)
		}
	}
	for _, tab := range tabs {
		for _, r := range tab.R16 {
			add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
		}
		for _, r := range tab.R32 {
			add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
		}
	}
	return normalizeRanges(out)
}

var (
	javaSpaceSet = rangesOf(`[\t\n\x0B\f\r ]`)
	hSpace       = rangesOf(`[ \t\x{a0}\x{1680}\x{180e}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}]`)
	vSpace       = rangesOf(`[\n\x0B\f\r\x{85}\x{2028}\x{2029}]`)
	// Java's Unicode definitions, for (?U) and the Is... names.
	uAlpha  = tableSet(unicode.L, unicode.Nl, unicode.Other_Alphabetic)
	uLower  = tableSet(unicode.Ll, unicode.Other_Lowercase)
	uUpper  = tableSet(unicode.Lu, unicode.Other_Uppercase)
	uDigit  = tableSet(unicode.Nd)
	uSpace  = tableSet(unicode.White_Space)
	uWord   = uAlpha.union(tableSet(unicode.Mn, unicode.Me, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Join_Control))
	uPunct  = tableSet(unicode.P)
	uAlnum  = uAlpha.union(uDigit)
	uXDigit = uDigit.union(tableSet(unicode.Hex_Digit))
	uCased  = tableSet(unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
)

// predefined is \d \D \w \W \s \S, ASCII unless (?U) is on.
func predefined(c rune, unicodeClass bool) runeSet {
	var set runeSet
	switch c {
	case 'd', 'D':
		set = rangesOf(`[0-9]`)
		if unicodeClass {
			set = uDigit
		}
	case 'w', 'W':
		set = rangesOf(`[0-9A-Za-z_]`)
		if unicodeClass {
			set = uWord
		}
	default:
		set = javaSpaceSet
		if unicodeClass {
			set = uSpace
		}
	}
	return maybeNegate(set, c == 'D' || c == 'W' || c == 'S')
}

// javaPosix holds Java's POSIX-like property names, US-ASCII only (their
// Unicode forms under (?U) are in javaPosixUnicode).
var javaPosix = map[string]string{
	"Lower": `[a-z]`, "Upper": `[A-Z]`, "ASCII": `[\x00-\x7F]`, "Alpha": `[a-zA-Z]`,
	"Digit": `[0-9]`, "Alnum": `[a-zA-Z0-9]`, "Punct": `[!-/:-@\[-` + "`" + `{-~]`,
	"Graph": `[!-~]`, "Print": `[ -~]`, "Blank": `[ \t]`, "Cntrl": `[\x00-\x1F\x7F]`,
	"XDigit": `[0-9a-fA-F]`, "Space": `[\t\n\x0B\f\r ]`,
}

var javaPosixUnicode = map[string]runeSet{
	"Lower": uLower, "Upper": uUpper, "Alpha": uAlpha, "Digit": uDigit, "Alnum": uAlnum,
	"Punct": uPunct, "Space": uSpace, "XDigit": uXDigit,
	"Blank": tableSet(unicode.Zs).union(runeSet{'\t', '\t'}),
	"Cntrl": tableSet(unicode.Cc),
}

// caseProperty reports the Unicode case properties, which Java takes as
// any cased letter under (?i).
func caseProperty(name string) bool {
	switch strings.TrimPrefix(strings.TrimPrefix(name, "Is"), "gc=") {
	case "Lu", "Ll", "Lt", "Lowercase", "Uppercase", "Titlecase", "javaLowerCase", "javaUpperCase", "javaTitleCase", "LowercaseLetter", "UppercaseLetter", "TitlecaseLetter":
		return true
	}
	return false
}

// javaProperty resolves a \p{...} name the way java.util.regex does, for
// the names RE2's Unicode tables can answer.
func javaProperty(name string, unicodeClass bool) (runeSet, error) {
	if unicodeClass {
		if set, ok := javaPosixUnicode[name]; ok {
			return set, nil
		}
	}
	if c, ok := javaPosix[name]; ok {
		return rangesOf(c), nil
	}
	switch name {
	case "javaLowerCase", "IsLowercase":
		return uLower, nil
	case "javaUpperCase", "IsUppercase":
		return uUpper, nil
	case "javaWhitespace":
		return rangesOf(`[\t\n\x0B\f\r\x1C-\x1F]`).union(tableSet(unicode.Z)).intersect(rangesOf(`[^\x{a0}\x{2007}\x{202f}]`)), nil
	case "javaDigit", "IsDigit":
		return uDigit, nil
	case "javaLetter", "IsLetter":
		return tableSet(unicode.L), nil
	case "javaLetterOrDigit":
		return tableSet(unicode.L, unicode.Nd), nil
	case "IsAlphabetic", "Alphabetic":
		return uAlpha, nil
	case "IsWhite_Space", "IsWhiteSpace":
		return uSpace, nil
	case "IsPunctuation":
		return uPunct, nil
	}
	// General categories (L, Lu, IsLu, gc=Lu) and scripts (IsLatin,
	// script=Latin, sc=Latin), when RE2 knows them.
	n := name
	for _, prefix := range []string{"general_category=", "gc=", "script=", "sc=", "Is"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			n = rest
			break
		}
	}
	if n == "L&" || n == "LC" {
		return tableSet(unicode.Lu, unicode.Ll, unicode.Lt), nil
	}
	if tab, ok := unicode.Categories[n]; ok {
		return tableSet(tab), nil
	}
	for name, tab := range unicode.Scripts {
		if strings.EqualFold(name, n) {
			return tableSet(tab), nil
		}
	}
	for _, prefix := range []string{"In", "block=", "blk="} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			// Character.UnicodeBlock.forName: upper-cased, with spaces,
			// underscores or neither (InGreek, InBasic_Latin).
			i, known := javaBlockNames[strings.ToUpper(rest)]
			if !known {
				return nil, fmt.Errorf("unknown character block name {%s}", rest)
			}
			r := javaBlockRanges[i]
			if r[0] > r[1] {
				return runeSet{}, nil
			}
			return runeSet{r[0], r[1]}, nil
		}
	}
	return nil, fmt.Errorf("unknown character property name {%s}", name)
}
