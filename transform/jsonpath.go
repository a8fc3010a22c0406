package transform

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// JSONPath is a compiled path in the dialect of Jayway JsonPath 2.0 as
// API Gateway templates use it: $, .name, ['name'], [n], [n,m], [*], .*,
// .., [start:end] slices and simple filters [?(@.x)], [?(@.x op literal)].
type JSONPath struct {
	src   string
	steps []pathStep
}

type stepKind int

const (
	stepProp stepKind = iota
	stepDeep          // ..name or ..*
	stepWild
	stepIndex
	stepSlice
	stepFilter
	stepDeepIn // ..[0], ..[1:3], ..[?(...)]: inner applied at every node
)

type pathStep struct {
	kind    stepKind
	names   []string // stepProp (several in ['a','b']), stepDeep ("" is *)
	indexes []int
	lo, hi  *int
	filter  *pathFilter
	inner   *pathStep // stepDeepIn
}

// pathFilter is a [?(...)] expression: either several joined by || (or)
// or && (and), or one test of path (from @, or $ for the document): its
// existence (op ""; not for !), a comparison with value or with what
// valuePath reads, or a regular expression match (=~).
type pathFilter struct {
	or, and []*pathFilter
	path    *JSONPath
	not     bool
	op      string
	// value is the right side when it is a literal: JsonPath 2.0 keeps
	// every literal a String, quotes removed ('a' is a, 1 is "1").
	value     string
	valuePath *JSONPath
	re        *regexp.Regexp
}

// ErrInvalidPath reports a JSONPath that does not parse.
var ErrInvalidPath = errors.New("invalid JSONPath")

// CompileJSONPath parses a path. Like JsonPath, a path that does not start
// with "$" or "@" gets "$." prepended.
func CompileJSONPath(path string) (*JSONPath, error) {
	src := path
	path = strings.TrimSpace(path) // JsonPath trims the path first
	switch {
	case strings.HasPrefix(path, "["):
		path = "$" + path // [0] is $[0]
	case !strings.HasPrefix(path, "$") && !strings.HasPrefix(path, "@"):
		path = "$." + path
	}
	if strings.HasPrefix(path[1:], "...") && !strings.HasPrefix(path[1:], "....") {
		path = path[:1] + path[2:] // JsonPath reads "$...a" as "$..a"
	}
	if strings.ContainsAny(path, " \t\n\r") && !strings.Contains(path, "[") {
		return nil, fmt.Errorf("%w %q: space not allowed in path", ErrInvalidPath, src)
	}
	c := &pathCompiler{s: path, i: 1}
	jp := &JSONPath{src: src}
	for c.i < len(c.s) {
		st, err := c.step()
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrInvalidPath, src, err)
		}
		jp.steps = append(jp.steps, st)
	}
	return jp, nil
}

// String returns the path as written.
func (p *JSONPath) String() string { return p.src }

// definite reports whether the path selects at most one value.
func (p *JSONPath) definite() bool {
	for i, s := range p.steps {
		if s.kind == stepProp && len(s.names) > 1 && i == len(p.steps)-1 {
			continue // ['a','b'] last selects one map of those keys
		}
		if !s.definite() {
			return false
		}
	}
	return true
}

func (s pathStep) definite() bool {
	return s.kind == stepProp && len(s.names) == 1 || s.kind == stepIndex && len(s.indexes) == 1
}

type pathCompiler struct {
	s string
	i int
}

func (c *pathCompiler) step() (pathStep, error) {
	switch {
	case strings.HasPrefix(c.s[c.i:], ".."):
		c.i += 2
		if c.i < len(c.s) && c.s[c.i] == '*' {
			c.i++
			return pathStep{kind: stepDeep, names: []string{""}}, nil
		}
		if c.i < len(c.s) && c.s[c.i] == '[' {
			st, err := c.bracket()
			if err != nil {
				return st, err
			}
			switch st.kind {
			case stepProp:
				return pathStep{kind: stepDeep, names: st.names}, nil
			case stepWild:
				return pathStep{kind: stepDeep, names: []string{""}}, nil // ..[*] is ..*
			}
			return pathStep{kind: stepDeepIn, inner: &st}, nil
		}
		if c.i < len(c.s) && c.s[c.i] == '.' {
			c.i = len(c.s) // four or more dots select nothing
			return pathStep{kind: stepDeep, names: []string{"."}}, nil
		}
		name := c.name()
		if name == "" {
			return pathStep{}, errors.New("path must not end with '..'")
		}
		return pathStep{kind: stepDeep, names: []string{name}}, nil
	case c.s[c.i] == '.':
		c.i++
		if c.i < len(c.s) && c.s[c.i] == '*' {
			c.i++
			return pathStep{kind: stepWild}, nil
		}
		name := c.name()
		if name == "" {
			return pathStep{}, errors.New("path must not end with a '.' or '..'")
		}
		return pathStep{kind: stepProp, names: []string{name}}, nil
	case c.s[c.i] == '[':
		return c.bracket()
	}
	return pathStep{}, fmt.Errorf("could not analyze path component: %s", c.s[c.i:])
}

func (c *pathCompiler) name() string {
	start := c.i
	for c.i < len(c.s) && c.s[c.i] != '.' && c.s[c.i] != '[' {
		c.i++
	}
	return c.s[start:c.i]
}

func (c *pathCompiler) bracket() (pathStep, error) {
	end := c.closing()
	if end < 0 {
		return pathStep{}, fmt.Errorf("could not analyze path component: %s", c.s[c.i:])
	}
	inner := strings.TrimSpace(c.s[c.i+1 : end])
	bad := fmt.Errorf("could not analyze path component: %s", c.s[c.i:end+1])
	c.i = end + 1
	switch {
	case inner == "*":
		return pathStep{kind: stepWild}, nil
	case strings.HasPrefix(inner, "?(") && strings.HasSuffix(inner, ")"):
		f, err := compileFilter(inner[2 : len(inner)-1])
		if err != nil {
			return pathStep{}, err
		}
		return pathStep{kind: stepFilter, filter: f}, nil
	case strings.HasPrefix(inner, "'"):
		var names []string
		for _, part := range splitOutsideQuotes(inner) {
			part = strings.TrimSpace(part)
			if len(part) < 2 || part[0] != '\'' || part[len(part)-1] != '\'' {
				return pathStep{}, bad
			}
			names = append(names, part[1:len(part)-1])
		}
		return pathStep{kind: stepProp, names: names}, nil
	case strings.Contains(inner, ":"):
		lo, hi, ok := strings.Cut(inner, ":")
		hi, _, _ = strings.Cut(hi, ":") // a step ([1:2:3]) is ignored
		st := pathStep{kind: stepSlice}
		for _, b := range []struct {
			s   string
			dst **int
		}{{lo, &st.lo}, {hi, &st.hi}} {
			if t := strings.TrimSpace(b.s); t != "" {
				n, err := strconv.Atoi(t)
				if err != nil || !ok {
					return pathStep{}, bad
				}
				*b.dst = &n
			}
		}
		return st, nil
	}
	st := pathStep{kind: stepIndex}
	for _, part := range strings.Split(inner, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return pathStep{}, bad
		}
		st.indexes = append(st.indexes, n)
	}
	return st, nil
}

// closing finds the ']' matching the '[' at c.i, skipping quoted text,
// except in a filter, whose end JsonPath 2.0 finds by brackets alone (a
// ']' inside a quoted filter value ends the filter there).
func (c *pathCompiler) closing() int {
	var quote byte
	depth := 0
	filter := strings.HasPrefix(c.s[c.i:], "[?(")
	for j := c.i; j < len(c.s); j++ {
		ch := c.s[j]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' && !filter:
			quote = ch
		case ch == '[':
			depth++
		case ch == ']':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

func splitOutsideQuotes(s string) []string {
	var parts []string
	inQuote := false
	start := 0
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '\'':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				parts = append(parts, s[start:j])
				start = j + 1
			}
		}
	}
	return append(parts, s[start:])
}

func compileFilter(s string) (*pathFilter, error) {
	s = strings.TrimSpace(s)
	for _, op := range [...]string{"||", "&&"} { // || binds loosest
		parts := splitTopLevel(s, op)
		if len(parts) < 2 {
			continue
		}
		f := &pathFilter{}
		for _, part := range parts {
			g, err := compileFilter(part)
			if err != nil {
				return nil, err
			}
			if op == "||" {
				f.or = append(f.or, g)
			} else {
				f.and = append(f.and, g)
			}
		}
		return f, nil
	}
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && enclosed(s) {
		return compileFilter(s[1 : len(s)-1])
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		i := indexTopLevel(s, op)
		if i < 0 {
			continue
		}
		l, r := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(op):])
		p, err := predicatePath(l)
		if err != nil {
			return nil, err
		}
		f := &pathFilter{path: p, op: op}
		switch {
		case op == "=~":
			re, err := filterRegexp(r)
			if err != nil {
				return nil, err
			}
			f.re = re
		case len(r) >= 2 && r[0] == '\'' && r[len(r)-1] == '\'':
			f.value = r[1 : len(r)-1]
		case strings.HasPrefix(r, "$") || strings.HasPrefix(r, "@"):
			if f.valuePath, err = predicatePath(r); err != nil {
				return nil, err
			}
		default:
			f.value = r
		}
		return f, nil
	}
	f := &pathFilter{}
	if strings.HasPrefix(s, "!") {
		f.not = true
		s = strings.TrimSpace(s[1:])
	}
	p, err := predicatePath(s)
	if err != nil {
		return nil, err
	}
	f.path = p
	return f, nil
}

// predicatePath compiles a path inside a filter, which JsonPath 2.0 wants
// definite (no wildcard, deep scan, slice or filter).
func predicatePath(s string) (*JSONPath, error) {
	p, err := CompileJSONPath(s)
	if err != nil {
		return nil, err
	}
	if !p.definite() {
		return nil, fmt.Errorf("the predicate path: %s is not definite", s)
	}
	return p, nil
}

// filterRegexp compiles JsonPath's /pattern/flags as a whole-string match
// (Java's Matcher.matches), with the i flag for case.
func filterRegexp(r string) (*regexp.Regexp, error) {
	end := strings.LastIndexByte(r, '/')
	if len(r) < 2 || r[0] != '/' || end <= 0 {
		return nil, fmt.Errorf("filter regex %q: want /pattern/", r)
	}
	pattern, flags := r[1:end], r[end+1:]
	prefix := ""
	if strings.ContainsRune(flags, 'i') {
		prefix = "(?i)"
	}
	re, err := regexp.Compile(prefix + "^(?:" + pattern + ")$")
	if err != nil {
		return nil, fmt.Errorf("filter regex %q: %w", r, err)
	}
	return re, nil
}

// scanTopLevel calls f with the index of each byte of s outside quotes,
// regular expressions and parentheses; f returns false to stop.
func scanTopLevel(s string, f func(i int) bool) {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '/' {
				i++ // an escaped character: \' does not end the quote
			} else if c == quote {
				quote = 0
			}
			continue
		case c == '\'' || c == '"':
			quote = c
			continue
		case c == '/' && i > 0 && strings.HasSuffix(strings.TrimSpace(s[:i]), "=~"):
			quote = '/'
			continue
		case c == '(':
			depth++
			continue
		case c == ')':
			depth--
			continue
		}
		if depth == 0 && !f(i) {
			return
		}
	}
}

// indexTopLevel is strings.Index outside quotes, regexes and parentheses.
func indexTopLevel(s, sub string) int {
	at := -1
	scanTopLevel(s, func(i int) bool {
		if strings.HasPrefix(s[i:], sub) {
			at = i
			return false
		}
		return true
	})
	return at
}

// splitTopLevel splits s at sep outside quotes, regexes and parentheses.
func splitTopLevel(s, sep string) []string {
	var parts []string
	start := 0
	scanTopLevel(s, func(i int) bool {
		if i >= start && strings.HasPrefix(s[i:], sep) {
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + len(sep)
		}
		return true
	})
	return append(parts, strings.TrimSpace(s[start:]))
}

// enclosed reports whether the parenthesis opening s closes at its end.
func enclosed(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i < len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}
