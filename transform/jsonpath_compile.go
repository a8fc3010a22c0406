package transform

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// JsonPath 2.0's PathCompiler, step by step: a path is cut into fragments
// ("$", "..", "[...]" up to the matching bracket, "['name']" for a dotted
// name, "[*]"), and each fragment is analyzed by the first character that
// tells its kind. The rules are lenient in ways templates come to rely on
// ($.a.[0] is $.a[0], $.a[0]b is $.a[0].b) and odd in others (a name in
// brackets is what lies between quotes, whatever surrounds them); the
// steps are ours, the reading is Java's.

// compileSteps is PathCompiler.compile.
// depth counts the filters the path sits in.
func compileSteps(path string, depth int) ([]pathStep, error) {
	path = javaTrim(path)
	if path == "" {
		return nil, errors.New("path may not be null empty")
	}
	if strings.HasSuffix(path, "..") {
		return nil, errors.New("a path can not end with a scan")
	}
	if path[0] != '$' && path[0] != '@' {
		path = "$." + path
	}
	if path[0] == '@' {
		path = "$" + path[1:]
	}
	if len(path) > 1 && path[1] != '.' && path[1] != '[' {
		return nil, errors.New("invalid path")
	}
	var b stepBuilder
	for i := 0; i < len(path); {
		var frag string
		switch c := path[i]; c {
		case ' ':
			return nil, errors.New("space not allowed in path")
		case '$':
			frag, i = "$", i+1
		case '[':
			n := untilClosed(path, i)
			frag, i = path[i:i+n], i+n
		case '.':
			if i++; i == len(path) {
				return nil, errors.New("the path ends with '.'") // charAt past the end
			}
			if path[i] == '.' {
				frag, i = "..", i+1
				break
			}
			n := fastForward(path, i)
			switch {
			case n == 0:
				continue // "$.[0]": the dot stands for nothing
			case n == 1 && path[i] == '*':
				frag = "[*]"
			default:
				frag = "['" + path[i:i+n] + "']"
			}
			i += n
		case '*':
			frag, i = "[*]", i+1
		default:
			n := fastForward(path, i)
			frag, i = "['"+path[i:i+n]+"']", i+n
		}
		t, err := analyzeFragment(frag, depth)
		if err != nil {
			return nil, err
		}
		b.add(t)
	}
	return b.done()
}

// fastForward counts the characters from i up to a '.', '[' or ' '.
func fastForward(s string, i int) int {
	n := 0
	for ; i < len(s) && s[i] != '.' && s[i] != '[' && s[i] != ' '; i++ {
		n++
	}
	return n
}

// untilClosed counts the characters of the bracket opening at i up to the
// ']' that closes it (nested brackets counted, quotes not), or to the end.
func untilClosed(s string, i int) int {
	n, depth := 1, 0
	for i++; i < len(s); {
		c := s[i]
		i++
		n++
		if c == ']' && depth == 0 {
			break
		}
		if c == '[' {
			depth++
		}
		if c == ']' {
			depth--
		}
	}
	return n
}

// tokenKind is the kind of a PathToken.
type tokenKind uint8

const (
	tokRoot tokenKind = iota
	tokScan
	tokWild
	tokProp
	tokArray
	tokFilter
	tokNoFilter // "[?]": a placeholder for a filter given apart, which templates cannot give
)

// pathToken is one analyzed fragment.
type pathToken struct {
	kind tokenKind
	step pathStep // tokProp, tokArray, tokFilter
}

// filterPlaceholder is PathComponentAnalyzer.FILTER_PATTERN, with Java's
// \s spelled out.
var filterPlaceholder = regexp.MustCompile(`^\[[ \t\n\x0B\f\r]*\?[ \t\n\x0B\f\r]*[, \t\n\x0B\f\r*?]*?[ \t\n\x0B\f\r]*]$`)

// analyzeFragment is PathComponentAnalyzer.analyze.
func analyzeFragment(frag string, depth int) (pathToken, error) {
	switch frag {
	case "$":
		return pathToken{kind: tokRoot}, nil
	case "..":
		return pathToken{kind: tokScan}, nil
	case "[*]", ".*":
		return pathToken{kind: tokWild}, nil
	}
	if strings.HasPrefix(frag, "[") && strings.Contains(frag, "?") && filterPlaceholder.MatchString(frag) {
		return pathToken{kind: tokNoFilter, step: pathStep{kind: stepFilter}}, nil
	}
	for i, r := range frag {
		switch {
		case r == '?':
			f, err := analyzeCriteria(frag, i, depth)
			if err != nil {
				return pathToken{}, err
			}
			return pathToken{kind: tokFilter, step: pathStep{kind: stepFilter, filter: f}}, nil
		case r == '\'':
			names, err := analyzeProperty(frag, i)
			if err != nil {
				return pathToken{}, err
			}
			return pathToken{kind: tokProp, step: pathStep{kind: stepProp, names: names}}, nil
		case isJavaDigit(r) || r == ':' || r == '-' || r == '@':
			st, err := analyzeArray([]rune(frag[i:]))
			if err != nil {
				return pathToken{}, err
			}
			return pathToken{kind: tokArray, step: st}, nil
		}
	}
	return pathToken{}, fmt.Errorf("could not analyze path component: %s", frag)
}

// errPastEnd is Java's StringIndexOutOfBoundsException from a loop that
// reads past the end of a fragment.
var errPastEnd = errors.New("the path component ends too soon")

// analyzeProperty is PathComponentAnalyzer.analyzeProperty: from the quote
// at i to the first ']', the names are what lies between pairs of quotes.
func analyzeProperty(frag string, i int) ([]string, error) {
	names := []string{}
	var name strings.Builder
	in := false
	for ; ; i++ {
		if i == len(frag) {
			return nil, errPastEnd
		}
		switch c := frag[i]; {
		case c == ']':
			return names, nil
		case c == '\'':
			if in {
				names = append(names, name.String())
				name.Reset()
			}
			in = !in
		case in:
			name.WriteByte(c)
		}
	}
}

// isJavaDigit is Character.isDigit for a UTF-16 unit: a decimal digit
// of the Basic Multilingual Plane.
func isJavaDigit(r rune) bool {
	return r >= '0' && r <= '9' || r > unicode.MaxASCII && r <= 0xFFFF && unicode.IsDigit(r)
}

// digitValue is Character.digit(r, 10) for a digit isJavaDigit takes:
// Unicode's decimal digits come in runs of ten from zero.
func digitValue(r rune) rune {
	if r <= '9' {
		return r - '0'
	}
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return (r - lo) % 10
		}
	}
	return 0
}

// analyzeArray is PathComponentAnalyzer.analyzeArraySequence on the
// fragment from the character that started it: an index, a list of
// indexes, a slice, or [(@.length-n)].
func analyzeArray(frag []rune) (pathStep, error) {
	i := 0
	at := func(j int) (rune, error) {
		if j >= len(frag) {
			return 0, errPastEnd
		}
		return frag[j], nil
	}
	var nums []int
	var sb []rune
	push := func() error {
		// Integer.parseInt: an optional sign, then decimal digits of any
		// script.
		t := make([]byte, 0, len(sb))
		for _, r := range sb {
			if isJavaDigit(r) {
				r = '0' + digitValue(r)
			}
			t = utf8.AppendRune(t, r)
		}
		n, err := strconv.ParseInt(string(t), 10, 32)
		if err != nil {
			return fmt.Errorf("NumberFormatException: for input string: %q", string(sb))
		}
		nums = append(nums, int(n))
		sb = sb[:0]
		return nil
	}
	c := frag[i]
	var sliceTo, sliceFrom, sliceBetween, sequence bool
	contextSize := c == '@'
	var err error
	if contextSize {
		// [(@.length-1)] or [(@.size()-1)]: the function's name, then
		// the number from its '-' on.
		i += 2
		for {
			if c, err = at(i); err != nil {
				return pathStep{}, err
			}
			if c == '-' {
				break
			}
			if c != ' ' && c != '(' && c != ')' {
				sb = append(sb, c)
			}
			i++
		}
		if fn := string(sb); fn != "size" && fn != "length" {
			return pathStep{}, fmt.Errorf("invalid function: @.%s. Supported functions are: [(@.length - n)] and [(@.size() - n)]", fn)
		}
		sb = sb[:0]
		for {
			if c, err = at(i); err != nil {
				return pathStep{}, err
			}
			if c == ')' {
				break
			}
			if c != ' ' {
				sb = append(sb, c)
			}
			i++
		}
	} else {
		digits := func() error { // the digits, spaces and '-' after a ':'
			for {
				i++
				if c, err = at(i); err != nil {
					return err
				}
				if !isJavaDigit(c) && c != ' ' && c != '-' {
					return nil
				}
				if c != ' ' {
					sb = append(sb, c)
				}
			}
		}
		for isJavaDigit(c) || c == ',' || c == ' ' || c == ':' || c == '-' {
			switch c {
			case ' ':
			case ':':
				if len(sb) == 0 {
					sliceTo = true // [:n]
					if err := digits(); err != nil {
						return pathStep{}, err
					}
					if err := push(); err != nil {
						return pathStep{}, err
					}
					break
				}
				if err := push(); err != nil {
					return pathStep{}, err
				}
				if err := digits(); err != nil {
					return pathStep{}, err
				}
				if len(sb) == 0 {
					sliceFrom = true // [n:]
				} else {
					sliceBetween = true // [n:m]
					if err := push(); err != nil {
						return pathStep{}, err
					}
				}
			case ',':
				if err := push(); err != nil {
					return pathStep{}, err
				}
				sequence = true
			default:
				sb = append(sb, c)
			}
			if c == ']' {
				break
			}
			i++
			if c, err = at(i); err != nil {
				return pathStep{}, err
			}
		}
	}
	if len(sb) > 0 {
		if err := push(); err != nil {
			return pathStep{}, err
		}
	}
	// Each way out above records a number with its flag or fails, so one
	// of these holds.
	switch {
	case len(nums) == 1 && !sliceTo && !sliceFrom && !contextSize, sequence:
		return pathStep{kind: stepIndex, indexes: nums}, nil
	case sliceFrom:
		return pathStep{kind: stepSlice, lo: &nums[0]}, nil
	case sliceTo:
		return pathStep{kind: stepSlice, hi: &nums[0]}, nil
	case sliceBetween:
		return pathStep{kind: stepSlice, lo: &nums[0], hi: &nums[1]}, nil
	}
	return pathStep{kind: stepIndex, indexes: nums, fromEnd: true}, nil
}

// analyzeCriteria is PathComponentAnalyzer.analyzeCriteriaSequence4: the
// filter from the '[' before i to the ']' that closes it (found by
// findFilterBounds: brackets and parentheses outside quotes), read by
// Filter.parse.
func analyzeCriteria(frag string, i, depth int) (*pathFilter, error) {
	start := strings.LastIndexByte(frag[:i+1], '[') // a fragment starts with one
	var prev byte = ' '
	quoted := false
	brackets, parens, end := 0, 0, 0
	for j := start; end == 0; j++ {
		if j == len(frag) {
			return nil, errPastEnd
		}
		c := frag[j]
		switch {
		case c == '\'':
			if prev != '\\' {
				quoted = !quoted
			}
		case quoted:
		case c == '(':
			parens++
		case c == ')':
			parens--
		case c == '[':
			brackets++
		case c == ']':
			brackets--
			if parens == 0 {
				end = j + 1
			}
		}
		prev = c
	}
	if parens != 0 || brackets != 0 {
		return nil, errors.New("filter brackets are not balanced")
	}
	return parseFilter(frag[start:end], depth)
}

// parseFilter is the start of Filter.parse: "[", "?", "(" ... ")", "]",
// with spaces allowed between them.
func parseFilter(s string, depth int) (*pathFilter, error) {
	s = javaTrim(s)
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return nil, fmt.Errorf("filter must start with '[' and end with ']'. %s", s)
	}
	s = javaTrim(s[1 : len(s)-1])
	if !strings.HasPrefix(s, "?") {
		return nil, fmt.Errorf("filter must start with '[?' and end with ']'. %s", s)
	}
	s = javaTrim(s[1:])
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return nil, fmt.Errorf("filter must start with '[?(' and end with ')]'. %s", s)
	}
	return compileFilter(s[1:len(s)-1], depth)
}

// stepBuilder turns tokens into steps: a "$" after the first passes its
// value on, and a scan joins the token after it.
type stepBuilder struct {
	steps []pathStep
	n     int  // tokens so far
	scan  bool // the last token was a scan
}

func (b *stepBuilder) add(t pathToken) {
	b.n++
	if b.scan {
		b.scan = false
		switch t.kind {
		case tokProp:
			b.steps = append(b.steps, pathStep{kind: stepDeep, names: t.step.names})
		case tokWild:
			b.steps = append(b.steps, pathStep{kind: stepDeep, all: true})
		case tokArray, tokFilter, tokNoFilter:
			inner := t.step
			b.steps = append(b.steps, pathStep{kind: stepDeepIn, inner: &inner})
		default:
			b.steps = append(b.steps, pathStep{kind: stepNone}) // a scan for a scan or a root finds nothing
		}
		return
	}
	switch t.kind {
	case tokRoot:
		if b.n > 1 {
			// RootPathToken.evaluate hands on the value it is given;
			// the step before it is no longer the last.
			b.steps = append(b.steps, pathStep{kind: stepPass})
		}
	case tokScan:
		b.scan = true
	case tokWild:
		b.steps = append(b.steps, pathStep{kind: stepWild})
	default:
		b.steps = append(b.steps, t.step)
	}
}

func (b *stepBuilder) done() ([]pathStep, error) {
	if b.scan {
		return nil, errors.New("current path token is a leaf") // "." is "$..": a scan with nothing after it
	}
	return b.steps, nil
}
