package vtl

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Java strings are UTF-16; index-based methods work on UTF-16 code units.
func u16(s string) []uint16 { return utf16.Encode([]rune(s)) }
func fromU16(u []uint16) string {
	rs := utf16.Decode(u)
	for i, r := range rs {
		if r == utf8.RuneError {
			rs[i] = '?' // a lone surrogate; Java's UTF-8 writer prints '?'
		}
	}
	return string(rs)
}
func errNPE(name string) error     { return fmt.Errorf("NullPointerException in String.%s", name) }
func errStrIndex(msg string) error { return errors.New("StringIndexOutOfBoundsException: " + msg) }

func argInt(a any) (int, bool) {
	i, ok := a.(int32)
	return int(i), ok
}

// argStr accepts a String (or null) argument.
func argStr(a any) (string, bool, bool) {
	if a == nil {
		return "", true, true
	}
	s, ok := a.(string)
	return s, false, ok
}

func (r *renderer) stringMethod(s, name string, args []any) (any, bool, error) {
	if name == "formatted" { // String.formatted(Object...): String.format(this, args)
		if len(args) == 1 {
			if l, isList := args[0].(*List); isList && l.Kind == StringArray {
				args = l.Items // an Object[] passed whole
			}
		}
		out, err := javaFormat(s, args)
		return out, true, err
	}
	switch len(args) {
	case 0:
		return stringMethod0(s, name)
	case 1:
		if i, ok := argInt(args[0]); ok && name != "compareTo" {
			return stringMethodInt(s, name, i)
		}
		str, isNull, ok := argStr(args[0])
		if !ok {
			if name == "compareTo" { // the bridge compareTo(Object) is found
				return nil, true, fmt.Errorf("ClassCastException: class %s cannot be cast to class java.lang.String", typeName(args[0]))
			}
			return nil, false, nil
		}
		if isNull && name != "equals" && name != "equalsIgnoreCase" {
			switch name {
			case "contains", "indexOf", "lastIndexOf", "startsWith", "endsWith", "concat", "compareTo",
				"compareToIgnoreCase", "split", "matches":
				return nil, true, errNPE(name)
			}
			return nil, false, nil
		}
		return r.stringMethodStr(s, name, str, isNull)
	case 2:
		if name == "subSequence" {
			name = "substring" // the same characters, as a CharSequence
		}
		return r.stringMethod2(s, name, args[0], args[1])
	case 4, 5:
		if name == "regionMatches" {
			return regionMatches(s, args)
		}
	}
	return nil, false, nil
}

// regionMatches is String.regionMatches([ignoreCase,] toffset, other,
// ooffset, len), over UTF-16 units.
func regionMatches(s string, args []any) (any, bool, error) {
	ignoreCase := false
	if len(args) == 5 {
		b, ok := args[0].(bool)
		if !ok {
			return nil, false, nil
		}
		ignoreCase, args = b, args[1:]
	}
	to, ok1 := argInt(args[0])
	other, isNull, ok2 := argStr(args[1])
	oo, ok3 := argInt(args[2])
	n, ok4 := argInt(args[3])
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, false, nil
	}
	if isNull {
		return nil, true, errNPE("regionMatches")
	}
	u, o := u16(s), u16(other)
	if to < 0 || oo < 0 || int64(to) > int64(len(u))-int64(n) || int64(oo) > int64(len(o))-int64(n) {
		return false, true, nil
	}
	if n <= 0 {
		return true, true, nil
	}
	a, b := fromU16(u[to:to+n]), fromU16(o[oo:oo+n])
	if ignoreCase {
		return javaEqualFold(a, b), true, nil
	}
	return a == b, true, nil
}

func stringMethod0(s, name string) (any, bool, error) {
	switch name {
	case "length":
		return int32(len(u16(s))), true, nil
	case "isEmpty":
		return s == "", true, nil
	case "isBlank":
		return strings.TrimFunc(s, javaSpace) == "", true, nil
	case "trim":
		return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' }), true, nil
	case "strip":
		return strings.TrimFunc(s, javaSpace), true, nil
	case "stripLeading":
		return strings.TrimLeftFunc(s, javaSpace), true, nil
	case "stripTrailing":
		return strings.TrimRightFunc(s, javaSpace), true, nil
	case "toLowerCase":
		return javaLower(s), true, nil
	case "toUpperCase":
		return javaUpper(s), true, nil
	case "toString", "intern":
		return s, true, nil
	case "stripIndent":
		return stripIndent(s), true, nil
	case "translateEscapes":
		out, err := translateEscapes(s)
		return out, err == nil, err
	case "hashCode":
		return stringHash(s), true, nil
	case "getBytes":
		return byteArray(s), true, nil
	case "toCharArray":
		u := u16(s)
		l := &List{Kind: CharArray, Items: make([]any, len(u))}
		for i, c := range u {
			l.Items[i] = Char(c)
		}
		return l, true, nil
	}
	return nil, false, nil
}

// byteArray is a Java byte[] of the bytes of b.
func byteArray(b string) *List {
	l := &List{Kind: ByteArray, Items: make([]any, len(b))}
	for i := 0; i < len(b); i++ {
		l.Items[i] = int32(int8(b[i]))
	}
	return l
}

// getBytes is String.getBytes(charsetName) for the charsets every Java
// platform has; a character the charset cannot encode becomes '?'.
func getBytes(s, charset string) (*List, error) {
	switch strings.ToUpper(charset) {
	case "UTF-8", "UTF8":
		return byteArray(s), nil
	case "ISO-8859-1", "ISO8859_1", "LATIN1", "US-ASCII", "ASCII":
		top := rune(0xFF)
		if c := strings.ToUpper(charset); c == "US-ASCII" || c == "ASCII" {
			top = 0x7F
		}
		var b []byte
		for _, c := range s { // a surrogate pair is one character
			if c > top {
				c = '?'
			}
			b = append(b, byte(c))
		}
		return byteArray(string(b)), nil
	case "UTF-16", "UTF-16BE", "UTF-16LE":
		u := u16(s)
		var b []byte
		if strings.ToUpper(charset) == "UTF-16" && len(u) > 0 {
			b = append(b, 0xFE, 0xFF) // big-endian, with a byte-order mark
		}
		for _, c := range u {
			if strings.ToUpper(charset) == "UTF-16LE" {
				b = append(b, byte(c), byte(c>>8))
			} else {
				b = append(b, byte(c>>8), byte(c))
			}
		}
		return byteArray(string(b)), nil
	}
	return nil, fmt.Errorf("UnsupportedEncodingException: %s", charset)
}

func stringHash(s string) int32 {
	var h int32
	for _, c := range u16(s) {
		h = 31*h + int32(c)
	}
	return h
}

func stringMethodInt(s, name string, i int) (any, bool, error) {
	u := u16(s)
	switch name {
	case "charAt":
		if i < 0 || i >= len(u) {
			return nil, true, errStrIndex(fmt.Sprintf("index %d, length %d", i, len(u)))
		}
		return Char(u[i]), true, nil
	case "codePointAt":
		if i < 0 || i >= len(u) {
			return nil, true, errStrIndex(fmt.Sprintf("index %d, length %d", i, len(u)))
		}
		if utf16.IsSurrogate(rune(u[i])) && i+1 < len(u) {
			if r := utf16.DecodeRune(rune(u[i]), rune(u[i+1])); r != utf8.RuneError {
				return int32(r), true, nil
			}
		}
		return int32(u[i]), true, nil
	case "codePointBefore":
		if i < 1 || i > len(u) {
			return nil, true, errStrIndex(fmt.Sprintf("index %d, length %d", i, len(u)))
		}
		if i >= 2 && utf16.IsSurrogate(rune(u[i-1])) {
			if r := utf16.DecodeRune(rune(u[i-2]), rune(u[i-1])); r != utf8.RuneError {
				return int32(r), true, nil
			}
		}
		return int32(u[i-1]), true, nil
	case "substring":
		if i < 0 || i > len(u) {
			return nil, true, errStrIndex(fmt.Sprintf("begin %d, end %d, length %d", i, len(u), len(u)))
		}
		return fromU16(u[i:]), true, nil
	case "indexOf":
		return int32(indexU16(u, []uint16{uint16(i)}, 0)), true, nil
	case "lastIndexOf":
		return int32(lastIndexU16(u, []uint16{uint16(i)}, len(u))), true, nil
	case "indent":
		out, err := indent(s, i)
		return out, err == nil, err
	case "repeat":
		if i < 0 {
			return nil, true, fmt.Errorf("IllegalArgumentException: count is negative: %d", i)
		}
		if len(s)*i > 1<<24 {
			return nil, true, errors.New("OutOfMemoryError: repeat result too large")
		}
		return strings.Repeat(s, i), true, nil
	}
	return nil, false, nil
}

func (r *renderer) stringMethodStr(s, name, a string, isNull bool) (any, bool, error) {
	switch name {
	case "equals":
		return !isNull && s == a, true, nil
	case "contentEquals":
		if isNull {
			return nil, true, errNPE(name)
		}
		return s == a, true, nil
	case "equalsIgnoreCase":
		return !isNull && javaEqualFold(s, a), true, nil
	case "contains":
		return strings.Contains(s, a), true, nil
	case "indexOf":
		return int32(indexU16(u16(s), u16(a), 0)), true, nil
	case "lastIndexOf":
		u := u16(s)
		return int32(lastIndexU16(u, u16(a), len(u))), true, nil
	case "startsWith":
		return strings.HasPrefix(s, a), true, nil
	case "endsWith":
		return strings.HasSuffix(s, a), true, nil
	case "concat":
		return s + a, true, nil
	case "compareTo":
		return compareU16(u16(s), u16(a)), true, nil
	case "getBytes":
		if isNull {
			return nil, true, errNPE(name)
		}
		b, err := getBytes(s, a)
		return b, true, err
	case "compareToIgnoreCase":
		return compareToIgnoreCase(u16(s), u16(a)), true, nil
	case "matches":
		re, err := r.regexp(a, true)
		if err != nil {
			return nil, true, err
		}
		ms, err := r.findAll(re, s, 1)
		return len(ms) > 0, true, err
	case "split":
		return r.split(s, a, 0)
	}
	return nil, false, nil
}

func (r *renderer) stringMethod2(s, name string, a, b any) (any, bool, error) {
	if ia, ok := argInt(a); ok {
		if ib, ok := argInt(b); ok && (name == "indexOf" || name == "lastIndexOf") {
			u, ch := u16(s), []uint16{uint16(ia)}
			if name == "indexOf" {
				return int32(indexU16(u, ch, ib)), true, nil
			}
			return int32(lastIndexU16(u, ch, ib)), true, nil
		}
		if ib, ok := argInt(b); ok && (name == "codePointCount" || name == "offsetByCodePoints") {
			return codePointsMethod(u16(s), name, ia, ib)
		}
		if ib, ok := argInt(b); ok && name == "substring" {
			u := u16(s)
			if ia < 0 || ib > len(u) || ia > ib {
				return nil, true, errStrIndex(fmt.Sprintf("begin %d, end %d, length %d", ia, ib, len(u)))
			}
			return fromU16(u[ia:ib]), true, nil
		}
	}
	if ca, ok := a.(Char); ok {
		if cb, ok := b.(Char); ok && name == "replace" {
			return strings.ReplaceAll(s, string(rune(ca)), string(rune(cb))), true, nil
		}
	}
	sa, aNull, okA := argStr(a)
	if !okA {
		return nil, false, nil
	}
	if ib, ok := argInt(b); ok {
		switch name {
		case "indexOf":
			if aNull {
				return nil, true, errNPE(name)
			}
			return int32(indexU16(u16(s), u16(sa), ib)), true, nil
		case "lastIndexOf":
			if aNull {
				return nil, true, errNPE(name)
			}
			return int32(lastIndexU16(u16(s), u16(sa), ib)), true, nil
		case "startsWith":
			if aNull {
				return nil, true, errNPE(name)
			}
			u, p := u16(s), u16(sa)
			return ib >= 0 && ib+len(p) <= len(u) && fromU16(u[ib:ib+len(p)]) == sa, true, nil
		case "split":
			if aNull {
				return nil, true, errNPE(name)
			}
			return r.split(s, sa, ib)
		}
		return nil, false, nil
	}
	sb, bNull, okB := argStr(b)
	if !okB {
		return nil, false, nil
	}
	switch name {
	case "replace", "replaceAll", "replaceFirst":
	default:
		return nil, false, nil
	}
	if bNull && !aNull && name == "replaceAll" {
		// Matcher.replaceAll reads the replacement only at a match.
		re, err := r.regexp(sa, false)
		if err != nil {
			return nil, true, err
		}
		if ms, err := r.findAll(re, s, 1); err != nil || len(ms) > 0 {
			if err == nil {
				err = errNPE(name)
			}
			return nil, true, err
		}
		return s, true, nil
	}
	if aNull || bNull {
		return nil, true, errNPE(name)
	}
	if name == "replace" {
		if sa == "" {
			return insertBetweenChars(s, sb), true, nil
		}
		return strings.ReplaceAll(s, sa, sb), true, nil
	}
	out, err := r.regexReplace(s, sa, sb, name == "replaceAll")
	return out, true, err
}

func insertBetweenChars(s, ins string) string {
	var b strings.Builder
	b.WriteString(ins)
	for _, c := range s {
		b.WriteRune(c)
		b.WriteString(ins)
	}
	return b.String()
}

func indexU16(s, sub []uint16, from int) int {
	from = max(from, 0)
	if len(sub) == 0 {
		return min(from, len(s))
	}
	for i := from; i+len(sub) <= len(s); i++ {
		if equalU16(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func lastIndexU16(s, sub []uint16, from int) int {
	if len(sub) == 0 {
		if from < 0 {
			return -1
		}
		return min(from, len(s))
	}
	start := min(from, len(s)-len(sub))
	for i := start; i >= 0; i-- {
		if equalU16(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func equalU16(a, b []uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func compareU16(a, b []uint16) int32 {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return int32(a[i]) - int32(b[i])
		}
	}
	return int32(len(a) - len(b))
}

// isPair reports whether a surrogate pair starts at u[i].
func isPair(u []uint16, i int) bool {
	return i+1 < len(u) && u[i] >= 0xD800 && u[i] < 0xDC00 && u[i+1] >= 0xDC00 && u[i+1] < 0xE000
}

// codePointsMethod implements codePointCount(begin, end) and
// offsetByCodePoints(index, offset) over UTF-16 units, where a surrogate
// pair is one code point and a lone surrogate another.
func codePointsMethod(u []uint16, name string, a, b int) (any, bool, error) {
	errBounds := errors.New("IndexOutOfBoundsException")
	if name == "codePointCount" {
		if a < 0 || a > b || b > len(u) {
			return nil, true, errBounds
		}
		n := 0
		for i := a; i < b; i++ {
			if isPair(u, i) && i+1 < b {
				i++
			}
			n++
		}
		return int32(n), true, nil
	}
	i := a
	if i < 0 || i > len(u) {
		return nil, true, errBounds
	}
	for k := 0; k < b; k++ {
		if i >= len(u) {
			return nil, true, errBounds
		}
		if isPair(u, i) {
			i++
		}
		i++
	}
	for k := 0; k > b; k-- {
		if i <= 0 {
			return nil, true, errBounds
		}
		i--
		if i > 0 && isPair(u, i-1) {
			i--
		}
	}
	return int32(i), true, nil
}

// javaLines is String.lines: the lines of s split at \n, \r and \r\n,
// with no empty line after a final terminator.
func javaLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return lines
}

// nonWhitespace returns the index of the first byte of line that is not
// Java whitespace (len(line) when all is), and the index after the last
// such byte (0 when all is).
func nonWhitespace(line string) (first, end int) {
	first = len(line)
	for i, r := range line {
		if !javaSpace(r) {
			first = i
			break
		}
	}
	end = len(strings.TrimRightFunc(line, javaSpace))
	return first, end
}

// indent is String.indent(n): n spaces added before each line, or up to
// -n leading whitespace characters removed (all for Integer.MIN_VALUE),
// every line then ended by \n.
func indent(s string, n int) (string, error) {
	if s == "" {
		return "", nil
	}
	lines := javaLines(s)
	if n > 0 && int64(len(s))+int64(len(lines))*int64(n) > 1<<24 {
		return "", errors.New("OutOfMemoryError: indent result too large") // as repeat bounds its result
	}
	var b strings.Builder
	for _, line := range lines {
		switch {
		case n > 0:
			b.WriteString(strings.Repeat(" ", n))
		case n == math.MinInt32:
			line = strings.TrimLeftFunc(line, javaSpace)
		case n < 0:
			line = trimLeadingSpaces(line, -n)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// trimLeadingSpaces removes up to n leading Java whitespace characters.
func trimLeadingSpaces(line string, n int) string {
	for n > 0 && line != "" {
		r, size := utf8.DecodeRuneInString(line)
		if !javaSpace(r) {
			break
		}
		line = line[size:]
		n--
	}
	return line
}

// stripIndent is String.stripIndent: the indentation common to the
// non-blank lines (and a blank last line) removed, trailing whitespace
// removed from every line, \n between lines; a text ending in a line
// terminator keeps its indentation and ends in \n.
func stripIndent(s string) string {
	if s == "" {
		return ""
	}
	optOut := s[len(s)-1] == '\n' || s[len(s)-1] == '\r'
	lines := javaLines(s)
	outdent := 0
	if !optOut {
		outdent = math.MaxInt
		for _, line := range lines {
			if first, _ := nonWhitespace(line); first != len(line) {
				outdent = min(outdent, utf8.RuneCountInString(line[:first]))
			}
		}
		if last := lines[len(lines)-1]; strings.TrimFunc(last, javaSpace) == "" {
			outdent = min(outdent, utf8.RuneCountInString(last))
		}
	}
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		first, end := nonWhitespace(line)
		if first > end {
			continue // a blank line
		}
		b.WriteString(trimLeadingSpaces(line[:end], outdent))
	}
	if optOut {
		b.WriteByte('\n')
	}
	return b.String()
}

// translateEscapes is String.translateEscapes: Java's escape sequences
// (\b \t \n \f \r \s \" \' \\, octal up to \377, and a backslash
// before a line terminator, which joins the lines) read as characters.
func translateEscapes(s string) (string, error) {
	if !strings.Contains(s, "\\") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return "", errors.New("IllegalArgumentException: Invalid escape sequence: \\\x00 \\\\u0000") // Java reads a NUL past the end
		}
		i++
		switch c = s[i]; c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 's':
			b.WriteByte(' ')
		case 't':
			b.WriteByte('\t')
		case '\'', '"', '\\':
			b.WriteByte(c)
		case '\n':
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		default:
			if c < '0' || c > '7' {
				r, _ := utf8.DecodeRuneInString(s[i:])
				return "", fmt.Errorf("IllegalArgumentException: Invalid escape sequence: \\%c \\\\u%04X", r, r)
			}
			limit := 2
			if c > '3' {
				limit = 1
			}
			code := int(c - '0')
			for ; limit > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; limit-- {
				i++
				code = code<<3 | int(s[i]-'0')
			}
			b.WriteRune(rune(code))
		}
	}
	return b.String(), nil
}
