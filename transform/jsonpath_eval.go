package transform

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/gatewaykit/gateway/internal/javaregex"
	"github.com/gatewaykit/gateway/transform/vtl"
)

// Read applies the path to a parsed document (see ParseJSON). A definite
// path that matches nothing gives nil; an indefinite one gives a list. Where
// JsonPath 2.0 throws (a missing leaf property, a property of a non-object,
// an index out of range, an index on a non-array), the result is nil, as
// API Gateway's $input.path gives null; a wildcard over an array skips the
// elements that throw "not found".
//
// Read fails where JsonPath's exception reaches the template instead:
// a filter comparing a number with text that is not one
// (NumberFormatException), =~ without a pattern (ClassCastException), a
// "[?]" filter never given (NullPointerException), a pattern that
// backtracks past the matcher's budget, and a path selecting more than
// MaxPathResults values, which hostile paths such as "$..*..*..*" can do
// on large payloads.
func (p *JSONPath) Read(doc any) (any, error) {
	var out []any
	switch p.eval(0, doc, &out, doc) {
	case pathTooMany:
		return nil, fmt.Errorf("JSONPath %q selects more than %d values", p.src, MaxPathResults)
	case pathNumberFormat:
		return nil, fmt.Errorf("JSONPath %q: NumberFormatException: a filter compares a number with a value that is not one", p.src)
	case pathClassCast:
		return nil, fmt.Errorf("JSONPath %q: ClassCastException: =~ wants /pattern/ or /pattern/i on its right", p.src)
	case pathNullPointer:
		return nil, fmt.Errorf("JSONPath %q: NullPointerException: a step without a filter or an index", p.src)
	case pathTooComplex:
		return nil, fmt.Errorf("JSONPath %q: a =~ pattern: %w", p.src, javaregex.ErrTooComplex)
	case pathOK:
	default:
		return nil, nil
	}
	if p.definite() {
		if len(out) == 0 {
			return nil, nil
		}
		return out[0], nil
	}
	return vtl.NewList(vtl.JSONArray, out...), nil
}

// MaxPathResults bounds the number of values one JSONPath read may select.
const MaxPathResults = 1 << 20

// pathErr mirrors JsonPath's exceptions: PathNotFoundException, which a
// wildcard over an array catches, and InvalidPathException, which nothing does.
type pathErr int

const (
	pathOK pathErr = iota
	pathNotFound
	pathInvalid
	pathTooMany      // not JsonPath's: the result limit was reached
	pathNumberFormat // a filter compared a number with a literal that is not one
	pathClassCast    // =~ with a right side that is not a pattern
	pathNullPointer  // a step JsonPath parses into nothing it can run ("[?]", "[ ]")
	pathTooComplex   // not JsonPath's: a =~ pattern backtracked past the matcher's budget
)

func (p *JSONPath) eval(i int, v any, out *[]any, root any) pathErr {
	if i == len(p.steps) {
		if len(*out) >= MaxPathResults {
			return pathTooMany
		}
		*out = append(*out, v)
		return pathOK
	}
	st := p.steps[i]
	leaf := i == len(p.steps)-1
	switch st.kind {
	case stepPass:
		return p.eval(i+1, v, out, root)
	case stepNone:
	case stepProp:
		m, ok := v.(*vtl.Map)
		if !ok {
			return pathNotFound
		}
		if !leaf && len(st.names) != 1 {
			return pathInvalid // JsonPath 2.0 takes several names only in the last step
		}
		if leaf && len(st.names) != 1 {
			// ['a','b'] at the end selects a map of those of the keys
			// that are there, as JsonPath 2.0 does.
			sel := vtl.NewMap()
			for _, name := range st.names {
				if x, found := m.Get(name); found {
					sel.Put(name, x)
				}
			}
			return p.eval(i+1, sel, out, root)
		}
		for _, name := range st.names {
			x, found := m.Get(name)
			if !found {
				// JsonPath 2.0 goes on past a missing key when the step
				// just before it selects several values ($.a[0:2].missing.x
				// is []) or a step after it does ($.missing.a[*] is []):
				// a wildcard, slice, filter, scan or list of indexes.
				// Otherwise the read fails ($..a[2].missing.x and
				// $.*[0].missing.x are null), unless a wildcard over an
				// array above takes the failure ($[*].a.missing.x is []).
				if leaf || !p.severalAfter(i) && !(i > 0 && p.steps[i-1].severalHere()) {
					return pathNotFound
				}
				continue
			}
			if err := p.eval(i+1, x, out, root); err != pathOK {
				return err
			}
		}
	case stepWild:
		switch x := v.(type) {
		case *vtl.Map:
			for _, e := range x.Values() {
				if err := p.eval(i+1, e, out, root); err != pathOK {
					return err
				}
			}
		case *vtl.List:
			// JsonPath catches PathNotFoundException for each item here;
			// anything else a filter or step throws ends the read.
			for _, e := range x.Items {
				if err := p.eval(i+1, e, out, root); err != pathOK && err != pathNotFound {
					return err
				}
			}
		}
	case stepIndex:
		l, ok := v.(*vtl.List)
		if v == nil {
			return pathNotFound // an index on null is a missing value, on anything else an error
		}
		if !ok {
			return pathInvalid
		}
		for _, n := range st.indexes {
			if st.fromEnd {
				n += len(l.Items)
			}
			if n < 0 || n >= len(l.Items) {
				return pathNotFound
			}
			if err := p.eval(i+1, l.Items[n], out, root); err != pathOK {
				return err
			}
		}
	case stepSlice:
		l, ok := v.(*vtl.List)
		if v == nil {
			return pathNotFound
		}
		if !ok {
			return pathInvalid
		}
		lo, hi, err := sliceBounds(st, len(l.Items))
		if err != pathOK {
			return err
		}
		for n := lo; n < hi; n++ {
			if err := p.eval(i+1, l.Items[n], out, root); err != pathOK {
				return err
			}
		}
	case stepDeepIn:
		// The inner step at every node, the node first and then its
		// descendants in document order, as JsonPath's deep scan does;
		// where it does not apply (an index past the end, a map for an
		// index) it selects nothing.
		// What follows the inner step fails the read as it would
		// anywhere ($..[1].n where an element has no n is null).
		for _, n := range walkNodes(v, nil, 0) {
			var picked []any
			switch in := st.inner; in.kind {
			case stepIndex, stepSlice:
				l, ok := n.(*vtl.List)
				if !ok {
					continue
				}
				if !leaf {
					// With more steps after it, JsonPath 2.0 passes every
					// item of every array the scan finds on to them, the
					// index or slice aside ($..[0].x reads x in all items).
					picked = l.Items
				} else if in.kind == stepIndex {
					for _, k := range in.indexes {
						if in.fromEnd {
							k += len(l.Items)
						}
						if k < 0 || k >= len(l.Items) {
							// JsonPath 2.0 throws here, and the
							// whole read gives null.
							return pathNotFound
						}
						picked = append(picked, l.Items[k])
					}
				} else if lo, hi, err := sliceBounds(*in, len(l.Items)); err == pathOK && lo < hi {
					// (An empty slice's bounds may lie outside the array.)
					picked = l.Items[lo:hi]
				}
			case stepFilter:
				// ScanPathToken tests the filter on each object and array
				// the scan meets, the array itself (@ is the array), not
				// its items: those are nodes of their own. An array that
				// passes gives its items that pass (or, with steps after
				// the filter, all its items).
				switch n := n.(type) {
				case *vtl.Map, *vtl.List:
					ok, err := in.filter.match(n, root)
					if err != pathOK {
						return err
					}
					l, isList := n.(*vtl.List)
					switch {
					case !ok:
					case !isList:
						picked = []any{n}
					case !leaf:
						picked = l.Items
					default:
						if picked, err = applyStep(*in, n, nil, root); err != pathOK {
							return err
						}
					}
				}
			}
			for _, e := range picked {
				if err := p.eval(i+1, e, out, root); err != pathOK {
					return err
				}
			}
		}
	case stepDeep, stepFilter:
		if st.kind == stepDeep && !st.all && len(st.names) != 1 && leaf {
			// $..['a','b'] at the end: for every object that has all the
			// keys, the object first and then its descendants, a map of
			// them, as JsonPath 2.0's deep scan selects it.
			for _, n := range walkNodes(v, nil, 0) {
				m, ok := n.(*vtl.Map)
				if !ok || !hasKeys(m, st.names) {
					continue
				}
				sel := vtl.NewMap()
				for _, name := range st.names {
					x, _ := m.Get(name)
					sel.Put(name, x)
				}
				if err := p.eval(i+1, sel, out, root); err != pathOK {
					return err
				}
			}
			return pathOK
		}
		if st.kind == stepDeep && !st.all && len(st.names) != 1 {
			// With more steps after it, the names are a step JsonPath
			// 2.0 refuses (several names only in the last step) at the
			// first object the scan finds with all of them.
			for _, n := range walkNodes(v, nil, 0) {
				if m, ok := n.(*vtl.Map); ok && hasKeys(m, st.names) {
					return pathInvalid
				}
			}
			return pathOK
		}
		if st.kind == stepFilter {
			switch v.(type) {
			case *vtl.List, *vtl.Map:
			default:
				return pathInvalid
			}
		}
		found, err := applyStep(st, v, nil, root)
		if err != pathOK {
			return err
		}
		for _, e := range found {
			if err := p.eval(i+1, e, out, root); err != pathOK {
				return err
			}
		}
	}
	return pathOK
}

// severalHere reports whether the step, just before a missing key,
// selects several values (see stepProp in eval): as several, except that
// a deep scan for one name or for one index counts there as the property
// or index step it scans for.
func (st pathStep) severalHere() bool {
	switch {
	case st.kind == stepDeep:
		return st.all || len(st.names) != 1
	case st.kind == stepDeepIn && st.inner.kind == stepIndex:
		return len(st.inner.indexes) > 1
	}
	return st.several()
}

// severalAfter reports whether a step after step i selects several
// values by its own nature (see stepProp in eval).
func (p *JSONPath) severalAfter(i int) bool {
	for _, st := range p.steps[i+1:] {
		if st.several() {
			return true
		}
	}
	return false
}

// several reports whether the step selects several values by its own
// nature: a wildcard, slice, filter, deep scan or list of indexes. (A
// list of names counts as one property step, as in JsonPath 2.0.)
func (st pathStep) several() bool {
	switch st.kind {
	case stepWild, stepSlice, stepFilter, stepDeep, stepDeepIn, stepNone:
		return true
	case stepIndex:
		return len(st.indexes) > 1
	}
	return false
}

func applyStep(st pathStep, v any, out []any, root any) ([]any, pathErr) {
	switch st.kind {
	case stepFilter:
		items := []any{v}
		if l, ok := v.(*vtl.List); ok {
			items = l.Items
		}
		for _, it := range items {
			ok, err := st.filter.match(it, root)
			if err != pathOK {
				return nil, err
			}
			if ok {
				out = append(out, it)
			}
		}
	case stepDeep:
		out = deepScan(st, v, out, 0)
	}
	return out, pathOK
}

// sliceBounds follows JsonPath 2.0: [a:] and [:b] count negative bounds
// from the end; in [a:b] the bounds are taken as written, and an index
// outside the array fails the path.
func sliceBounds(st pathStep, n int) (int, int, pathErr) {
	switch {
	case n == 0:
		return 0, 0, pathOK
	case st.lo != nil && st.hi != nil:
		lo, hi := *st.lo, min(*st.hi, n)
		if lo < hi && (lo < 0 || lo >= n) {
			return 0, 0, pathNotFound
		}
		return lo, max(hi, lo), pathOK
	case st.lo != nil:
		lo := *st.lo
		if lo < 0 {
			lo = max(n+lo, 0)
		}
		return min(lo, n), n, pathOK
	case st.hi != nil:
		hi := *st.hi
		if hi < 0 {
			hi = max(n+hi, 0)
		}
		return 0, min(hi, n), pathOK
	}
	return 0, n, pathOK
}

// walkNodes appends v and its descendants, each container before its
// children, in document order.
func walkNodes(v any, out []any, depth int) []any {
	if depth > maxJSONDepth || len(out) > MaxPathResults {
		return out
	}
	out = append(out, v)
	switch x := v.(type) {
	case *vtl.Map:
		x.Range(func(_, e any) bool { out = walkNodes(e, out, depth+1); return true })
	case *vtl.List:
		for _, e := range x.Items {
			out = walkNodes(e, out, depth+1)
		}
	}
	return out
}

// hasKeys reports whether m has every one of names.
func hasKeys(m *vtl.Map, names []string) bool {
	for _, name := range names {
		if _, ok := m.Get(name); !ok {
			return false
		}
	}
	return true
}

func deepScan(st pathStep, v any, out []any, depth int) []any {
	if depth > maxJSONDepth || len(out) > MaxPathResults {
		return out
	}
	var children []any
	switch x := v.(type) {
	case *vtl.Map:
		if !st.all {
			if e, ok := x.Get(st.names[0]); ok {
				out = append(out, e)
			}
		}
		x.Range(func(_, e any) bool { children = append(children, e); return true })
	case *vtl.List:
		children = x.Items
	default:
		return out
	}
	if st.all {
		out = append(out, children...)
	}
	for _, e := range children {
		out = deepScan(st, e, out, depth+1)
	}
	return out
}

// match reports whether item passes the filter; root is the document,
// which $ paths in the filter read. It fails where JsonPath 2.0 throws
// from a filter (see Read).
func (f *pathFilter) match(item, root any) (bool, pathErr) {
	switch {
	case f == nil: // "[?]": no filter was given
		return false, pathNullPointer
	case f.or != nil:
		for _, g := range f.or {
			if ok, err := g.match(item, root); ok || err != pathOK {
				return ok, err
			}
		}
		return false, pathOK
	case f.and != nil:
		for _, g := range f.and {
			if ok, err := g.match(item, root); !ok || err != pathOK {
				return false, err
			}
		}
		return true, pathOK
	}
	if f.op == "" {
		// [?(@.x)] keeps items where x is there; [?(!@.x)] where it is
		// not. The check reads from the item even a path written from $,
		// and with REQUIRE_PROPERTIES: ['a','b'] is there when both are.
		res, exists, err := readFilterPath(f.left.path, item, root, true)
		if err != pathOK {
			return false, err
		}
		return (exists && res != nil) != f.not, pathOK
	}
	lv, ok, err := f.left.value(item, root)
	if err != pathOK || !ok {
		return false, err
	}
	rv, ok, err := f.right.value(item, root)
	if err != pathOK || !ok {
		return false, err
	}
	if f.op != "=~" {
		return compareFilter(f.op, rv, lv)
	}
	// CriteriaType.REGEX: the left side's pattern if it has one, read
	// against the right side's text (a pattern's source); else the right
	// side cast to a pattern and read against the left: a cast of
	// anything but a pattern fails (ClassCastException), and of null
	// gives a pattern that reads nothing from null and throws on anything
	// else.
	re, input := f.left.re, rv
	switch {
	case re != nil && f.right.re != nil:
		input = f.right.reSrc
	case re == nil && f.right.re != nil:
		re, input = f.right.re, lv
	case re == nil && f.right.path != nil && rv == nil:
		if lv == nil {
			return false, pathOK
		}
		return false, pathNullPointer
	case re == nil:
		return false, pathClassCast
	}
	if input == nil {
		return false, pathOK
	}
	ok, rerr := re.MatchString(context.Background(), vtl.ToString(input))
	if rerr != nil {
		return false, pathTooComplex
	}
	return ok, pathOK
}

// value is the value of one side of a criterion for item: what its path
// reads (found false when there is nothing), its pattern, or its text.
func (sd filterSide) value(item, root any) (v any, found bool, err pathErr) {
	switch {
	case sd.path != nil:
		from := item
		if strings.HasPrefix(sd.path.src, "$") {
			from = root
		}
		return readFilterPath(sd.path, from, root, false)
	case sd.pattern != nil:
		return sd.pattern, true, pathOK
	}
	return sd.text, true, pathOK
}

// readFilterPath evaluates a filter's path from a value. A missing value
// is not there (found false); an index on a value that is not an array
// fails the whole read (pathInvalid), as JsonPath 2.0's filter lets that
// exception through. require is REQUIRE_PROPERTIES: several names select
// something only when all of them are there.
func readFilterPath(p *JSONPath, from, root any, require bool) (v any, found bool, err pathErr) {
	var out []any
	switch err := p.eval(0, from, &out, root); err {
	case pathOK:
	case pathNotFound: // the one exception a filter catches
		return nil, false, pathOK
	default:
		return nil, false, err
	}
	if len(out) == 0 {
		return nil, false, pathOK
	}
	if n := len(p.steps); require && n > 0 && p.steps[n-1].kind == stepProp && len(p.steps[n-1].names) != 1 {
		m, ok := out[0].(*vtl.Map)
		if !ok {
			return nil, false, pathOK
		}
		for _, name := range p.steps[n-1].names {
			if _, found := m.GetString(name); !found {
				return nil, false, pathOK
			}
		}
	}
	return out[0], true, pathOK
}

// compareFilter is JsonPath 2.0's comparison of a filter's value (the
// right side, expected) with the item's (model): ordering operators are
// false when exactly one side is null; a comparison Criteria.safeCompare
// cannot make is false, even for !=.
func compareFilter(op string, expected, model any) (bool, pathErr) {
	if op != "==" && op != "!=" && (expected == nil) != (model == nil) {
		return false, pathOK
	}
	c, comparable, err := safeCompare(expected, model)
	if err != pathOK || !comparable {
		return false, err
	}
	switch op {
	case "==":
		return c == 0, pathOK
	case "!=":
		return c != 0, pathOK
	case "<":
		return c > 0, pathOK // model < expected
	case "<=":
		return c >= 0, pathOK
	case ">":
		return c < 0, pathOK
	}
	return c <= 0, pathOK
}

// safeCompare is JsonPath 2.0's Criteria.safeCompare(expected, model): null
// and the string "null" are equal and below anything else; strings
// compare as Java strings; numbers, and a string with a number, compare as
// BigDecimals of their text (a string that is not a number fails the
// read, NumberFormatException); a string with a boolean as
// Boolean.valueOf; anything else is not comparable.
func safeCompare(expected, model any) (c int, comparable bool, err pathErr) {
	if sameObject(expected, model) {
		return 0, true, pathOK
	}
	en, mn := nullish(expected), nullish(model)
	switch {
	case en && mn:
		return 0, true, pathOK
	case en:
		return -1, true, pathOK
	case mn:
		return 1, true, pathOK
	}
	es, eStr := expected.(string)
	switch m := model.(type) {
	case string:
		if eStr {
			if strings.Contains(es, "'") {
				es = strings.ReplaceAll(es, `\'`, "'")
			}
			return compareUTF16(es, m), true, pathOK
		}
	case bool:
		if eStr {
			return compareBool(strings.EqualFold(es, "true"), m), true, pathOK
		}
		if eb, ok := expected.(bool); ok {
			return compareBool(eb, m), true, pathOK
		}
	default:
		mt, isNum := numberText(model)
		if !isNum {
			break
		}
		et, eNum := numberText(expected)
		if eStr {
			et, eNum = es, true
		}
		if !eNum {
			break
		}
		er, ok1 := decimalRat(et)
		mr, ok2 := decimalRat(mt)
		if !ok1 || !ok2 {
			return 0, false, pathNumberFormat
		}
		return er.Cmp(mr), true, pathOK
	}
	return 0, false, pathOK
}

// sameObject reports Java's == on two filter operands: the same list or
// map (a path on both sides can read one value twice).
func sameObject(a, b any) bool {
	switch x := a.(type) {
	case *vtl.Map:
		y, ok := b.(*vtl.Map)
		return ok && x == y
	case *vtl.List:
		y, ok := b.(*vtl.List)
		return ok && x == y
	}
	return false
}

func nullish(v any) bool { return v == nil || v == "null" }

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// compareUTF16 is Java's String.compareTo: by UTF-16 code units.
func compareUTF16(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := range min(len(ua), len(ub)) {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

// numberText is a number's Java toString, which JsonPath reads back as a
// BigDecimal; ok is false for values that are not numbers.
func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case *big.Int:
		return x.String(), true
	case float64:
		return vtl.FormatDouble(x), true
	case vtl.Decimal:
		return x.String(), true
	}
	return "", false
}

// decimalRat reads text as new BigDecimal(text) does; ok is false where
// Java throws NumberFormatException (NaN, Infinity, words).
func decimalRat(text string) (*big.Rat, bool) {
	d, ok := vtl.ParseDecimal(text)
	if !ok {
		return nil, false
	}
	r := new(big.Rat).SetInt(d.Unscaled)
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(d.Scale))), nil)
	if d.Scale >= 0 {
		return r.Quo(r, new(big.Rat).SetInt(p)), true
	}
	return r.Mul(r, new(big.Rat).SetInt(p)), true
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}
