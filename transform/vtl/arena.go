package vtl

// Arena allocates maps and lists in blocks, for parsers that build many
// small values at once (such as a JSON payload). The values it returns are
// ordinary *Map and *List values; a block stays in memory while any value
// carved from it is reachable. The zero Arena is ready to use. An Arena is
// not safe for concurrent use.
type Arena struct {
	maps  []Map
	lists []List
	vals  []any
	// The sizes of the next blocks. They start small and double up to a
	// limit, so that small documents do not pay for large blocks, unless
	// Reserve sets them.
	nmaps, nlists, nvals int
}

const (
	arenaMaps  = 32
	arenaLists = 32
	arenaVals  = 512
	arenaMax   = 1 << 16 // the largest block Reserve asks for
)

// ReserveMaps sizes the next block of maps for about n maps, such as a
// parser counts up front; zero or less leaves the blocks to grow from
// their usual start. (Lists and values come in blocks as they are used.)
func (a *Arena) ReserveMaps(n int) {
	if n > 0 {
		a.nmaps = min(n, arenaMax)
	}
}

// grow returns the size of the next block: *n (start when unset), and
// doubles *n up to limit for the block after.
func grow(n *int, start, limit int) int {
	if *n == 0 {
		*n = start
	}
	size := *n
	if *n < limit {
		*n = min(*n*2, limit)
	}
	return size
}

// take returns n zeroed slots with capacity n, from the current block when
// they fit.
func (a *Arena) take(n int) []any {
	if len(a.vals) < n {
		if n > arenaVals/4 && n > a.nvals {
			return make([]any, n)
		}
		a.vals = make([]any, max(grow(&a.nvals, 32, arenaVals), n))
	}
	s := a.vals[:n:n]
	a.vals = a.vals[n:]
	return s
}

// takeMap returns a zero map from the current block.
func (a *Arena) takeMap() *Map {
	if len(a.maps) == 0 {
		a.maps = make([]Map, grow(&a.nmaps, 2, arenaMaps))
	}
	m := &a.maps[0]
	a.maps = a.maps[1:]
	return m
}

// NewList returns an empty list of the given kind with room for n items.
func (a *Arena) NewList(kind ListKind, n int) *List {
	if len(a.lists) == 0 {
		a.lists = make([]List, grow(&a.nlists, 2, arenaLists))
	}
	l := &a.lists[0]
	a.lists = a.lists[1:]
	l.Kind = kind
	if n > 0 {
		l.Items = a.take(n)[:0]
	}
	return l
}

// FillMap puts keys[i] and vals[i] into the empty map m, as if each were
// Put in turn. When like holds the same keys in the same order, m shares
// like's key storage instead of building its own: parsers pass the map
// they filled before, as arrays of objects usually repeat one shape.
// Shared keys are never written in place (a Put of a new key copies them
// first).
func (a *Arena) FillMap(m *Map, keys []string, vals []any, like *Map) {
	n := len(keys)
	if like != nil && like.idx == nil && like.src == nil && len(like.keys) == n && n > 0 && sameStringKeys(like.keys, keys) {
		m.keys = like.keys[:n:n]
		m.vals = a.take(n)
		copy(m.vals, vals)
		return
	}
	if n > 0 {
		kv := a.take(2 * n)
		m.keys, m.vals = kv[:0:n], kv[n:n:2*n]
	}
	for i, k := range keys {
		m.Put(k, vals[i])
	}
}

func sameStringKeys(have []any, keys []string) bool {
	for i, k := range have {
		if ks, ok := k.(string); !ok || ks != keys[i] {
			return false
		}
	}
	return true
}

// NewSourcedMap returns a map whose entries src supplies on first use, as
// the package's NewSourcedMap does, taken from the arena's block.
func (a *Arena) NewSourcedMap(src MapSource, at int) *Map {
	m := a.takeMap()
	m.src, m.at = src, at
	return m
}
