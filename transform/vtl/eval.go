package vtl

import (
	"math"
	"math/big"
	"unsafe"
)

// maxRangeSize bounds [a..b] ranges, which Velocity would build in memory.
const maxRangeSize = 1 << 20

// value computes an expression's value, like Velocity's Node.value.
func (r *renderer) value(e expr) (any, error) {
	switch x := e.(type) {
	case *refNode:
		return r.execRef(x)
	case *stringLit:
		if !x.interpolated {
			return x.value, nil
		}
		s, err := r.renderToString(x.interp)
		if err != nil || x.keepLast || s == "" {
			return s, err
		}
		u := u16(s)
		return fromU16(u[:len(u)-1]), nil
	case *intLit:
		return x.v, nil
	case *floatLit:
		return x.v, nil
	case *boolLit:
		return x.v, nil
	case *wordExpr:
		return x.name, nil
	case *rangeLit:
		return r.rangeValue(x)
	case *mapLit:
		if err := r.build(len(x.keys)); err != nil {
			return nil, err
		}
		m := NewMap()
		for i := range x.keys {
			k, err := r.value(x.keys[i])
			if err != nil {
				return nil, err
			}
			v, err := r.value(x.vals[i])
			if err != nil {
				return nil, err
			}
			m.Put(k, v)
		}
		return m, nil
	case *listLit:
		if err := r.build(len(x.items)); err != nil {
			return nil, err
		}
		l := &List{Kind: ArrayList, Items: make([]any, 0, len(x.items))}
		for _, it := range x.items {
			v, err := r.value(it)
			if err != nil {
				return nil, err
			}
			l.Items = append(l.Items, v)
		}
		return l, nil
	case *notExpr:
		b, err := r.truth(x.x)
		return !b, err
	case *binExpr:
		return r.binValue(x)
	}
	return nil, nil
}

// build counts n values about to be built against MaxBuiltValues, and
// checks the context now and then, as a loop turn does. Macro arguments
// are passed by name, so a literal argument is built again at each use,
// and macros can nest that into work exponential in their depth
// (Velocity runs out of memory there).
func (r *renderer) build(n int) error {
	if r.built += n; r.opts.MaxBuiltValues > 0 && r.built > r.opts.MaxBuiltValues {
		return r.errAt(pos{}, ErrOutputLimit, "the render built more than %d list and map values", r.opts.MaxBuiltValues)
	}
	return r.tick(pos{})
}

// renderToString renders nodes into a string (interpolated literals).
func (r *renderer) renderToString(nodes []node) (string, error) {
	return r.blockString(r.tmpl, nodes)
}

// blockString is renderBlock into a string.
func (r *renderer) blockString(t *Template, nodes []node) (string, error) {
	saved := r.out
	r.out = nil
	err := r.renderBlock(t, nodes)
	s := unsafe.String(unsafe.SliceData(r.out), len(r.out)) // r.out is dropped
	r.out = saved
	return s, err
}

func (r *renderer) rangeValue(x *rangeLit) (any, error) {
	lo, err := r.value(x.lo)
	if err != nil {
		return nil, err
	}
	hi, err := r.value(x.hi)
	if err != nil {
		return nil, err
	}
	if !isNumber(lo) || !isNumber(hi) {
		return nil, nil
	}
	// ASTIntegerRange in Java's int arithmetic: the count is
	// Math.abs(l - r) + 1, wrapping (the range from 2147483647 to
	// -2147483648 has two elements), and so are the elements.
	a, b := int32(toInt64OrFloat(lo)), int32(toInt64OrFloat(hi))
	n := a - b
	if n < 0 {
		n = -n
	}
	n++
	switch {
	case n < 0:
		return nil, r.errAt(x.pos, nil, "IllegalArgumentException: Illegal Capacity: %d", n)
	case int64(n) > maxRangeSize:
		return nil, r.errAt(x.pos, nil, "range [%d..%d] has more than %d elements", a, b, maxRangeSize)
	}
	if err := r.build(int(n)); err != nil {
		return nil, err
	}
	l := &List{Kind: ArrayList, Items: make([]any, 0, n)}
	step := int32(1)
	if a >= b {
		step = -1
	}
	for i, v := int32(0), a; i < n; i, v = i+1, v+step {
		l.Items = append(l.Items, v)
	}
	return l, nil
}

func toInt64OrFloat(v any) int64 {
	if f, ok := v.(float32); ok {
		v = float64(f)
	}
	if f, ok := v.(float64); ok {
		return javaD2L(f, math.MinInt64, math.MaxInt64)
	}
	if d, ok := v.(Decimal); ok { // BigDecimal.longValue: truncate, keep low bits
		q := new(big.Int).Set(d.Unscaled)
		if d.Scale > 0 {
			q.Quo(q, pow10(int64(d.Scale)))
		} else if d.Scale < 0 {
			q.Mul(q, pow10(int64(-d.Scale)))
		}
		low := new(big.Int).And(q, new(big.Int).SetUint64(math.MaxUint64)) // two's complement
		return int64(low.Uint64())
	}
	if isIntegral(v) {
		return toBig(v).Int64()
	}
	return 0
}

// truth computes a condition, like Velocity's Node.evaluate: references
// are false only when null or Boolean false; literals are false.
func (r *renderer) truth(e expr) (bool, error) {
	switch x := e.(type) {
	case *refNode:
		if x.lastIdent && len(x.parts) == 1 && x.slot == slotForeach && r.frame == nil {
			// $foreach.hasNext, .first, .last: read from the scope, as
			// its getters (foreachScope.method) answer them.
			if fs, ok := r.vars[slotForeach-1].(*foreachScope); ok && fs != nil {
				switch x.parts[0].name {
				case "hasNext":
					return fs.hasNext, nil
				case "first":
					return fs.index == 0, nil
				case "last":
					return !fs.hasNext, nil
				}
			}
		}
		v, sc, err := r.operand(x)
		if err != nil || sc.kind != 0 {
			return sc.kind != 0, err // an unboxed string or number is true
		}
		if v == nil {
			return false, nil
		}
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return true, nil
	case *boolLit:
		return x.v, nil
	case *notExpr:
		b, err := r.truth(x.x)
		return !b, err
	case *binExpr:
		switch x.op {
		case tkAnd:
			l, err := r.truth(x.l)
			if err != nil || !l {
				return false, err
			}
			return r.truth(x.r)
		case tkOr:
			l, err := r.truth(x.l)
			if err != nil || l {
				return l, err
			}
			return r.truth(x.r)
		case tkEQ, tkNE, tkLT, tkLE, tkGT, tkGE:
			v, err := r.binValue(x)
			if err != nil {
				return false, err
			}
			return v == true, nil
		}
	}
	return false, nil
}

func (r *renderer) binValue(x *binExpr) (any, error) {
	if x.op == tkAnd || x.op == tkOr {
		return r.truth(x)
	}
	l, sc, err := r.operand(x.l)
	if err != nil {
		return nil, err
	}
	rv, err := r.value(x.r)
	if err != nil {
		return nil, err
	}
	if sc.kind != 0 {
		if b, ok := compareScalar(x.op, sc, rv); ok {
			return b, nil
		}
		l = sc.value()
	}
	if x.op != tkModulus && !(x.op == tkDivide && isNumber(rv) && isZero(rv)) && isNumber(l) && isNumber(rv) && usesDecimal(l, rv) && (nonFinite(l) || nonFinite(rv)) {
		// MathUtils takes both as BigDecimals, which an infinite or NaN
		// double cannot be (the modulo is refused before that, and a
		// division by zero is null first).
		return nil, r.errAt(x.pos, nil, "NumberFormatException: Infinite or NaN")
	}
	switch x.op {
	case tkEQ:
		return looseEquals(l, rv), nil
	case tkNE:
		return !looseEquals(l, rv), nil
	case tkLT, tkLE, tkGT, tkGE:
		c, ok := compareCommon(l, rv)
		if !ok {
			if !isNumber(l) || !isNumber(rv) {
				return false, nil
			}
			c = compareNumbers(l, rv)
		}
		return holds(x.op, c), nil
	case tkPlus:
		_, ls := l.(string)
		_, rs := rv.(string)
		if ls || rs {
			s := stringOperand(l, x.l) + stringOperand(rv, x.r)
			return s, r.checkSize(x.pos, s)
		}
	}
	if x.op == tkModulus && isNumber(l) && isNumber(rv) && !isZero(rv) && usesDecimal(l, rv) {
		return nil, r.errAt(x.pos, nil, "ArithmeticException: Cannot calculate the modulo of BigDecimals")
	}
	if x.op == tkModulus && bigModNegative(l, rv) {
		return nil, r.errAt(x.pos, nil, "%s", errModulusNotPositive)
	}
	v, _ := arith(x.op, l, rv)
	if b, ok := v.(*big.Int); ok {
		return v, r.checkSize(x.pos, b)
	}
	return v, nil
}

// stringOperand is the text of a concatenation operand; a null operand
// contributes its source text, as in Velocity.
func stringOperand(v any, e expr) string {
	if v != nil {
		return ToString(v)
	}
	switch x := e.(type) {
	case *refNode:
		return x.literal
	case *binExpr:
		return x.literal
	}
	return "null"
}

// compareCommon is compareNumbers for the usual operand types, Integer and
// Double (ok is false for others).
func compareCommon(a, b any) (int, bool) {
	switch av := a.(type) {
	case int32:
		return compareInteger(av, b)
	case float64:
		return compareDouble(av, b)
	}
	return 0, false
}

// compareInteger is compareCommon for an Integer a.
func compareInteger(a int32, b any) (int, bool) {
	switch bv := b.(type) {
	case int32:
		return cmpOrdered(a, bv), true
	case float64:
		return cmpOrdered(float64(a), bv), true
	}
	return 0, false
}

// compareDouble is compareCommon for a Double a.
func compareDouble(a float64, b any) (int, bool) {
	switch bv := b.(type) {
	case int32:
		return cmpOrdered(a, float64(bv)), true
	case float64:
		return cmpOrdered(a, bv), true
	}
	return 0, false
}

// operand evaluates the left operand of a binary operator: a $map.key
// held by a sourced map comes back unboxed (sc.kind set, v nil).
func (r *renderer) operand(e expr) (v any, sc Scalar, err error) {
	if n, ok := e.(*refNode); ok && n.lastIdent {
		if sc, ok := r.fieldScalar(n); ok {
			return nil, sc, nil
		}
		return r.lastStep(n)
	}
	v, err = r.value(e)
	return v, Scalar{}, err
}

// compareScalar applies a comparison operator to an unboxed left operand
// as binValue does to its boxed value; ok is false for any other operator
// or pair of operands, which take the boxed path.
func compareScalar(op tokKind, sc Scalar, b any) (res, ok bool) {
	var c int
	switch sc.kind {
	case scalarString:
		s, isString := b.(string)
		if !isString || op != tkEQ && op != tkNE {
			return false, false
		}
		return (sc.s == s) == (op == tkEQ), true
	case scalarInteger:
		c, ok = compareInteger(sc.i, b)
	case scalarDouble:
		c, ok = compareDouble(sc.f, b)
	}
	if !ok {
		return false, false
	}
	switch op {
	case tkEQ, tkNE, tkLT, tkLE, tkGT, tkGE:
		return holds(op, c), true
	}
	return false, false
}

// holds applies a comparison operator to c, the sign of a comparison.
func holds(op tokKind, c int) bool {
	switch op {
	case tkEQ:
		return c == 0
	case tkNE:
		return c != 0
	case tkLT:
		return c < 0
	case tkLE:
		return c <= 0
	case tkGT:
		return c > 0
	}
	return c >= 0
}

// nonFinite reports an infinite or NaN Double or Float.
func nonFinite(v any) bool {
	switch x := v.(type) {
	case float64:
		return math.IsInf(x, 0) || math.IsNaN(x)
	case float32:
		return math.IsInf(float64(x), 0) || x != x
	}
	return false
}
