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
	switch p.eval(0, doc, &out) {
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

func (p *JSONPath) eval(i int, v any, out *[]any) pathErr {
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
		for _, name := range st.names {
			x, found := m.Get(name)
			if !found {
				if leaf {
					return pathNotFound
				}
				continue
			}
			if err := p.eval(i+1, x, out); err != pathOK {
				return err
			}
		}
	case stepWild:
		switch x := v.(type) {
		case *vtl.Map:
			for _, e := range x.Values() {
				if err := p.eval(i+1, e, out); err != pathOK {
					return err
				}
			}
		case *vtl.List:
			for _, e := range x.Items {
				if err := p.eval(i+1, e, out); err == pathInvalid || err == pathTooMany {
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
			if err := p.eval(i+1, l.Items[n], out); err != pathOK {
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
			if err := p.eval(i+1, l.Items[n], out); err != pathOK {
				return err
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
		for _, e := range applyStep(st, v, nil) {
			if err := p.eval(i+1, e, out); err != pathOK {
				return err
			}
		}
	}
	return pathOK
}

func applyStep(st pathStep, v any, out []any) []any {
	switch st.kind {
	case stepFilter:
		items := []any{v}
		if l, ok := v.(*vtl.List); ok {
			items = l.Items
		}
		for _, it := range items {
			if st.filter.match(it) {
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

func (f *pathFilter) match(item any) bool {
	var found []any
	if f.path.eval(0, item, &found) != pathOK || len(found) == 0 {
		return false
	}
	res := found[0]
	if f.op == "" {
		return res != nil
	}
	if res == nil || f.value == nil {
		switch f.op {
		case "==":
			return res == nil && f.value == nil
		case "!=":
			return res != nil || f.value != nil
		}
		return false
	}
	lf, lnum := number(res)
	rf, rnum := number(f.value)
	if lnum && rnum {
		switch f.op {
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
		return false // JsonPath compares only numbers and strings
	}
	c := strings.Compare(ls, vtl.ToString(f.value))
	switch f.op {
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
