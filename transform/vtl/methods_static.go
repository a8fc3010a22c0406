package vtl

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
	"unicode"
)

// staticMethod runs the static methods of java.lang's Integer, Long,
// Double, Boolean and String that Velocity 1.7 lets a template call
// through any instance of the class: #set($Integer = 0) then
// $Integer.parseInt('42') is the usual API Gateway idiom for turning a
// string into a number. ok is false when no such method takes the
// arguments (the call is then null, as in Velocity); err is the Java
// exception of a call that fails (NumberFormatException and the like),
// which fails the render as it does in Velocity.
func (r *renderer) staticMethod(v any, name string, args []any) (any, bool, error) {
	switch v.(type) {
	case int32:
		return integerStatic(name, args)
	case int64:
		return longStatic(name, args)
	case float64:
		return doubleStatic(name, args)
	case bool:
		return booleanStatic(name, args)
	case string:
		return stringStatic(name, args)
	}
	return nil, false, nil
}

func numberFormatError(s string) error {
	return fmt.Errorf("NumberFormatException: For input string: \"%s\"", s)
}

// parseJavaLong parses s as Long.parseLong(s, radix) does: an optional
// sign, then digits of the radix, within [lo, hi].
func parseJavaLong(s string, radix int, lo, hi int64) (int64, error) {
	if radix < 2 || radix > 36 {
		return 0, fmt.Errorf("NumberFormatException: radix %d out of range", radix)
	}
	t := s
	if t != "" && (t[0] == '+' || t[0] == '-') {
		t = t[1:]
	}
	if t == "" || strings.ContainsAny(t, "+-_ ") {
		return 0, numberFormatError(s)
	}
	n, err := strconv.ParseInt(s, radix, 64)
	if err != nil || n < lo || n > hi {
		return 0, numberFormatError(s)
	}
	return n, nil
}

// intArg and longArg read an int (Integer) or long (Integer or Long)
// parameter; doubleArg a double (any of them widened).
func intArg(a any) (int32, bool) { i, ok := a.(int32); return i, ok }

func longArg(a any) (int64, bool) {
	switch x := a.(type) {
	case int32:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func doubleArg(a any) (float64, bool) {
	switch x := a.(type) {
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	return 0, false
}

func integerStatic(name string, args []any) (any, bool, error) {
	switch {
	case (name == "parseInt" || name == "valueOf") && len(args) >= 1 && len(args) <= 2:
		s, isStr := args[0].(string)
		if !isStr {
			if i, ok := intArg(args[0]); ok && name == "valueOf" && len(args) == 1 {
				return i, true, nil
			}
			if args[0] == nil && len(args) == 1 {
				return nil, true, errors.New("NumberFormatException: Cannot parse null string")
			}
			return nil, false, nil
		}
		radix := int32(10)
		if len(args) == 2 {
			var ok bool
			if radix, ok = intArg(args[1]); !ok {
				return nil, false, nil
			}
		}
		n, err := parseJavaLong(s, int(radix), math.MinInt32, math.MaxInt32)
		return int32(n), true, err
	case len(args) == 1:
		i, ok := intArg(args[0])
		if !ok {
			return nil, false, nil
		}
		switch name {
		case "toString":
			return strconv.FormatInt(int64(i), 10), true, nil
		case "toHexString":
			return strconv.FormatUint(uint64(uint32(i)), 16), true, nil
		case "toOctalString":
			return strconv.FormatUint(uint64(uint32(i)), 8), true, nil
		case "toBinaryString":
			return strconv.FormatUint(uint64(uint32(i)), 2), true, nil
		case "signum":
			return int32(sign(int64(i))), true, nil
		}
		if r, ok := intBits(name, uint32(i)); ok {
			return r, true, nil
		}
	case len(args) == 2:
		a, ok1 := intArg(args[0])
		b, ok2 := intArg(args[1])
		if !ok1 || !ok2 {
			if name == "toString" {
				if i, ok := intArg(args[0]); ok {
					if radix, ok := intArg(args[1]); ok {
						if radix < 2 || radix > 36 {
							radix = 10
						}
						return strconv.FormatInt(int64(i), int(radix)), true, nil
					}
				}
			}
			return nil, false, nil
		}
		switch name {
		case "rotateLeft":
			return int32(bits.RotateLeft32(uint32(a), int(b))), true, nil
		case "rotateRight":
			return int32(bits.RotateLeft32(uint32(a), -int(b))), true, nil
		case "compareUnsigned":
			return int32(cmp.Compare(uint32(a), uint32(b))), true, nil
		case "max":
			return max(a, b), true, nil
		case "min":
			return min(a, b), true, nil
		case "sum":
			return a + b, true, nil // wraps, as Java's int does
		case "compare":
			return int32(cmpOrdered(a, b)), true, nil
		case "toString":
			if b < 2 || b > 36 {
				b = 10
			}
			return strconv.FormatInt(int64(a), int(b)), true, nil
		}
	}
	return nil, false, nil
}

func longStatic(name string, args []any) (any, bool, error) {
	switch {
	case (name == "parseLong" || name == "valueOf") && len(args) == 1:
		if s, isStr := args[0].(string); isStr {
			n, err := parseJavaLong(s, 10, math.MinInt64, math.MaxInt64)
			return n, true, err
		}
		if n, ok := longArg(args[0]); ok && name == "valueOf" {
			return n, true, nil
		}
	case len(args) == 1:
		n, ok := longArg(args[0])
		if !ok {
			return nil, false, nil
		}
		switch name {
		case "toString":
			return strconv.FormatInt(n, 10), true, nil
		case "toHexString":
			return strconv.FormatUint(uint64(n), 16), true, nil
		case "toOctalString":
			return strconv.FormatUint(uint64(n), 8), true, nil
		case "toBinaryString":
			return strconv.FormatUint(uint64(n), 2), true, nil
		case "signum":
			return int32(sign(n)), true, nil
		}
		if r, ok := longBits(name, uint64(n)); ok {
			return r, true, nil
		}
	case len(args) == 2:
		a, ok1 := longArg(args[0])
		b, ok2 := longArg(args[1])
		if !ok1 || !ok2 {
			return nil, false, nil
		}
		switch name {
		case "rotateLeft":
			return int64(bits.RotateLeft64(uint64(a), int(b))), true, nil
		case "rotateRight":
			return int64(bits.RotateLeft64(uint64(a), -int(b))), true, nil
		case "compareUnsigned":
			return int32(cmp.Compare(uint64(a), uint64(b))), true, nil
		case "max":
			return max(a, b), true, nil
		case "min":
			return min(a, b), true, nil
		case "sum":
			return a + b, true, nil
		case "compare":
			return int32(cmpOrdered(a, b)), true, nil
		}
	}
	return nil, false, nil
}

// intBits answers Integer's static bit methods for the bits of an int.
func intBits(name string, u uint32) (any, bool) {
	switch name {
	case "bitCount":
		return int32(bits.OnesCount32(u)), true
	case "reverse":
		return int32(bits.Reverse32(u)), true
	case "reverseBytes":
		return int32(bits.ReverseBytes32(u)), true
	case "highestOneBit":
		if u == 0 {
			return int32(0), true
		}
		return int32(uint32(1) << (31 - bits.LeadingZeros32(u))), true
	case "lowestOneBit":
		return int32(u & -u), true
	case "numberOfLeadingZeros":
		return int32(bits.LeadingZeros32(u)), true
	case "numberOfTrailingZeros":
		return int32(bits.TrailingZeros32(u)), true
	case "hashCode":
		return int32(u), true
	case "toUnsignedString":
		return strconv.FormatUint(uint64(u), 10), true
	case "toUnsignedLong":
		return int64(u), true
	}
	return nil, false
}

// longBits answers Long's static bit methods for the bits of a long.
func longBits(name string, u uint64) (any, bool) {
	switch name {
	case "bitCount":
		return int32(bits.OnesCount64(u)), true
	case "reverse":
		return int64(bits.Reverse64(u)), true
	case "reverseBytes":
		return int64(bits.ReverseBytes64(u)), true
	case "highestOneBit":
		if u == 0 {
			return int64(0), true
		}
		return int64(uint64(1) << (63 - bits.LeadingZeros64(u))), true
	case "lowestOneBit":
		return int64(u & -u), true
	case "numberOfLeadingZeros":
		return int32(bits.LeadingZeros64(u)), true
	case "numberOfTrailingZeros":
		return int32(bits.TrailingZeros64(u)), true
	case "hashCode":
		return int32(u ^ u>>32), true
	case "toUnsignedString":
		return strconv.FormatUint(u, 10), true
	}
	return nil, false
}

// parseJavaDouble reads s as Double.parseDouble does: surrounding
// whitespace ignored, an optional d/D/f/F suffix, "NaN" and "Infinity"
// spelled as Java spells them.
func parseJavaDouble(s string) (float64, error) {
	t := strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	switch strings.TrimLeft(t, "+-") {
	case "NaN", "Infinity":
		f, _ := strconv.ParseFloat(t, 64)
		return f, nil
	}
	if n := len(t); n > 0 && strings.ContainsRune("dDfF", rune(t[n-1])) {
		t = t[:n-1]
	}
	if t == "" || strings.ContainsAny(t, "_nNiI") && !strings.HasPrefix(strings.TrimLeft(t, "+-"), "0x") {
		return 0, numberFormatError(s)
	}
	f, err := ParseFloat(t)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return f, nil // Java gives ±Infinity or 0 out of range
		}
		return 0, numberFormatError(s)
	}
	return f, nil
}

func doubleStatic(name string, args []any) (any, bool, error) {
	switch {
	case (name == "parseDouble" || name == "valueOf") && len(args) == 1:
		if s, isStr := args[0].(string); isStr {
			f, err := parseJavaDouble(s)
			return f, true, err
		}
		if args[0] == nil && name == "parseDouble" {
			return nil, true, errors.New("NullPointerException")
		}
		if f, ok := doubleArg(args[0]); ok && name == "valueOf" {
			return f, true, nil
		}
	case len(args) == 1:
		f, ok := doubleArg(args[0])
		if !ok {
			return nil, false, nil
		}
		switch name {
		case "toString":
			return FormatDouble(f), true, nil
		case "isNaN":
			return math.IsNaN(f), true, nil
		case "isInfinite":
			return math.IsInf(f, 0), true, nil
		case "isFinite":
			return !math.IsInf(f, 0) && !math.IsNaN(f), true, nil
		case "toHexString":
			return javaDoubleHex(f), true, nil
		}
	case len(args) == 2:
		a, ok1 := doubleArg(args[0])
		b, ok2 := doubleArg(args[1])
		if !ok1 || !ok2 {
			return nil, false, nil
		}
		switch name {
		case "max":
			return math.Max(a, b), true, nil
		case "min":
			return math.Min(a, b), true, nil
		case "sum":
			return a + b, true, nil
		case "compare":
			return int32(cmpOrdered(a, b)), true, nil
		}
	}
	return nil, false, nil
}

func booleanStatic(name string, args []any) (any, bool, error) {
	switch {
	case (name == "parseBoolean" || name == "valueOf") && len(args) == 1:
		switch x := args[0].(type) {
		case nil:
			return false, true, nil
		case string:
			return strings.EqualFold(x, "true"), true, nil
		case bool:
			if name == "valueOf" {
				return x, true, nil
			}
		}
	case name == "toString" && len(args) == 1:
		if b, ok := args[0].(bool); ok {
			return strconv.FormatBool(b), true, nil
		}
	case len(args) == 2:
		a, ok1 := args[0].(bool)
		b, ok2 := args[1].(bool)
		if !ok1 || !ok2 {
			return nil, false, nil
		}
		switch name {
		case "logicalAnd":
			return a && b, true, nil
		case "logicalOr":
			return a || b, true, nil
		case "logicalXor":
			return a != b, true, nil
		case "compare":
			switch {
			case a == b:
				return int32(0), true, nil
			case a:
				return int32(1), true, nil
			}
			return int32(-1), true, nil
		}
	}
	return nil, false, nil
}

func stringStatic(name string, args []any) (any, bool, error) {
	switch {
	case name == "valueOf" && len(args) == 1:
		if _, isList := args[0].(*List); isList {
			if l := args[0].(*List); l.Kind == ByteArray || l.Kind == StringArray {
				return nil, false, nil
			}
		}
		return ToString(args[0]), true, nil
	case name == "join" && len(args) >= 2:
		sep, ok := args[0].(string)
		if !ok {
			return nil, false, nil
		}
		var parts []string
		if l, isList := args[1].(*List); isList && len(args) == 2 {
			for _, it := range l.Items {
				s, ok := it.(string)
				if !ok && it != nil {
					return nil, true, fmt.Errorf("ClassCastException: class %s cannot be cast to class java.lang.CharSequence", typeName(it))
				}
				if it == nil {
					s = "null"
				}
				parts = append(parts, s)
			}
			return strings.Join(parts, sep), true, nil
		}
		for _, a := range args[1:] {
			s, ok := a.(string)
			if !ok && a != nil {
				return nil, false, nil
			}
			if a == nil {
				s = "null"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, sep), true, nil
	case name == "format" && len(args) >= 1:
		f, ok := args[0].(string)
		if !ok {
			return nil, false, nil
		}
		fargs := args[1:]
		if len(fargs) == 1 {
			if l, isList := fargs[0].(*List); isList && l.Kind == StringArray {
				fargs = l.Items // an Object[] passed whole
			}
		}
		s, err := javaFormat(f, fargs)
		return s, true, err
	}
	return nil, false, nil
}

func sign(n int64) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

// javaFormat is String.format for the conversions templates use: %s %S
// %b %c %d %x %X %o %f %e %E %n %% with Java's flags, width, precision
// and argument index. An argument of the wrong type fails as Java's
// Formatter does.
func javaFormat(f string, args []any) (string, error) {
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		// [argument_index$][flags][width][.precision]conversion
		start := j
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		argIndex := -1
		if j < len(f) && f[j] == '$' && j > start {
			n, _ := strconv.Atoi(f[start:j])
			argIndex = n - 1
			j++
		} else {
			j = start
		}
		flagsStart := j
		for j < len(f) && strings.IndexByte("-#+ 0,(", f[j]) >= 0 {
			j++
		}
		flags := f[flagsStart:j]
		wStart := j
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		width := -1
		if j > wStart {
			var err error
			if width, err = strconv.Atoi(f[wStart:j]); err != nil {
				width = maxFormatWidth + 1
			}
		}
		prec := -1
		if j < len(f) && f[j] == '.' {
			j++
			pStart := j
			for j < len(f) && f[j] >= '0' && f[j] <= '9' {
				j++
			}
			if j == pStart {
				return "", fmt.Errorf("UnknownFormatConversionException: Conversion = '.'")
			}
			var err error
			if prec, err = strconv.Atoi(f[pStart:j]); err != nil {
				prec = maxFormatWidth + 1
			}
		}
		if width > maxFormatWidth || prec > maxFormatWidth {
			// Java would run out of memory; the render stops instead.
			return "", fmt.Errorf("%w: format width or precision %d", ErrOutputLimit, max(width, prec))
		}
		if j >= len(f) {
			return "", fmt.Errorf("UnknownFormatConversionException: Conversion = '%%'")
		}
		conv := f[j]
		i = j
		if err := checkFormatSpec(f[start-1:j+1], conv, flags, width, prec); err != nil {
			return "", err
		}
		switch conv {
		case '%':
			b.WriteString(pad("%", width, flags))
			continue
		case 'n':
			b.WriteByte('\n')
			continue
		}
		var arg any
		switch {
		case argIndex >= 0:
			if argIndex >= len(args) {
				return "", fmt.Errorf("MissingFormatArgumentException: Format specifier '%s'", f[start-1:j+1])
			}
			arg = args[argIndex]
		default:
			if next >= len(args) {
				return "", fmt.Errorf("MissingFormatArgumentException: Format specifier '%s'", f[start-1:j+1])
			}
			arg = args[next]
			next++
		}
		if arg == nil && conv != 'b' && conv != 'B' {
			// Formatter prints null as "null", cut to the precision, in
			// capitals for an upper-case conversion, padded with spaces.
			s := "null"
			if prec >= 0 && prec < len(s) {
				s = s[:prec]
			}
			if conv >= 'A' && conv <= 'Z' {
				s = strings.ToUpper(s)
			}
			b.WriteString(pad(s, width, flags))
			continue
		}
		s, err := formatOne(conv, flags, prec, arg)
		if err != nil {
			return "", err
		}
		if strings.ContainsRune(flags, '0') && !strings.ContainsRune(flags, '-') && strings.IndexByte("dxXofeEgGaA", conv) >= 0 &&
			width > len(s) && !strings.Contains(strings.ToUpper(s), "NAN") && !strings.Contains(strings.ToUpper(s), "INFINITY") {
			// Zeros after the sign and a radix prefix: %05d of -3 is
			// -0003, %#06x of 255 is 0x00ff; NaN and Infinity take spaces.
			at := 0
			if s != "" && strings.IndexByte("-+ (", s[0]) >= 0 {
				at = 1
			}
			if strings.HasPrefix(s[at:], "0x") || strings.HasPrefix(s[at:], "0X") {
				at += 2
			}
			s = s[:at] + strings.Repeat("0", width-len(s)) + s[at:]
		}
		b.WriteString(pad(s, width, flags))
	}
	return b.String(), nil
}

// checkFormatSpec makes the checks java.util.Formatter makes of a format
// specifier before formatting anything: a flag given twice, flags a
// conversion refuses, the width that '-' and '0' need, a precision that
// integers, characters and %% refuse.
func checkFormatSpec(spec string, conv byte, flags string, width, prec int) error {
	for i := range len(flags) {
		if strings.IndexByte(flags[i+1:], flags[i]) >= 0 {
			return fmt.Errorf("DuplicateFormatFlagsException: Flags = '%c'", flags[i])
		}
	}
	has := func(c byte) bool { return strings.IndexByte(flags, c) >= 0 }
	refuse := func(set string) error {
		for i := range len(set) {
			if has(set[i]) {
				return fmt.Errorf("FormatFlagsConversionMismatchException: Conversion = %c, Flags = %c", conv, set[i])
			}
		}
		return nil
	}
	missingWidth := fmt.Errorf("MissingFormatWidthException: %s", spec)
	badPrecision := fmt.Errorf("IllegalFormatPrecisionException: %d", prec)
	numeric := func() error {
		if width == -1 && (has('-') || has('0')) {
			return missingWidth
		}
		if has('+') && has(' ') || has('-') && has('0') {
			return fmt.Errorf("IllegalFormatFlagsException: Flags = '%s'", flags)
		}
		return nil
	}
	if conv >= 'A' && conv <= 'Z' && strings.IndexByte("BHSCXEGA", conv) < 0 {
		return nil // not a conversion: formatOne says so
	}
	switch lower := conv | 0x20; lower {
	case 'b', 'h', 's':
		if has('#') { // on %s only a Formattable takes '#', and none reaches here
			return refuse("#")
		}
		if width == -1 && has('-') {
			return missingWidth
		}
		return refuse("+ 0,(")
	case 'c':
		if prec != -1 {
			return badPrecision
		}
		if err := refuse("#+ 0,("); err != nil {
			return err
		}
		if width == -1 && has('-') {
			return missingWidth
		}
	case 'd', 'o', 'x':
		if err := numeric(); err != nil {
			return err
		}
		if prec != -1 {
			return badPrecision
		}
		if lower == 'd' {
			return refuse("#")
		}
		return refuse(",")
	case 'e', 'f', 'g', 'a':
		if err := numeric(); err != nil {
			return err
		}
		switch lower {
		case 'a':
			return refuse("(,")
		case 'e':
			return refuse(",")
		case 'g':
			return refuse("#")
		}
	case '%':
		if prec != -1 {
			return badPrecision
		}
		if flags != "" && flags != "-" {
			return fmt.Errorf("IllegalFormatFlagsException: Flags = '%s'", flags)
		}
		if width == -1 && has('-') {
			return missingWidth
		}
	case 'n':
		switch {
		case prec != -1:
			return badPrecision
		case width != -1:
			return fmt.Errorf("IllegalFormatWidthException: %d", width)
		case flags != "":
			return fmt.Errorf("IllegalFormatFlagsException: Flags = '%s'", flags)
		}
	}
	return nil
}

// maxFormatWidth bounds a format's width and precision, which would
// otherwise let a template allocate without bound before the output
// limit is checked.
const maxFormatWidth = 1 << 20

// pad pads s to width: with spaces on the left, or on the right with the
// '-' flag (zero padding is done by the conversion).
func pad(s string, width int, flags string) string {
	n := 0 // Java counts UTF-16 units
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	if width <= n {
		return s
	}
	fill := strings.Repeat(" ", width-n)
	if strings.ContainsRune(flags, '-') {
		return s + fill
	}
	return fill + s
}

func conversionError(conv byte, arg any) error {
	return fmt.Errorf("IllegalFormatConversionException: %c != %s", conv, typeName(arg))
}

func formatOne(conv byte, flags string, prec int, arg any) (string, error) {
	switch conv {
	case 'h', 'H':
		// Integer.toHexString(arg.hashCode()); a value without a hash of
		// its own (Java's identity hash) takes its text's.
		h, ok, err := javaHash(arg)
		if err != nil {
			return "", err
		}
		if !ok {
			h = stringHash(ToString(arg))
		}
		s := strconv.FormatUint(uint64(uint32(h)), 16)
		if prec >= 0 && prec < len(s) {
			s = s[:prec]
		}
		if conv == 'H' {
			s = strings.ToUpper(s)
		}
		return s, nil
	case 's', 'S':
		s := ToString(arg)
		if prec >= 0 && prec < len([]rune(s)) {
			s = string([]rune(s)[:prec])
		}
		if conv == 'S' {
			s = javaUpper(s)
		}
		return s, nil
	case 'b', 'B':
		s := "true"
		switch x := arg.(type) {
		case nil:
			s = "false"
		case bool:
			s = strconv.FormatBool(x)
		}
		if prec >= 0 && prec < len(s) {
			s = s[:prec]
		}
		if conv == 'B' {
			s = strings.ToUpper(s)
		}
		return s, nil
	case 'c', 'C':
		var s string
		switch x := arg.(type) {
		case Char:
			s = string(rune(x))
		case int32:
			if x < 0 || x > unicode.MaxRune {
				return "", fmt.Errorf("IllegalFormatCodePointException: Code point = 0x%x", uint32(x))
			}
			s = string(rune(x))
		default:
			return "", conversionError(conv, arg)
		}
		if conv == 'C' {
			s = javaUpper(s)
		}
		return s, nil
	case 'd':
		var n *big.Int
		switch x := arg.(type) {
		case int32:
			n = big.NewInt(int64(x))
		case int64:
			n = big.NewInt(x)
		case *big.Int:
			n = x
		case nil:
			return "null", nil
		default:
			return "", conversionError(conv, arg)
		}
		neg := n.Sign() < 0
		digits := new(big.Int).Abs(n).String()
		if strings.ContainsRune(flags, ',') {
			digits = group(digits)
		}
		return signed(digits, neg, flags), nil
	case 'x', 'X', 'o':
		var u string
		base := 16
		if conv == 'o' {
			base = 8
		}
		neg := false
		switch x := arg.(type) {
		case int32, int64:
			// An int or long has no sign here (two's complement), so
			// the sign flags are refused.
			for _, c := range []byte("( +") {
				if strings.IndexByte(flags, c) >= 0 {
					return "", fmt.Errorf("FormatFlagsConversionMismatchException: Conversion = %c, Flags = %c", conv, c)
				}
			}
			if n, ok := x.(int32); ok {
				u = strconv.FormatUint(uint64(uint32(n)), base)
			} else {
				u = strconv.FormatUint(uint64(x.(int64)), base)
			}
		case *big.Int:
			// A BigInteger keeps its sign: -ff, not two's complement.
			neg, u = x.Sign() < 0, new(big.Int).Abs(x).Text(base)
		case nil:
			return "null", nil
		default:
			return "", conversionError(conv, arg)
		}
		if strings.ContainsRune(flags, '#') {
			if conv == 'o' {
				u = "0" + u
			} else {
				u = "0x" + u
			}
		}
		if conv == 'X' {
			u = strings.ToUpper(u)
		}
		if _, isBig := arg.(*big.Int); isBig {
			return signed(u, neg, flags), nil
		}
		return u, nil
	case 'f', 'e', 'E', 'g', 'G', 'a', 'A':
		var x float64
		switch v := arg.(type) {
		case float64:
			x = v
		case float32: // Formatter widens a Float
			x = float64(v)
		case Decimal:
			if conv == 'a' || conv == 'A' {
				return "", conversionError(conv, arg)
			}
			if conv == 'g' || conv == 'G' {
				return decimalGeneral(conv, flags, prec, v), nil
			}
			return decimalFormat(conv, flags, prec, v), nil
		case nil:
			return "null", nil
		default:
			return "", conversionError(conv, arg)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			s := "NaN"
			if math.IsInf(x, 1) {
				s = "Infinity"
			} else if math.IsInf(x, -1) {
				s = "-Infinity"
			}
			if conv == 'G' || conv == 'E' || conv == 'A' {
				s = strings.ToUpper(s)
			}
			return s, nil
		}
		if conv == 'a' || conv == 'A' {
			return signed(javaHexFloat(math.Abs(x), prec, conv == 'A'), math.Signbit(x), flags), nil
		}
		if conv == 'g' || conv == 'G' {
			mant, exp := javaGeneral(math.Abs(x), prec)
			if exp == "" {
				return signed(groupFixed(mant, flags), math.Signbit(x), flags), nil
			}
			return signed(joinExp(conv-'g'+'e', mant, exp), math.Signbit(x), flags), nil
		}
		if prec < 0 {
			prec = 6
		}
		// The '#' flag keeps the point of a number with no decimals: 3.
		point := ""
		if prec == 0 && strings.ContainsRune(flags, '#') {
			point = "."
		}
		if conv == 'f' {
			return signed(groupFixed(javaFixed(math.Abs(x), prec), flags)+point, math.Signbit(x), flags), nil
		}
		mant, exp := javaScientific(math.Abs(x), prec)
		return signed(joinExp(conv, mant+point, exp), math.Signbit(x), flags), nil
	}
	return "", fmt.Errorf("UnknownFormatConversionException: Conversion = '%c'", conv)
}

// groupFixed applies the ',' flag to the digits of %f.
func groupFixed(digits, flags string) string {
	if !strings.ContainsRune(flags, ',') {
		return digits
	}
	intPart, frac, _ := strings.Cut(digits, ".")
	if frac != "" || strings.HasSuffix(digits, ".") {
		return group(intPart) + "." + frac
	}
	return group(intPart)
}

// joinExp joins the mantissa and exponent of %e or %E.
func joinExp(conv byte, mant, exp string) string {
	if conv == 'E' {
		return mant + "E" + exp
	}
	return mant + "e" + exp
}

// decimalFormat is %f, %e or %E of a BigDecimal, which Formatter formats
// from its own digits, rounded half up: to prec decimals for %f, to prec+1
// significant digits for %e.
func decimalFormat(conv byte, flags string, prec int, d Decimal) string {
	if prec < 0 {
		prec = 6
	}
	coeff := new(big.Int).Abs(d.Unscaled)
	scale := int64(d.Scale)
	if conv == 'f' {
		if scale > int64(prec) {
			coeff = roundHalfUpDigits(coeff, scale-int64(prec))
			scale = int64(prec)
		}
		digits := coeff.String()
		if scale <= 0 {
			digits += strings.Repeat("0", int(-scale))
			scale = 0
		} else if len(digits) <= int(scale) {
			digits = strings.Repeat("0", int(scale)-len(digits)+1) + digits
		}
		intPart, frac := digits[:len(digits)-int(scale)], digits[len(digits)-int(scale):]
		out := intPart
		if prec > 0 {
			out += "." + frac + strings.Repeat("0", prec-len(frac))
		}
		return signed(groupFixed(out, flags), d.Unscaled.Sign() < 0, flags)
	}
	// BigDecimal(unscaled, scale, MathContext(prec+1)), then its layout.
	r := roundSignificant(Decimal{Unscaled: coeff, Scale: d.Scale}, prec+1)
	digits, scale := r.Unscaled.String(), int64(r.Scale)
	adjusted := -scale + int64(len(digits)-1)
	mant := digits[:1]
	if prec > 0 {
		mant += "." + digits[1:] + strings.Repeat("0", prec-(len(digits)-1))
	}
	sign := "+"
	if adjusted < 0 {
		sign, adjusted = "-", -adjusted
	}
	exp := strconv.FormatInt(adjusted, 10)
	if adjusted < 10 {
		exp = "0" + exp
	}
	return signed(joinExp(conv, mant, sign+exp), d.Unscaled.Sign() < 0, flags)
}

// decimalGeneral is %g or %G of a BigDecimal: as %f with prec
// significant digits when it is exactly zero (scale 0) or at least 10^-4
// and below 10^prec, otherwise as %e with prec-1 decimals (prec 6 when
// negative, 1 when zero).
func decimalGeneral(conv byte, flags string, prec int, d Decimal) string {
	switch {
	case prec < 0:
		prec = 6
	case prec == 0:
		prec = 1
	}
	// value.round(new MathContext(prec)) first.
	d = roundSignificant(d, prec)
	coeff := new(big.Int).Abs(d.Unscaled)
	v := new(big.Rat).SetInt(coeff)
	if scale := int64(d.Scale); scale >= 0 {
		v.Quo(v, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(scale), nil)))
	} else {
		v.Mul(v, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(-scale), nil)))
	}
	upper := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(prec)), nil))
	if coeff.Sign() == 0 && d.Scale == 0 || v.Cmp(big.NewRat(1, 10000)) >= 0 && v.Cmp(upper) < 0 {
		e := -int64(d.Scale) + int64(len(coeff.String())-1)
		return decimalFormat('f', flags, prec-int(e)-1, d)
	}
	return decimalFormat(conv-'g'+'e', flags, prec-1, d)
}

// roundSignificant rounds d half up to n significant digits, as
// BigDecimal.round(new MathContext(n)) does.
func roundSignificant(d Decimal, n int) Decimal {
	coeff := new(big.Int).Abs(d.Unscaled)
	scale := int64(d.Scale)
	drop := int64(len(coeff.String()) - n)
	if drop <= 0 {
		return d
	}
	coeff = roundHalfUpDigits(coeff, drop)
	scale -= drop
	if len(coeff.String()) > n { // 999 → 1000: one digit more
		coeff.Quo(coeff, big.NewInt(10))
		scale--
	}
	if d.Unscaled.Sign() < 0 {
		coeff.Neg(coeff)
	}
	return Decimal{Unscaled: coeff, Scale: int32(scale)}
}

// roundHalfUpDigits drops the n last decimal digits of x (not negative),
// rounding half up.
func roundHalfUpDigits(x *big.Int, n int64) *big.Int {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil)
	q, r := new(big.Int).QuoRem(x, p, new(big.Int))
	if r.Lsh(r, 1).Cmp(p) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// group puts ',' between groups of three digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// signed adds the sign (or the '(' ')' of the '(' flag, '+' or ' ' for
// positive numbers) and the '0' flag's zero padding is left to the
// caller's width: applied here when the flags ask for it.
func signed(digits string, neg bool, flags string) string {
	switch {
	case neg && strings.ContainsRune(flags, '('):
		return "(" + digits + ")"
	case neg:
		return "-" + digits
	case strings.ContainsRune(flags, '+'):
		return "+" + digits
	case strings.ContainsRune(flags, ' '):
		return " " + digits
	}
	return digits
}

// javaDoubleHex is Double.toHexString: 0x1.8p1 for 3.0, 0x0.0p0 for zero,
// 0x0.…p-1022 for subnormals, the significand without trailing zeros.
func javaDoubleHex(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	sign := ""
	if math.Signbit(f) {
		sign = "-"
	}
	u := math.Float64bits(f)
	frac, exp := u&(1<<52-1), int(u>>52&0x7FF)
	if exp == 0 && frac == 0 {
		return sign + "0x0.0p0"
	}
	digits := strings.TrimRight(fmt.Sprintf("%013x", frac), "0")
	if digits == "" {
		digits = "0"
	}
	if exp == 0 { // subnormal
		return sign + "0x0." + digits + "p-1022"
	}
	return sign + "0x1." + digits + "p" + strconv.Itoa(exp-1023)
}

// javaHexFloat is Formatter's %a of x (finite, not negative): the hex
// significand rounded to prec digits (all of them when prec is -1, one
// when 0), then padded to prec, and the binary exponent.
func javaHexFloat(x float64, prec int, upper bool) string {
	switch prec {
	case -1:
		prec = 0
	case 0:
		prec = 1
	}
	s := hexDouble(x, prec)
	idx := strings.IndexByte(s, 'p')
	mant, exp := s[:idx], s[idx+1:]
	if prec != 0 {
		if i := strings.IndexByte(mant, '.'); i >= 0 && len(mant)-i-1 < prec {
			mant += strings.Repeat("0", prec-(len(mant)-i-1))
		}
	}
	if upper {
		return "0X" + strings.ToUpper(mant) + "P" + exp
	}
	return "0x" + mant + "p" + exp
}

// hexDouble is Formatter.hexDouble: Double.toHexString without its "0x",
// the significand rounded half even to prec hex digits when 0 < prec < 13.
func hexDouble(d float64, prec int) string {
	if d == 0 || prec == 0 || prec >= 13 {
		return javaDoubleHex(d)[2:]
	}
	subnormal := math.Float64bits(d)>>52&0x7FF == 0
	if subnormal {
		d *= 0x1p54 // normalized, its exponent put back below
	}
	shift := 53 - (1 + prec*4)
	bitsOf := math.Float64bits(d)
	newSignif := (bitsOf & (0x7FF<<52 | (1<<52 - 1))) >> shift
	rounding := bitsOf & (1<<shift - 1)
	leastZero := newSignif&1 == 0
	round := rounding&(1<<(shift-1)) != 0
	sticky := shift > 1 && rounding&^(1<<(shift-1)) != 0
	if leastZero && round && sticky || !leastZero && round {
		newSignif++
	}
	result := math.Float64frombits(newSignif << shift)
	if math.IsInf(result, 0) {
		return "1.0p1024"
	}
	res := javaDoubleHex(result)[2:]
	if !subnormal {
		return res
	}
	idx := strings.IndexByte(res, 'p')
	e, _ := strconv.Atoi(res[idx+1:])
	return res[:idx] + "p" + strconv.Itoa(e-54)
}
