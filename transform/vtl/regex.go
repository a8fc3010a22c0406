package vtl

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// matchMode is where a pattern must match: anywhere (Matcher.find), at
// the start of the text (lookingAt) or all of it (matches).
type matchMode uint8

const (
	modeFind matchMode = iota
	modePrefix
	modeWhole
)

// maxRegexCache bounds the per-render cache of compiled patterns.
const maxRegexCache = 64

// javaPattern is a compiled java.util.regex pattern: RE2 (Go's regexp)
// when it means the same there, the backtracking matcher otherwise.
type javaPattern interface {
	// findAll returns up to n matches (n < 0: all) with Matcher.find's
	// rules, as byte offsets: the match, then each group (-1 unset).
	findAll(ctx context.Context, s string, n int) ([][]int, error)
	numSubexp() int
	subexpIndex(name string) int
}

type re2Pattern struct{ re *regexp.Regexp }

func (p re2Pattern) findAll(_ context.Context, s string, n int) ([][]int, error) {
	return findAllJava(p.re, s, n), nil
}
func (p re2Pattern) numSubexp() int              { return p.re.NumSubexp() }
func (p re2Pattern) subexpIndex(name string) int { return p.re.SubexpIndex(name) }

// hybridPattern holds anchors whose Java meaning RE2 shares on most
// texts: RE2 runs it, unless the text is one where they differ (it ends
// in a line terminator, holds \r or non-ASCII letters...), which the
// backtracking matcher, compiled then, runs.
type hybridPattern struct {
	re2     re2Pattern
	anchors anchorKinds
	pattern string
	mode    matchMode
	bt      *btPattern
}

func (p *hybridPattern) findAll(ctx context.Context, s string, n int) ([][]int, error) {
	if !p.anchors.needsJava(s) {
		return p.re2.findAll(ctx, s, n)
	}
	if p.bt == nil {
		bt, err := compileBacktrack(p.pattern, p.mode)
		if err != nil {
			return nil, err
		}
		p.bt = bt
	}
	return p.bt.findAll(ctx, s, n)
}
func (p *hybridPattern) numSubexp() int              { return p.re2.numSubexp() }
func (p *hybridPattern) subexpIndex(name string) int { return p.re2.subexpIndex(name) }

func (bp *btPattern) numSubexp() int { return bp.groups }
func (bp *btPattern) subexpIndex(name string) int {
	if g, ok := bp.names[name]; ok {
		return g
	}
	return -1
}

// compileJavaRegex compiles a Java pattern for RE2 when the rewrite says
// the same there (on every text, or, for some anchors, on most), for the
// backtracking matcher when it needs Java's own features or meanings.
// mode anchors it (see matchMode).
func compileJavaRegex(pattern string, mode matchMode) (javaPattern, error) {
	translated, javaOnly, anchors, err := translateJavaRegexFor(pattern)
	if err == nil && !javaOnly {
		var bt *btPattern // compiled already when the pattern has groups
		if strings.Contains(pattern, "(") {
			// A loop whose turn can match empty ends at an empty turn in
			// Java, keeping its captures; RE2 backtracks past it: (a|)*
			// on "ab" leaves group 1 empty in Java, ((a)|b)+... ends
			// elsewhere.
			if bp, berr := compileBacktrack(pattern, mode); berr == nil {
				if emptyLoop(bp.root) {
					return bp, nil
				}
				bt = bp
			}
		}
		src := translated
		switch mode {
		case modeWhole:
			src = `\A(?:` + translated + `)\z`
		case modePrefix:
			src = `\A(?:` + translated + `)`
		}
		re, cerr := regexp.Compile(src)
		if cerr != nil {
			// RE2 refuses what Java takes, such as a count above 1000.
			if bp, berr := compileBacktrack(pattern, mode); berr == nil {
				return bp, nil
			}
			return nil, fmt.Errorf("PatternSyntaxException: %w", cerr)
		}
		if anchors == 0 {
			return re2Pattern{re}, nil
		}
		return &hybridPattern{re2: re2Pattern{re}, anchors: anchors, pattern: pattern, mode: mode, bt: bt}, nil
	}
	if err != nil && !errors.Is(err, errRegexUnsupported) {
		return nil, fmt.Errorf("PatternSyntaxException: %w in %q", err, pattern)
	}
	bp, err := compileBacktrack(pattern, mode)
	if err != nil {
		return nil, fmt.Errorf("PatternSyntaxException: %w in %q", err, pattern)
	}
	return bp, nil
}

// regexKey keys the render's cache of compiled patterns.
type regexKey struct {
	pattern string
	whole   bool
}

// regexp returns the compiled pattern, from the render's cache; whole
// anchors it at both ends (String.matches).
func (r *renderer) regexp(pattern string, whole bool) (javaPattern, error) {
	key := regexKey{pattern, whole}
	if re, ok := r.regex[key]; ok {
		return re, nil
	}
	mode := modeFind
	if whole {
		mode = modeWhole
	}
	re, err := compileJavaRegex(pattern, mode)
	if err != nil {
		return nil, err
	}
	if r.regex == nil || len(r.regex) >= maxRegexCache {
		r.regex = map[regexKey]javaPattern{}
	}
	r.regex[key] = re
	return re, nil
}

// findAll runs re, turning a search that gave up into a render error.
func (r *renderer) findAll(re javaPattern, s string, n int) ([][]int, error) {
	ms, err := re.findAll(r.ctx, s, n)
	if err != nil {
		return nil, fmt.Errorf("regex: %w", err)
	}
	return ms, nil
}

// regexReplace implements String.replaceAll/replaceFirst, including Java's
// replacement syntax: $n and ${name} groups, backslash escapes.
func (r *renderer) regexReplace(s, pattern, repl string, all bool) (string, error) {
	re, err := r.regexp(pattern, false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	n := -1
	if !all {
		n = 1
	}
	ms, err := r.findAll(re, s, n)
	if err != nil {
		return "", err
	}
	for _, m := range ms {
		b.WriteString(s[last:m[0]])
		if err := expandJava(&b, re, s, m, repl); err != nil {
			return "", err
		}
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func expandJava(b *strings.Builder, re javaPattern, s string, m []int, repl string) error {
	groups := re.numSubexp()
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i >= len(repl) {
				return fmt.Errorf("IllegalArgumentException: character to be escaped is missing")
			}
			b.WriteByte(repl[i])
		case '$':
			i++
			if i >= len(repl) {
				return fmt.Errorf("IllegalArgumentException: Illegal group reference: group index is missing")
			}
			g := -1
			if repl[i] == '{' {
				end := strings.IndexByte(repl[i:], '}')
				if end < 0 {
					return fmt.Errorf("IllegalArgumentException: named capturing group is missing trailing '}'")
				}
				g = re.subexpIndex(repl[i+1 : i+end])
				if g < 0 {
					return fmt.Errorf("IllegalArgumentException: No group with name {%s}", repl[i+1:i+end])
				}
				i += end
			} else {
				if repl[i] < '0' || repl[i] > '9' {
					return fmt.Errorf("IllegalArgumentException: Illegal group reference")
				}
				g = int(repl[i] - '0')
				for i+1 < len(repl) && repl[i+1] >= '0' && repl[i+1] <= '9' {
					next, _ := strconv.Atoi(strconv.Itoa(g) + string(repl[i+1]))
					if next > groups {
						break
					}
					g = next
					i++
				}
				if g > groups {
					return fmt.Errorf("IndexOutOfBoundsException: No group %d", g)
				}
			}
			if m[2*g] >= 0 {
				b.WriteString(s[m[2*g]:m[2*g+1]])
			}
		default:
			b.WriteByte(c)
		}
	}
	return nil
}

// split implements String.split(regex, limit) with Java's rules: no leading
// empty string for a zero-width match at the start, and with limit 0 no
// trailing empty strings.
func (r *renderer) split(s, pattern string, limit int) (any, bool, error) {
	if pattern == "" && s != "" {
		// Java splits between UTF-16 units, so astral characters fall apart.
		units := u16(s)
		parts := &List{Kind: StringArray}
		for i, c := range units {
			if limit > 0 && len(parts.Items) == limit-1 {
				parts.Items = append(parts.Items, fromU16(units[i:]))
				return parts, true, nil
			}
			parts.Items = append(parts.Items, fromU16([]uint16{c}))
		}
		if limit != 0 {
			parts.Items = append(parts.Items, "") // the empty match at the end
		}
		return parts, true, nil
	}
	re, err := r.regexp(pattern, false)
	if err != nil {
		return nil, true, err
	}
	var parts []any
	index := 0
	matched := false
	ms, err := r.findAll(re, s, -1)
	if err != nil {
		return nil, true, err
	}
	for _, m := range ms {
		if limit > 0 && len(parts) >= limit-1 {
			break
		}
		if m[1] == 0 && m[0] == 0 {
			continue
		}
		matched = true
		parts = append(parts, s[index:m[0]])
		index = m[1]
	}
	if !matched {
		return &List{Kind: StringArray, Items: []any{s}}, true, nil
	}
	parts = append(parts, s[index:])
	if limit == 0 {
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
	}
	return &List{Kind: StringArray, Items: parts}, true, nil
}

// findAllJava is FindAllStringSubmatchIndex with java.util.regex.Matcher's
// rule for empty matches: Go drops an empty match that directly follows a
// non-empty one, Java keeps it. Whether there is one is asked of the
// pattern anchored after the character before it, so that ^, \b and (?m)^
// see what precedes the position, as in the whole text.
func findAllJava(re *regexp.Regexp, s string, n int) [][]int {
	ms := re.FindAllStringSubmatchIndex(s, n)
	if n == 1 || len(ms) == 0 {
		return ms
	}
	var anchored *regexp.Regexp
	var out [][]int
	for i, m := range ms {
		out = append(out, m)
		if m[1] == m[0] {
			continue
		}
		nextStart := len(s) + 1
		if i+1 < len(ms) {
			nextStart = ms[i+1][0]
		}
		if nextStart == m[1] {
			continue
		}
		if anchored == nil {
			var err error
			if anchored, err = regexp.Compile(`\A(?s:.)(?:` + re.String() + `)`); err != nil {
				return ms
			}
		}
		_, w := utf8.DecodeLastRuneInString(s[:m[1]])
		from := m[1] - w
		if e := anchored.FindStringSubmatchIndex(s[from:]); e != nil && e[1] == w {
			for j := range e {
				if e[j] >= 0 {
					e[j] += from
				}
			}
			e[0] = m[1]
			out = append(out, e)
		}
		if n > 0 && len(out) >= n {
			break
		}
	}
	return out
}

// emptyLoop reports a repetition (more than once) of a group or
// alternation that can match empty.
func emptyLoop(n *btNode) bool {
	if n.op == btRepeat && (n.max < 0 || n.max > 1) && n.subs[0].op != btSet {
		if lo, _ := lengths(n.subs[0]); lo == 0 {
			return true
		}
	}
	for _, s := range n.subs {
		if emptyLoop(s) {
			return true
		}
	}
	return false
}

// JavaRegexp is a java.util.regex pattern compiled for matching a whole
// text, as String.matches and Pattern.matches do, or its start, as
// Matcher.lookingAt does, with the syntax and meaning templates'
// replaceAll, split and matches have: Go's RE2 runs it when it means the
// same there, a backtracking matcher otherwise (lookaround,
// backreferences, possessive quantifiers...). It is safe for concurrent
// use. Integration responses select with it.
type JavaRegexp struct{ p javaPattern }

// CompileJavaRegexp compiles pattern for matching whole texts; its error
// is the PatternSyntaxException Java would give, in Java's words where
// they are known.
func CompileJavaRegexp(pattern string) (*JavaRegexp, error) {
	return compileShared(pattern, modeWhole)
}

// CompileJavaRegexpPrefix compiles pattern for matching the start of a
// text: MatchString then reports whether some prefix of it matches.
func CompileJavaRegexpPrefix(pattern string) (*JavaRegexp, error) {
	return compileShared(pattern, modePrefix)
}

func compileShared(pattern string, mode matchMode) (*JavaRegexp, error) {
	p, err := compileJavaRegex(pattern, mode)
	if err != nil {
		return nil, err
	}
	if h, ok := p.(*hybridPattern); ok && h.bt == nil {
		// Compiled now, so that a pattern shared by goroutines is never
		// written after (findAll compiles it when a text needs it).
		if bt, err := compileBacktrack(pattern, mode); err == nil {
			h.bt = bt
		}
	}
	return &JavaRegexp{p: p}, nil
}

// MatchString reports whether s matches (all of it, or a prefix for a
// pattern from CompileJavaRegexpPrefix). The error tells of a search the
// backtracking matcher gave up (a pattern that backtracks past its step
// budget on s, where Java would only be slow) or of ctx ending.
func (re *JavaRegexp) MatchString(ctx context.Context, s string) (bool, error) {
	ms, err := re.p.findAll(ctx, s, 1)
	return len(ms) > 0, err
}
