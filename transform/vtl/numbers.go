package vtl

import (
	"math"
	"math/big"
	"strconv"
)

// Arithmetic follows Velocity 1.7's MathUtils: integers are computed as
// long and narrowed back to the wider operand type, overflowing into
// BigInteger; any Double operand makes the result a Double, and a Float
// with integers or Floats a Float, computed in float.

func isNumber(v any) bool {
	switch v.(type) {
	case int32, int64, *big.Int, float64, float32, Decimal:
		return true
	}
	return false
}

func isIntegral(v any) bool {
	switch v.(type) {
	case int32, int64, *big.Int:
		return true
	}
	return false
}

func toBig(v any) *big.Int {
	switch x := v.(type) {
	case int32:
		return big.NewInt(int64(x))
	case int64:
		return big.NewInt(x)
	case *big.Int:
		return x
	}
	return new(big.Int)
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case float64:
		return x
	case float32:
		return float64(x)
	case Decimal:
		return x.Float64()
	}
	return 0
}

// toFloat32 is Number.floatValue: the nearest float to the number's own
// value. A long, BigInteger or BigDecimal is rounded once, not through a
// double; every other number's double holds it exactly.
func toFloat32(v any) float32 {
	switch x := v.(type) {
	case int64:
		return float32(x)
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float32()
		return f
	case Decimal:
		f, _ := strconv.ParseFloat(x.String(), 32) // BigDecimal.floatValue: Float.parseFloat(toString())
		return float32(f)
	}
	return float32(toFloat(v))
}

// floatBase reports MathUtils' float calculation base: no Double, no
// BigDecimal, not both integral, a Float among them.
func floatBase(a, b any) bool {
	_, fa := a.(float32)
	_, fb := b.(float32)
	_, da := a.(float64)
	_, db := b.(float64)
	return (fa || fb) && !da && !db
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

// wrap narrows a long result to Integer when both operands were Integers.
func wrap(r int64, a, b any) any {
	_, la := a.(int64)
	_, lb := b.(int64)
	if la || lb {
		return r
	}
	return narrowInt64(r)
}

func isZero(v any) bool {
	switch x := v.(type) {
	case int32:
		return x == 0
	case int64:
		return x == 0
	case *big.Int:
		return x.Sign() == 0
	case float64:
		return x == 0
	case float32:
		return x == 0
	case Decimal:
		return x.Unscaled.Sign() == 0
	}
	return false
}

// usesDecimal is MathUtils' choice of BigDecimal arithmetic: a BigDecimal
// operand, or a BigInteger together with a non-integer.
func usesDecimal(a, b any) bool {
	_, da := a.(Decimal)
	_, db := b.(Decimal)
	_, ba := a.(*big.Int)
	_, bb := b.(*big.Int)
	return da || db || (ba || bb) && (!isIntegral(a) || !isIntegral(b))
}

// arith applies + - * / % to two numbers; ok is false for non-numbers and
// division by zero (Velocity then yields null).
func arith(op tokKind, a, b any) (any, bool) {
	if !isNumber(a) || !isNumber(b) {
		return nil, false
	}
	if (op == tkDivide || op == tkModulus) && isZero(b) {
		return nil, false
	}
	if usesDecimal(a, b) {
		x, okA := toDecimal(a)
		y, okB := toDecimal(b)
		if !okA || !okB {
			return nil, false
		}
		return decimalArith(op, x, y)
	}
	_, ba := a.(*big.Int)
	_, bb := b.(*big.Int)
	if isIntegral(a) && isIntegral(b) {
		if ba || bb {
			return bigArith(op, toBig(a), toBig(b)), true
		}
		return longArith(op, toInt64(a), toInt64(b), a, b), true
	}
	if floatBase(a, b) {
		return floatArith(op, toFloat32(a), toFloat32(b)), true
	}
	return floatArith(op, toFloat(a), toFloat(b)), true
}

// floatArith is MathUtils' arithmetic on two Floats or two Doubles. The
// remainder is computed in float64, which is exact for float32 operands
// as well.
func floatArith[F float32 | float64](op tokKind, x, y F) F {
	switch op {
	case tkPlus:
		return x + y
	case tkMinus:
		return x - y
	case tkMultiply:
		return x * y
	case tkDivide:
		return x / y
	}
	return F(math.Mod(float64(x), float64(y)))
}

func longArith(op tokKind, x, y int64, a, b any) any {
	switch op {
	case tkPlus:
		r := x + y
		if (r^x) < 0 && (r^y) < 0 {
			return new(big.Int).Add(big.NewInt(x), big.NewInt(y))
		}
		return wrap(r, a, b)
	case tkMinus:
		r := x - y
		if (x^y) < 0 && (x^r) < 0 {
			return new(big.Int).Sub(big.NewInt(x), big.NewInt(y))
		}
		return wrap(r, a, b)
	case tkMultiply:
		r := x * y
		// Velocity's overflow check, result / op2 != op1, which misses
		// Long.MIN_VALUE * -1 (Java's MIN_VALUE / -1 is MIN_VALUE).
		if y != 0 && !(x == math.MinInt64 && y == -1) && r/y != x || y == math.MinInt64 && x == -1 {
			return new(big.Int).Mul(big.NewInt(x), big.NewInt(y))
		}
		return wrap(r, a, b)
	case tkDivide:
		if x == math.MinInt64 && y == -1 {
			return wrap(x, a, b)
		}
		return wrap(x/y, a, b)
	}
	if y == -1 {
		return wrap(0, a, b)
	}
	return wrap(x%y, a, b)
}

func bigArith(op tokKind, x, y *big.Int) any {
	r := new(big.Int)
	switch op {
	case tkPlus:
		r.Add(x, y)
	case tkMinus:
		r.Sub(x, y)
	case tkMultiply:
		r.Mul(x, y)
	case tkDivide:
		r.Quo(x, y)
	default:
		r.Mod(x, y) // BigInteger.mod: never negative (bigModNegative refuses y < 0)
	}
	return r
}

// bigModNegative reports a % b that Velocity computes with BigInteger.mod
// (an operand is a BigInteger, both are integral) with a negative b:
// Java's ArithmeticException.
func bigModNegative(a, b any) bool {
	_, ba := a.(*big.Int)
	_, bb := b.(*big.Int)
	return (ba || bb) && isIntegral(a) && isIntegral(b) && toBig(b).Sign() < 0
}

// compareNumbers orders two numbers by value.
func compareNumbers(a, b any) int {
	if usesDecimal(a, b) {
		x, okA := toDecimal(a)
		y, okB := toDecimal(b)
		if okA && okB {
			return compareDecimals(x, y)
		}
	}
	if isIntegral(a) && isIntegral(b) {
		_, ba := a.(*big.Int)
		_, bb := b.(*big.Int)
		if ba || bb {
			return toBig(a).Cmp(toBig(b))
		}
		return cmpOrdered(toInt64(a), toInt64(b))
	}
	if floatBase(a, b) {
		return cmpOrdered(float64(toFloat32(a)), float64(toFloat32(b)))
	}
	return cmpOrdered(toFloat(a), toFloat(b))
}

// cmpOrdered is -1, 0 or 1 as x is below, equal to or above y (NaN
// compares 0).
func cmpOrdered[T int32 | int64 | float64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
