package vtl

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// commonMethod implements java.lang.Object's methods.
func commonMethod(v any, name string, args []any) (any, bool, error) {
	switch {
	case name == "getClass" && len(args) == 0:
		return javaClass{typeName(v)}, true, nil
	case name == "toString" && len(args) == 0:
		return ToString(v), true, nil
	case name == "equals" && len(args) == 1:
		return javaEquals(v, args[0]), true, nil
	case name == "hashCode" && len(args) == 0:
		if h, ok, err := javaHash(v); ok || err != nil {
			return h, true, err
		}
	}
	return nil, false, nil
}

// booleanCompareTo is Boolean.compareTo: false before true, and the
// exceptions Java throws for another class or null.
func booleanCompareTo(b bool, arg any) (any, bool, error) {
	o, ok := arg.(bool)
	switch {
	case arg == nil:
		return nil, true, errors.New("NullPointerException in compareTo")
	case !ok:
		return nil, true, fmt.Errorf("ClassCastException: class %s cannot be cast to class java.lang.Boolean", typeName(arg))
	case b == o:
		return int32(0), true, nil
	case b:
		return int32(1), true, nil
	}
	return int32(-1), true, nil
}

func numberMethod(v any, name string, args []any) (any, bool, error) {
	if len(args) == 1 && name == "compareTo" {
		if args[0] == nil {
			return nil, true, errors.New("NullPointerException in compareTo")
		}
		if !sameClass(v, args[0]) {
			return nil, true, fmt.Errorf("ClassCastException: class %s cannot be cast to class %s", typeName(args[0]), typeName(v))
		}
		if c, ok := naturalCompare(v, args[0]); ok { // Double.compare and Float.compare: -0.0 < 0.0, NaN last
			return int32(c), true, nil
		}
		return int32(compareNumbers(v, args[0])), true, nil
	}
	if b, ok := v.(*big.Int); ok {
		if res, ok, err := bigIntegerMethod(b, name, args); ok || err != nil {
			return res, ok, err
		}
	}
	if d, ok := v.(Decimal); ok {
		if res, ok, err := bigDecimalMethod(d, name, args); ok || err != nil {
			return res, ok, err
		}
	}
	if len(args) != 0 {
		return nil, false, nil
	}
	if name == "floatValue" {
		return toFloat32(v), true, nil
	}
	if f, ok := v.(float32); ok {
		v = float64(f) // the rest of Float's conversions are the widened double's
	}
	if f, ok := v.(float64); ok {
		switch name {
		case "isNaN":
			return math.IsNaN(f), true, nil
		case "isInfinite":
			return math.IsInf(f, 0), true, nil
		}
	}
	switch name {
	case "byteValue", "shortValue":
		n := toInt64OrFloat(v)
		if f, ok := v.(float64); ok {
			n = javaD2L(f, math.MinInt32, math.MaxInt32) // (byte)(int) d, as Number.byteValue
		}
		if name == "byteValue" {
			return int32(int8(n)), true, nil
		}
		return int32(int16(n)), true, nil
	case "intValue":
		if f, ok := v.(float64); ok {
			return int32(javaD2L(f, math.MinInt32, math.MaxInt32)), true, nil
		}
		return int32(toInt64OrFloat(v)), true, nil
	case "longValue":
		return toInt64OrFloat(v), true, nil
	case "doubleValue":
		return toFloat(v), true, nil
	}
	return nil, false, nil
}

// bigIntegerOperand names the one-argument BigInteger methods that take
// a BigInteger, which a null argument reaches and fails in.
var bigIntegerOperand = map[string]bool{
	"add": true, "subtract": true, "multiply": true, "divide": true, "remainder": true, "mod": true, "gcd": true,
	"min": true, "max": true, "and": true, "or": true, "xor": true, "andNot": true, "modInverse": true,
}

// bigIntegerMethod implements the java.math.BigInteger methods templates
// may call; arguments must be BigIntegers (or ints where Java takes an
// int), as Velocity 1.7 converts nothing else to them.
func bigIntegerMethod(b *big.Int, name string, args []any) (any, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "negate":
			return new(big.Int).Neg(b), true, nil
		case "abs":
			return new(big.Int).Abs(b), true, nil
		case "signum":
			return int32(b.Sign()), true, nil
		case "bitLength":
			n := b.BitLen()
			if b.Sign() < 0 { // two's complement: -2^k needs k bits
				n = new(big.Int).Not(b).BitLen()
			}
			return int32(n), true, nil
		}
		return bigIntegerBits(b, name)
	case 1:
		if n, ok := args[0].(int32); ok {
			if res, ok, err := bigIntegerBit(b, name, n); ok || err != nil {
				return res, ok, err
			}
			switch name {
			case "pow":
				if n < 0 {
					return nil, true, errors.New("ArithmeticException: Negative exponent")
				}
				if int64(n)*int64(b.BitLen()) > 1<<20 {
					return nil, true, errors.New("ArithmeticException: BigInteger would overflow the output limit")
				}
				return new(big.Int).Exp(b, big.NewInt(int64(n)), nil), true, nil
			case "toString":
				if n < 2 || n > 36 {
					n = 10 // Character.MIN_RADIX..MAX_RADIX, else 10
				}
				return b.Text(int(n)), true, nil
			}
		}
		if args[0] == nil && bigIntegerOperand[name] {
			return nil, true, errors.New("NullPointerException: the BigInteger argument is null")
		}
		o, ok := args[0].(*big.Int)
		if !ok {
			return nil, false, nil
		}
		r := new(big.Int)
		switch name {
		case "add":
			return r.Add(b, o), true, nil
		case "subtract":
			return r.Sub(b, o), true, nil
		case "multiply":
			return r.Mul(b, o), true, nil
		case "divide", "remainder":
			if o.Sign() == 0 {
				return nil, true, errors.New("ArithmeticException: BigInteger divide by zero")
			}
			if name == "divide" {
				return r.Quo(b, o), true, nil
			}
			return r.Rem(b, o), true, nil
		case "mod":
			if o.Sign() <= 0 {
				return nil, true, errModulusNotPositive
			}
			return r.Mod(b, o), true, nil
		case "gcd":
			return r.GCD(nil, nil, new(big.Int).Abs(b), new(big.Int).Abs(o)), true, nil
		case "min", "max":
			if (b.Cmp(o) < 0) == (name == "min") {
				return b, true, nil
			}
			return o, true, nil
		case "and":
			return r.And(b, o), true, nil
		case "or":
			return r.Or(b, o), true, nil
		case "xor":
			return r.Xor(b, o), true, nil
		case "andNot":
			return r.AndNot(b, o), true, nil
		case "modInverse":
			if o.BitLen() > maxModPowBits {
				return nil, true, tooLargeFor(name, o.BitLen())
			}
			if o.Sign() <= 0 {
				return nil, true, errModulusNotPositive
			}
			if o.Cmp(big.NewInt(1)) == 0 {
				return r, true, nil
			}
			if r.ModInverse(b, o) == nil {
				return nil, true, errNotInvertible
			}
			return r, true, nil
		}
	case 2:
		e, ok1 := args[0].(*big.Int)
		m, ok2 := args[1].(*big.Int)
		if name != "modPow" || !ok1 || !ok2 {
			return nil, false, nil
		}
		switch {
		case e.BitLen() > maxModPowBits || m.BitLen() > maxModPowBits:
			return nil, true, tooLargeFor(name, max(e.BitLen(), m.BitLen()))
		case m.Sign() <= 0:
			return nil, true, errModulusNotPositive
		case m.Cmp(big.NewInt(1)) == 0:
			return new(big.Int), true, nil
		}
		r := new(big.Int)
		if r.Exp(b, e, m) == nil {
			return nil, true, errNotInvertible
		}
		return r, true, nil
	}
	return nil, false, nil
}

// errModulusNotPositive is BigInteger's refusal of a modulus below 1
// (mod, modInverse, modPow, and % on BigIntegers).
var errModulusNotPositive = errors.New("ArithmeticException: BigInteger: modulus not positive")

// errNotInvertible is Java's exception, its message ending in a period.
//
//lint:ignore ST1005 the message is Java's, word for word
var errNotInvertible = errors.New("ArithmeticException: BigInteger not invertible.")

// The largest operands of BigInteger's prime and modular methods, whose
// work grows much faster than their size: enough for keys (Java would
// take seconds or hours past them, and a render must stay bounded).
const (
	maxModPowBits    = 4096 // modPow's exponent and modulus, modInverse's modulus
	maxPrimeTestBits = 2048 // isProbablePrime
	maxNextPrimeBits = 1024 // nextProbablePrime
)

// tooLargeFor refuses a BigInteger operand of n bits for method name.
func tooLargeFor(name string, n int) error {
	return fmt.Errorf("a number of %d bits is too large for %s: %w", n, name, ErrOutputLimit)
}

// tooManyBits refuses a BigInteger of n bits that a shift or bit method
// would build past maxBigBits, before building it (Java would, slowly, up
// to 2^31 bits).
func tooManyBits(n int64) error {
	return fmt.Errorf("a number of %d bits is too large: %w", n, ErrOutputLimit)
}

// bigIntegerBits implements BigInteger's methods without parameters that
// read its bits or change its value: not, bitCount, getLowestSetBit,
// sqrt, nextProbablePrime and the *ValueExact conversions.
func bigIntegerBits(b *big.Int, name string) (any, bool, error) {
	switch name {
	case "not":
		return new(big.Int).Not(b), true, nil
	case "bitCount": // the bits that differ from the sign bit
		x := b
		if b.Sign() < 0 {
			x = new(big.Int).Not(b)
		}
		n := 0
		for _, w := range x.Bits() {
			n += bits.OnesCount(uint(w))
		}
		return int32(n), true, nil
	case "getLowestSetBit":
		if b.Sign() == 0 {
			return int32(-1), true, nil
		}
		return int32(b.TrailingZeroBits()), true, nil
	case "sqrt":
		if b.Sign() < 0 {
			return nil, true, errors.New("ArithmeticException: Negative BigInteger")
		}
		return new(big.Int).Sqrt(b), true, nil
	case "nextProbablePrime":
		if b.Sign() < 0 {
			return nil, true, fmt.Errorf("ArithmeticException: start < 0: %s", b)
		}
		if b.BitLen() > maxNextPrimeBits {
			return nil, true, tooLargeFor(name, b.BitLen())
		}
		p := new(big.Int).Add(b, big.NewInt(1))
		if p.Cmp(big.NewInt(2)) <= 0 {
			return big.NewInt(2), true, nil
		}
		if p.Bit(0) == 0 {
			p.Add(p, big.NewInt(1))
		}
		for !p.ProbablyPrime(20) {
			p.Add(p, big.NewInt(2))
		}
		return p, true, nil
	case "longValueExact", "intValueExact", "shortValueExact", "byteValueExact":
		kind, width := "long", 64
		switch name {
		case "intValueExact":
			kind, width = "int", 32
		case "shortValueExact":
			kind, width = "short", 16
		case "byteValueExact":
			kind, width = "byte", 8
		}
		if !b.IsInt64() || b.Int64() < -1<<(width-1) || b.Int64() > 1<<(width-1)-1 {
			return nil, true, fmt.Errorf("ArithmeticException: BigInteger out of %s range", kind)
		}
		if width == 64 {
			return b.Int64(), true, nil
		}
		return int32(b.Int64()), true, nil
	}
	return nil, false, nil
}

// bigIntegerBit implements BigInteger's methods that take a bit count or
// address: shiftLeft, shiftRight, testBit, setBit, clearBit, flipBit and
// isProbablePrime.
func bigIntegerBit(b *big.Int, name string, n int32) (any, bool, error) {
	switch name {
	case "shiftLeft", "shiftRight":
		left, d := name == "shiftLeft", int64(n)
		if d < 0 {
			left, d = !left, -d // a negative distance shifts the other way
		}
		if !left {
			return new(big.Int).Rsh(b, uint(d)), true, nil
		}
		if bits := int64(b.BitLen()) + d; b.Sign() != 0 && bits > maxBigBits {
			return nil, true, tooManyBits(bits)
		}
		return new(big.Int).Lsh(b, uint(d)), true, nil
	case "testBit", "setBit", "clearBit", "flipBit":
		if n < 0 {
			return nil, true, errors.New("ArithmeticException: Negative bit address")
		}
		old := b.Bit(int(n)) // past the number's bits, its sign
		want := old ^ 1
		switch name {
		case "testBit":
			return old == 1, true, nil
		case "setBit":
			want = 1
		case "clearBit":
			want = 0
		}
		if want == old {
			return new(big.Int).Set(b), true, nil // the same number, however far the bit
		}
		if int64(n) >= maxBigBits {
			return nil, true, tooManyBits(int64(n) + 1)
		}
		return new(big.Int).SetBit(b, int(n), want), true, nil
	case "isProbablePrime":
		if n <= 0 {
			return true, true, nil
		}
		if b.BitLen() > maxPrimeTestBits {
			return nil, true, tooLargeFor(name, b.BitLen())
		}
		return new(big.Int).Abs(b).ProbablyPrime(20), true, nil
	}
	return nil, false, nil
}

// bigIntegerHash is BigInteger.hashCode: over the magnitude's 32-bit
// words, most significant first, times the sign.
func bigIntegerHash(b *big.Int) int32 {
	mag := b.Bytes()
	if pad := (4 - len(mag)%4) % 4; pad > 0 {
		mag = append(make([]byte, pad), mag...)
	}
	var h int32
	for i := 0; i < len(mag); i += 4 {
		w := uint32(mag[i])<<24 | uint32(mag[i+1])<<16 | uint32(mag[i+2])<<8 | uint32(mag[i+3])
		h = int32(31*int64(h) + int64(w))
	}
	return h * int32(b.Sign())
}

// javaD2L converts like Java's (long)/(int) casts: NaN gives 0, values out
// of range saturate.
func javaD2L(f float64, lo, hi int64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f <= float64(lo):
		return lo
	case f >= float64(hi):
		return hi
	}
	return int64(f)
}

// javaHash is Object.hashCode for values whose hash Java defines by value;
// ok is false for others and for collections too large to hash. A
// collection that holds itself fails as Java's does, with
// StackOverflowError.
func javaHash(v any) (h int32, ok bool, err error) {
	budget := maxEqualsSteps
	h, ok = hashWithin(v, &budget, 0)
	if budget <= overflowed {
		return 0, false, errHashOverflow
	}
	return h, ok, nil
}

// maxHashDepth is how deeply nested collections are hashed; deeper
// nesting is taken for a collection that holds itself.
const maxHashDepth = 1000

// overflowed marks, in hashWithin's budget, a hash that went too deep.
const overflowed = -1 << 30

var errHashOverflow = errors.New("StackOverflowError: a collection that holds itself has no hashCode")

func hashWithin(v any, budget *int, depth int) (int32, bool) {
	*budget--
	if *budget < 0 {
		return 0, false
	}
	if depth > maxHashDepth {
		*budget = overflowed
		return 0, false
	}
	switch x := v.(type) {
	case nil:
		return 0, true
	case string:
		return stringHash(x), true
	case int32:
		return x, true
	case *big.Int:
		return bigIntegerHash(x), true
	case Decimal: // BigDecimal.hashCode
		return 31*bigIntegerHash(x.Unscaled) + x.Scale, true
	case int64:
		return int32(x ^ int64(uint64(x)>>32)), true
	case float64:
		b := int64(math.Float64bits(x))
		if x == 0 && !math.Signbit(x) {
			b = 0
		}
		return int32(b ^ int64(uint64(b)>>32)), true
	case float32: // Float.hashCode: floatToIntBits, NaN canonical
		if x != x {
			return 0x7fc00000, true
		}
		return int32(math.Float32bits(x)), true
	case bool:
		if x {
			return 1231, true
		}
		return 1237, true
	case Char:
		return int32(x), true
	case Entry:
		kh, ok1 := hashWithin(x.Key, budget, depth+1)
		vh, ok2 := hashWithin(x.current(), budget, depth+1)
		return kh ^ vh, ok1 && ok2
	case *List:
		if x.view != nil { // a keySet() or entrySet(): a Set's hash, the sum
			x.refresh()
			if x.view.of == viewValues {
				return 0, false // values() keeps Object's identity hash
			}
			var h int32
			for _, e := range x.Items {
				eh, ok := hashWithin(e, budget, depth+1)
				if !ok {
					return 0, false
				}
				h += eh
			}
			return h, true
		}
		h := int32(1)
		for _, e := range x.Items {
			eh, ok := hashWithin(e, budget, depth+1)
			if !ok {
				return 0, false
			}
			h = 31*h + eh
		}
		return h, true
	case *Map:
		var h int32
		keys, vals := x.ents()
		for i := range keys {
			kh, ok1 := hashWithin(keys[i], budget, depth+1)
			vh, ok2 := hashWithin(vals[i], budget, depth+1)
			if !ok1 || !ok2 {
				return 0, false
			}
			h += kh ^ vh
		}
		return h, true
	}
	return 0, false
}
