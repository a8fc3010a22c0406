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
	stepNone   // a scan for a scan or for a root: selects nothing
)

type pathStep struct {
	kind    stepKind
	names   []string // stepProp (several in ['a','b']), stepDeep (unless all)
	indexes []int
	lo, hi  *int
	filter  *pathFilter // stepFilter; nil for "[?]", which fails where it applies
	inner   *pathStep   // stepDeepIn
	// fromEnd marks [(@.length-n)]: the index counts from the array's
	// length.
	fromEnd bool
	// all marks a scan for every value (..*), not for names.
	all bool
}

// pathFilter is a [?(...)] expression: either several joined by || (or)
// or && (and), tested in order, or one criterion: the existence of the
// left side's path (op ""; not for !@), or op between the left and right
// sides.
type pathFilter struct {
	or, and     []*pathFilter
	op          string
	not         bool
	left, right filterSide
}

// filterSide is one side of a criterion as Criteria.create keeps it: a
// path (from @, or $ for the document), a pattern written /p/ or /p/i, or
// a value, which JsonPath 2.0 keeps a String ('a' is a, 1 is "1").
type filterSide struct {
	path  *JSONPath
	re    javaregex.Pattern
	reSrc string // the pattern's source, what Pattern.toString gives
	text  string
	// pattern stands for the Pattern object in comparisons other than
	// =~: above null, and comparable with nothing else.
	pattern *filterPattern
}

// filterPattern is a criterion's pattern as a compared value.
type filterPattern struct{ src string }

// ErrInvalidPath reports a JSONPath that does not parse.
var ErrInvalidPath = errors.New("invalid JSONPath")

// CompileJSONPath parses a path as JsonPath 2.0's PathCompiler does (see
// compileSteps). Like JsonPath, a path that does not start with "$" or
// "@" gets "$." prepended.
func CompileJSONPath(path string) (*JSONPath, error) {
	steps, err := compileSteps(path, 0)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrInvalidPath, path, err)
	}
	return &JSONPath{src: path, steps: steps}, nil
}

// String returns the path as written.
func (p *JSONPath) String() string { return p.src }

// definite reports whether the path selects at most one value, as
// JsonPath 2.0's tokens say: a name step always does (several names in
// the last step select one map of them; before it they fail), an index
// step with one index does.
func (p *JSONPath) definite() bool {
	for _, s := range p.steps {
		if !s.definite() {
			return false
		}
	}
	return true
}

func (s pathStep) definite() bool {
	return s.kind == stepPass || s.kind == stepProp || s.kind == stepIndex && len(s.indexes) == 1
}

// compileFilter compiles the text inside [?( )] as JsonPath 2.0's
// Filter.parse does. The text splits at every && and || (quotes, regular
// expressions and parentheses do not hide them, and parentheses group
// nothing: each piece loses the brackets, question marks, parentheses and
// spaces around it). The pieces then fold from the right: && binds
// tighter than ||, and a filter tests its right side first, which decides
// which of two failing criteria fails the read.
func compileFilter(s string, depth int) (*pathFilter, error) {
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
		t, err := compileCriteria(crit, depth)
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
func compileCriteria(s string, depth int) (*pathFilter, error) {
	s = javaTrim(s)
	for _, op := range criteriaOps {
		i := strings.Index(s, op)
		if i < 0 {
			continue
		}
		l, r := javaTrim(s[:i]), javaTrim(s[i+len(op):])
		if strings.HasPrefix(r, "!@") {
			return nil, fmt.Errorf("invalid negation! Can only be used for existence check e.g [?(!@.foo)]")
		}
		if strings.HasPrefix(l, "!@") {
			l = l[1:] // Criteria.create drops it from a left path (any other '!' is text)
		}
		f := &pathFilter{op: op}
		var err error
		if f.left, err = compileSide(l, depth); err != nil {
			return nil, err
		}
		if f.right, err = compileSide(r, depth); err != nil {
			return nil, err
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
	p, err := predicatePath(s, depth)
	if err != nil {
		return nil, err
	}
	f.left.path = p
	return f, nil
}

// compileSide is one side of a criterion as Criteria.create reads it: a
// path if it starts with $ or @, else a string quoted with ', else a
// pattern, else the text as written.
func compileSide(t string, depth int) (filterSide, error) {
	switch {
	case strings.HasPrefix(t, "$") || strings.HasPrefix(t, "@"):
		p, err := predicatePath(t, depth)
		return filterSide{path: p}, err
	case t == "'":
		return filterSide{}, fmt.Errorf("filter value %q: StringIndexOutOfBoundsException", t)
	case len(t) >= 2 && t[0] == '\'' && t[len(t)-1] == '\'':
		return filterSide{text: t[1 : len(t)-1]}, nil
	}
	re, src, ok, err := filterRegexp(t)
	if err != nil {
		return filterSide{}, err
	}
	if ok {
		return filterSide{re: re, reSrc: src, pattern: &filterPattern{src}}, nil
	}
	return filterSide{text: t}, nil
}

// maxFilterDepth bounds how deep filters nest inside filter paths, so
// that a path built from a request cannot make compiling it slow.
const maxFilterDepth = 64

// predicatePath compiles a path inside a filter, which JsonPath 2.0 wants
// definite (no wildcard, deep scan, slice or filter).
func predicatePath(s string, depth int) (*JSONPath, error) {
	if depth >= maxFilterDepth {
		return nil, fmt.Errorf("filters nest more than %d deep", maxFilterDepth)
	}
	steps, err := compileSteps(s, depth+1)
	if err != nil {
		return nil, err
	}
	p := &JSONPath{src: s, steps: steps}
	if !p.definite() {
		return nil, fmt.Errorf("the predicate path: %s is not definite", s)
	}
	return p, nil
}

// filterRegexp compiles a criterion's side written as a pattern, as
// JsonPath 2.0 does (Criteria.isPattern and compilePattern): /pattern/, or
// /pattern/i for case-insensitive, the pattern running to the last slash,
// a java.util.regex pattern; =~ matches it against the whole value
// (Matcher.matches). ok is false for anything else, which JsonPath keeps
// as a string.
func filterRegexp(r string) (re javaregex.Pattern, src string, ok bool, err error) {
	n := len(r)
	if n == 0 || r[0] != '/' || r[n-1] != '/' && (n < 2 || r[n-2] != '/' || r[n-1] != 'i') {
		return nil, "", false, nil
	}
	end := strings.LastIndexByte(r, '/')
	if end == 0 {
		// "/" or "/i": Java's substring(1, 0) throws.
		return nil, "", false, fmt.Errorf("filter regex %q: StringIndexOutOfBoundsException", r)
	}
	src = r[1:end]
	pattern := src
	if r[n-1] == 'i' {
		pattern = "(?i)" + pattern // Pattern.CASE_INSENSITIVE
	}
	if re, err = javaregex.CompileShared(pattern, javaregex.Whole); err != nil {
		return nil, "", false, fmt.Errorf("filter regex %q: %w", r, err)
	}
	return re, src, true, nil
}
