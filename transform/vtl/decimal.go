package vtl

import (
	"cmp"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is a java.math.BigDecimal: Unscaled × 10^-Scale. json-smart
// produces it for decimal numbers written with more than 18 characters,
// and Velocity's arithmetic switches to it when one operand is a Decimal.
type Decimal struct {
	Unscaled *big.Int
	Scale    int32
}

// maxDecimalExp bounds exponents so hostile input cannot make huge numbers.
const maxDecimalExp = 10000

// ParseDecimal parses text as new BigDecimal(String) does: an optional
// sign, digits with an optional point, an optional exponent.
func ParseDecimal(s string) (Decimal, bool) {
	mant, exp := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, ok := new(big.Int).SetString(strings.TrimPrefix(s[i+1:], "+"), 10)
		if !ok || !e.IsInt64() || e.Int64() > maxDecimalExp || e.Int64() < -maxDecimalExp {
			return Decimal{}, false
		}
		exp = e.Int64()
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	sign := ""
	if strings.HasPrefix(digits, "-") || strings.HasPrefix(digits, "+") {
		sign, digits = digits[:1], digits[1:]
	}
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return Decimal{}, false
	}
	u, _ := new(big.Int).SetString(digits, 10)
	if sign == "-" {
		u.Neg(u)
	}
	return Decimal{Unscaled: u, Scale: int32(int64(len(frac)) - exp)}, true
}

// String formats like BigDecimal.toString.
func (d Decimal) String() string {
	coeff := new(big.Int).Abs(d.Unscaled).String()
	sign := ""
	if d.Unscaled.Sign() < 0 {
		sign = "-"
	}
	scale := int64(d.Scale)
	adjusted := -scale + int64(len(coeff)-1)
	if scale == 0 {
		return sign + coeff
	}
	if scale > 0 && adjusted >= -6 {
		return pointed(sign, coeff, int(scale))
	}
	var b strings.Builder
	b.WriteString(sign)
	b.WriteString(coeff[:1])
	if len(coeff) > 1 {
		b.WriteString(".")
		b.WriteString(coeff[1:])
	}
	writeExponent(&b, adjusted)
	return b.String()
}

// writeExponent writes BigDecimal's exponent suffix ("E+3", "E-7"), none
// for zero.
func writeExponent(b *strings.Builder, adjusted int64) {
	if adjusted != 0 {
		b.WriteByte('E')
		if adjusted > 0 {
			b.WriteByte('+')
		}
		b.WriteString(strconv.FormatInt(adjusted, 10))
	}
}

// Float64 is BigDecimal.doubleValue.
func (d Decimal) Float64() float64 {
	f, _ := new(big.Float).SetPrec(200).Quo(new(big.Float).SetInt(d.Unscaled), pow10Float(d.Scale)).Float64()
	return f
}

func pow10Float(scale int32) *big.Float {
	if scale >= 0 {
		return new(big.Float).SetPrec(200).SetInt(pow10(int64(scale)))
	}
	return new(big.Float).SetPrec(200).Quo(big.NewFloat(1), new(big.Float).SetInt(pow10(int64(-scale))))
}

func pow10(n int64) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil)
}

// toDecimal converts a number as Velocity's MathUtils.toBigDecimal does:
// a BigInteger exactly, any other number through its doubleValue() as
// new BigDecimal(double), its exact binary value (so a Long beyond 2^53
// loses its low digits, as it does in Velocity).
func toDecimal(v any) (Decimal, bool) {
	switch x := v.(type) {
	case Decimal:
		return x, true
	case *big.Int:
		return Decimal{Unscaled: new(big.Int).Set(x), Scale: 0}, true
	case int32:
		return toDecimal(float64(x))
	case int64:
		return toDecimal(float64(x))
	case float32:
		return toDecimal(float64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Decimal{}, false
		}
		if x == 0 { // new BigDecimal(0.0) and (-0.0) are 0, scale 0
			return Decimal{Unscaled: new(big.Int), Scale: 0}, true
		}
		f := new(big.Float).SetFloat64(x)
		mant := new(big.Float)
		exp := f.MantExp(mant) // x = mant × 2^exp, 0.5 <= |mant| < 1
		m, _ := mant.SetMantExp(mant, 53).Int(nil)
		e := int64(exp - 53)
		for m.Sign() != 0 && m.Bit(0) == 0 {
			m.Rsh(m, 1)
			e++
		}
		if e >= 0 {
			return Decimal{Unscaled: m.Lsh(m, uint(e)), Scale: 0}, true
		}
		five := new(big.Int).Exp(big.NewInt(5), big.NewInt(-e), nil)
		return Decimal{Unscaled: m.Mul(m, five), Scale: int32(-e)}, true
	}
	return Decimal{}, false
}

// align returns the unscaled values of a and b at their common scale.
func align(a, b Decimal) (*big.Int, *big.Int, int32) {
	x, y := new(big.Int).Set(a.Unscaled), new(big.Int).Set(b.Unscaled)
	switch {
	case a.Scale > b.Scale:
		y.Mul(y, pow10(int64(a.Scale-b.Scale)))
		return x, y, a.Scale
	case b.Scale > a.Scale:
		x.Mul(x, pow10(int64(b.Scale-a.Scale)))
		return x, y, b.Scale
	}
	return x, y, a.Scale
}

// decimalArith is MathUtils' BigDecimal branch: exact +, -, *; division
// at the dividend's scale rounding half down; remainder.
func decimalArith(op tokKind, a, b Decimal) (any, bool) {
	if absScale(a.Scale)+absScale(b.Scale) > maxDecimalExp {
		return nil, false
	}
	switch op {
	case tkPlus, tkMinus:
		x, y, s := align(a, b)
		if op == tkPlus {
			return Decimal{Unscaled: x.Add(x, y), Scale: s}, true
		}
		return Decimal{Unscaled: x.Sub(x, y), Scale: s}, true
	case tkMultiply:
		return Decimal{Unscaled: new(big.Int).Mul(a.Unscaled, b.Unscaled), Scale: a.Scale + b.Scale}, true
	case tkDivide:
		num, den := new(big.Int).Set(a.Unscaled), new(big.Int).Set(b.Unscaled)
		if b.Scale >= 0 {
			num.Mul(num, pow10(int64(b.Scale)))
		} else {
			den.Mul(den, pow10(int64(-b.Scale)))
		}
		return Decimal{Unscaled: divHalfDown(num, den), Scale: a.Scale}, true
	}
	x, y, s := align(a, b)
	return Decimal{Unscaled: x.Rem(x, y), Scale: s}, true
}

func absScale(s int32) int64 {
	if s < 0 {
		return -int64(s)
	}
	return int64(s)
}

// divHalfDown divides rounding to nearest, ties toward zero.
func divHalfDown(num, den *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	if twice.Cmp(new(big.Int).Abs(den)) > 0 {
		if (num.Sign() < 0) != (den.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// compareDecimals is BigDecimal.compareTo: by sign, then (for different
// scales) by adjusted exponent, and only for equal adjusted exponents by
// the values brought to one scale. The adjusted exponents keep a
// comparison of 1e-9000 with 0 from building a 9,000-digit number.
func compareDecimals(a, b Decimal) int {
	sa, sb := a.Unscaled.Sign(), b.Unscaled.Sign()
	switch {
	case sa != sb:
		return cmp.Compare(sa, sb)
	case sa == 0:
		return 0
	}
	if a.Scale != b.Scale {
		xae := int64(decimalDigits(a.Unscaled)) - int64(a.Scale)
		yae := int64(decimalDigits(b.Unscaled)) - int64(b.Scale)
		if xae != yae {
			return sa * cmp.Compare(xae, yae)
		}
	}
	x, y, _ := align(a, b)
	return x.Cmp(y)
}

// decimalDigits is the number of decimal digits of |x| (BigDecimal's
// precision; 1 for zero).
func decimalDigits(x *big.Int) int {
	if x.IsInt64() {
		v := x.Int64()
		if v < 0 {
			v = -v // MinInt64 stays negative, and as a uint64 is its magnitude
		}
		n := 1
		for u := uint64(v); u >= 10; u /= 10 {
			n++
		}
		return n
	}
	n := len(x.Text(10))
	if x.Sign() < 0 {
		n--
	}
	return n
}
