package websocket

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DefaultRouteSelectionExpression is the route selection expression API
// Gateway proposes for new WebSocket APIs.
const DefaultRouteSelectionExpression = "$request.body.action"

// SelectionExpression is a parsed route selection expression, as API
// Gateway evaluates it against each incoming message:
//
//   - "$request.body.action": a JSONPath into the JSON message
//     ($request.body alone is the whole message; steps are .name,
//     [index] and ['name']);
//   - "${request.body.service}/${request.body.action}": text with
//     ${...} references, each replaced by its value ("chat/join");
//   - "\$default" or "static": literal text ("$default", "static").
//
// A value is stringified: strings as they are, numbers as written, true
// and false, arrays as "[item1, item2]" and objects as "{a=1, b=2}" (the
// Java renderings AWS shows); a missing path and null are "".
//
// A SelectionExpression is immutable and safe for concurrent use.
type SelectionExpression struct {
	src   string
	parts []selPart
}

type selPart struct {
	literal string
	isPath  bool
	path    []pathStep
}

type pathStep struct {
	name    string
	index   int
	isIndex bool
}

// ParseSelectionExpression parses a route selection expression. Only
// $request.body references are supported, as for WebSocket route
// selection on AWS.
func ParseSelectionExpression(s string) (*SelectionExpression, error) {
	e := &SelectionExpression{src: s}
	switch {
	case s == "":
		return nil, errors.New("websocket: empty route selection expression")
	case strings.Contains(s, "${"):
		if err := e.parseTemplate(s); err != nil {
			return nil, fmt.Errorf("websocket: route selection expression %q: %w", s, err)
		}
	case strings.HasPrefix(s, `\$`):
		e.parts = []selPart{{literal: s[1:]}}
	case strings.HasPrefix(s, "$"):
		path, err := parseReference(s[1:])
		if err != nil {
			return nil, fmt.Errorf("websocket: route selection expression %q: %w", s, err)
		}
		e.parts = []selPart{{isPath: true, path: path}}
	default:
		e.parts = []selPart{{literal: s}}
	}
	return e, nil
}

// MustParseSelectionExpression is ParseSelectionExpression that panics on
// error, for examples and tests.
func MustParseSelectionExpression(s string) *SelectionExpression {
	e, err := ParseSelectionExpression(s)
	if err != nil {
		panic(err)
	}
	return e
}

// String returns the expression as written.
func (e *SelectionExpression) String() string { return e.src }

func (e *SelectionExpression) parseTemplate(s string) error {
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			e.parts = append(e.parts, selPart{literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '$':
			lit.WriteByte('$')
			i += 2
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return errors.New("unterminated ${")
			}
			path, err := parseReference(s[i+2 : i+end])
			if err != nil {
				return err
			}
			flush()
			e.parts = append(e.parts, selPart{isPath: true, path: path})
			i += end + 1
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	return nil
}

// parseReference parses "request.body..." (without the leading $).
func parseReference(ref string) ([]pathStep, error) {
	rest, ok := strings.CutPrefix(ref, "request.body")
	if !ok {
		return nil, fmt.Errorf("unsupported reference $%s (want $request.body...)", ref)
	}
	steps := []pathStep{}
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			n := strings.IndexAny(rest, ".[")
			if n < 0 {
				n = len(rest)
			}
			if n == 0 {
				return nil, errors.New("empty name in path")
			}
			steps = append(steps, pathStep{name: rest[:n]})
			rest = rest[n:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errors.New("unterminated [")
			}
			in := rest[1:end]
			if len(in) >= 2 && (in[0] == '\'' || in[0] == '"') && in[len(in)-1] == in[0] {
				steps = append(steps, pathStep{name: in[1 : len(in)-1]})
			} else {
				i, err := strconv.Atoi(in)
				if err != nil || i < 0 {
					return nil, fmt.Errorf("bad index [%s]", in)
				}
				steps = append(steps, pathStep{index: i, isIndex: true})
			}
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q after $request.body", rest)
		}
	}
	return steps, nil
}

// Evaluate returns the route key a message selects. isJSON is false when
// the message is not JSON; API Gateway then routes it to $default
// whatever the expression says.
func (e *SelectionExpression) Evaluate(message []byte) (key string, isJSON bool) {
	if !json.Valid(message) {
		return "", false
	}
	if len(e.parts) == 1 && !e.parts[0].isPath {
		return e.parts[0].literal, true
	}
	var b strings.Builder
	for _, p := range e.parts {
		if !p.isPath {
			b.WriteString(p.literal)
			continue
		}
		if raw, ok := lookup(message, p.path); ok {
			appendValue(&b, raw)
		}
	}
	return b.String(), true
}

// lookup follows path through valid JSON without decoding it: a scan
// over the bytes that returns the raw value (the last one for a repeated
// key, as JSON decoders keep).
func lookup(doc []byte, path []pathStep) ([]byte, bool) {
	cur := doc
	for _, st := range path {
		i := skipSpace(cur, 0)
		if i >= len(cur) {
			return nil, false
		}
		var ok bool
		if st.isIndex {
			if cur[i] != '[' {
				return nil, false
			}
			cur, ok = element(cur, i, st.index)
		} else {
			if cur[i] != '{' {
				return nil, false
			}
			cur, ok = member(cur, i, st.name)
		}
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// member returns the value of key name in the object at b[i].
func member(b []byte, i int, name string) ([]byte, bool) {
	var found []byte
	ok := false
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] == '"' {
		end := skipString(b, i)
		if keyEquals(b[i:end], name) {
			vs := skipSpace(b, skipSpace(b, end)+1) // past ':'
			ve := skipValue(b, vs)
			found, ok = b[vs:ve], true
			i = ve
		} else {
			i = skipValue(b, skipSpace(b, skipSpace(b, end)+1))
		}
		i = skipSpace(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return found, ok
}

// element returns element n of the array at b[i].
func element(b []byte, i, n int) ([]byte, bool) {
	i = skipSpace(b, i+1)
	for k := 0; i < len(b) && b[i] != ']'; k++ {
		end := skipValue(b, i)
		if k == n {
			return b[i:end], true
		}
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return nil, false
}

// keyEquals compares a JSON string literal with name.
func keyEquals(lit []byte, name string) bool {
	if len(lit) < 2 {
		return false
	}
	inner := lit[1 : len(lit)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner) == name
	}
	var s string
	return json.Unmarshal(lit, &s) == nil && s == name
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index past the string literal at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index past the JSON value at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(b) && !isDelim(b[i]) {
		i++
	}
	return i
}

func isDelim(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// appendValue writes a JSON value stringified as AWS does.
func appendValue(b *strings.Builder, raw []byte) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return
	}
	switch c := raw[0]; {
	case c == '"' && bytes.IndexByte(raw, '\\') < 0:
		b.Write(raw[1 : len(raw)-1])
		return
	case c == 'n': // null
		return
	case c == 't' || c == 'f' || c == '-' || c >= '0' && c <= '9':
		b.Write(raw)
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	writeToken(b, dec, true)
}

// writeToken writes the next value; null is "" at the top and "null"
// inside arrays and objects, as Java renders them.
func writeToken(b *strings.Builder, dec *json.Decoder, top bool) {
	tok, err := dec.Token()
	if err != nil {
		return
	}
	switch t := tok.(type) {
	case string:
		b.WriteString(t)
	case json.Number:
		b.WriteString(t.String())
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case nil:
		if !top {
			b.WriteString("null")
		}
	case json.Delim:
		switch t {
		case '[':
			b.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				writeToken(b, dec, false)
			}
			_, _ = dec.Token()
			b.WriteByte(']')
		case '{':
			b.WriteByte('{')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				k, err := dec.Token()
				if err != nil {
					return
				}
				ks, _ := k.(string)
				b.WriteString(ks)
				b.WriteByte('=')
				writeToken(b, dec, false)
			}
			_, _ = dec.Token()
			b.WriteByte('}')
		}
	}
}
