package auth

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonParser parses JSON (RFC 8259, strictly) into the values
// encoding/json would produce for map[string]any: strings, float64
// numbers, bools, nil, []any and map[string]any. JWT headers and claims
// are small, flat objects read on every uncached verification, and this
// is several times faster than encoding/json's reflection; the fuzz
// targets in json_fuzz_test.go check it against encoding/json.
//
// The text is held in a string so that strings without escapes are views
// of it: a claim set costs one copy of its text rather than a copy per
// string.
type jsonParser struct {
	s    string
	i    int
	utf8 bool // s is known to be valid UTF-8: strings need no check
}

func newJSONParser(s string) jsonParser {
	return jsonParser{s: s, utf8: utf8.ValidString(s)}
}

// openObject, member and end read a JSON object as strictly as
// parseObject but build no map: after openObject, each member call returns
// the next key (ok false at the closing brace) with the parser on its
// value, which the caller must consume (value or skip); end checks that
// nothing follows the object. A key without escapes is a view of the input.
func (p *jsonParser) openObject() error {
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return errJSON
	}
	p.i++
	p.space()
	return nil
}

func (p *jsonParser) member(first bool) (key string, ok bool, err error) {
	if ok, err = p.next(first, '}'); !ok {
		return "", false, err
	}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", false, errJSON
	}
	if key, err = p.key(); err != nil {
		return "", false, err
	}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != ':' {
		return "", false, errJSON
	}
	p.i++
	return key, true, nil
}

// next reads what comes before a container's next member or element: the
// closing byte (more is false) or, after the first, a comma.
func (p *jsonParser) next(first bool, closing byte) (more bool, err error) {
	p.space()
	if p.i >= len(p.s) {
		return false, errJSON
	}
	if p.s[p.i] == closing {
		p.i++
		return false, nil
	}
	if !first {
		if p.s[p.i] != ',' {
			return false, errJSON
		}
		p.i++
	}
	return true, nil
}

func (p *jsonParser) end() error {
	p.space()
	if p.i != len(p.s) {
		return errJSON
	}
	return nil
}

// key reads an object key at p.i: a view of the input when it has no
// escapes and is valid UTF-8, else its decoded copy.
func (p *jsonParser) key() (string, error) {
	start := p.i + 1
	for j := start; j < len(p.s); j++ {
		c := p.s[j]
		if c == '"' {
			if !p.utf8 && !utf8.ValidString(p.s[start:j]) {
				break
			}
			p.i = j + 1
			return p.s[start:j], nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	return p.str()
}

// skip consumes one value, checking it as strictly as value does. Scalars
// are checked without building them; containers are rare in the places
// skip is used, and are built and dropped.
func (p *jsonParser) skip(depth int) error {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		_, err := p.key()
		return err
	}
	_, err := p.value(depth)
	return err
}

var errJSON = errors.New("invalid JSON")

const maxJSONDepth = 64

func (p *jsonParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errJSON
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, errJSON
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		m := map[string]any{}
		for first := true; ; first = false {
			k, ok, err := p.member(first)
			if err != nil {
				return nil, err
			}
			if !ok {
				return m, nil
			}
			if m[k], err = p.value(depth + 1); err != nil {
				return nil, err
			}
		}
	case c == '[':
		p.i++
		a := []any{}
		for first := true; ; first = false {
			more, err := p.next(first, ']')
			if err != nil {
				return nil, err
			}
			if !more {
				return a, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case c == '"':
		return p.str()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, errJSON
}

func (p *jsonParser) literal(word string, v any) (any, error) {
	if len(p.s)-p.i < len(word) || p.s[p.i:p.i+len(word)] != word {
		return nil, errJSON
	}
	p.i += len(word)
	return v, nil
}

func (p *jsonParser) number() (any, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return nil, errJSON
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, errJSON
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, errJSON
		}
	}
	if n := p.s[start:p.i]; len(n) <= 15 && n[0] != '-' {
		// a plain integer of up to 15 digits is exact in a float64:
		// the common case of NumericDate claims
		var v int64
		for _, c := range n {
			if c < '0' || c > '9' {
				v = -1
				break
			}
			v = v*10 + int64(c-'0')
		}
		if v >= 0 {
			return float64(v), nil
		}
	}
	f, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil {
		return nil, errJSON
	}
	return f, nil
}

// str reads a string at p.i (on its opening quote), replacing invalid
// UTF-8 and lone surrogates with U+FFFD as encoding/json does.
func (p *jsonParser) str() (string, error) {
	p.i++
	start := p.i
	// fast path: no escapes, valid UTF-8
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			if p.utf8 || utf8.ValidString(s) {
				return s, nil
			}
			p.i = start
			break
		}
		if c == '\\' || c < 0x20 {
			p.i = start
			break
		}
		p.i++
	}
	if p.i != start {
		return "", errJSON
	}
	var out []byte
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(out), nil
		case c < 0x20:
			return "", errJSON
		case c == '\\':
			p.i++
			if p.i >= len(p.s) {
				return "", errJSON
			}
			e := p.s[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", errJSON
				}
				if utf16.IsSurrogate(r) {
					// a pair is \uD8xx\uDCxx; anything else is a lone half
					save := p.i
					if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
						p.i += 2
						if r2, ok := p.hex4(); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								out = utf8.AppendRune(out, dec)
								continue
							}
						}
					}
					p.i = save
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
			default:
				return "", errJSON
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			p.i++
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, p.s[p.i:p.i+size]...)
			}
			p.i += size
		}
	}
	return "", errJSON
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.s[p.i : p.i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}
