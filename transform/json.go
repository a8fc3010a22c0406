package transform

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// maxJSONDepth bounds nesting so hostile payloads cannot exhaust the stack.
const maxJSONDepth = 512

// ParseJSON parses text the way json-smart 2.2 does in permissive mode, the
// parser API Gateway's JSONPath uses: objects become *vtl.Map (insertion
// order kept), arrays *vtl.List of kind vtl.JSONArray, numbers int32, int64,
// *big.Int or float64. Unquoted and single-quoted strings, trailing commas
// and trailing data after a top-level object or array are accepted. Text
// that is not an object or array becomes a scalar when it is exactly one
// (42, true) and otherwise the trimmed text itself ("a=b&c=d").
func ParseJSON(text string) (any, error) {
	p := &jsonParser{s: text, stack: make([]any, 0, 32), keys: make([]string, 0, 16)}
	if len(text) > 256 {
		// Size the arena's blocks for the document: every value but the
		// first in a container follows a comma (the slack covers the keys
		// of objects that share none).
		objects, arrays := strings.Count(text, "{"), strings.Count(text, "[")
		p.arena.Reserve(objects, arrays, strings.Count(text, ",")+2*objects+arrays+16)
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return "", nil
	}
	switch p.s[p.i] {
	case '{', '[', '"', '\'':
		return p.value(0)
	}
	return scalar(strings.TrimSpace(p.s[p.i:])), nil
}

// jsonParser is one parse. Pending object entries and array items wait on
// stacks until their container closes, so each container is allocated once
// at its final size; maps and lists come from an arena in blocks; objects
// with the keys of the previous object at their level share its keys; and
// short repeated string values are boxed once per parse.
type jsonParser struct {
	s     string
	i     int
	stack []any    // pending values
	keys  []string // pending object keys
	arena vtl.Arena
	strs  [128]any // boxed strings by hash (see box)
	// shapes holds the last object parsed at each nesting level, whose keys
	// the next one there may share.
	shapes [8]*vtl.Map
}

// box returns the string value s as an interface value, reusing an
// earlier box of an equal short string (enumerations such as "type": "dog"
// repeat). The first string to hash to a slot keeps it.
func (p *jsonParser) box(s string) any {
	n := len(s)
	if n == 0 || n > 32 {
		return s
	}
	h := uint(n)*31 + uint(s[0])*7 + uint(s[n-1])
	e := &p.strs[h&(uint(len(p.strs))-1)]
	if *e != nil {
		if es, _ := (*e).(string); es == s {
			return *e
		}
		return s
	}
	*e = s
	return *e
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at position %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *jsonParser) skipSpace() {
	s, i := p.s, p.i
	for i < len(s) {
		if c := s[i]; c > ' ' || c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			break
		}
		i++
	}
	p.i = i
}

func (p *jsonParser) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, p.errorf("nesting too deep")
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.s[p.i]; c {
	case '{':
		return p.object(depth)
	case '[':
		return p.array(depth)
	case '"', '\'':
		s, err := p.quoted(c)
		if err != nil {
			return nil, err
		}
		return p.box(s), nil
	}
	s, start := p.s, p.i
	i := start
	for i < len(s) {
		if c := s[i]; c == ',' || c == '}' || c == ']' || c == ':' {
			break
		}
		i++
	}
	p.i = i
	t := s[start:i]
	if t == "" || t[0] <= ' ' || t[0] >= 0x80 || t[len(t)-1] <= ' ' || t[len(t)-1] >= 0x80 {
		t = strings.TrimSpace(t)
	} else if c := t[0]; c == '-' || c >= '0' && c <= '9' {
		if n, ok := parseNumber(t); ok { // not a keyword: skip scalar's checks
			return n, nil
		}
		return t, nil
	}
	return scalar(t), nil
}

func (p *jsonParser) object(depth int) (any, error) {
	p.i++
	kbase, vbase := len(p.keys), len(p.stack)
	if depth < len(p.shapes) && p.shapes[depth] != nil {
		like := p.shapes[depth]
		m, k, vals, err := p.objectLike(depth, like)
		if err != nil {
			return nil, err
		}
		if m != nil {
			p.shapes[depth] = m
			return m, nil
		}
		// Another shape: go on in general with the k entries read, from
		// the start of the next entry.
		for i := 0; i < k; i++ {
			key, _ := p.arena.ShapeKey(like, i)
			p.keys = append(p.keys, key)
			p.stack = append(p.stack, vals[i])
		}
	}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errorf("unterminated object")
		}
		if p.s[p.i] == '}' {
			p.i++
			return p.finishObject(kbase, vbase, depth), nil
		}
		key, fast := p.plainKey()
		if !fast {
			var err error
			if key, err = p.key(); err != nil {
				return nil, err
			}
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.keys = append(p.keys, key)
		p.stack = append(p.stack, v)
		if err := p.separator('}'); err != nil {
			return nil, err
		}
		if p.s[p.i] == '}' {
			p.i++
			return p.finishObject(kbase, vbase, depth), nil
		}
		p.i++
	}
}

// objectLike reads an object with the keys of like, in like's order, in
// their plain form, writing the values straight into the new map's
// storage; p.i is just after the '{'. For another object it stops at the
// start of the first entry that differs (or at the '}' when there are
// fewer), returning the k entries read before it, with m nil. Errors are
// those the general path gives at the same place.
func (p *jsonParser) objectLike(depth int, like *vtl.Map) (m *vtl.Map, k int, vals []any, err error) {
	n := like.Len()
	vals = p.arena.Values(n)
	for ; ; k++ {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, k, vals, p.errorf("unterminated object")
		}
		if p.s[p.i] == '}' {
			if k != n {
				return nil, k, vals, nil
			}
			p.i++
			return p.arena.NewMapLike(like, vals), k, vals, nil
		}
		want, ok := p.arena.ShapeKey(like, k)
		if !ok {
			return nil, k, vals, nil
		}
		if !p.expectKey(want) {
			return nil, k, vals, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, k, vals, err
		}
		vals[k] = v
		if err := p.separator('}'); err != nil {
			return nil, k, vals, err
		}
		if p.s[p.i] == ',' {
			p.i++
		}
	}
}

// key reads a key in any form and the ':' after it.
func (p *jsonParser) key() (string, error) {
	var key string
	if c := p.s[p.i]; c == '"' || c == '\'' {
		k, err := p.quoted(c)
		if err != nil {
			return "", err
		}
		key = k
	} else {
		start := p.i
	scan:
		for p.i < len(p.s) {
			switch p.s[p.i] {
			case ':', ',', '}', ']':
				break scan
			}
			p.i++
		}
		key = strings.TrimSpace(p.s[start:p.i])
	}
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != ':' {
		return "", p.unexpected()
	}
	p.i++
	return key, nil
}

// expectKey consumes "want": (or "want" :) when the text at p.i is exactly
// that, the plain form plainKey reads with want as the key. want holding
// a quote or backslash never matches, as plainKey would not read it.
func (p *jsonParser) expectKey(want string) bool {
	s, i := p.s, p.i
	j := i + 1 + len(want) // the closing quote
	if j+1 >= len(s) || s[i] != '"' || s[j] != '"' || s[i+1:j] != want {
		return false
	}
	for k := 0; k < len(want); k++ {
		if c := want[k]; c == '"' || c == '\\' {
			return false
		}
	}
	k := j + 1
	if s[k] == ' ' && k+1 < len(s) {
		k++
	}
	if s[k] != ':' {
		return false
	}
	p.i = k + 1
	return true
}

// plainKey reads the common form of a key, a double-quoted string without
// escapes followed by ':' (perhaps after one space), consuming the ':' too.
// ok is false, with nothing consumed, for any other form.
func (p *jsonParser) plainKey() (string, bool) {
	s, i := p.s, p.i
	if s[i] != '"' {
		return "", false
	}
	j := i + 1
	for j < len(s) && s[j] != '"' && s[j] != '\\' {
		j++
	}
	if j+1 >= len(s) || s[j] != '"' {
		return "", false
	}
	k := j + 1
	if s[k] == ' ' && k+1 < len(s) {
		k++
	}
	if s[k] != ':' {
		return "", false
	}
	p.i = k + 1
	return s[i+1 : j], true
}

// finishObject builds the map of the entries pushed since kbase, vbase.
func (p *jsonParser) finishObject(kbase, vbase, depth int) *vtl.Map {
	var like *vtl.Map
	if depth < len(p.shapes) {
		like = p.shapes[depth]
	}
	m := p.arena.NewMapOf(p.keys[kbase:], p.stack[vbase:], like)
	if depth < len(p.shapes) {
		p.shapes[depth] = m
	}
	// The stale entries above the new tops die with the parser.
	p.keys, p.stack = p.keys[:kbase], p.stack[:vbase]
	return m
}

func (p *jsonParser) array(depth int) (any, error) {
	p.i++
	base := len(p.stack)
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errorf("unterminated array")
		}
		if p.s[p.i] == ']' {
			p.i++
			return p.finishArray(base), nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.stack = append(p.stack, v)
		if err := p.separator(']'); err != nil {
			return nil, err
		}
		if p.s[p.i] == ']' {
			p.i++
			return p.finishArray(base), nil
		}
		p.i++
	}
}

// finishArray builds the list of the items pushed since base.
func (p *jsonParser) finishArray(base int) *vtl.List {
	items := p.stack[base:]
	l := p.arena.NewList(vtl.JSONArray, len(items))
	l.Items = append(l.Items, items...)
	p.stack = p.stack[:base]
	return l
}

// separator expects a ',' or the closing character after a value.
func (p *jsonParser) separator(closing byte) error {
	if p.i < len(p.s) {
		if c := p.s[p.i]; c == ',' || c == closing {
			return nil
		}
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return p.errorf("unexpected end of input")
	}
	if c := p.s[p.i]; c != ',' && c != closing {
		return p.unexpected()
	}
	return nil
}

func (p *jsonParser) unexpected() error {
	if p.i >= len(p.s) {
		return p.errorf("unexpected end of input")
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return p.errorf("unexpected character (%c)", r)
}

func (p *jsonParser) quoted(q byte) (string, error) {
	p.i++
	// Fast path: no escapes before the closing quote.
	for s, i, j := p.s, p.i, p.i; j < len(s); j++ {
		if c := s[j]; c == q {
			p.i = j + 1
			return s[i:j], nil
		} else if c == '\\' {
			break
		}
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			e := p.s[p.i]
			p.i++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if p.i+4 > len(p.s) {
					return "", p.errorf("bad unicode escape")
				}
				n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 16)
				if err != nil {
					return "", p.errorf("bad unicode escape")
				}
				p.i += 4
				r := rune(n)
				if r >= 0xD800 && r < 0xDC00 && p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					if lo, err := strconv.ParseUint(p.s[p.i+2:p.i+6], 16, 16); err == nil && lo >= 0xDC00 && lo < 0xE000 {
						r = (r-0xD800)<<10 + (rune(lo) - 0xDC00) + 0x10000
						p.i += 6
					}
				}
				b.WriteRune(r)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf("unterminated string")
}

// scalar interprets unquoted text: keywords, numbers, or the text itself.
func scalar(t string) any {
	switch t {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	case "NaN":
		return math.NaN()
	}
	if n, ok := parseNumber(t); ok {
		return n
	}
	return t
}

// parseNumber reads a JSON number as json-smart does: integers become the
// smallest of Integer, Long, BigInteger; anything with '.' or an exponent
// becomes a Double, or a BigDecimal when written with more than 18
// characters.
func parseNumber(t string) (any, bool) {
	if t == "" {
		return nil, false
	}
	i := 0
	if t[0] == '-' {
		i++
	}
	digits := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
		digits++
	}
	if digits == 0 {
		return nil, false
	}
	if i == len(t) {
		if digits <= 9 { // fits an int32 whatever the digits
			var v int32
			for _, c := range t[len(t)-digits:] {
				v = v*10 + int32(c-'0')
			}
			if t[0] == '-' {
				v = -v
			}
			return v, true
		}
		if v, err := strconv.ParseInt(t, 10, 64); err == nil {
			if v >= math.MinInt32 && v <= math.MaxInt32 {
				return int32(v), true
			}
			return v, true
		}
		b, _ := new(big.Int).SetString(t, 10)
		if b.IsInt64() {
			v := b.Int64()
			if v >= math.MinInt32 && v <= math.MaxInt32 {
				return int32(v), true
			}
			return v, true
		}
		return b, true
	}
	for j := i; j < len(t); j++ {
		switch c := t[j]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return nil, false
		}
	}
	if f, ok := smallDecimal(t); ok {
		return f, true
	}
	if len(t) > 18 { // json-smart keeps long decimals as BigDecimal
		if d, ok := vtl.ParseDecimal(t); ok {
			return d, true
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return nil, false
	}
	return f, true
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// smallDecimal parses [-]digits.digits with at most 15 digits, the common
// form of JSON prices and measures, without strconv: the digits and the
// power of ten are exact float64 values, so one division rounds correctly,
// giving the same result as strconv.ParseFloat.
func smallDecimal(t string) (float64, bool) {
	i, neg := 0, false
	if i < len(t) && t[i] == '-' {
		neg, i = true, 1
	}
	var mant uint64
	digits, frac, dot := 0, 0, false
	for ; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if !dot || digits == 0 || digits > 15 {
		return 0, false
	}
	f := float64(mant) / pow10[frac]
	if neg {
		f = -f
	}
	return f, true
}
