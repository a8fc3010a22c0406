package vtl

import (
	"fmt"
	"iter"
	"strings"
	"sync/atomic"
)

// Map is an insertion-ordered map with Java equality on keys, standing for
// java.util.LinkedHashMap. It is not safe for concurrent mutation. Small
// maps are searched linearly; an index is built once they grow.
//
// A map made by NewSourcedMap builds its entries on first use, so it is
// not safe for concurrent use at all, even for reading.
type Map struct {
	keys []any
	vals []any
	idx  map[mapKey]int // nil while the map is small
	// src supplies the entries while they are not built (see
	// NewSourcedMap); at is the map's position in it.
	src MapSource
	at  int
	// mods counts the keys a template added and removed (Java's
	// modCount), so that an iterator over the map fails once it changed;
	// writes counts those and the values replaced, so that a view of the
	// map (List.view) knows when to take its items afresh.
	mods, writes uint32
}

// MapSource supplies the entries of maps built on first use, such as the
// objects of a parsed document that a template may never read. Positions
// are the source's own.
type MapSource interface {
	// LookupMap returns the value stored under key in the map at position
	// at, with found false when there is none. When the value cannot be
	// given without building the map (a nested map or list, whose identity
	// the map must keep), build is true and v and found are unset. hint,
	// when not nil, is a position the source may keep to find the key
	// faster next time, in this map or another; renders of one template
	// share it, so it is read and written atomically.
	LookupMap(at int, key string, hint *int32) (v any, found, build bool)
	// LookupScalar is LookupMap for the values the renderer can use
	// unboxed (printed references, operands of comparisons and
	// conditions, string arguments of a StringCaller): it returns the
	// entry under key unboxed when it is a string, Integer or Double, so
	// that printing $item.name allocates nothing; ok is false for
	// anything else (including a missing key), which the renderer then
	// looks up with LookupMap. A source that never has such values
	// returns false.
	LookupScalar(at int, key string, hint *int32) (v Scalar, ok bool)
	// FillMap puts the entries of the map at position at into the empty
	// map m, in order, with Put.
	FillMap(at int, m *Map)
	// WriteJSON writes the map at position at, not built, as ToJSON
	// writes it built, at nesting depth depth (the map's own), so that
	// $input.json over a payload builds nothing.
	WriteJSON(at int, w JSONWriter, depth int)
}

// Scalar is an unboxed string, Integer or Double (see
// MapSource.LookupScalar).
type Scalar struct {
	kind scalarKind
	i    int32
	f    float64
	s    string // the string; for a number, its printed form when known (PrintsAs)
}

type scalarKind uint8

const (
	scalarString scalarKind = iota + 1
	scalarInteger
	scalarDouble
)

// StringScalar returns s as a Scalar.
func StringScalar(s string) Scalar { return Scalar{kind: scalarString, s: s} }

// IntegerScalar returns the Integer i as a Scalar.
func IntegerScalar(i int32) Scalar { return Scalar{kind: scalarInteger, i: i} }

// DoubleScalar returns the Double f as a Scalar.
func DoubleScalar(f float64) Scalar { return Scalar{kind: scalarDouble, f: f} }

// PrintsAs returns the number sc noted to print as text, so that printing
// it copies text instead of formatting the number. text must be exactly
// what the number prints as (ToString gives it), as a document's number
// token often is. It returns a string Scalar unchanged.
func (sc Scalar) PrintsAs(text string) Scalar {
	if sc.kind != scalarString {
		sc.s = text
	}
	return sc
}

// value returns the scalar boxed, as the map holds it once built.
func (s Scalar) value() any {
	switch s.kind {
	case scalarString:
		return s.s
	case scalarInteger:
		return s.i
	}
	return s.f
}

// NewSourcedMap returns a map whose entries src supplies on first use:
// looking up a string key asks src directly, ToJSON has src write the map,
// and any other use builds the map through src.FillMap once.
func NewSourcedMap(src MapSource, at int) *Map {
	return &Map{src: src, at: at}
}

// load builds the entries of a sourced map.
func (m *Map) load() {
	src := m.src
	m.src = nil
	src.FillMap(m.at, m)
}

// ents returns the keys and values, building them first if needed.
func (m *Map) ents() (keys, vals []any) {
	if m.src != nil {
		m.load()
	}
	return m.keys, m.vals
}

// smallMap is the size up to which lookups scan the keys.
const smallMap = 8

// NewMap returns an empty map.
func NewMap() *Map {
	return &Map{}
}

// writeOnceAt marks a write-once map in the at field, which only sourced
// maps use otherwise (with positions from 0).
const writeOnceAt = -1

// NewWriteOnceMap returns an empty map in which a template may set each
// key once: setting a key it holds already (#set, put, putAll) fails the
// render, as API Gateway fails a template that overrides the same
// parameter twice through $context.requestOverride or responseOverride.
// Go code may still Put freely.
func NewWriteOnceMap() *Map {
	return &Map{at: writeOnceAt}
}

// writeOnce reports whether m is a NewWriteOnceMap.
func (m *Map) writeOnce() bool { return m.src == nil && m.at == writeOnceAt }

// foldAt marks a NewHeaderMap in the at field.
const foldAt = -2

// NewHeaderMap returns a map of HTTP header names to values, filled from
// headers in order as Put fills a map (names that differ only in case
// stay apart). A string key that no entry holds exactly then finds the
// first entry whose key is the same name in another case, for every
// operation: get, containsKey, put, remove, $map.name and $map['name']
// alike, as http.Header does. Go's net/http hands header names over
// canonicalised (a client's x-api-key arrives as X-Api-Key), so a
// template written for API Gateway, where the map holds the names as the
// client sent them, finds them here in either spelling.
func NewHeaderMap(headers iter.Seq2[string, string]) *Map {
	m := &Map{}
	for name, value := range headers {
		m.Put(name, value)
	}
	m.at = foldAt
	return m
}

// errSetTwice is the failure of a second set of a write-once map's key.
func errSetTwice(key any) error {
	return fmt.Errorf("%s is set twice (a parameter may be overridden once)", ToString(key))
}

// checkOnce fails when m is write-once and holds key already.
func (m *Map) checkOnce(key any) error {
	if m.writeOnce() {
		if _, ok := m.Get(key); ok {
			return errSetTwice(key)
		}
	}
	return nil
}

// find returns the position of key, or -1.
func (m *Map) find(key any) int {
	budget := maxEqualsSteps
	return m.findWithin(key, &budget)
}

// findWithin is find for a comparison already under way: a collection key
// is compared within the same budget, so that a map holding itself as a
// key (whose equals Java never finishes) cannot recurse without end.
func (m *Map) findWithin(key any, budget *int) int {
	if m == nil {
		return -1
	}
	if m.src != nil {
		m.load()
	}
	if s, ok := key.(string); ok {
		return m.findString(s)
	}
	switch key.(type) {
	case *List, *Map, Entry:
		// A collection key is found by equals, as a HashMap finds it (by
		// a hashCode taken from its contents): scanned, as such keys are
		// rare.
		for i, k := range m.keys {
			if equalsWithin(k, key, budget) {
				return i
			}
		}
		return -1
	}
	if m.idx != nil {
		if i, ok := m.idx[keyOf(key)]; ok {
			return i
		}
		return -1
	}
	k := keyOf(key)
	for i, kk := range m.keys {
		if keyOf(kk) == k {
			return i
		}
	}
	return -1
}

// findString is find for a string key, without boxing it.
func (m *Map) findString(s string) int {
	if m == nil {
		return -1
	}
	if m.src != nil {
		m.load()
	}
	if m.idx != nil {
		if i, ok := m.idx[mapKey{1, s}]; ok {
			return i
		}
	} else {
		for i, k := range m.keys {
			if ks, ok := k.(string); ok && ks == s {
				return i
			}
		}
	}
	if m.src == nil && m.at == foldAt {
		for i, k := range m.keys {
			if ks, ok := k.(string); ok && strings.EqualFold(ks, s) {
				return i
			}
		}
	}
	return -1
}

// getHinted is GetString that tries position *hint first and records
// where the key was found. Keys are unique, so a match there is the match.
func (m *Map) getHinted(key string, hint *int32) any {
	if m == nil {
		return nil
	}
	if m.src != nil {
		if v, _, build := m.src.LookupMap(m.at, key, hint); !build {
			return v
		}
		m.load()
	}
	if h := int(atomic.LoadInt32(hint)); h < len(m.keys) {
		if ks, ok := m.keys[h].(string); ok && ks == key {
			return m.vals[h]
		}
	}
	i := m.findString(key)
	if i < 0 {
		return nil
	}
	atomic.StoreInt32(hint, int32(i))
	return m.vals[i]
}

// GetString is Get for a string key.
func (m *Map) GetString(key string) (any, bool) {
	if m != nil && m.src != nil {
		if v, found, build := m.src.LookupMap(m.at, key, nil); !build {
			return v, found
		}
		m.load()
	}
	if i := m.findString(key); i >= 0 {
		return m.vals[i], true
	}
	return nil, false
}

func (m *Map) reindex() {
	if len(m.keys) <= smallMap {
		m.idx = nil
		return
	}
	m.idx = make(map[mapKey]int, len(m.keys))
	for i, k := range m.keys {
		m.idx[keyOf(k)] = i
	}
}

// The read methods (Len, Get, Keys, Values, Range) accept a nil *Map as
// an empty map.

// Len returns the number of entries.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	if m.src != nil {
		m.load()
	}
	return len(m.keys)
}

// Get returns the value stored under key.
func (m *Map) Get(key any) (any, bool) {
	if s, ok := key.(string); ok {
		return m.GetString(s) // a sourced map answers without being built
	}
	if i := m.find(key); i >= 0 {
		return m.vals[i], true
	}
	return nil, false
}

// Put stores value under key, keeping the position of an existing key, and
// returns the previous value (nil when there was none). Put on a nil *Map
// does nothing.
func (m *Map) Put(key, value any) any {
	if m == nil {
		return nil
	}
	// find builds a sourced map.
	if i := m.find(key); i >= 0 {
		old := m.vals[i]
		m.vals[i] = value
		m.writes++
		return old
	}
	if m.keys == nil {
		m.keys, m.vals = make([]any, 0, 4), make([]any, 0, 4)
	}
	m.keys = append(m.keys, key)
	m.vals = append(m.vals, value)
	m.mods++
	m.writes++
	if m.idx != nil {
		m.idx[keyOf(key)] = len(m.keys) - 1
	} else if len(m.keys) > smallMap {
		m.reindex()
	}
	return nil
}

// Remove deletes key and returns its value (nil when absent).
func (m *Map) Remove(key any) any {
	i := m.find(key)
	if i < 0 {
		return nil
	}
	old := m.vals[i]
	m.keys = append(m.keys[:i:i], m.keys[i+1:]...)
	m.vals = append(m.vals[:i:i], m.vals[i+1:]...)
	m.mods++
	m.writes++
	m.reindex()
	return old
}

// Keys returns the keys in insertion order.
func (m *Map) Keys() []any {
	if m == nil {
		return nil
	}
	keys, _ := m.ents()
	return append([]any(nil), keys...)
}

// Range calls fn for each entry in insertion order until fn returns false.
func (m *Map) Range(fn func(key, value any) bool) {
	if m == nil {
		return
	}
	if m.src != nil {
		m.load()
	}
	for i := 0; i < len(m.keys); i++ {
		if !fn(m.keys[i], m.vals[i]) {
			return
		}
	}
}

// StringMap returns the entries whose keys are strings, for callers that
// read values back after rendering (such as $context.responseOverride).
func (m *Map) StringMap() map[string]any {
	if m.src != nil {
		m.load()
	}
	out := make(map[string]any, len(m.keys))
	for i, k := range m.keys {
		if s, ok := k.(string); ok {
			out[s] = m.vals[i]
		}
	}
	return out
}

func (m *Map) clear() {
	m.keys, m.vals, m.idx, m.src = nil, nil, nil, nil
	m.mods++
	m.writes++
}

// viewList returns m.keySet(), m.values() or m.entrySet(): a list of the
// map's keys, values or entries that, when iterated, takes them afresh
// and fails once the map changes (see List.view).
func (m *Map) viewList(of mapViewOf) *List {
	return &List{Kind: ArrayList, Items: m.viewItems(of), view: &mapView{m: m, writes: m.writes, of: of}}
}

// viewItems returns a copy of m's keys, values or entries.
func (m *Map) viewItems(of mapViewOf) []any {
	switch of {
	case viewKeys:
		return m.Keys()
	case viewValues:
		return m.Values()
	}
	return m.entries().Items
}

func (m *Map) entries() *List {
	if m.src != nil {
		m.load()
	}
	l := &List{Kind: ArrayList}
	for i := range m.keys {
		l.Items = append(l.Items, Entry{Key: m.keys[i], Value: m.vals[i], m: m})
	}
	return l
}

// Values returns the values in insertion order.
func (m *Map) Values() []any {
	if m == nil {
		return nil
	}
	_, vals := m.ents()
	return append([]any(nil), vals...)
}
