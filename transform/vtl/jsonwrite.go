package vtl

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ToJSON serializes a value the way json-smart's JSONValue.toJSONString does
// with its default style: compact, "/" written as "\/", control characters
// and U+007F..U+009F and U+2000..U+20FF as \uXXXX. Values that are not JSON
// (host objects, classes) are written as quoted strings of their text.
func ToJSON(v any) string {
	s, _ := ToJSONChecked(v)
	return s
}

// ToJSONChecked is ToJSON that fails on a value nested too deeply or
// grown too large to write, such as a list that holds itself, on which
// json-smart fails with StackOverflowError; the text is then cut short.
func ToJSONChecked(v any) (string, error) {
	return ToJSONCheckedSize(v, 0)
}

// ToJSONCheckedSize is ToJSONChecked with room for size bytes of text
// made up front (up to maxJSONGrow), for a caller that expects about
// that much, such as the length of the text the value was read from: a
// text of that size is then built without growing its buffer step by
// step. When the text turns out much shorter (a payload of spaces, a
// document emptied since), it is copied out, so that the string does
// not keep the larger buffer alive.
func ToJSONCheckedSize(v any, size int) (string, error) {
	var b printer
	grown := min(size, maxJSONGrow)
	if grown > 0 {
		b.Grow(grown)
	}
	writeJSON(&b, v, 0)
	s := b.String()
	if grown > 0 && b.Cap() > 2*len(s)+1024 {
		s = strings.Clone(s)
	}
	if b.overflow {
		return s, errJSONOverflow
	}
	return s, nil
}

var errJSONOverflow = errors.New("StackOverflowError: value nests too deeply to write as JSON")

// maxJSONDepth and maxJSONBytes stop writing self-containing collections
// as JSON, where json-smart would overflow its stack. They are above what
// a payload can hold (512 levels, 10 MB), which writes in full.
const (
	maxJSONDepth = 1000
	maxJSONBytes = 32 << 20
	// maxJSONGrow bounds the room ToJSONCheckedSize makes up front: a
	// text longer than most payloads grows from there.
	maxJSONGrow = 64 << 10
)

func writeJSON(b *printer, v any, depth int) {
	if (JSONWriter{b}).Cut(depth) {
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case int32, int64, *big.Int, bool, Decimal:
		writeJava(b, x, 0) // a leaf: printing's own depth bound is not JSON's
	case float64:
		if math.IsInf(x, 0) {
			b.WriteString("null") // json-smart writes infinities as null, NaN as NaN
			return
		}
		b.WriteString(FormatDouble(x))
	case float32:
		if math.IsInf(float64(x), 0) {
			b.WriteString("null")
			return
		}
		b.WriteString(formatFloat(x))
	case *Map:
		if x.src != nil {
			x.src.WriteJSON(x.at, JSONWriter{b}, depth)
			return
		}
		b.WriteByte('{')
		keys, vals := x.ents()
		for i := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if keys[i] == nil {
				b.WriteString("null")
			} else {
				writeJSONString(b, ToString(keys[i]))
			}
			b.WriteByte(':')
			writeJSON(b, vals[i], depth+1)
		}
		b.WriteByte('}')
	case *List:
		b.WriteByte('[')
		for i, e := range x.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e, depth+1)
		}
		b.WriteByte(']')
	default:
		writeJSONString(b, ToString(v))
	}
}

// JSONWriter writes JSON as ToJSON does, for a MapSource writing a map
// it has not built (MapSource.WriteJSON).
type JSONWriter struct{ p *printer }

// Byte writes one byte of punctuation: '{', '}', '[', ']', ',' or ':'.
func (w JSONWriter) Byte(c byte) { w.p.WriteByte(c) }

// String writes s as a JSON string.
func (w JSONWriter) String(s string) { writeJSONString(w.p, s) }

// Scalar writes an unboxed value.
func (w JSONWriter) Scalar(sc Scalar) {
	switch {
	case sc.kind == scalarString:
		writeJSONString(w.p, sc.s)
	case sc.s != "":
		w.p.WriteString(sc.s) // the number's printed form
	case sc.kind == scalarInteger:
		var buf [12]byte
		w.p.Write(strconv.AppendInt(buf[:0], int64(sc.i), 10))
	default:
		if math.IsInf(sc.f, 0) {
			w.p.WriteString("null") // as writeJSON writes a boxed infinity
			return
		}
		var buf [32]byte
		w.p.Write(appendDouble(buf[:0], sc.f))
	}
}

// Value writes any value at nesting depth depth.
func (w JSONWriter) Value(v any, depth int) { writeJSON(w.p, v, depth) }

// Cut reports whether a value at nesting depth depth is past ToJSON's
// bounds on nesting and size; it has then written the null that stands
// for it, and the caller writes nothing more of the value.
func (w JSONWriter) Cut(depth int) bool {
	if depth > maxJSONDepth || w.p.Len() > maxJSONBytes {
		w.p.overflow = true
		w.p.WriteString("null")
		return true
	}
	return false
}

func writeJSONString(b *printer, s string) {
	b.WriteByte('"')
	escapeJSON(b, s)
	b.WriteByte('"')
}

// jsonPlain marks the bytes escapeJSON copies as they are: printable
// ASCII but for '"', '\\' and '/'.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = c != '"' && c != '\\' && c != '/'
	}
	return t
}()

func escapeJSON(b *printer, s string) {
	start := 0 // the start of the run of bytes written as they are
	for i := 0; i < len(s); {
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError && !(r <= 0x9F || r >= 0x2000 && r <= 0x20FF) {
				i += size
				continue
			}
		}
		b.WriteString(s[start:i])
		i += size
		start = i
		writeEscapedRune(b, r)
	}
	b.WriteString(s[start:])
}

// writeEscapedRune writes one rune that escapeJSON does not copy as it is.
func writeEscapedRune(b *printer, r rune) {
	const hex = "0123456789ABCDEF"
	switch r {
	case '"':
		b.WriteString(`\"`)
	case '\\':
		b.WriteString(`\\`)
	case '\b':
		b.WriteString(`\b`)
	case '\f':
		b.WriteString(`\f`)
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	case '/':
		b.WriteString(`\/`)
	default:
		if r <= 0x1F || (r >= 0x7F && r <= 0x9F) || (r >= 0x2000 && r <= 0x20FF) {
			b.WriteString(`\u`)
			b.WriteByte(hex[r>>12&0xF])
			b.WriteByte(hex[r>>8&0xF])
			b.WriteByte(hex[r>>4&0xF])
			b.WriteByte(hex[r&0xF])
		} else {
			b.WriteRune(r) // U+FFFD for a byte that is not UTF-8
		}
	}
}
