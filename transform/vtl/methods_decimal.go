package vtl

import (
	"errors"
	"math"
	"math/big"
	"strings"
)

// bigDecimalMethod implements the java.math.BigDecimal methods whose
// results are exact (no MathContext, no rounding): arguments must be
// BigDecimals (or ints where Java takes an int), as Velocity 1.7 converts
// nothing else to them.
func bigDecimalMethod(d Decimal, name string, args []any) (any, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "negate":
			return Decimal{Unscaled: new(big.Int).Neg(d.Unscaled), Scale: d.Scale}, true, nil
		case "abs":
			return Decimal{Unscaled: new(big.Int).Abs(d.Unscaled), Scale: d.Scale}, true, nil
		case "signum":
			return int32(d.Unscaled.Sign()), true, nil
		case "scale":
			return d.Scale, true, nil
		case "precision":
			return int32(len(new(big.Int).Abs(d.Unscaled).String())), true, nil
		case "unscaledValue":
			return new(big.Int).Set(d.Unscaled), true, nil
		case "ulp":
			return Decimal{Unscaled: big.NewInt(1), Scale: d.Scale}, true, nil
		case "toBigInteger":
			return decimalInteger(d), true, nil
		case "toPlainString":
			return decimalPlain(d), true, nil
		case "toEngineeringString":
			return decimalEngineering(d), true, nil
		case "stripTrailingZeros":
			return decimalStripped(d), true, nil
		case "intValueExact", "longValueExact":
			if d.Scale > 0 {
				if _, r := new(big.Int).QuoRem(d.Unscaled, pow10(int64(d.Scale)), new(big.Int)); r.Sign() != 0 {
					return nil, true, errors.New("ArithmeticException: Rounding necessary")
				}
			}
			n := decimalInteger(d)
			if !n.IsInt64() || name == "intValueExact" && (n.Int64() < math.MinInt32 || n.Int64() > math.MaxInt32) {
				return nil, true, errors.New("ArithmeticException: Overflow")
			}
			if name == "intValueExact" {
				return int32(n.Int64()), true, nil
			}
			return n.Int64(), true, nil
		}
	case 1:
		if n, ok := args[0].(int32); ok {
			switch name {
			case "movePointLeft", "movePointRight":
				if name == "movePointRight" {
					n = -n
				}
				scale := int64(d.Scale) + int64(n)
				if scale > math.MaxInt32 || scale < math.MinInt32 || scale < -maxDecimalExp {
					return nil, true, errors.New("ArithmeticException: Underflow")
				}
				r := Decimal{Unscaled: d.Unscaled, Scale: int32(scale)}
				if scale < 0 { // the result's scale is at least 0
					r = Decimal{Unscaled: new(big.Int).Mul(d.Unscaled, pow10(-scale)), Scale: 0}
				}
				return r, true, nil
			case "pow":
				if n < 0 || n > 999999999 {
					return nil, true, errors.New("ArithmeticException: Invalid operation")
				}
				if int64(n)*int64(d.Unscaled.BitLen()) > 1<<20 || int64(n)*int64(d.Scale) > math.MaxInt32 || int64(n)*int64(d.Scale) < math.MinInt32 {
					return nil, true, errors.New("ArithmeticException: BigDecimal would overflow the output limit")
				}
				return Decimal{Unscaled: new(big.Int).Exp(d.Unscaled, big.NewInt(int64(n)), nil), Scale: d.Scale * n}, true, nil
			case "setScale":
				if int64(n)-int64(d.Scale) > maxDecimalExp {
					return nil, true, errors.New("ArithmeticException: BigDecimal would overflow the output limit")
				}
				if n >= d.Scale {
					return Decimal{Unscaled: new(big.Int).Mul(d.Unscaled, pow10(int64(n)-int64(d.Scale))), Scale: n}, true, nil
				}
				q, r := new(big.Int).QuoRem(d.Unscaled, pow10(int64(d.Scale)-int64(n)), new(big.Int))
				if r.Sign() != 0 {
					return nil, true, errors.New("ArithmeticException: Rounding necessary")
				}
				return Decimal{Unscaled: q, Scale: n}, true, nil
			}
		}
		if args[0] == nil && decimalOperand[name] {
			return nil, true, errors.New("NullPointerException: the BigDecimal argument is null")
		}
		o, ok := args[0].(Decimal)
		if !ok {
			return nil, false, nil
		}
		switch name {
		case "add", "subtract":
			if name == "subtract" {
				o = Decimal{Unscaled: new(big.Int).Neg(o.Unscaled), Scale: o.Scale}
			}
			x, y, scale := align(d, o)
			return Decimal{Unscaled: x.Add(x, y), Scale: scale}, true, nil
		case "multiply":
			return Decimal{Unscaled: new(big.Int).Mul(d.Unscaled, o.Unscaled), Scale: d.Scale + o.Scale}, true, nil
		case "divide":
			q, err := decimalDivide(d, o)
			return q, err == nil, err
		case "remainder":
			r, err := decimalRemainder(d, o)
			return r, err == nil, err
		case "min", "max":
			if (compareDecimals(d, o) <= 0) == (name == "min") {
				return d, true, nil
			}
			return o, true, nil
		}
	case 2, 3:
		// setScale(int, int mode), divide(BigDecimal, int mode) and
		// divide(BigDecimal, int scale, int mode): the legacy ROUND_*
		// constants, as a template passes them.
		if args[len(args)-1] == nil {
			// The RoundingMode overload takes the null and fails on it
			// (divide(BigDecimal, null) fits two overloads, and Velocity
			// calls neither).
			_, isDecimal := args[0].(Decimal)
			_, isInt := args[len(args)-2].(int32)
			if name == "setScale" && len(args) == 2 && isInt || name == "divide" && len(args) == 3 && isDecimal && isInt {
				return nil, true, errors.New("NullPointerException: the rounding mode is null")
			}
		}
		mode, ok := args[len(args)-1].(int32)
		if !ok {
			return nil, false, nil
		}
		switch {
		case name == "setScale" && len(args) == 2:
			n, ok := args[0].(int32)
			if !ok {
				return nil, false, nil
			}
			r, err := decimalRound(d.Unscaled, big.NewInt(1), int64(n)-int64(d.Scale), n, mode)
			return r, err == nil, err
		case name == "divide":
			if args[0] == nil {
				return nil, true, errors.New("NullPointerException: the BigDecimal argument is null")
			}
			o, ok := args[0].(Decimal)
			scale := d.Scale
			if len(args) == 3 {
				n, isInt := args[1].(int32)
				ok, scale = ok && isInt, n
			}
			if !ok {
				return nil, false, nil
			}
			if o.Unscaled.Sign() == 0 {
				if d.Unscaled.Sign() == 0 {
					return nil, true, errors.New("ArithmeticException: Division undefined")
				}
				return nil, true, errors.New("ArithmeticException: Division by zero")
			}
			// a/b at scale S: a.u·10^(S-a.s+b.s) / b.u.
			r, err := decimalRound(d.Unscaled, o.Unscaled, int64(scale)-int64(d.Scale)+int64(o.Scale), scale, mode)
			return r, err == nil, err
		}
	}
	return nil, false, nil
}

// decimalRound is num·10^shift / den rounded to an integer by the legacy
// BigDecimal rounding mode (ROUND_UP 0 … ROUND_UNNECESSARY 7), as the
// unscaled value of a BigDecimal of the given scale.
func decimalRound(num, den *big.Int, shift int64, scale int32, mode int32) (Decimal, error) {
	if mode < 0 || mode > 7 {
		return Decimal{}, errors.New("IllegalArgumentException: Invalid rounding mode")
	}
	if shift > maxDecimalExp || shift < -maxDecimalExp {
		return Decimal{}, errors.New("ArithmeticException: BigDecimal would overflow the output limit")
	}
	n, dd := new(big.Int).Set(num), new(big.Int).Set(den)
	if shift >= 0 {
		n.Mul(n, pow10(shift))
	} else {
		dd.Mul(dd, pow10(-shift))
	}
	if dd.Sign() < 0 {
		n.Neg(n)
		dd.Neg(dd)
	}
	q, r := new(big.Int).QuoRem(n, dd, new(big.Int)) // truncated toward zero
	if r.Sign() == 0 {
		return Decimal{Unscaled: q, Scale: scale}, nil
	}
	sign := n.Sign() // the quotient's sign (q may be 0)
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	half := twice.Cmp(dd) // compares |r| with den/2
	var away bool
	switch mode {
	case 0: // UP
		away = true
	case 1: // DOWN
	case 2: // CEILING
		away = sign > 0
	case 3: // FLOOR
		away = sign < 0
	case 4: // HALF_UP
		away = half >= 0
	case 5: // HALF_DOWN
		away = half > 0
	case 6: // HALF_EVEN
		away = half > 0 || half == 0 && q.Bit(0) == 1
	case 7: // UNNECESSARY
		return Decimal{}, errors.New("ArithmeticException: Rounding necessary")
	}
	if away {
		q.Add(q, big.NewInt(int64(sign)))
	}
	return Decimal{Unscaled: q, Scale: scale}, nil
}

// decimalOperand names the BigDecimal methods that take a BigDecimal,
// which a null argument reaches and fails in.
var decimalOperand = map[string]bool{
	"add": true, "subtract": true, "multiply": true, "divide": true, "remainder": true,
	"divideToIntegralValue": true, "min": true, "max": true,
}

// decimalEngineering is BigDecimal.toEngineeringString: toString, but an
// exponent that is a multiple of three.
func decimalEngineering(d Decimal) string {
	coeff := new(big.Int).Abs(d.Unscaled).String()
	adjusted := -int64(d.Scale) + int64(len(coeff)-1)
	if d.Scale == 0 || d.Scale > 0 && adjusted >= -6 {
		return d.String()
	}
	var b strings.Builder
	if d.Unscaled.Sign() < 0 {
		b.WriteByte('-')
	}
	sig := adjusted % 3
	if sig < 0 {
		sig += 3
	}
	adjusted -= sig
	sig++
	switch {
	case d.Unscaled.Sign() == 0:
		switch sig {
		case 1:
			b.WriteString("0")
		case 2:
			b.WriteString("0.00")
			adjusted += 3
		case 3:
			b.WriteString("0.0")
			adjusted += 3
		}
	case sig >= int64(len(coeff)):
		b.WriteString(coeff)
		b.WriteString(strings.Repeat("0", int(sig-int64(len(coeff)))))
	default:
		b.WriteString(coeff[:sig])
		b.WriteByte('.')
		b.WriteString(coeff[sig:])
	}
	if adjusted != 0 {
		b.WriteByte('E')
		if adjusted > 0 {
			b.WriteByte('+')
		}
		b.WriteString(big.NewInt(adjusted).String())
	}
	return b.String()
}

var errNonTerminating = errors.New("ArithmeticException: Non-terminating decimal expansion; no exact representable decimal result")

// decimalDivide is BigDecimal.divide(BigDecimal): the exact quotient, at
// the preferred scale (the dividend's less the divisor's) or the
// smallest scale above it that holds it, and an ArithmeticException when
// the quotient does not end (or needs more digits than Java's working
// precision, the dividend's precision plus 10/3 of the divisor's).
func decimalDivide(a, b Decimal) (Decimal, error) {
	if b.Unscaled.Sign() == 0 {
		if a.Unscaled.Sign() == 0 {
			return Decimal{}, errors.New("ArithmeticException: Division undefined")
		}
		return Decimal{}, errors.New("ArithmeticException: Division by zero")
	}
	preferred := int64(a.Scale) - int64(b.Scale)
	if preferred > math.MaxInt32 || preferred < math.MinInt32 {
		return Decimal{}, errors.New("ArithmeticException: Overflow")
	}
	if a.Unscaled.Sign() == 0 {
		return Decimal{Unscaled: new(big.Int), Scale: int32(preferred)}, nil
	}
	// a/b = num/den with num = a.u·10^b.s, den = b.u·10^a.s, kept exact by
	// carrying the powers of ten in a scale of the quotient.
	num, den := new(big.Int).Set(a.Unscaled), new(big.Int).Set(b.Unscaled)
	if den.Sign() < 0 {
		num.Neg(num)
		den.Neg(den)
	}
	g := new(big.Int).GCD(nil, nil, new(big.Int).Abs(num), den)
	num.Quo(num, g)
	den.Quo(den, g)
	// den must divide a power of ten: only twos and fives.
	twos, fives := 0, 0
	two, five, r := big.NewInt(2), big.NewInt(5), new(big.Int)
	for q := new(big.Int); ; twos++ {
		if q.QuoRem(den, two, r); r.Sign() != 0 {
			break
		}
		den.Set(q)
	}
	for q := new(big.Int); ; fives++ {
		if q.QuoRem(den, five, r); r.Sign() != 0 {
			break
		}
		den.Set(q)
	}
	if den.Cmp(big.NewInt(1)) != 0 {
		return Decimal{}, errNonTerminating
	}
	k := int64(max(twos, fives))
	if k > maxDecimalExp {
		return Decimal{}, errors.New("ArithmeticException: BigDecimal would overflow the output limit")
	}
	// num/(2^twos·5^fives) = num·2^(k-twos)·5^(k-fives) / 10^k.
	u := new(big.Int).Mul(num, new(big.Int).Exp(two, big.NewInt(k-int64(twos)), nil))
	u.Mul(u, new(big.Int).Exp(five, big.NewInt(k-int64(fives)), nil))
	q := decimalStripped(Decimal{Unscaled: u, Scale: int32(k + preferred)})
	if int64(q.Scale) < preferred {
		q = Decimal{Unscaled: new(big.Int).Mul(q.Unscaled, pow10(preferred-int64(q.Scale))), Scale: int32(preferred)}
	}
	digits := func(x *big.Int) int64 { return int64(len(new(big.Int).Abs(x).String())) }
	if work := digits(a.Unscaled) + int64(math.Ceil(10*float64(digits(b.Unscaled))/3)); digits(q.Unscaled) > work && q.Scale > int32(preferred) {
		return Decimal{}, errNonTerminating
	}
	return q, nil
}

// decimalRemainder is BigDecimal.remainder: this less the integral
// quotient (divideToIntegralValue, truncated, at the preferred scale or
// the smallest scale above it that holds it) times the divisor, at the
// scale that product has.
func decimalRemainder(a, b Decimal) (Decimal, error) {
	if b.Unscaled.Sign() == 0 {
		if a.Unscaled.Sign() == 0 {
			return Decimal{}, errors.New("ArithmeticException: Division undefined")
		}
		return Decimal{}, errors.New("ArithmeticException: Division by zero")
	}
	preferred := int64(a.Scale) - int64(b.Scale)
	// The integral quotient I = trunc(a.u·10^b.s / (b.u·10^a.s)).
	num, den := new(big.Int).Set(a.Unscaled), new(big.Int).Set(b.Unscaled)
	if preferred >= 0 {
		den.Mul(den, pow10(preferred))
	} else {
		num.Mul(num, pow10(-preferred))
	}
	integral := new(big.Int).Quo(num, den)
	qs := preferred
	if preferred < 0 && integral.Sign() != 0 { // |a| < |b|: zero at the preferred scale
		// Trailing zeros of I are dropped down to the preferred scale.
		qs = 0
		u, r, ten := new(big.Int).Set(integral), new(big.Int), big.NewInt(10)
		for q := new(big.Int); qs > preferred && u.CmpAbs(ten) >= 0; qs-- {
			if q.QuoRem(u, ten, r); r.Sign() != 0 {
				break
			}
			u.Set(q)
		}
	}
	scale := qs + int64(b.Scale)
	if scale > math.MaxInt32 || scale < math.MinInt32 || scale-int64(a.Scale) > maxDecimalExp {
		return Decimal{}, errors.New("ArithmeticException: Overflow")
	}
	// a at the result's scale, less I·b there.
	r := new(big.Int).Mul(a.Unscaled, pow10(scale-int64(a.Scale)))
	iu := new(big.Int) // I's unscaled value at scale qs (its zeros below were dropped)
	if qs >= 0 {
		iu.Mul(integral, pow10(qs))
	} else {
		iu.Quo(integral, pow10(-qs))
	}
	prod := new(big.Int).Mul(iu, b.Unscaled)
	return Decimal{Unscaled: r.Sub(r, prod), Scale: int32(scale)}, nil
}

// decimalInteger is BigDecimal.toBigInteger: the integer part, the
// fraction dropped.
func decimalInteger(d Decimal) *big.Int {
	if d.Scale <= 0 {
		return new(big.Int).Mul(d.Unscaled, pow10(-int64(d.Scale)))
	}
	return new(big.Int).Quo(d.Unscaled, pow10(int64(d.Scale)))
}

// decimalPlain is BigDecimal.toPlainString: no exponent.
func decimalPlain(d Decimal) string {
	if d.Scale <= 0 {
		if d.Unscaled.Sign() == 0 {
			return "0"
		}
		return d.Unscaled.String() + strings.Repeat("0", int(-int64(d.Scale)))
	}
	sign := ""
	if d.Unscaled.Sign() < 0 {
		sign = "-"
	}
	return pointed(sign, new(big.Int).Abs(d.Unscaled).String(), int(d.Scale))
}

// pointed writes the digits coeff with a point scale (> 0) places from
// their end, and zeros after "0." where there are fewer digits.
func pointed(sign, coeff string, scale int) string {
	if len(coeff) > scale {
		return sign + coeff[:len(coeff)-scale] + "." + coeff[len(coeff)-scale:]
	}
	return sign + "0." + strings.Repeat("0", scale-len(coeff)) + coeff
}

// decimalStripped is BigDecimal.stripTrailingZeros: the same value with
// the smallest scale (zero is 0, scale 0).
func decimalStripped(d Decimal) Decimal {
	if d.Unscaled.Sign() == 0 {
		return Decimal{Unscaled: new(big.Int), Scale: 0}
	}
	u, scale := new(big.Int).Set(d.Unscaled), int64(d.Scale)
	ten, q, r := big.NewInt(10), new(big.Int), new(big.Int)
	for {
		q.QuoRem(u, ten, r)
		if r.Sign() != 0 || scale <= math.MinInt32 {
			break
		}
		u.Set(q)
		scale--
	}
	return Decimal{Unscaled: u, Scale: int32(scale)}
}
