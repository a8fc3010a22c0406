package transform

import (
	"fmt"
	"strings"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// Read applies the path to a parsed document (see ParseJSON). A definite
// path that matches nothing gives nil; an indefinite one gives a list. Where
// JsonPath 2.0 throws (a missing leaf property, a property of a non-object,
// an index out of range, an index on a non-array), the result is nil, as
// API Gateway's $input.path gives null; a wildcard over an array skips the
// elements that throw "not found".
//
// Read fails only when the path selects more than MaxPathResults values,
// which hostile paths such as "$..*..*..*" can do on large payloads.
func (p *JSONPath) Read(doc any) (any, error) {
	var out []any
	switch p.eval(0, doc, &out, doc) {
	case pathTooMany:
		return nil, fmt.Errorf("JSONPath %q selects more than %d values", p.src, MaxPathResults)
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
	pathTooMany // not JsonPath's: the result limit was reached
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
	case stepProp:
		m, ok := v.(*vtl.Map)
		if !ok {
			return pathNotFound
		}
		if leaf && len(st.names) > 1 {
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
				if leaf {
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
			for _, e := range x.Items {
				if err := p.eval(i+1, e, out, root); err == pathInvalid || err == pathTooMany {
					return err
				}
			}
		}
	case stepIndex:
		l, ok := v.(*vtl.List)
		if !ok {
			return pathInvalid
		}
		for _, n := range st.indexes {
			if n < 0 || n >= len(l.Items) {
				return pathNotFound
			}
			if err := p.eval(i+1, l.Items[n], out, root); err != pathOK {
				return err
			}
		}
	case stepSlice:
		l, ok := v.(*vtl.List)
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
				if in.kind == stepIndex {
					for _, k := range in.indexes {
						if k >= 0 && k < len(l.Items) {
							picked = append(picked, l.Items[k])
						}
					}
				} else if lo, hi, err := sliceBounds(*in, len(l.Items)); err == pathOK {
					picked = l.Items[lo:hi]
				}
			case stepFilter:
				switch n.(type) {
				case *vtl.List, *vtl.Map:
					picked = applyStep(*in, n, nil, root)
				}
			}
			for _, e := range picked {
				if err := p.eval(i+1, e, out, root); err != pathOK {
					return err
				}
			}
		}
	case stepDeep, stepFilter:
		if st.kind == stepFilter {
			switch v.(type) {
			case *vtl.List, *vtl.Map:
			default:
				return pathInvalid
			}
		}
		for _, e := range applyStep(st, v, nil, root) {
			if err := p.eval(i+1, e, out, root); err != pathOK {
				return err
			}
		}
	}
	return pathOK
}

func applyStep(st pathStep, v any, out []any, root any) []any {
	switch st.kind {
	case stepFilter:
		items := []any{v}
		if l, ok := v.(*vtl.List); ok {
			items = l.Items
		}
		for _, it := range items {
			if st.filter.match(it, root) {
				out = append(out, it)
			}
		}
	case stepDeep:
		out = deepScan(st.names[0], v, out, 0)
	}
	return out
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

func deepScan(name string, v any, out []any, depth int) []any {
	if depth > maxJSONDepth || len(out) > MaxPathResults {
		return out
	}
	var children []any
	switch x := v.(type) {
	case *vtl.Map:
		if name != "" {
			if e, ok := x.Get(name); ok {
				out = append(out, e)
			}
		}
		x.Range(func(_, e any) bool { children = append(children, e); return true })
	case *vtl.List:
		children = x.Items
	default:
		return out
	}
	if name == "" {
		out = append(out, children...)
	}
	for _, e := range children {
		out = deepScan(name, e, out, depth+1)
	}
	return out
}

// match reports whether item passes the filter; root is the document,
// which $ paths in the filter read.
func (f *pathFilter) match(item, root any) bool {
	switch {
	case f.or != nil:
		for _, g := range f.or {
			if g.match(item, root) {
				return true
			}
		}
		return false
	case f.and != nil:
		for _, g := range f.and {
			if !g.match(item, root) {
				return false
			}
		}
		return true
	}
	res, exists := f.operand(f.path, item, root)
	if f.op == "" {
		// [?(@.x)] keeps items where x is there; [?(!@.x)] where it is not.
		return (exists && res != nil) != f.not
	}
	if !exists {
		return false
	}
	if f.re != nil {
		s, isStr := res.(string)
		return isStr && f.re.MatchString(s)
	}
	value := f.value
	if f.valuePath != nil {
		var ok bool
		if value, ok = f.operand(f.valuePath, item, root); !ok {
			return false
		}
	}
	return compareFilter(f.op, res, value)
}

// operand evaluates a filter's path against item (@) or root ($).
func (f *pathFilter) operand(p *JSONPath, item, root any) (any, bool) {
	from := item
	if strings.HasPrefix(p.src, "$") {
		from = root
	}
	var found []any
	if p.eval(0, from, &found, root) != pathOK || len(found) == 0 {
		return nil, false
	}
	return found[0], true
}

// compareFilter compares as JsonPath 2.0 does: numbers as numbers,
// strings and booleans with their own kind, null with null; values of
// different kinds are unequal and unordered.
func compareFilter(op string, res, value any) bool {
	if res == nil || value == nil {
		switch op {
		case "==":
			return res == nil && value == nil
		case "!=":
			return res != nil || value != nil
		}
		return false
	}
	if lb, ok := res.(bool); ok {
		rb, ok := value.(bool)
		switch op {
		case "==":
			return ok && lb == rb
		case "!=":
			return !ok || lb != rb
		}
		return false
	}
	lf, lnum := number(res)
	rf, rnum := number(value)
	if lnum && rnum {
		switch op {
		case "==":
			return lf == rf
		case "!=":
			return lf != rf
		case "<":
			return lf < rf
		case "<=":
			return lf <= rf
		case ">":
			return lf > rf
		}
		return lf >= rf
	}
	ls, isStr := res.(string)
	if !isStr {
		return op == "!=" // JsonPath compares only numbers, strings and booleans
	}
	c := strings.Compare(ls, vtl.ToString(value))
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case vtl.Decimal:
		return x.Float64(), true
	}
	return 0, false
}
