package vtl

import (
	"math"
	"math/big"
)

// ToJSON serializes a value the way json-smart's JSONValue.toJSONString does
// with its default style: compact, "/" written as "\/", control characters
// and U+007F..U+009F and U+2000..U+20FF as \uXXXX. Values that are not JSON
// (host objects, classes) are written as quoted strings of their text.
func ToJSON(v any) string {
	var b printer
	writeJSON(&b, v, 0)
	return b.String()
}

func writeJSON(b *printer, v any, depth int) {
	if depth > maxPrintDepth || b.Len() > maxPrintBytes {
		b.overflow = true
		b.WriteString("null")
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case int32, int64, *big.Int, bool, Decimal:
		writeJava(b, x, depth)
	case float64:
		if math.IsInf(x, 0) {
			b.WriteString("null") // json-smart writes infinities as null, NaN as NaN
			return
		}
		b.WriteString(FormatDouble(x))
	case *Map:
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

func writeJSONString(b *printer, s string) {
	b.WriteByte('"')
	escapeJSON(b, s)
	b.WriteByte('"')
}

func escapeJSON(b *printer, s string) {
	const hex = "0123456789ABCDEF"
	for _, r := range s {
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
				b.WriteRune(r)
			}
		}
	}
}
