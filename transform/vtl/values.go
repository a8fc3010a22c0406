package vtl

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/gatewaykit/gateway/internal/sorted"
)

// Values seen by templates mirror the Java objects Velocity works with:
//
//	nil            null
//	string         java.lang.String
//	int32          java.lang.Integer
//	int64          java.lang.Long
//	*big.Int       java.math.BigInteger
//	float64        java.lang.Double
//	float32        java.lang.Float
//	Decimal        java.math.BigDecimal
//	bool           java.lang.Boolean
//	Char           java.lang.Character
//	*Map           java.util.LinkedHashMap (insertion order kept)
//	*List          java.util.ArrayList, json-smart JSONArray or String[]
//	Object         a host object with Java-like methods ($input, $util)
//
// Other Go values are converted by Normalize before rendering.

// Char is a Java char, as returned by String.charAt.
type Char rune

// ListKind selects how a List prints, matching the Java class it stands for.
type ListKind int

const (
	// ArrayList prints like java.util.ArrayList: "[a, b]".
	ArrayList ListKind = iota
	// JSONArray prints like json-smart's JSONArray: compact JSON "[\"a\",1]".
	JSONArray
	// StringArray stands for a Java String[] (the result of split); it
	// prints as an array identity, which templates should not rely on.
	StringArray
	// ByteArray stands for a Java byte[] (the result of getBytes).
	ByteArray
	// CharArray stands for a Java char[] (the result of toCharArray).
	CharArray
	// ObjectArray stands for a Java Object[] (the result of toArray).
	ObjectArray
)

// isArray reports whether lists of the kind stand for Java arrays: fixed
// in size, printed as an identity, without properties.
func (k ListKind) isArray() bool {
	return k == StringArray || k == ByteArray || k == CharArray || k == ObjectArray
}

// List is a mutable Java-like list. It is not safe for concurrent mutation;
// each render creates its own lists.
type List struct {
	Kind  ListKind
	Items []any
	// mods counts the changes of size and order a template made (Java's
	// modCount), so that an iterator fails on the list changed under it.
	mods uint32
	// view, when set, makes the list a map's keySet(), values() or
	// entrySet(); sub makes it a subList of another list.
	view *mapView
	sub  *subList
}

// subList is a view of part of an ArrayList, as ArrayList.subList gives:
// the list's items from offset, size of them, while the list has want
// changes; a change of the list not made through the view fails the
// view's next use (ConcurrentModificationException).
type subList struct {
	root         *List
	parent       *subList // the subList this one was taken from, if any
	offset, size int      // in root
	want         uint32
}

// changed records a change of size by delta made through the view s: it
// and the views it was taken from follow the list, as Java's
// SubList.updateSizeAndModCount does.
func (s *subList) changed(delta int) {
	for v := s; v != nil; v = v.parent {
		v.size += delta
		v.want = s.root.mods
	}
}

// refresh takes a subList's items afresh from its list, failing when
// the list changed under it.
func (s *subList) refresh(l *List) error {
	if s.root.mods != s.want || s.offset+s.size > len(s.root.Items) {
		return errConcurrentModification
	}
	l.Items = append(l.Items[:0:0], s.root.Items[s.offset:s.offset+s.size]...)
	return nil
}

// mapView is a view of a map: its keys, values or entries (of), as the map
// was after writes changes; reading the list takes them afresh once the
// map changed.
type mapView struct {
	m      *Map
	writes uint32
	of     mapViewOf
}

// mapViewOf selects what a view of a map lists.
type mapViewOf uint8

const (
	viewKeys mapViewOf = iota
	viewValues
	viewEntries
)

// NewList returns a list of the given kind holding items.
func NewList(kind ListKind, items ...any) *List {
	return &List{Kind: kind, Items: items}
}

// iterator is a java.util.Iterator over a list's items, as
// list.iterator() and map.keySet().iterator() give and #foreach uses,
// with Java's rules for a collection changed while it is iterated: an
// ArrayList's iterator reads the list as it is at each step and has a next
// item while its cursor is not the list's size; a map's iterator found its
// next entry when it gave the last one; either fails with
// ConcurrentModificationException when it gives an item after the list or
// map changed size or order (mods) since the iterator was made.
type iterator struct {
	list  *List   // an ArrayList's own iterator; nil for arrays and maps
	items []any   // the items of an array or a map's view
	m     *Map    // the map of a view's iterator, which remove changes
	sub   *List   // the subList of a subList's iterator, which remove changes
	keys  []any   // the keys of m, as items are its keys, values or entries
	mods  *uint32 // the modification count to watch, or nil
	want  uint32  // *mods when the iterator was made
	next  int
	last  int    // the position of the item next gave last; -1 when none
	class string // the Java class it stands for
}

var (
	errConcurrentModification = errors.New("ConcurrentModificationException")
	errNoSuchElement          = errors.New("NoSuchElementException")
	errIllegalState           = errors.New("IllegalStateException")
)

// iterate returns an iterator over v, a list, a map's values or an
// iterator itself; ok is false when v cannot be iterated. A new iterator
// is made in *fresh.
func iterate(v any, fresh *iterator) (it *iterator, ok bool) {
	switch x := v.(type) {
	case *List:
		*fresh = x.iterator()
	case *Map:
		_, vals := x.ents()
		*fresh = iterator{items: vals, mods: &x.mods, want: x.mods, last: -1, class: "java.util.LinkedHashMap$LinkedValueIterator"}
	case *iterator:
		return x, true
	default:
		return nil, false
	}
	return fresh, true
}

// iterator returns l.iterator().
func (l *List) iterator() iterator {
	switch {
	case l.sub != nil:
		_ = l.sub.refresh(l) // a stale view fails at the iterator's first next()
		return iterator{items: l.Items, sub: l, mods: &l.sub.root.mods, want: l.sub.want, last: -1, class: "java.util.ArrayList$SubList$1"}
	case l.view != nil:
		l.refresh()
		m := l.view.m
		class := [...]string{viewKeys: "java.util.LinkedHashMap$LinkedKeyIterator", viewValues: "java.util.LinkedHashMap$LinkedValueIterator", viewEntries: "java.util.LinkedHashMap$LinkedEntryIterator"}[l.view.of]
		return iterator{items: l.Items, m: m, keys: m.Keys(), mods: &m.mods, want: m.mods, last: -1, class: class}
	case l.Kind.isArray():
		return iterator{items: l.Items, last: -1, class: "org.apache.velocity.util.ArrayIterator"}
	}
	return iterator{list: l, mods: &l.mods, want: l.mods, last: -1, class: "java.util.ArrayList$Itr"}
}

// refresh takes a map view's items afresh when the map has changed since.
func (l *List) refresh() {
	v := l.view
	if v.m.writes == v.writes {
		return
	}
	l.Items, v.writes = v.m.viewItems(v.of), v.m.writes
}

// hasNext is Iterator.hasNext.
func (it *iterator) hasNext() bool {
	if it.list != nil {
		return it.next != len(it.list.Items)
	}
	return it.next < len(it.items)
}

// nextItem is Iterator.next.
func (it *iterator) nextItem() (any, error) {
	if it.mods != nil && *it.mods != it.want {
		return nil, errConcurrentModification
	}
	items := it.items
	if it.list != nil {
		items = it.list.Items
	}
	if it.next >= len(items) {
		return nil, errNoSuchElement
	}
	it.last = it.next
	it.next++
	return items[it.last], nil
}

// remove is Iterator.remove: it removes the item next gave last from the
// list or map (an array's iterator cannot).
func (it *iterator) remove() error {
	switch {
	case it.last < 0:
		return errIllegalState
	case it.mods != nil && *it.mods != it.want:
		return errConcurrentModification
	case it.list != nil:
		l := it.list
		l.Items = append(l.Items[:it.last:it.last], l.Items[it.last+1:]...)
		l.mods++
		it.next = it.last
	case it.m != nil:
		it.m.Remove(it.keys[it.last])
	case it.sub != nil:
		s, root := it.sub.sub, it.sub.sub.root
		at := s.offset + it.last
		root.Items = append(root.Items[:at:at], root.Items[at+1:]...)
		root.mods++
		s.changed(-1)
		it.items = append(it.items[:it.last:it.last], it.items[it.last+1:]...)
		it.next = it.last
	default:
		return errUnsupportedOp
	}
	it.last = -1
	it.want = *it.mods
	return nil
}

// Entry is a map entry, as iterated from Map.entrySet(). An entry taken
// from a map reads its value from the map while the map holds its key, as
// a LinkedHashMap entry is the map's own node; Value is the value it had
// when taken.
type Entry struct {
	Key, Value any
	m          *Map
}

// current returns the entry's value as the map holds it now.
func (e Entry) current() any {
	if e.m != nil {
		if v, ok := e.m.Get(e.Key); ok {
			return v
		}
	}
	return e.Value
}

// Object is implemented by host values that templates call methods on, such
// as API Gateway's $input and $util. Velocity resolves $obj.name as
// getName(), then getname(), then get("name"), then isName(); each of those
// reaches CallMethod with the method name and arguments.
type Object interface {
	// CallMethod invokes the named method. ok is false when the object has no
	// such method for these arguments (the reference is then null); err is a
	// failure of the method itself and aborts rendering. The renderer reuses
	// the args slice after the call returns: CallMethod may keep the values
	// but must not keep or modify the slice itself.
	CallMethod(name string, args []any) (result any, ok bool, err error)
}

// ParameterlessMethods is implemented by an Object that has methods
// without parameters beside others of the same name (as $input.params()
// beside params(String)). Velocity 1.7 takes the method without
// parameters for a call whose arguments fit no other, and the call then
// fails (wrong number of arguments), as it does for the Java classes
// templates see; an Object tells which names have such a method.
type ParameterlessMethods interface {
	Object
	HasParameterless(name string) bool
}

// StringCaller may be implemented by an Object whose methods take one
// string and return one, such as $util.escapeJavaScript: a printed call
// like $util.escapeJavaScript($item.name) then passes the argument and
// prints the result without boxing either. CallString must give what
// CallMethod gives for the same call; ok false sends the call to
// CallMethod.
type StringCaller interface {
	Object
	CallString(name, arg string) (result string, ok bool)
}

// javaClass is the value of $x.class / $x.getClass().
type javaClass struct{ name string }

// Normalize converts common Go values into template values: ints become
// Integer or Long, a float32 is a Float, []any and []string become
// JSON-style lists, map[string]any and map[string]string become maps with
// sorted keys (Go maps have no order; use *Map to keep one).
func Normalize(v any) any {
	v = nilIfTypedNil(v)
	switch x := v.(type) {
	case nil, string, int32, int64, *big.Int, float64, float32, Decimal, bool, Char, *Map, *List, Entry, Object, javaClass:
		return v
	case int:
		return narrowInt64(int64(x))
	case int8:
		return int32(x)
	case int16:
		return int32(x)
	case uint8:
		return int32(x)
	case uint16:
		return int32(x)
	case uint32:
		return narrowInt64(int64(x))
	case uint:
		if uint64(x) > math.MaxInt64 {
			return new(big.Int).SetUint64(uint64(x))
		}
		return narrowInt64(int64(x))
	case uint64:
		if x > math.MaxInt64 {
			return new(big.Int).SetUint64(x)
		}
		return narrowInt64(int64(x))
	case []any:
		l := &List{Kind: JSONArray, Items: make([]any, len(x))}
		for i, e := range x {
			l.Items[i] = Normalize(e)
		}
		return l
	case []string:
		l := &List{Kind: JSONArray, Items: make([]any, len(x))}
		for i, e := range x {
			l.Items[i] = e
		}
		return l
	case map[string]any:
		m := NewMap()
		for _, k := range sorted.Keys(x) {
			m.Put(k, Normalize(x[k]))
		}
		return m
	case map[string]string:
		m := NewMap()
		for _, k := range sorted.Keys(x) {
			m.Put(k, x[k])
		}
		return m
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func narrowInt64(v int64) any {
	if v >= math.MinInt32 && v <= math.MaxInt32 {
		return int32(v)
	}
	return v
}

// narrowBig returns Integer (when allowed), Long or BigInteger.
func narrowBig(b *big.Int, allowInt bool) any {
	if b.IsInt64() {
		v := b.Int64()
		if allowInt {
			return narrowInt64(v)
		}
		return v
	}
	return b
}

// mapKey identifies a key with Java equals semantics: Integer 1, Long 1 and
// "1" are three different keys.
type mapKey struct {
	kind byte
	s    string
}

func keyOf(k any) mapKey {
	switch x := k.(type) {
	case nil:
		return mapKey{0, ""}
	case string:
		return mapKey{1, x}
	case int32:
		return mapKey{2, strconv.FormatInt(int64(x), 10)}
	case int64:
		return mapKey{3, strconv.FormatInt(x, 10)}
	case *big.Int:
		return mapKey{4, x.String()}
	case float64:
		return mapKey{5, strconv.FormatFloat(x, 'g', -1, 64)}
	case float32:
		return mapKey{10, strconv.FormatFloat(float64(x), 'g', -1, 32)}
	case bool:
		return mapKey{6, strconv.FormatBool(x)}
	case Char:
		return mapKey{7, string(rune(x))}
	case Decimal:
		return mapKey{9, x.String()}
	}
	return mapKey{8, fmt.Sprintf("%T/%p", k, k)}
}

// nilIfTypedNil turns nil *Map and *List pointers into plain nil, so that
// they behave as Java null instead of failing.
func nilIfTypedNil(v any) any {
	switch x := v.(type) {
	case *Map:
		if x == nil {
			return nil
		}
	case *List:
		if x == nil {
			return nil
		}
	}
	return v
}
