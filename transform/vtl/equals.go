package vtl

import (
	"math"
	"math/big"
	"reflect"
)

// looseEquals is Velocity's == : numbers compare by value, values of
// related classes use equals(), anything else compares toString() texts.
func looseEquals(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if isNumber(a) && isNumber(b) {
		return compareNumbers(a, b) == 0
	}
	if sameClass(a, b) {
		return javaEquals(a, b)
	}

	return ToString(a) == ToString(b)
}

// sameClass approximates Class.isAssignableFrom in either direction.
func sameClass(a, b any) bool {
	la, oka := a.(*List)
	lb, okb := b.(*List)
	if oka && okb {
		return la.Kind == lb.Kind || la.Kind == ArrayList || lb.Kind == ArrayList
	}
	return reflect.TypeOf(a) == reflect.TypeOf(b)
}

// maxEqualsSteps bounds comparisons of (possibly self-containing) collections.
const maxEqualsSteps = 1 << 16

// javaEquals is Object.equals for template values.
func javaEquals(a, b any) bool {
	budget := maxEqualsSteps
	return equalsWithin(a, b, &budget)
}

func equalsWithin(a, b any, budget *int) bool {
	*budget--
	if *budget < 0 {
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string, int32, int64, bool, Char:
		return a == b
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	case float32: // Float.equals: the same bits, NaNs all one
		y, ok := b.(float32)
		return ok && (x == y && math.Signbit(float64(x)) == math.Signbit(float64(y)) || x != x && y != y)
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case Decimal: // BigDecimal.equals compares the scale too
		y, ok := b.(Decimal)
		return ok && x.Scale == y.Scale && x.Unscaled.Cmp(y.Unscaled) == 0
	case *List:
		y, ok := b.(*List)
		if x == y { // AbstractList.equals: o == this
			return true
		}
		if !ok || len(x.Items) != len(y.Items) {
			return false
		}
		for i := range x.Items {
			if !equalsWithin(x.Items[i], y.Items[i], budget) {
				return false
			}
		}
		return true
	case *Map:
		y, ok := b.(*Map)
		if x == y { // AbstractMap.equals: o == this
			return true
		}
		if !ok || x.Len() != y.Len() {
			return false
		}
		keys, vals := x.ents()
		for i, k := range keys {
			j := y.findWithin(k, budget)
			if j < 0 || !equalsWithin(vals[i], y.vals[j], budget) {
				return false
			}
		}
		return true
	case Entry:
		y, ok := b.(Entry)
		return ok && equalsWithin(x.Key, y.Key, budget) && equalsWithin(x.current(), y.current(), budget)
	}
	ta := reflect.TypeOf(a)
	return ta == reflect.TypeOf(b) && ta.Comparable() && a == b
}
