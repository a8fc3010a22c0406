package vtl

import (
	"math"
	"math/bits"
	"strconv"
)

// This file prints doubles exactly as Java 17's Double.toString does. Up to
// JDK 18 that method is jdk.internal.math.FloatingDecimal, whose digits are
// not always the shortest decimal that reads back as the double (JDK-4511638,
// fixed in JDK 19): 1e23 prints as 9.999999999999999E22, 2^-1074 as
// 4.9E-324, 2.82879384806159E17 as 2.82879384806159008E17. Velocity 1.7 on
// Java 17 prints those forms, so the code below follows FloatingDecimal's
// BinaryToASCIIBuffer step by step (dtoa, developLongDigits, roundup,
// getChars), with Java's int and long arithmetic kept where it can
// overflow, and a fixed-size big integer for the FDBigInteger arithmetic of
// its slow path, so that printing never allocates.

// Constants of FloatingDecimal.
const (
	fdExpShift       = 52
	fdFractHOB       = 1 << fdExpShift // the implicit high-order bit of a normal double
	fdMaxSmallBinExp = 62
)

// fdN5Bits[i] is the bit length of 5^i (FloatingDecimal.N_5_BITS).
var fdN5Bits = [...]int{
	0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42,
	45, 47, 49, 52, 54, 56, 59, 61,
}

// fdInsignificantDigits is FloatingDecimal.insignificantDigitsNumber.
var fdInsignificantDigits = [...]int{
	0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3,
	4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7,
	8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11, 11, 11,
	12, 12, 12, 12, 13, 13, 13, 14, 14, 14,
	15, 15, 15, 15, 16, 16, 16, 17, 17, 17,
	18, 18, 18, 19,
}

// fdLong5Pow[i] is 5^i for i <= 26 (FDBigInteger.LONG_5_POW); the int
// loop uses its first 14 entries, FDBigInteger.SMALL_5_POW.
var fdLong5Pow = [...]int64{
	1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625,
	48828125, 244140625, 1220703125, 6103515625, 30517578125,
	152587890625, 762939453125, 3814697265625, 19073486328125,
	95367431640625, 476837158203125, 2384185791015625,
	11920928955078125, 59604644775390625, 298023223876953125,
	1490116119384765625,
}

// javaDigits is the state of a BinaryToASCIIBuffer after dtoa: the value
// is 0.d1d2...dn × 10^decExp with the n digits at digits[first:].
type javaDigits struct {
	digits  [20]byte
	first   int
	nDigits int
	decExp  int
	// formatted selects the form java.util.Formatter asks for (not the
	// compatible one): the digit loop never stops at the first digit.
	formatted bool
}

// appendJavaDouble appends f as Java 17's Double.toString(f) prints it.
func appendJavaDouble(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	if math.Signbit(f) {
		b = append(b, '-')
	}
	if f == 0 {
		return append(b, "0.0"...)
	}
	var d javaDigits
	d.convert(f)
	return d.appendChars(b)
}

// appendJavaFloat appends f as Java 17's Float.toString(f) prints it:
// FloatingDecimal's digit loop run on the float's 24 significant bits,
// so it stops at the shortest digits that tell the float apart
// (0.1f prints 0.1, 123456789f 1.23456792E8). NaN, the infinities and
// the zeros print as the same double does.
func appendJavaFloat(b []byte, f float32) []byte {
	if f != f || f == 0 || math.IsInf(float64(f), 0) {
		return appendJavaDouble(b, float64(f))
	}
	if math.Signbit(float64(f)) {
		b = append(b, '-')
	}
	u := math.Float32bits(f)
	var d javaDigits
	d.convertBits(int64(u&(1<<23-1)), int(u>>23&0xFF), 23, 127)
	return d.appendChars(b)
}

// formatFloat returns f as Java's Float.toString prints it.
func formatFloat(f float32) string {
	var buf [32]byte
	return string(appendJavaFloat(buf[:0], f))
}

// convert sets d to the digits of |f|, finite and not zero, as
// FloatingDecimal.getBinaryToASCIIConverter does (in the compatible form
// unless d.formatted is set).
func (d *javaDigits) convert(f float64) {
	u := math.Float64bits(f)
	d.convertBits(int64(u&(fdFractHOB-1)), int(u>>fdExpShift&0x7FF), fdExpShift, 1023)
}

// convertBits is getBinaryToASCIIConverter for a double or a float
// given as its fraction bits, biased exponent, fraction width (52 or
// 23) and bias: a subnormal is normalized, the implicit bit added, and
// the fraction moved to a double's position for dtoa.
func (d *javaDigits) convertBits(fractBits int64, binExp, expShift, bias int) {
	var nSignificantBits int
	if binExp == 0 {
		leadingZeros := bits.LeadingZeros64(uint64(fractBits))
		shift := leadingZeros - (63 - expShift)
		fractBits <<= uint(shift)
		binExp = 1 - shift
		nSignificantBits = 64 - leadingZeros
	} else {
		fractBits |= 1 << expShift
		nSignificantBits = expShift + 1
	}
	d.dtoa(binExp-bias, fractBits<<(fdExpShift-expShift), nSignificantBits)
}

// dtoa is BinaryToASCIIBuffer.dtoa, in the compatible format (the one
// Double.toString uses) unless d.formatted is set, for the double fractBits × 2^(binExp-52), where
// fractBits has its bit 52 set and nSignificantBits significant bits.
func (d *javaDigits) dtoa(binExp int, fractBits int64, nSignificantBits int) {
	tailZeros := bits.TrailingZeros64(uint64(fractBits))
	// The number of significant bits to the right of the point.
	nFractBits := fdExpShift + 1 - tailZeros
	nTinyBits := max(0, nFractBits-binExp-1)
	if nTinyBits == 0 && binExp <= fdMaxSmallBinExp {
		// An integer that fits a long: print its digits, rounding off
		// those that are below the double's precision. (FloatingDecimal
		// also tests binExp >= -21 and the size of nFractBits + log2
		// 5^nTinyBits, which always hold when nTinyBits is 0.)
		insignificant := 0
		if binExp > nSignificantBits {
			insignificant = fdInsignificantDigitsForPow2(binExp - nSignificantBits - 1)
		}
		if binExp >= fdExpShift {
			fractBits <<= uint(binExp - fdExpShift)
		} else {
			fractBits = int64(uint64(fractBits) >> uint(fdExpShift-binExp))
		}
		d.developLongDigits(0, fractBits, insignificant)
		return
	}

	// The value is B/S × 10^decExp with B/S < 10 (below 1 when the
	// estimate of decExp is one too high), and M is half an ulp scaled as
	// B is; their powers of 2 and 5 are kept apart.
	decExp := fdEstimateDecExp(fractBits, binExp)
	b5 := max(0, -decExp)
	b2 := b5 + nTinyBits + binExp
	s5 := max(0, decExp)
	s2 := s5 + nTinyBits
	m5 := b5
	m2 := b2 - nSignificantBits

	fractBits = int64(uint64(fractBits) >> uint(tailZeros))
	b2 -= nFractBits - 1
	common2 := min(b2, s2)
	b2 -= common2
	s2 -= common2
	m2 -= common2
	// For an exact power of two the next smaller double is half as far
	// away; FloatingDecimal halves M and keeps its test symmetric.
	if nFractBits == 1 {
		m2--
	}
	if m2 < 0 {
		b2 -= m2
		s2 -= m2
		m2 = 0
	}

	bBits := nFractBits + b2
	if b5 < len(fdN5Bits) {
		bBits += fdN5Bits[b5]
	} else {
		bBits += b5 * 3
	}
	tenSBits := s2 + 1
	if s5+1 < len(fdN5Bits) {
		tenSBits += fdN5Bits[s5+1]
	} else {
		tenSBits += (s5 + 1) * 3
	}

	var nd int
	var low, high bool
	var lowDigitDifference int64
	switch {
	case bBits < 32 && tenSBits < 32:
		nd, decExp, low, high, lowDigitDifference = d.digitsInt(fractBits, b5, b2, s5, s2, m5, m2, decExp)
	case bBits < 64 && tenSBits < 64:
		nd, decExp, low, high, lowDigitDifference = d.digitsLong(fractBits, b5, b2, s5, s2, m5, m2, decExp)
	default:
		nd, decExp, low, high, lowDigitDifference = d.digitsBig(fractBits, b5, b2, s5, s2, m5, m2, decExp)
	}
	d.decExp = decExp + 1
	d.first = 0
	d.nDigits = nd
	// The last digit is rounded by the stopping condition.
	if high {
		if low {
			if lowDigitDifference == 0 {
				// A tie: round to an even digit.
				if d.digits[d.first+d.nDigits-1]&1 != 0 {
					d.roundup()
				}
			} else if lowDigitDifference > 0 {
				d.roundup()
			}
		} else {
			d.roundup()
		}
	}
}

// stopFirst reports whether the digit loop may stop after the first digit:
// FloatingDecimal always gives E-form (decExp < -3 or >= 8) two digits.
func stopFirst(decExp int) bool { return decExp >= -3 && decExp < 8 }

// digitsInt is dtoa's digit loop when B, S, M and 10S all fit an int; it
// returns the number of digits, the adjusted decExp, the stopping
// conditions and the sign of 2B-10S.
func (d *javaDigits) digitsInt(fractBits int64, b5, b2, s5, s2, m5, m2, decExp int) (nd, exp int, low, high bool, lowDigitDifference int64) {
	b := (int32(fractBits) * int32(fdLong5Pow[b5])) << uint(b2&31)
	s := int32(fdLong5Pow[s5]) << uint(s2&31)
	m := int32(fdLong5Pow[m5]) << uint(m2&31)
	return digitLoop(d, b, s, m, decExp)
}

// digitsLong is digitsInt with Java's long arithmetic.
func (d *javaDigits) digitsLong(fractBits int64, b5, b2, s5, s2, m5, m2, decExp int) (nd, exp int, low, high bool, lowDigitDifference int64) {
	b := (fractBits * fdLong5Pow[b5]) << uint(b2&63)
	s := fdLong5Pow[s5] << uint(s2&63)
	m := fdLong5Pow[m5] << uint(m2&63)
	return digitLoop(d, b, s, m, decExp)
}

// digitLoop is the digit loop of digitsInt and digitsLong, in Java's int
// (T int32) or long (T int64) arithmetic, overflow included.
func digitLoop[T int32 | int64](d *javaDigits, b, s, m T, decExp int) (nd, exp int, low, high bool, lowDigitDifference int64) {
	tens := s * 10
	q := b / s
	b = 10 * (b % s)
	m *= 10
	low = b < m
	high = b+m > tens
	if q == 0 && !high {
		decExp-- // the estimate was one too high: drop the leading zero
	} else {
		d.digits[nd] = byte('0' + q)
		nd++
	}
	if d.formatted || !stopFirst(decExp) {
		low, high = false, false
	}
	for !low && !high && nd < len(d.digits) {
		q = b / s
		b = 10 * (b % s)
		m *= 10
		if m > 0 {
			low = b < m
			high = b+m > tens
		} else {
			// m overflowed: it is certainly past b, and b+m past 10S.
			low, high = true, true
		}
		d.digits[nd] = byte('0' + q)
		nd++
	}
	return nd, decExp, low, high, int64(b<<1 - tens)
}

// digitsBig is dtoa's digit loop with big integers (FDBigInteger in Java).
// Its test for stopping high is B+M >= 10S where the int and long loops
// have B+M > 10S.
func (d *javaDigits) digitsBig(fractBits int64, b5, b2, s5, s2, m5, m2, decExp int) (nd, exp int, low, high bool, lowDigitDifference int64) {
	var b, m, t fdNat
	var s [4]fdNat // S, 2S, 4S, 8S
	s[0].setPow52(1, s5, s2)
	for i := 1; i < len(s); i++ {
		s[i] = s[i-1]
		s[i].shl(1)
	}
	tenS := s[0]
	tenS.mul(10)
	b.setPow52(uint64(fractBits), b5, b2)
	m.setPow52(1, m5+1, m2+1) // M, already multiplied by 10

	// quoRem is FDBigInteger.quoRemIteration: q = B/S, B = 10(B mod S),
	// for q < 10.
	quoRem := func() byte {
		q := byte(0)
		for i := len(s) - 1; i >= 0; i-- {
			if b.cmp(&s[i]) >= 0 {
				b.sub(&s[i])
				q |= 1 << i
			}
		}
		b.mul(10)
		return q
	}
	stops := func() (low, high bool) {
		t.add(&b, &m)
		return b.cmp(&m) < 0, t.cmp(&tenS) >= 0
	}
	q := quoRem()
	low, high = stops()
	if q == 0 && !high {
		decExp--
	} else {
		d.digits[nd] = '0' + q
		nd++
	}
	if d.formatted || !stopFirst(decExp) {
		low, high = false, false
	}
	for !low && !high && nd < len(d.digits) {
		q = quoRem()
		m.mul(10)
		low, high = stops()
		d.digits[nd] = '0' + q
		nd++
	}
	if high && low {
		t = b
		t.shl(1)
		lowDigitDifference = int64(t.cmp(&tenS))
	}
	return nd, decExp, low, high, lowDigitDifference
}

// fdNatWords is the capacity of an fdNat. The big-integer loop's numbers
// stay below 11 × 10S (B < 10S, and M <= B < 10S before each
// multiplication by 10), and 10S is at most 10 × 2^768, next to the
// smallest normal double, so 25 words hold them.
const fdNatWords = 28

// fdNat is a natural number of at most fdNatWords 32-bit words, least
// significant first.
type fdNat struct {
	n int // the words in use; w[n-1] != 0
	w [fdNatWords]uint32
}

// setPow52 sets z to x × 5^p5 × 2^p2.
func (z *fdNat) setPow52(x uint64, p5, p2 int) {
	z.n = 0
	for ; x != 0; x >>= 32 {
		z.w[z.n] = uint32(x)
		z.n++
	}
	for ; p5 >= 13; p5 -= 13 {
		z.mul(1220703125) // 5^13
	}
	if p5 > 0 {
		z.mul(uint32(fdLong5Pow[p5]))
	}
	z.shl(p2)
}

// mul sets z to z × m.
func (z *fdNat) mul(m uint32) {
	var carry uint64
	for i := range z.n {
		t := uint64(z.w[i])*uint64(m) + carry
		z.w[i] = uint32(t)
		carry = t >> 32
	}
	if carry != 0 && z.n < len(z.w) {
		z.w[z.n] = uint32(carry)
		z.n++
	}
}

// shl sets z to z × 2^s.
func (z *fdNat) shl(s int) {
	if z.n == 0 || s <= 0 {
		return
	}
	words, bits := s/32, uint(s%32)
	n := min(z.n+words+1, len(z.w))
	for i := n - 1; i >= 0; i-- {
		var hi, lo uint32
		if j := i - words; j >= 0 && j < z.n {
			hi = z.w[j]
		}
		if j := i - words - 1; j >= 0 && j < z.n {
			lo = z.w[j]
		}
		z.w[i] = hi << bits
		if bits != 0 {
			z.w[i] |= lo >> (32 - bits)
		}
	}
	z.n = n
	z.trim()
}

// sub sets z to z - y, for y <= z.
func (z *fdNat) sub(y *fdNat) {
	var borrow uint64
	for i := range z.n {
		var yi uint64
		if i < y.n {
			yi = uint64(y.w[i])
		}
		t := uint64(z.w[i]) - yi - borrow
		z.w[i] = uint32(t)
		borrow = t >> 63
	}
	z.trim()
}

// add sets z to x + y.
func (z *fdNat) add(x, y *fdNat) {
	n := max(x.n, y.n)
	var carry uint64
	for i := range n {
		var xi, yi uint64
		if i < x.n {
			xi = uint64(x.w[i])
		}
		if i < y.n {
			yi = uint64(y.w[i])
		}
		t := xi + yi + carry
		z.w[i] = uint32(t)
		carry = t >> 32
	}
	if carry != 0 && n < len(z.w) {
		z.w[n] = uint32(carry)
		n++
	}
	z.n = n
}

// cmp returns -1, 0 or +1 as x is less than, equal to or greater than y.
func (x *fdNat) cmp(y *fdNat) int {
	if x.n != y.n {
		if x.n < y.n {
			return -1
		}
		return 1
	}
	for i := x.n - 1; i >= 0; i-- {
		if x.w[i] != y.w[i] {
			if x.w[i] < y.w[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// trim drops high zero words.
func (z *fdNat) trim() {
	for z.n > 0 && z.w[z.n-1] == 0 {
		z.n--
	}
}

// developLongDigits is BinaryToASCIIBuffer.developLongDigits: the digits
// of the integer lvalue × 10^decExp after rounding off its insignificant
// low digits, without trailing zeros.
func (d *javaDigits) developLongDigits(decExp int, lvalue int64, insignificantDigits int) {
	if insignificantDigits != 0 {
		pow10 := fdLong5Pow[insignificantDigits] << uint(insignificantDigits)
		residue := lvalue % pow10
		lvalue /= pow10
		decExp += insignificantDigits
		if residue >= pow10>>1 {
			lvalue++ // round up on the digits dropped
		}
	}
	digitno := len(d.digits) - 1
	c := lvalue % 10
	lvalue /= 10
	for c == 0 && lvalue != 0 {
		decExp++
		c = lvalue % 10
		lvalue /= 10
	}
	for lvalue != 0 && digitno > 0 {
		d.digits[digitno] = byte('0' + c)
		digitno--
		decExp++
		c = lvalue % 10
		lvalue /= 10
	}
	d.digits[digitno] = byte('0' + c)
	d.decExp = decExp + 1
	d.first = digitno
	d.nDigits = len(d.digits) - digitno
}

// roundup is BinaryToASCIIBuffer.roundup: add one to the last digit. A
// carry out of the first digit leaves the other digits as zeros, which
// are then printed.
func (d *javaDigits) roundup() {
	i := d.first + d.nDigits - 1
	q := d.digits[i]
	if q == '9' {
		for q == '9' && i > d.first {
			d.digits[i] = '0'
			i--
			q = d.digits[i]
		}
		if q == '9' {
			d.decExp++
			d.digits[d.first] = '1'
			return
		}
	}
	d.digits[i] = q + 1
}

// appendChars is BinaryToASCIIBuffer.getChars without the sign: plain
// notation with at least one decimal when 10^-3 <= value < 10^7,
// otherwise d.dddE±n.
func (d *javaDigits) appendChars(b []byte) []byte {
	digits := d.digits[d.first : d.first+d.nDigits]
	switch e := d.decExp; {
	case e > 0 && e < 8:
		n := min(len(digits), e)
		b = append(b, digits[:n]...)
		if n < e {
			for range e - n {
				b = append(b, '0')
			}
			return append(b, '.', '0')
		}
		b = append(b, '.')
		if n < len(digits) {
			return append(b, digits[n:]...)
		}
		return append(b, '0')
	case e <= 0 && e > -3:
		b = append(b, '0', '.')
		for range -e {
			b = append(b, '0')
		}
		return append(b, digits...)
	default:
		b = append(b, digits[0], '.')
		if len(digits) > 1 {
			b = append(b, digits[1:]...)
		} else {
			b = append(b, '0')
		}
		b = append(b, 'E')
		if e <= 0 {
			b = append(b, '-')
			e = -e + 1
		} else {
			e--
		}
		if e >= 100 {
			b = append(b, byte('0'+e/100))
			e %= 100
			return append(b, byte('0'+e/10), byte('0'+e%10))
		}
		if e >= 10 {
			b = append(b, byte('0'+e/10))
		}
		return append(b, byte('0'+e%10))
	}
}

// fdEstimateDecExp is FloatingDecimal.estimateDecExp: floor(log10) of the
// double from a tangent to log10 of its mantissa, never below the true
// value, sometimes one above it.
func fdEstimateDecExp(fractBits int64, binExp int) int {
	d2 := math.Float64frombits(0x3FF<<fdExpShift | uint64(fractBits)&(fdFractHOB-1))
	// The conversions keep each product rounded on its own (no fused
	// multiply-add), as in Java.
	d := float64(float64(d2-1.5)*0.289529654) + 0.176091259 + float64(float64(binExp)*0.301029995663981)
	return int(math.Floor(d))
}

// fdInsignificantDigitsForPow2 is FloatingDecimal.insignificantDigitsForPow2.
func fdInsignificantDigitsForPow2(p2 int) int {
	if p2 > 1 && p2 < len(fdInsignificantDigits) {
		return fdInsignificantDigits[p2]
	}
	return 0
}

// formattedDigits sets d to the digits of x (finite, not negative) as
// java.util.Formatter gets them from FormattedFloatingDecimal, and returns
// them with their exponent: x is 0.d1d2…dn × 10^exp (zero is "0", 0).
func (d *javaDigits) formattedDigits(x float64) (digits []byte, exp int) {
	if x == 0 {
		d.digits[0] = '0'
		return d.digits[:1], 0
	}
	d.formatted = true
	d.convert(x)
	return d.digits[d.first : d.first+d.nDigits], d.decExp
}

// fdApplyPrecision is FormattedFloatingDecimal.applyPrecision: it rounds
// digits half up to keep prec of them (all of them when prec is negative
// or not below their number), filling the rest with zeros, and returns
// the exponent, one more when the rounding carried out of the first digit.
func fdApplyPrecision(exp int, digits []byte, prec int) int {
	switch {
	case prec >= len(digits) || prec < 0:
		return exp
	case prec == 0:
		if digits[0] >= '5' {
			digits[0] = '1'
			fillZeros(digits[1:])
			return exp + 1
		}
		fillZeros(digits)
		return exp
	case digits[prec] < '5':
		fillZeros(digits[prec:])
		return exp
	}
	i := prec - 1
	for digits[i] == '9' && i > 0 {
		i--
	}
	if digits[i] == '9' { // all nines: carry out
		digits[0] = '1'
		fillZeros(digits[1:])
		return exp + 1
	}
	digits[i]++
	fillZeros(digits[i+1:])
	return exp
}

func fillZeros(b []byte) {
	for i := range b {
		b[i] = '0'
	}
}

// javaFixed formats x (finite, not negative) with prec decimals as
// java.util.Formatter's %f does: FloatingDecimal's digits rounded half up
// (0.125 gives 0.13 where the binary value would round down, and 1e23 has
// the digits 9999999999999999).
func javaFixed(x float64, prec int) string {
	var d javaDigits
	digits, exp := d.formattedDigits(x)
	exp = fdApplyPrecision(exp, digits, exp+prec)
	return fdFixed(digits, exp, prec)
}

// javaScientific formats x (finite, not negative) with prec decimals as
// java.util.Formatter's %e does, returning the mantissa and the exponent
// with its sign and at least two digits ("+05", "-300").
func javaScientific(x float64, prec int) (mant, exp string) {
	var d javaDigits
	digits, e := d.formattedDigits(x)
	e = fdApplyPrecision(e, digits, prec+1)
	return fdScientific(digits, e, prec, x == 0)
}

// javaGeneral formats x (finite, not negative) as java.util.Formatter's
// %g does with prec significant digits (a negative prec is the default
// 6): as %f when the rounded value is at least 10^-4 and below 10^prec,
// otherwise as %e; exp is "" in the first form.
func javaGeneral(x float64, prec int) (mant, exp string) {
	switch {
	case prec < 0:
		prec = 6
	case prec == 0:
		prec = 1
	}
	var d javaDigits
	digits, e := d.formattedDigits(x)
	e = fdApplyPrecision(e, digits, prec)
	if x == 0 {
		e = 1 // Formatter takes zero as 0 × 10^0
	}
	if x != 0 && (e-1 < -4 || e-1 >= prec) {
		return fdScientific(digits, e, prec-1, false)
	}
	return fdFixed(digits, e, prec-e), ""
}

// fdFixed is FormattedFloatingDecimal.fillDecimal followed by Formatter's
// addZeros: digits (rounded) times 10^exp with prec decimals.
func fdFixed(digits []byte, exp, prec int) string {
	var b []byte
	frac := 0
	if exp > 0 {
		if len(digits) < exp {
			b = append(b, digits...)
			for range exp - len(digits) {
				b = append(b, '0')
			}
		} else {
			b = append(b, digits[:exp]...)
			if t := min(len(digits)-exp, prec); t > 0 {
				b = append(b, '.')
				b = append(b, digits[exp:exp+t]...)
				frac = t
			}
		}
	} else {
		zeros := max(0, min(-exp, prec))
		t := max(0, min(len(digits), prec+exp))
		if zeros > 0 || t > 0 {
			b = append(b, '0', '.')
			for range zeros {
				b = append(b, '0')
			}
			b = append(b, digits[:t]...)
			frac = zeros + t
		} else {
			b = append(b, '0')
		}
	}
	if frac < prec {
		if frac == 0 {
			b = append(b, '.')
		}
		for range prec - frac {
			b = append(b, '0')
		}
	}
	return string(b)
}

// fdScientific is FormattedFloatingDecimal.fillScientific followed by
// Formatter's addZeros: the mantissa with prec decimals, and the exponent
// of digits (rounded) times 10^exp, "+00" for zero.
func fdScientific(digits []byte, exp, prec int, zero bool) (mant, e string) {
	b := []byte{digits[0]}
	if t := max(0, min(len(digits)-1, prec)); t > 0 {
		b = append(b, '.')
		b = append(b, digits[1:1+t]...)
		for range prec - t {
			b = append(b, '0')
		}
	} else if prec > 0 {
		b = append(b, '.')
		for range prec {
			b = append(b, '0')
		}
	}
	if zero {
		return string(b), "+00"
	}
	sign := byte('+')
	if exp <= 0 {
		sign, exp = '-', -exp+1
	} else {
		exp--
	}
	eb := []byte{sign}
	if exp < 10 {
		eb = append(eb, '0')
	}
	return string(b), string(strconv.AppendInt(eb, int64(exp), 10))
}
