// Package javaregex runs java.util.regex patterns in Go: the syntax and
// meaning Java 17 gives them, for templates' replaceAll, split and
// matches, integration responses' selection patterns and authorizers'
// validation expressions. A pattern that means the same in Go's RE2 is
// rewritten for it and runs there (linear time); the rest (lookaround,
// backreferences, possessive quantifiers and atomic groups, Java's
// anchors on the texts where RE2 reads them differently) runs on a
// backtracking matcher that counts its steps and gives up past a budget,
// where Java would only be slow.
package javaregex

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Mode is where a pattern must match.
type Mode uint8

const (
	// Find matches anywhere in a text, as Matcher.find does.
	Find Mode = iota
	// Prefix matches at the start of a text, as Matcher.lookingAt does.
	Prefix
	// Whole matches all of a text, as String.matches does.
	Whole
)

// Pattern is a compiled java.util.regex pattern: RE2 (Go's regexp)
// when it means the same there, the backtracking matcher otherwise.
type Pattern interface {
	// FindAll returns up to n matches (n < 0: all) with Matcher.find's
	// rules, as byte offsets: the match, then each group (-1 unset).
	// The error tells of a search the backtracking matcher gave up
	// (ErrTooComplex) or of ctx ending.
	FindAll(ctx context.Context, s string, n int) ([][]int, error)
	// MatchString reports whether s holds a match, as FindAll with n 1
	// would, without building the match's offsets where RE2 runs it.
	MatchString(ctx context.Context, s string) (bool, error)
	// NumSubexp is the number of capturing groups.
	NumSubexp() int
	// SubexpIndex is the number of the group named name, or -1.
	SubexpIndex(name string) int
}

type re2Pattern struct{ re *regexp.Regexp }

func (p re2Pattern) FindAll(_ context.Context, s string, n int) ([][]int, error) {
	return findAllJava(p.re, s, n), nil
}
func (p re2Pattern) MatchString(_ context.Context, s string) (bool, error) {
	return p.re.MatchString(s), nil
}
func (p re2Pattern) NumSubexp() int              { return p.re.NumSubexp() }
func (p re2Pattern) SubexpIndex(name string) int { return p.re.SubexpIndex(name) }

// hybridPattern holds anchors whose Java meaning RE2 shares on most
// texts: RE2 runs it, unless the text is one where they differ (it ends
// in a line terminator, holds \r or non-ASCII letters...), which the
// backtracking matcher, compiled then, runs.
type hybridPattern struct {
	re2     re2Pattern
	anchors anchorKinds
	pattern string
	mode    Mode
	bt      *btPattern
}

func (p *hybridPattern) FindAll(ctx context.Context, s string, n int) ([][]int, error) {
	if !p.anchors.needsJava(s) {
		return p.re2.FindAll(ctx, s, n)
	}
	bt, err := p.backtracker()
	if err != nil {
		return nil, err
	}
	return bt.FindAll(ctx, s, n)
}

func (p *hybridPattern) MatchString(ctx context.Context, s string) (bool, error) {
	if !p.anchors.needsJava(s) {
		return p.re2.MatchString(ctx, s)
	}
	bt, err := p.backtracker()
	if err != nil {
		return false, err
	}
	return bt.MatchString(ctx, s)
}

// backtracker is the backtracking matcher, compiled on first use unless
// CompileShared compiled it already.
func (p *hybridPattern) backtracker() (*btPattern, error) {
	if p.bt == nil {
		bt, err := compileBacktrack(p.pattern, p.mode)
		if err != nil {
			return nil, err
		}
		p.bt = bt
	}
	return p.bt, nil
}
func (p *hybridPattern) NumSubexp() int              { return p.re2.NumSubexp() }
func (p *hybridPattern) SubexpIndex(name string) int { return p.re2.SubexpIndex(name) }

func (bp *btPattern) MatchString(ctx context.Context, s string) (bool, error) {
	ms, err := bp.FindAll(ctx, s, 1)
	return len(ms) > 0, err
}
func (bp *btPattern) NumSubexp() int { return bp.groups }
func (bp *btPattern) SubexpIndex(name string) int {
	if g, ok := bp.names[name]; ok {
		return g
	}
	return -1
}

// Compile compiles a Java pattern for RE2 when the rewrite says the
// same there (on every text, or, for some anchors, on most), for the
// backtracking matcher when it needs Java's own features or meanings;
// mode anchors it. Its error is the PatternSyntaxException Java would
// give, in Java's words where they are known. The pattern may compile
// its backtracking matcher on first use: share one between goroutines
// only from CompileShared.
func Compile(pattern string, mode Mode) (Pattern, error) {
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
		case Whole:
			src = `\A(?:` + translated + `)\z`
		case Prefix:
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

// CompileShared is Compile for a pattern shared by goroutines: the
// backtracking matcher that some texts need is compiled now rather than
// on first use, so that matching never writes to the pattern.
func CompileShared(pattern string, mode Mode) (Pattern, error) {
	p, err := Compile(pattern, mode)
	if err != nil {
		return nil, err
	}
	if h, ok := p.(*hybridPattern); ok && h.bt == nil {
		if bt, err := compileBacktrack(pattern, mode); err == nil {
			h.bt = bt
		}
	}
	return p, nil
}
