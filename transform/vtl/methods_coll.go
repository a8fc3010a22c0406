package vtl

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
)

var (
	errUnsupportedOp = errors.New("UnsupportedOperationException")
	errNullArg       = errors.New("NullPointerException: null argument")
)

// listMethod implements java.util.List methods (ArrayList, JSONArray and
// the read-only view Velocity gives arrays).
// functionalMethod answers the methods that take a Java lambda (forEach,
// removeIf, replaceAll, computeIfAbsent...): a template cannot write one,
// so null fails as Java's requireNonNull does and anything else finds no
// such method.
func functionalMethod(name string, args []any) (any, bool, error) {
	switch name {
	case "forEach", "removeIf", "replaceAll", "computeIfAbsent", "computeIfPresent", "compute", "merge":
		for _, a := range args {
			if a == nil {
				return nil, true, errors.New("NullPointerException")
			}
		}
		return nil, false, nil
	}
	return nil, false, nil
}

func listMethod(l *List, name string, args []any) (any, bool, error) {
	if res, ok, err := functionalMethod(name, args); ok {
		return res, ok, err
	}
	if l.sub != nil {
		return subListMethod(l, name, args)
	}
	if l.view != nil {
		if res, ok, err, done := viewMethod(l, name, args); done {
			return res, ok, err
		}
		l.refresh()
	}
	n := len(l.Items)
	fixed := l.Kind.isArray()
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return int32(n), true, nil
		case "iterator", "listIterator":
			it := l.iterator()
			if name == "listIterator" {
				it.class = "java.util.ArrayList$ListItr"
			}
			return &it, true, nil
		case "toArray":
			return &List{Kind: ObjectArray, Items: append([]any(nil), l.Items...)}, true, nil
		case "clone":
			if fixed {
				break // an array's clone() is not public to Velocity
			}
			return &List{Kind: l.Kind, Items: append([]any(nil), l.Items...)}, true, nil
		case "isEmpty":
			return n == 0, true, nil
		case "trimToSize":
			if fixed {
				break
			}
			l.mods++ // ArrayList.trimToSize counts as a change
			return "", true, nil
		case "clear":
			if fixed {
				return nil, true, errUnsupportedOp
			}
			l.Items = nil
			l.mods++
			return "", true, nil
		case "toJSONString":
			if l.Kind == JSONArray {
				s, err := ToJSONChecked(l)
				if err != nil {
					return nil, true, err
				}
				return s, true, nil
			}
		}
	case 1:
		a := args[0]
		switch name {
		case "get":
			i, ok := argInt(a)
			if !ok {
				return nil, false, nil
			}
			if i < 0 || i >= n {
				return nil, true, errIndex(i, n)
			}
			return l.Items[i], true, nil
		case "contains":
			return indexOfValue(l.Items, a) >= 0, true, nil
		case "listIterator":
			i, ok := argInt(a)
			if !ok {
				return nil, false, nil
			}
			if i < 0 || i > n {
				return nil, true, fmt.Errorf("IndexOutOfBoundsException: Index: %d", i)
			}
			it := l.iterator()
			it.next, it.class = i, "java.util.ArrayList$ListItr"
			return &it, true, nil
		case "indexOf":
			return int32(indexOfValue(l.Items, a)), true, nil
		case "lastIndexOf":
			for i := n - 1; i >= 0; i-- {
				if javaEquals(l.Items[i], a) {
					return int32(i), true, nil
				}
			}
			return int32(-1), true, nil
		case "add":
			if fixed {
				return nil, true, errUnsupportedOp
			}
			l.Items = append(l.Items, a)
			l.mods++
			return true, true, nil
		case "addAll":
			if a == nil {
				return nil, true, errNullArg
			}
			other, ok := a.(*List)
			if !ok {
				return nil, false, nil
			}
			if fixed {
				return nil, true, errUnsupportedOp
			}
			if n+len(other.Items) > maxRangeSize {
				return nil, true, errListTooLarge(n + len(other.Items))
			}
			l.Items = append(l.Items, other.Items...)
			l.mods++ // even when other is empty, as ArrayList.addAll counts
			return len(other.Items) > 0, true, nil
		case "removeAll", "retainAll":
			if a == nil {
				return nil, true, errNullArg
			}
			other, ok := a.(*List)
			if !ok {
				return nil, false, nil
			}
			keep := l.Items[:0:0]
			for _, e := range l.Items {
				if (indexOfValue(other.Items, e) >= 0) == (name == "retainAll") {
					keep = append(keep, e)
				}
			}
			if len(keep) == n {
				return false, true, nil
			}
			if fixed {
				return nil, true, errUnsupportedOp
			}
			l.Items = keep
			l.mods++
			return true, true, nil
		case "sort":
			if a != nil {
				return nil, false, nil // a Comparator: none can be written in a template
			}
			if err := sortNatural(l.Items); err != nil {
				return nil, true, err
			}
			if !fixed {
				l.mods++ // ArrayList.sort counts, sorted or not
			}
			return "", true, nil
		case "containsAll":
			if a == nil {
				return nil, true, errNullArg
			}
			other, ok := a.(*List)
			if !ok {
				return nil, false, nil
			}
			for _, e := range other.Items {
				if indexOfValue(l.Items, e) < 0 {
					return false, true, nil
				}
			}
			return true, true, nil
		case "remove":
			if fixed {
				return nil, true, errUnsupportedOp
			}
			if i, ok := argInt(a); ok {
				if i < 0 || i >= n {
					return nil, true, errIndex(i, n)
				}
				old := l.Items[i]
				l.Items = append(l.Items[:i:i], l.Items[i+1:]...)
				l.mods++
				return old, true, nil
			}
			if i := indexOfValue(l.Items, a); i >= 0 {
				l.Items = append(l.Items[:i:i], l.Items[i+1:]...)
				l.mods++
				return true, true, nil
			}
			return false, true, nil
		}
	case 2:
		i, ok := argInt(args[0])
		if !ok {
			return nil, false, nil
		}
		switch name {
		case "set":
			if i < 0 || i >= n {
				return nil, true, errIndex(i, n)
			}
			old := l.Items[i]
			l.Items[i] = args[1]
			return old, true, nil
		case "add":
			if fixed {
				return nil, true, errUnsupportedOp
			}
			if i < 0 || i > n {
				return nil, true, errIndex(i, n)
			}
			l.Items = append(l.Items[:i:i], append([]any{args[1]}, l.Items[i:]...)...)
			l.mods++
			return "", true, nil
		case "addAll":
			if args[1] == nil {
				return nil, true, errNullArg
			}
			other, ok := args[1].(*List)
			if !ok {
				return nil, false, nil
			}
			if fixed {
				return nil, true, errUnsupportedOp
			}
			if i < 0 || i > n {
				return nil, true, errIndex(i, n)
			}
			if n+len(other.Items) > maxRangeSize {
				return nil, true, errListTooLarge(n + len(other.Items))
			}
			l.Items = append(l.Items[:i:i], append(append([]any(nil), other.Items...), l.Items[i:]...)...)
			l.mods++
			return len(other.Items) > 0, true, nil
		case "subList":
			j, ok := argInt(args[1])
			if !ok {
				return nil, false, nil
			}
			if i < 0 || j > n || i > j {
				return nil, true, errIndex(j, n)
			}
			sub := &List{Kind: ArrayList, Items: append([]any(nil), l.Items[i:j]...)}
			if !fixed && l.view == nil {
				sub.sub = &subList{root: l, offset: int(i), size: int(j - i), want: l.mods}
			}
			return sub, true, nil
		}
	}
	return nil, false, nil
}

func indexOfValue(items []any, v any) int {
	for i, e := range items {
		if javaEquals(e, v) {
			return i
		}
	}
	return -1
}

// mapMethod implements java.util.Map methods of LinkedHashMap.
// hashesKey names the Map methods that hash their first argument.
var hashesKey = map[string]bool{
	"get": true, "containsKey": true, "remove": true, "put": true, "putIfAbsent": true, "getOrDefault": true,
	"replace": true, "merge": true, "compute": true, "computeIfAbsent": true, "computeIfPresent": true,
}

func mapMethod(m *Map, name string, args []any) (any, bool, error) {
	if res, ok, err := functionalMethod(name, args); ok {
		return res, ok, err
	}
	if len(args) > 0 {
		switch args[0].(type) {
		case *List, *Map:
			// LinkedHashMap hashes the key first: a collection that holds
			// itself overflows Java's stack there.
			if hashesKey[name] {
				if _, _, err := javaHash(args[0]); err != nil {
					return nil, true, err
				}
			}
		}
	}
	switch len(args) {
	case 0:
		switch name {
		case "clone": // a shallow copy, as LinkedHashMap.clone
			c := NewMap()
			m.Range(func(k, v any) bool {
				c.Put(k, v)
				return true
			})
			return c, true, nil
		case "size":
			return int32(m.Len()), true, nil
		case "isEmpty":
			return m.Len() == 0, true, nil
		case "keySet":
			return m.viewList(viewKeys), true, nil
		case "values":
			return m.viewList(viewValues), true, nil
		case "entrySet":
			return m.viewList(viewEntries), true, nil
		case "clear":
			m.clear()
			return "", true, nil
		}
	case 1:
		a := args[0]
		switch name {
		case "get":
			v, _ := m.Get(a)
			return v, true, nil
		case "containsKey":
			_, ok := m.Get(a)
			return ok, true, nil
		case "containsValue":
			_, vals := m.ents()
			return indexOfValue(vals, a) >= 0, true, nil
		case "remove":
			return m.Remove(a), true, nil
		case "putAll":
			if a == nil {
				return nil, true, errNullArg
			}
			other, ok := a.(*Map)
			if !ok {
				return nil, false, nil
			}
			var err error
			other.Range(func(k, v any) bool {
				if err = m.checkOnce(k); err != nil {
					return false
				}
				m.Put(k, v)
				return true
			})
			return "", true, err
		}
	case 2:
		switch name {
		case "put":
			if err := m.checkOnce(args[0]); err != nil {
				return nil, true, err
			}
			return m.Put(args[0], args[1]), true, nil
		case "getOrDefault":
			if v, ok := m.Get(args[0]); ok {
				return v, true, nil
			}
			return args[1], true, nil
		case "remove":
			if v, ok := m.Get(args[0]); ok && javaEquals(v, args[1]) {
				m.Remove(args[0])
				return true, true, nil
			}
			return false, true, nil
		case "replace":
			if _, ok := m.Get(args[0]); ok {
				return m.Put(args[0], args[1]), true, nil
			}
			return nil, true, nil
		case "putIfAbsent":
			if v, ok := m.Get(args[0]); ok && v != nil {
				return v, true, nil
			}
			m.Put(args[0], args[1])
			return nil, true, nil
		}
	case 3:
		if name == "replace" {
			if v, ok := m.Get(args[0]); ok && javaEquals(v, args[1]) {
				m.Put(args[0], args[2])
				return true, true, nil
			}
			return false, true, nil
		}
	}
	return nil, false, nil
}

// errListTooLarge refuses a list grown past the size a range may have.
func errListTooLarge(n int) error {
	return fmt.Errorf("a list of %d elements is too large: %w", n, ErrOutputLimit)
}

// subListMethod runs a List method on a subList: on the items taken
// afresh from its list, then written back into the list, which counts a
// change of size or order as its own.
func subListMethod(l *List, name string, args []any) (any, bool, error) {
	s := l.sub
	if err := s.refresh(l); err != nil {
		return nil, true, err
	}
	switch name {
	case "subList": // a view of the view is one of the same list
		res, ok, err := listMethod(&List{Kind: ArrayList, Items: l.Items, mods: s.root.mods}, name, args)
		if inner, isList := res.(*List); isList && inner.sub != nil {
			inner.sub = &subList{root: s.root, parent: s, offset: s.offset + inner.sub.offset, size: inner.sub.size, want: s.root.mods}
		}
		return res, ok, err
	case "iterator", "listIterator":
		it := l.iterator() // over the view, so that remove changes the list
		if len(args) == 1 {
			i, isInt := argInt(args[0])
			if !isInt {
				return nil, false, nil
			}
			if i < 0 || int(i) > len(l.Items) {
				return nil, true, fmt.Errorf("IndexOutOfBoundsException: Index: %d", i)
			}
			it.next = int(i)
		} else if len(args) > 1 {
			return nil, false, nil
		}
		return &it, true, nil
	case "trimToSize", "ensureCapacity", "clone":
		return nil, false, nil // ArrayList's own: a SubList has none
	}
	tmp := &List{Kind: ArrayList, Items: l.Items}
	res, ok, err := listMethod(tmp, name, args)
	if tmp.mods != 0 || name == "set" || name == "sort" {
		root := s.root
		items := make([]any, 0, len(root.Items)-s.size+len(tmp.Items))
		items = append(items, root.Items[:s.offset]...)
		items = append(items, tmp.Items...)
		root.Items = append(items, root.Items[s.offset+s.size:]...)
		// A change of size counts as the list's own; sort, which a
		// SubList does through set, does not.
		if tmp.mods != 0 && name != "sort" {
			root.mods++
		}
		s.changed(len(tmp.Items) - s.size)
		l.Items = append(l.Items[:0:0], tmp.Items...)
	}
	return res, ok, err
}

// viewMethod implements the methods through which a map's keySet(),
// values() or entrySet() changes the map: adding fails, and removing a
// key, a value, an entry, those in or not in a collection, or everything
// removes entries from the map; List methods that a Set or Collection
// lacks are not found. done is false for the other methods, which only
// read the view's items (taken afresh from the map by the caller). No
// method changes the items themselves, so they stay in step with the
// map's keys (see List.iterator).
func viewMethod(l *List, name string, args []any) (res any, ok bool, err error, done bool) {
	m := l.view.m
	switch {
	case name == "add" || name == "addAll":
		return nil, true, errUnsupportedOp, true
	case name == "set" || name == "sort" || name == "get" || name == "subList" || name == "indexOf" ||
		name == "lastIndexOf" || name == "listIterator" || name == "trimToSize" || name == "clone":
		return nil, false, nil, true
	case name == "clear" && len(args) == 0:
		m.clear()
		return "", true, nil, true
	case name == "remove" && len(args) == 1:
		l.refresh()
		i := indexOfValue(l.Items, args[0])
		if i >= 0 {
			keys, _ := m.ents()
			m.Remove(keys[i])
		}
		return i >= 0, true, nil, true
	case (name == "removeAll" || name == "retainAll") && len(args) == 1:
		if args[0] == nil {
			return nil, true, errNullArg, true
		}
		other, isList := args[0].(*List)
		if !isList {
			return nil, false, nil, true // not a Collection: no such method
		}
		l.refresh()
		keys := m.Keys()
		var drop []any
		for i, item := range l.Items {
			if (indexOfValue(other.Items, item) >= 0) == (name == "removeAll") {
				drop = append(drop, keys[i])
			}
		}
		for _, k := range drop {
			m.Remove(k)
		}
		return len(drop) > 0, true, nil, true
	}
	return nil, false, nil, false
}

// iteratorMethod implements java.util.Iterator.
func iteratorMethod(it *iterator, name string, args []any) (any, bool, error) {
	if len(args) != 0 {
		return nil, false, nil
	}
	switch name {
	case "hasNext":
		return it.hasNext(), true, nil
	case "next":
		v, err := it.nextItem()
		return v, true, err
	case "remove":
		return "", true, it.remove()
	}
	return nil, false, nil
}

// sortNatural is List.sort(null): Comparable elements in their natural
// order (strings by UTF-16 units, numbers of one class by value); any
// other mix fails as Java's ClassCastException.
func sortNatural(items []any) error {
	var err error
	slices.SortStableFunc(items, func(a, b any) int {
		c, ok := naturalCompare(a, b)
		if !ok && err == nil {
			err = fmt.Errorf("ClassCastException: class %s cannot be cast to class %s", typeName(a), typeName(b))
		}
		return c
	})
	return err
}

// naturalCompare is a.compareTo(b) for two values of one Comparable class.
func naturalCompare(a, b any) (int, bool) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return int(compareU16(u16(x), u16(y))), true
		}
	case int32:
		if y, ok := b.(int32); ok {
			return cmp.Compare(x, y), true
		}
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y), true
		}
	case float64:
		if y, ok := b.(float64); ok {
			return javaDoubleCompare(x, y), true
		}
	case float32:
		if y, ok := b.(float32); ok {
			return javaDoubleCompare(float64(x), float64(y)), true
		}
	case *big.Int:
		if y, ok := b.(*big.Int); ok {
			return x.Cmp(y), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp.Compare(boolInt(x), boolInt(y)), true
		}
	case Char:
		if y, ok := b.(Char); ok {
			return cmp.Compare(x, y), true
		}
	}
	return 0, false
}

// javaDoubleCompare is Double.compare: -0.0 before 0.0, NaN after all.
func javaDoubleCompare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	ab, bb := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if a != a {
		ab = 0x7ff8000000000000
	}
	if b != b {
		bb = 0x7ff8000000000000
	}
	return cmp.Compare(ab, bb)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
