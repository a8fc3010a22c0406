package vtl

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ToString renders a value the way Java's toString would: maps as
// {a=1, b=x}, ArrayLists as [a, b], JSON arrays as compact JSON, doubles
// like Double.toString. nil gives "null".
func ToString(v any) string {
	var b printer
	writeJava(&b, v, 0)
	return b.String()
}

// printer collects text and notes when a value nests too deeply to print
// (Java fails with StackOverflowError there).
type printer struct {
	strings.Builder
	overflow bool
}

// toStringChecked is ToString that reports values nested too deeply.
func toStringChecked(v any) (string, bool) {
	var b printer
	writeJava(&b, v, 0)
	return b.String(), !b.overflow
}

// maxPrintDepth and maxPrintBytes stop printing of self-containing
// collections (where Java would overflow its stack).
const (
	maxPrintDepth = 100
	maxPrintBytes = 8 << 20
)

func writeJava(b *printer, v any, depth int) {
	if depth > maxPrintDepth || b.Len() > maxPrintBytes {
		b.overflow = true
		b.WriteString("...")
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(x)
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		b.WriteString(FormatDouble(x))
	case float32:
		b.WriteString(formatFloat(x))
	case Decimal:
		b.WriteString(x.String())
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case Char:
		if x >= 0xD800 && x < 0xE000 {
			b.WriteByte('?') // a lone surrogate
		} else {
			b.WriteRune(rune(x))
		}
	case *Map:
		b.WriteByte('{')
		keys, vals := x.ents()
		for i := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeSelf(b, keys[i], x, "(this Map)", depth)
			b.WriteByte('=')
			writeSelf(b, vals[i], x, "(this Map)", depth)
		}
		b.WriteByte('}')
	case *List:
		if x.view != nil {
			x.refresh()
		}
		if x.sub != nil {
			_ = x.sub.refresh(x) // printed as last seen if its list changed
		}
		switch x.Kind {
		case JSONArray:
			writeJSON(b, x, depth)
		case StringArray:
			fmt.Fprintf(b, "[Ljava.lang.String;@%x", uint32(len(x.Items))*2654435761)
		case ByteArray:
			fmt.Fprintf(b, "[B@%x", uint32(len(x.Items))*2654435761)
		case CharArray:
			fmt.Fprintf(b, "[C@%x", uint32(len(x.Items))*2654435761)
		case ObjectArray:
			fmt.Fprintf(b, "[Ljava.lang.Object;@%x", uint32(len(x.Items))*2654435761)
		default:
			b.WriteByte('[')
			for i, e := range x.Items {
				if i > 0 {
					b.WriteString(", ")
				}
				writeSelf(b, e, x, "(this Collection)", depth)
			}
			b.WriteByte(']')
		}
	case Entry:
		writeJava(b, x.Key, depth+1)
		b.WriteByte('=')
		writeJava(b, x.current(), depth+1)
	case javaClass:
		b.WriteString("class " + x.name)
	case *foreachScope:
		writeJava(b, x.entries(), depth) // a Scope prints as the map it is
	case *iterator:
		fmt.Fprintf(b, "%s@%x", typeName(x), uint32(x.next+1)*2654435761)
	case fmt.Stringer:
		b.WriteString(x.String())
	default:
		fmt.Fprint(b, v)
	}
}

func writeSelf(b *printer, v, self any, selfText string, depth int) {
	if v == self {
		b.WriteString(selfText)
		return
	}
	writeJava(b, v, depth+1)
}

// FormatDouble formats f as Java 17's Double.toString does: plain notation
// with at least one decimal for 1e-3 <= |f| < 1e7, otherwise "d.dddE±n",
// with the digits of Java's FloatingDecimal, which are not always the
// shortest that read back as f (1e23 prints as 9.999999999999999E22).
func FormatDouble(f float64) string {
	var buf [32]byte
	return string(appendDouble(buf[:0], f))
}

// appendDouble appends FormatDouble(f).
func appendDouble(b []byte, f float64) []byte {
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		if out, ok := appendShortDecimal(b, f); ok {
			return out
		}
	}
	return appendJavaDouble(b, f)
}

// Powers of ten for appendShortDecimal.
var (
	shortPow10f = [...]float64{1, 10, 100, 1000, 10000}
	shortPow10u = [...]uint64{1, 10, 100, 1000, 10000}
)

// appendShortDecimal is the fast path of appendDouble for numbers with at
// most four decimals, such as prices (1e-3 <= |f| < 1e7). It prints m/10^k
// for the smallest k for which m/10^k == f, m an integer: m and 10^k are
// exact, so the division rounds as parsing the decimal would, and f is the
// double nearest to m/10^k. FloatingDecimal prints the same digits. Its
// digit loop stops at the first digit where the digits so far, or those
// plus one in the last place, are within half an ulp of f. Below 1e7 a
// step of the fourth decimal is thousands of ulps, so no such decimal lies
// halfway between two doubles, and the loop stops neither before the
// last digit of m (a decimal that close to f with fewer decimals reads
// back as f, and a smaller k would have matched) nor after it (m/10^k is
// that close). Next to a power of two the loop allows only a quarter of
// an ulp, but such an f is m/10^k exactly. TestShortDecimalFastPath checks
// this against the port of FloatingDecimal.
func appendShortDecimal(b []byte, f float64) ([]byte, bool) {
	a := math.Abs(f)
	if !(a < 1e7) {
		return b, false
	}
	for k, p := range shortPow10f {
		m := math.Round(a * p)
		if m/p != a {
			continue
		}
		if f < 0 {
			b = append(b, '-')
		}
		u := uint64(m)
		b = strconv.AppendUint(b, u/shortPow10u[k], 10)
		b = append(b, '.')
		if k == 0 {
			return append(b, '0'), true
		}
		var frac [4]byte
		r := u % shortPow10u[k]
		for i := k - 1; i >= 0; i-- {
			frac[i] = byte('0' + r%10)
			r /= 10
		}
		return append(b, frac[:k]...), true
	}
	return b, false
}

// typeName is the Java class name of a value, for $x.class.
func typeName(v any) string {
	switch x := v.(type) {
	case string:
		return "java.lang.String"
	case int32:
		return "java.lang.Integer"
	case int64:
		return "java.lang.Long"
	case *big.Int:
		return "java.math.BigInteger"
	case float64:
		return "java.lang.Double"
	case float32:
		return "java.lang.Float"
	case Decimal:
		return "java.math.BigDecimal"
	case bool:
		return "java.lang.Boolean"
	case Char:
		return "java.lang.Character"
	case *Map:
		return "java.util.LinkedHashMap"
	case *List:
		switch x.Kind {
		case JSONArray:
			return "net.minidev.json.JSONArray"
		case StringArray:
			return "[Ljava.lang.String;"
		case ByteArray:
			return "[B"
		case CharArray:
			return "[C"
		case ObjectArray:
			return "[Ljava.lang.Object;"
		}
		if x.sub != nil {
			return "java.util.ArrayList$SubList"
		}
		if x.view != nil {
			return [...]string{viewKeys: "java.util.LinkedHashMap$LinkedKeySet", viewValues: "java.util.LinkedHashMap$LinkedValues", viewEntries: "java.util.LinkedHashMap$LinkedEntrySet"}[x.view.of]
		}
		return "java.util.ArrayList"
	case *iterator:
		return x.class
	case *foreachScope:
		return "org.apache.velocity.runtime.directive.ForeachScope"
	case *defineBlock:
		return "org.apache.velocity.runtime.directive.Block$Reference"
	case Entry:
		return "java.util.LinkedHashMap$Entry"
	case javaClass:
		return "java.lang.Class"
	}
	return fmt.Sprintf("%T", v)
}
