package transform

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatewaykit/gateway/internal/javaregex"
)

// JSONPath is a compiled path in the dialect of Jayway JsonPath 2.0 as
// API Gateway templates use it: $, .name, ['name'], ['a','b'], [n],
// [n,m], [(@.length-n)], [*], .*, .., [start:end] slices and filters
// [?(...)] of comparisons, =~ patterns, existence checks, && and ||,
// compiled with that version's leniencies and oddities (jsonpath_compile.go).
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
	stepPass   // a "$" after the first: the value passes on as it is
	stepNone   // a scan for a scan: selects nothing
)

type pathStep struct {
	kind    stepKind
	names   []string // stepProp (several in ['a','b']), stepDeep (unless all)
	indexes []int
	lo, hi  *int
	filter  *pathFilter // stepFilter; nil for "[?]", which fails where it applies
	inner   *pathStep   // stepDeepIn
	// fromEnd marks [(@.length-n)]: the index counts from the array's
	// length. noOp marks an array step JsonPath parses without an
	// operation ("[ ]"), which fails where it applies.
	fromEnd, noOp bool
	// all marks a scan for every value (..*), not for names.
	all bool
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
	re        javaregex.Pattern
	// notPattern marks =~ with a right side that is not /pattern/ or
	// /pattern/i, which fails when the comparison runs.
	notPattern bool
	// With a left side that is not a path, path is nil and leftText is
	// that side, a literal as value is; reLeft marks a left side that is
	// the pattern of =~ (the right side is then what it matches).
	leftText string
	reLeft   bool
}

// ErrInvalidPath reports a JSONPath that does not parse.
var ErrInvalidPath = errors.New("invalid JSONPath")

// CompileJSONPath parses a path as JsonPath 2.0's PathCompiler does (see
// compileSteps). Like JsonPath, a path that does not start with "$" or
// "@" gets "$." prepended.
func CompileJSONPath(path string) (*JSONPath, error) {
	steps, err := compileSteps(path)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrInvalidPath, path, err)
	}
	return &JSONPath{src: path, steps: steps}, nil
}

// String returns the path as written.
func (p *JSONPath) String() string { return p.src }

// definite reports whether the path selects at most one value.
func (p *JSONPath) definite() bool {
	for i, s := range p.steps {
		if s.kind == stepProp && len(s.names) != 1 && i == len(p.steps)-1 {
			continue // ['a','b'] last selects one map of those keys
		}
		if !s.definite() {
			return false
		}
	}
	return true
}

func (s pathStep) definite() bool {
	return s.kind == stepPass || s.kind == stepProp && len(s.names) == 1 || s.kind == stepIndex && len(s.indexes) == 1
}

// compileFilter compiles the text inside [?( )] as JsonPath 2.0's
// Filter.parse does. The text splits at every && and || (quotes, regular
// expressions and parentheses do not hide them, and parentheses group
// nothing: each piece loses the brackets, question marks, parentheses and
// spaces around it). The pieces then fold from the right: && binds
// tighter than ||, and a filter tests its right side first, which decides
// which of two failing criteria fails the read.
func compileFilter(s string) (*pathFilter, error) {
	var terms []*pathFilter
	var ops []string
	for _, piece := range splitFilterOps(javaTrim(s)) {
		piece = javaTrim(piece)
		if piece == "&&" || piece == "||" {
			ops = append(ops, piece)
			continue
		}
		crit, ok := cleanCriteria(piece)
		if !ok {
			return nil, fmt.Errorf("filter %q: StringIndexOutOfBoundsException", s)
		}
		t, err := compileCriteria(crit)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if len(terms) != len(ops)+1 {
		return nil, fmt.Errorf("invalid operators %s", s)
	}
	root := terms[len(terms)-1]
	for i := len(ops) - 1; i >= 0; i-- {
		root = combineFilter(root, ops[i], terms[i])
	}
	return root, nil
}

// combineFilter is root.and(t) or root.or(t) of JsonPath 2.0's Filter:
// an || filter given a further && criterion joins it to its right side.
func combineFilter(root *pathFilter, op string, t *pathFilter) *pathFilter {
	switch {
	case op == "||":
		return &pathFilter{or: []*pathFilter{root, t}}
	case root.or != nil:
		return &pathFilter{or: []*pathFilter{root.or[0], {and: []*pathFilter{root.or[1], t}}}}
	case root.and != nil:
		return &pathFilter{and: append(slices.Clip(root.and), t)}
	}
	return &pathFilter{and: []*pathFilter{root, t}}
}

// splitFilterOps splits s before and after each && and ||, as
// Pattern.split with ((?<=&&|\|\|)|(?=&&|\|\|)) does.
func splitFilterOps(s string) []string {
	isOp := func(t string) bool { return strings.HasPrefix(t, "&&") || strings.HasPrefix(t, "||") }
	var parts []string
	last := 0
	for i := 1; i < len(s); i++ {
		if isOp(s[i:]) || i >= 2 && isOp(s[i-2:i]) {
			parts = append(parts, s[last:i])
			last = i
		}
	}
	parts = append(parts, s[last:])
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1] // split drops trailing empty strings
	}
	return parts
}

// cleanCriteria is JsonPath 2.0's Filter.cleanCriteria: s without the
// '[', '?', '(' and spaces before it and the ')' and spaces after it; ok
// is false where Java's loops run off the string.
func cleanCriteria(s string) (string, bool) {
	begin, end := 0, len(s)-1
	for begin < len(s) && strings.IndexByte("[?( ", s[begin]) >= 0 {
		begin++
	}
	if begin == len(s) {
		return "", false
	}
	for end >= 0 && (s[end] == ')' || s[end] == ' ') {
		end--
	}
	if end < 0 || begin > end+1 {
		return "", false
	}
	return s[begin : end+1], true
}

// criteriaOps are Criteria.OPERATORS in JsonPath 2.0's order: a criterion
// splits at the first of them found anywhere in it (inside a quoted value
// or a regular expression too).
var criteriaOps = [...]string{"==", ">=", "<=", "!=", "<", ">", "=~"}

// compileCriteria compiles one criterion, as Criteria.parse does.
func compileCriteria(s string) (*pathFilter, error) {
	s = javaTrim(s)
	for _, op := range criteriaOps {
		i := strings.Index(s, op)
		if i < 0 {
			continue
		}
		l, r := javaTrim(s[:i]), javaTrim(s[i+len(op):])
		if strings.HasPrefix(l, "!@") || strings.HasPrefix(r, "!@") {
			return nil, fmt.Errorf("invalid negation! Can only be used for existence check e.g [?(!@.foo)]")
		}
		if l == "'" || r == "'" {
			return nil, fmt.Errorf("filter %q: StringIndexOutOfBoundsException", s)
		}
		f := &pathFilter{op: op}
		if strings.HasPrefix(l, "$") || strings.HasPrefix(l, "@") {
			p, err := predicatePath(l)
			if err != nil {
				return nil, err
			}
			f.path = p
		} else {
			// Criteria.create keeps any other left side a value: a
			// quoted string without its quotes, a pattern, or the text.
			f.leftText = unquoteCriteria(l)
		}
		var err error
		switch {
		case op == "=~":
			re, ok, err := filterRegexp(r)
			if err != nil {
				return nil, err
			}
			if !ok && f.path == nil {
				// The pattern may stand on the left, the value on the right.
				if re, ok, err = filterRegexp(l); err != nil {
					return nil, err
				}
				f.reLeft = ok
				if ok {
					if strings.HasPrefix(r, "$") || strings.HasPrefix(r, "@") {
						if f.valuePath, err = predicatePath(r); err != nil {
							return nil, err
						}
					} else {
						f.value = unquoteCriteria(r)
					}
				}
			}
			f.re, f.notPattern = re, !ok
		case strings.HasPrefix(r, "$") || strings.HasPrefix(r, "@"):
			if f.valuePath, err = predicatePath(r); err != nil {
				return nil, err
			}
		default:
			f.value = unquoteCriteria(r)
		}
		return f, nil
	}
	// Without an operator, only a path (Criteria.isPath: $, @ or !@)
	// makes a criterion: an existence check.
	f := &pathFilter{}
	switch {
	case strings.HasPrefix(s, "!@"):
		f.not = true
		s = s[1:]
	case !strings.HasPrefix(s, "$") && !strings.HasPrefix(s, "@"):
		return nil, fmt.Errorf("filter criterion %q: UnsupportedOperationException: CriteriaType can not be parsed", s)
	}
	p, err := predicatePath(s)
	if err != nil {
		return nil, err
	}
	f.path = p
	return f, nil
}

// unquoteCriteria is a criterion's literal as JsonPath 2.0 keeps it: a
// string quoted with ' without its quotes, anything else as written.
func unquoteCriteria(t string) string {
	if len(t) >= 2 && t[0] == '\'' && t[len(t)-1] == '\'' {
		return t[1 : len(t)-1]
	}
	return t
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

// filterRegexp compiles the right side of =~ as JsonPath 2.0 does
// (Criteria.isPattern and compilePattern): a java.util.regex pattern
// written /pattern/, or /pattern/i for case-insensitive, the pattern
// running to the last slash, that must match the whole value
// (Matcher.matches). Anything else JsonPath keeps as a string, and the
// comparison fails on it when it runs (a ClassCastException): ok is false.
func filterRegexp(r string) (re javaregex.Pattern, ok bool, err error) {
	n := len(r)
	if n == 0 || r[0] != '/' || r[n-1] != '/' && (n < 3 || r[n-2] != '/' || r[n-1] != 'i') {
		return nil, false, nil
	}
	end := strings.LastIndexByte(r, '/')
	if end == 0 {
		// "/" or "/i": Java's substring(1, 0) throws.
		return nil, false, fmt.Errorf("filter regex %q: StringIndexOutOfBoundsException", r)
	}
	pattern := r[1:end]
	if r[n-1] == 'i' {
		pattern = "(?i)" + pattern // Pattern.CASE_INSENSITIVE
	}
	re, err = javaregex.CompileShared(pattern, javaregex.Whole)
	if err != nil {
		return nil, false, fmt.Errorf("filter regex %q: %w", r, err)
	}
	return re, true, nil
}
