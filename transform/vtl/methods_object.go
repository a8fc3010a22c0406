package vtl

import (
	"errors"
	"fmt"
	"math"
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
		if h, ok := javaHash(v); ok {
			return h, true, nil
		}
	}
	return nil, false, nil
}

func numberMethod(v any, name string, args []any) (any, bool, error) {
	if len(args) == 1 && name == "compareTo" {
		if args[0] == nil {
			return nil, true, errors.New("NullPointerException in compareTo")
		}
		if !sameClass(v, args[0]) {
			return nil, true, fmt.Errorf("ClassCastException: class %s cannot be cast to class %s", typeName(args[0]), typeName(v))
		}
		return int32(compareNumbers(v, args[0])), true, nil
	}
	if len(args) != 0 {
		return nil, false, nil
	}
	switch name {
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

// javaHash is Object.hashCode for values whose hash Java defines by value.
func javaHash(v any) (int32, bool) {
	budget := maxEqualsSteps
	return hashWithin(v, &budget)
}

func hashWithin(v any, budget *int) (int32, bool) {
	*budget--
	if *budget < 0 {
		return 0, false
	}
	switch x := v.(type) {
	case nil:
		return 0, true
	case string:
		return stringHash(x), true
	case int32:
		return x, true
	case int64:
		return int32(x ^ int64(uint64(x)>>32)), true
	case float64:
		b := int64(math.Float64bits(x))
		if x == 0 && !math.Signbit(x) {
			b = 0
		}
		return int32(b ^ int64(uint64(b)>>32)), true
	case bool:
		if x {
			return 1231, true
		}
		return 1237, true
	case Char:
		return int32(x), true
	case *List:
		h := int32(1)
		for _, e := range x.Items {
			eh, ok := hashWithin(e, budget)
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
			kh, ok1 := hashWithin(keys[i], budget)
			vh, ok2 := hashWithin(vals[i], budget)
			if !ok1 || !ok2 {
				return 0, false
			}
			h += kh ^ vh
		}
		return h, true
	}
	return 0, false
}
