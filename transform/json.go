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
	p := &jsonParser{s: text}
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

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at position %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
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
		return p.quoted(c)
	}
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",}]:", rune(p.s[p.i])) {
		p.i++
	}
	return scalar(strings.TrimSpace(p.s[start:p.i])), nil
}

func (p *jsonParser) object(depth int) (any, error) {
	p.i++
	m := vtl.NewMap()
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errorf("unterminated object")
		}
		if p.s[p.i] == '}' {
			p.i++
			return m, nil
		}
		var key string
		if c := p.s[p.i]; c == '"' || c == '\'' {
			k, err := p.quoted(c)
			if err != nil {
				return nil, err
			}
			key = k.(string)
		} else {
			start := p.i
			for p.i < len(p.s) && !strings.ContainsRune(":,}]", rune(p.s[p.i])) {
				p.i++
			}
			key = strings.TrimSpace(p.s[start:p.i])
		}
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.unexpected()
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m.Put(key, v)
		if err := p.separator('}'); err != nil {
			return nil, err
		}
		if p.s[p.i] == '}' {
			p.i++
			return m, nil
		}
		p.i++
	}
}

func (p *jsonParser) array(depth int) (any, error) {
	p.i++
	l := vtl.NewList(vtl.JSONArray)
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errorf("unterminated array")
		}
		if p.s[p.i] == ']' {
			p.i++
			return l, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		l.Items = append(l.Items, v)
		if err := p.separator(']'); err != nil {
			return nil, err
		}
		if p.s[p.i] == ']' {
			p.i++
			return l, nil
		}
		p.i++
	}
}

// separator expects a ',' or the closing character after a value.
func (p *jsonParser) separator(closing byte) error {
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

func (p *jsonParser) quoted(q byte) (any, error) {
	p.i++
	// Fast path: no escapes before the closing quote.
	for j := p.i; j < len(p.s); j++ {
		if p.s[j] == q {
			v := p.s[p.i:j]
			p.i = j + 1
			return v, nil
		}
		if p.s[j] == '\\' {
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
					return nil, p.errorf("bad unicode escape")
				}
				n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 16)
				if err != nil {
					return nil, p.errorf("bad unicode escape")
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
	return nil, p.errorf("unterminated string")
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
	if strings.Trim(t[i:], "0123456789.eE+-") != "" {
		return nil, false
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
