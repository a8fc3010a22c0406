package vtl

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"
)

// errIndex builds Java's IndexOutOfBoundsException message.
func errIndex(i, n int) error {
	return fmt.Errorf("IndexOutOfBoundsException: Index %d out of bounds for length %d", i, n)
}

// execRef evaluates a reference: the root variable, then each step. A null
// anywhere makes the whole reference null.
func (r *renderer) execRef(n *refNode) (any, error) {
	return r.execRefTo(n, len(n.parts))
}

// execRefTo evaluates the root and the first k steps of a reference.
func (r *renderer) execRefTo(n *refNode, k int) (any, error) {
	if n.kind == refRunt {
		return nil, nil
	}
	var v any
	var err error
	if slot := r.refSlot(n); r.frame == nil && slot > 0 {
		v = r.vars[slot-1] // a global variable: no macro frames to search
	} else {
		v, err = r.lookupSlot(slot, n.root)
	}
	if v = nilIfTypedNil(v); err != nil || v == nil {
		return nil, err
	}
	for i := range n.parts[:k] {
		part := &n.parts[i]
		if m, ok := v.(*Map); ok && part.kind == partIdent && !isClassName(part.name) {
			v = m.getHinted(part.name, &part.hint) // the common $map.key: no getters to try
		} else if v, err = r.step(v, part); err != nil {
			return nil, err
		}
		if v = nilIfTypedNil(v); v == nil {
			return nil, nil
		}
	}
	return v, nil
}

func (r *renderer) step(v any, part *refPart) (any, error) {
	switch part.kind {
	case partIdent:
		return r.property(part, v)
	case partMethod:
		return r.callPart(part, v)
	}
	idx, err := r.value(part.args[0])
	if err != nil {
		return nil, err
	}
	if idx, err = r.adjustIndex(part.pos, v, idx); err != nil {
		return nil, err
	}
	return r.call(part.pos, v, "get", []any{idx})
}

// adjustIndex is Velocity's ASTIndex.adjMinusIndexArg: a negative Integer
// index counts from the end, size() + i, of any value with a size(); a
// value without one fails the render.
func (r *renderer) adjustIndex(p pos, v, idx any) (any, error) {
	i, ok := idx.(int32)
	if !ok || i >= 0 {
		return idx, nil
	}
	switch x := v.(type) {
	case *List:
		return i + int32(len(x.Items)), nil
	case *Map:
		return i + int32(x.Len()), nil
	case *foreachScope:
		return i, nil // a Scope is an empty map to Velocity
	}
	return nil, r.errAt(p, nil, "A 'size()' method required for negative value %d does not exist for class '%s'", i, typeName(v))
}

// isClassName reports a property that LinkedHashMap answers with
// getClass() before looking the key up: $map.class and $map.Class.
func isClassName(name string) bool { return name == "class" || name == "Class" }

// property resolves $v.name like Velocity's uberspector: getname()/getName(),
// then Map.get("name"), then get("name"), then isName().
func (r *renderer) property(part *refPart, v any) (any, error) {
	p, name := part.pos, part.name
	if m, ok := v.(*Map); ok { // LinkedHashMap's only getter is getClass()
		if isClassName(name) {
			return javaClass{typeName(v)}, nil
		}
		res, _ := m.GetString(name)
		return res, nil
	}
	if l, ok := v.(*List); ok && l.Kind.isArray() {
		// Velocity 1.7 looks properties up on the array's class, which
		// has no getters but getClass.
		if isClassName(name) {
			return javaClass{typeName(v)}, nil
		}
		return nil, nil
	}
	if part.getters[0] == "" { // a step built outside the parser
		np := newIdentPart(p, name)
		part = &np
	}
	if fs, ok := v.(*foreachScope); ok { // $foreach.hasNext and friends
		if res, getter, ok := fs.property(name); ok {
			return r.wrapCall(p, v, getter, res, nil) // $foreach.parent may be any value
		}
		for _, m := range part.getters {
			if m == "getClass" {
				break // Object's getter: the general path below
			}
			if res, ok := fs.method(m, nil); ok {
				return r.wrapCall(p, v, m, res, nil)
			}
		}
	}
	for _, m := range part.getters {
		if res, ok, err := r.invoke(v, m, nil); ok || err != nil {
			return r.wrapCall(p, v, m, res, err)
		}
	}
	if m, ok := v.(*Map); ok {
		res, _ := m.Get(name)
		return res, nil
	}
	if res, ok, err := r.invoke(v, "get", []any{name}); ok || err != nil {
		return r.wrapCall(p, v, "get", res, err)
	}
	for _, m := range part.isers {
		if res, ok, err := r.invoke(v, m, nil); ok || err != nil {
			if _, isBool := res.(bool); isBool || err != nil {
				return r.wrapCall(p, v, m, res, err)
			}
		}
	}
	return nil, nil
}

// callPart evaluates the arguments of a .name(args) step onto the
// renderer's argument stack and invokes the method. The argument slice is
// only valid during the call.
func (r *renderer) callPart(part *refPart, v any) (any, error) {
	base := len(r.args)
	for _, a := range part.args {
		x, err := r.value(a)
		if err != nil {
			clear(r.args[base:])
			r.args = r.args[:base]
			return nil, err
		}
		r.args = append(r.args, x)
	}
	top := len(r.args)
	res, err := r.call(part.pos, v, part.name, r.args[base:top:top])
	clear(r.args[base:])
	r.args = r.args[:base]
	return res, err
}

// call invokes $v.name(args); an unknown method gives null.
func (r *renderer) call(p pos, v any, name string, args []any) (any, error) {
	res, ok, err := r.invoke(v, name, args)
	if _, isBig := v.(*big.Int); isBig && err == nil {
		// BigInteger's prime and modular methods take up to ~100 ms a
		// call (see maxModPowBits): the deadline is checked after each,
		// as a loop turn would, also along one chain of calls.
		if err := r.checkCanceled(p); err != nil {
			return nil, err
		}
	}
	if !ok && err == nil {
		if len(args) > 0 && takesNoArguments(v, name) {
			// Velocity 1.7 takes a method without parameters for a call
			// with arguments when nothing else fits, and the invocation
			// then fails ($x.length(1), $list.size(5)).
			return r.wrapCall(p, v, name, nil, errors.New("IllegalArgumentException: wrong number of arguments"))
		}
		return nil, nil
	}
	return r.wrapCall(p, v, name, res, err)
}

// zeroArgMethods are the methods without parameters of the classes
// templates see, by receiver kind (those with overloads that take
// arguments of other types too, such as toLowerCase(Locale), included:
// a String argument fits neither, and Velocity falls back on the one
// without parameters).
var zeroArgMethods = map[string]map[string]bool{
	"string": {"length": true, "isEmpty": true, "trim": true, "toLowerCase": true, "toUpperCase": true, "hashCode": true, "toString": true, "getClass": true, "intern": true, "toCharArray": true,
		"getBytes": true, "chars": true, "codePoints": true, "strip": true, "stripLeading": true, "stripTrailing": true, "isBlank": true, "lines": true,
		"stripIndent": true, "translateEscapes": true},
	"list":   {"size": true, "isEmpty": true, "clear": true, "hashCode": true, "toString": true, "getClass": true},
	"map":    {"size": true, "isEmpty": true, "keySet": true, "values": true, "entrySet": true, "clear": true, "hashCode": true, "toString": true, "getClass": true},
	"number": {"intValue": true, "longValue": true, "doubleValue": true, "floatValue": true, "shortValue": true, "byteValue": true, "getClass": true},
	"bool":   {"booleanValue": true, "getClass": true},
}

// takesNoArguments reports whether v's class has a method name without
// parameters (see zeroArgMethods; a host Object says so itself through
// ParameterlessMethods).
func takesNoArguments(v any, name string) bool {
	kind := ""
	switch x := v.(type) {
	case string:
		kind = "string"
	case *List:
		kind = "list"
	case *Map:
		kind = "map"
	case int32, int64, float64, float32, Decimal, *big.Int:
		kind = "number"
	case bool:
		kind = "bool"
	case ParameterlessMethods:
		return x.HasParameterless(name)
	}
	return zeroArgMethods[kind][name]
}

func (r *renderer) wrapCall(p pos, v any, name string, res any, err error) (any, error) {
	if err != nil {
		if isSignal(err) {
			return nil, err
		}
		var e *Error
		if errors.As(err, &e) {
			return nil, err
		}
		return nil, r.errAt(p, err, "error invoking method '%s' in %s", name, typeName(v))
	}
	return res, r.checkSize(p, res)
}

// checkSize keeps values computed by methods within the render's bounds:
// strings no longer than MaxOutputBytes, lists no longer than maxRangeSize.
func (r *renderer) checkSize(p pos, v any) error {
	switch x := v.(type) {
	case string:
		return r.checkString(p, x)
	case *List:
		if len(x.Items) > maxRangeSize {
			return r.errAt(p, ErrOutputLimit, "list of %d elements is too large", len(x.Items))
		}
	case *big.Int:
		if x.BitLen() > maxBigBits {
			return r.errAt(p, ErrOutputLimit, "a number of %d bits is too large", x.BitLen())
		}
	}
	return nil
}

// maxBigBits bounds a BigInteger (about 315,000 decimal digits), so that
// squaring one in a loop cannot eat the memory.
const maxBigBits = 1 << 20

// checkString is checkSize for a string.
func (r *renderer) checkString(p pos, s string) error {
	if r.opts.MaxOutputBytes > 0 && len(s) > r.opts.MaxOutputBytes {
		return r.errAt(p, ErrOutputLimit, "string of %d bytes exceeds the output limit", len(s))
	}
	return nil
}

func flipFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	if unicode.IsLower(c) {
		return string(unicode.ToUpper(c)) + s[n:]
	}
	return string(unicode.ToLower(c)) + s[n:]
}

func upperFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c)) + s[n:]
}

// invoke dispatches a Java method call on a template value. ok is false when
// the value has no such method for these argument types.
func (r *renderer) invoke(v any, name string, args []any) (any, bool, error) {
	switch x := v.(type) {
	case string:
		if res, ok, err := r.stringMethod(x, name, args); ok || err != nil {
			return res, ok, err
		}
	case *List:
		if res, ok, err := listMethod(x, name, args); ok || err != nil {
			return res, ok, err
		}
	case *Map:
		if res, ok, err := mapMethod(x, name, args); ok || err != nil {
			return res, ok, err
		}
	case Entry:
		switch {
		case name == "getKey" && len(args) == 0:
			return x.Key, true, nil
		case name == "getValue" && len(args) == 0:
			return x.current(), true, nil
		case name == "setValue" && len(args) == 1:
			old := x.current()
			if x.m != nil {
				x.m.Put(x.Key, args[0])
			}
			return old, true, nil
		}
	case *iterator:
		if res, ok, err := iteratorMethod(x, name, args); ok || err != nil {
			return res, ok, err
		}
	case Char:
		switch {
		case name == "charValue" && len(args) == 0:
			return x, true, nil
		case name == "compareTo" && len(args) == 1:
			if y, ok := args[0].(Char); ok {
				return int32(x) - int32(y), true, nil
			}
			return nil, true, fmt.Errorf("ClassCastException: class %s cannot be cast to class java.lang.Character", typeName(args[0]))
		}
	case *foreachScope:
		if res, ok := x.method(name, args); ok {
			return res, true, nil
		}
		if name != "getClass" {
			return r.invoke(x.entries(), name, args) // the map it also is
		}
	case *defineBlock:
		if name == "toString" && len(args) == 0 {
			// In the render that made it, as Block.Reference's toString
			// renders in the context it was made in (String does the same).
			br := r
			if x.r != nil {
				br = x.r
			}
			s, ok, err := br.defineString(x)
			if !ok {
				return nil, true, err // null
			}
			return s, true, err
		}
	case Object:
		return x.CallMethod(name, args)
	case int32, int64, float64, float32, Decimal, *big.Int:
		if res, ok, err := numberMethod(x, name, args); ok || err != nil {
			return res, ok, err
		}
	case bool:
		switch {
		case name == "booleanValue" && len(args) == 0:
			return x, true, nil
		case name == "compareTo" && len(args) == 1:
			return booleanCompareTo(x, args[0])
		}
	case javaClass:
		switch name {
		case "getName":
			return x.name, true, nil
		case "getSimpleName":
			return simpleName(x.name), true, nil
		}
	}
	if res, ok, err := r.staticMethod(v, name, args); ok || err != nil {
		return res, ok, err
	}
	return commonMethod(v, name, args)
}

// simpleName is Class.getSimpleName for a class name getName gives:
// "[Ljava.lang.String;" is String[], "[B" byte[], a nested class
// "java.util.ArrayList$Itr" Itr.
func simpleName(name string) string {
	dims := 0
	for dims < len(name) && name[dims] == '[' {
		dims++
	}
	base := name[dims:]
	if dims > 0 {
		switch {
		case strings.HasPrefix(base, "L") && strings.HasSuffix(base, ";"):
			base = base[1 : len(base)-1]
		default:
			base = map[string]string{"B": "byte", "C": "char", "I": "int", "J": "long", "S": "short", "Z": "boolean", "D": "double", "F": "float"}[base]
		}
	}
	base = base[strings.LastIndexByte(base, '.')+1:]
	return base[strings.LastIndexByte(base, '$')+1:] + strings.Repeat("[]", dims)
}
