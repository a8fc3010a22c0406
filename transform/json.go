package transform

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// maxJSONDepth bounds nesting so hostile payloads cannot exhaust the stack.
const maxJSONDepth = 512

// ParseJSON parses text the way json-smart 2.2 does in permissive mode, the
// parser API Gateway's JSONPath uses: objects become *vtl.Map (insertion
// order kept), arrays *vtl.List of kind vtl.JSONArray, numbers int32, int64,
// *big.Int or float64. Unquoted and single-quoted strings, trailing commas
// and trailing data after a top-level object or array are accepted. Text
// that is not an object or array becomes a scalar when it is exactly one
// (42, true) and otherwise the trimmed text itself ("a=b&c=d").
//
// The whole text is checked up front, but objects are built on first use
// (see vtl.NewSourcedMap): reading a few fields of a large payload builds
// only the objects on the way. The maps returned are therefore not safe
// for concurrent use, even for reading. Objects and arrays in texts of
// 512 MB or more are refused.
func ParseJSON(text string) (any, error) {
	p := &jsonParser{s: text}
	p.skipSpace()
	if p.i >= len(p.s) {
		return "", nil
	}
	switch c := p.s[p.i]; c {
	case '"', '\'':
		str, err := p.quoted(c)
		if err != nil {
			return nil, err
		}
		return str, nil
	case '}', ']', ':':
		return nil, p.unexpected() // json-smart refuses a text starting so
	case '{', '[':
		if len(text) > maxTapeText {
			return nil, p.errorf("document too large")
		}
		// An entry per container, per item (about one per ',') and two
		// per member (one per ':'): counted up front, the tape is
		// allocated once for most documents. The count also takes in
		// the characters inside strings, so it is capped (at two bytes
		// of tape per byte of text); append grows a denser tape.
		n := strings.Count(text, ",") + strings.Count(text, ":") + strings.Count(text, "{") + strings.Count(text, "[") + 2
		p.tape = make([]tapeEntry, 0, min(n, len(text)/4+16))
		// Plain JSON first; the full reader takes what it leaves, from
		// the start.
		if tape, start := p.tape, p.i; !p.readStrict() {
			p.tape, p.i, p.objects, p.strs = tape[:0], start, 0, p.strs[:0]
			if err := p.value(0, 0); err != nil {
				return nil, err
			}
		}
		d := &jsonDoc{s: text, tape: p.tape, strs: p.strs}
		d.arena.ReserveMaps(p.objects)
		return d.value(0), nil
	}
	return p.topScalar()
}

// topScalar reads a document that is not an object, array or quoted
// string: the text from p.i to the end.
func (p *jsonParser) topScalar() (any, error) {
	t := javaTrim(p.s[p.i:])
	if p.s[p.i] < ' ' {
		return t, nil // text from a control character on, as in value
	}
	if c := p.s[p.i]; c == '-' || c >= '0' && c <= '9' {
		// A number before a character from maxStop on: the rest is
		// left unread, as json-smart leaves it ("1é" is 1).
		if end, _, ok, err := p.numberBefore(p.i, len(p.s)); err != nil {
			return nil, err
		} else if ok {
			return tokenValue(p.s[p.i:end]), nil
		}
	}
	if refusedNumber(t) {
		return nil, p.errorf("invalid number %q", t)
	}
	return scalar(t), nil
}

// jsonParser checks a document and records its structure on a tape:
// one entry per object, array, key and scalar, in document order, so
// that values can be built from it later without scanning the text again.
type jsonParser struct {
	s    string
	i    int
	tape []tapeEntry
	strs []string // strings that had to be decoded (escapes, single quotes, unquoted keys)
	// objects counts the objects, to size the arena's block of maps.
	objects int
}

// tapeEntry is one entry of the tape. Scalars and keys take one entry;
// an object is followed by its keys and values in turn, an array by its
// items. The kind takes the top bits of ka, a the rest:
//
//	tString, tToken  the text is s[a:b]
//	tDecoded         the string is strs[a]
//	tObject, tArray  a is the number of members or items, b the position
//	                 just after the container's last entry
type tapeEntry struct{ ka, b uint32 }

type tapeKind uint32

const (
	tObject     tapeKind = iota + 1
	tObjectDup           // an object in which a key repeats
	tObjectFlat          // an object whose keys are unique and whose values are scalars, but for the last
	tArray               // items follow
	tString              // a quoted string without escapes, or a plain key
	tDecoded             // a string decoded while checking the document
	tToken               // unquoted text: a number, keyword or bare word (see tokenValue)
)

const (
	tapeKindShift = 29
	tapeAMask     = 1<<tapeKindShift - 1
	// maxTapeText is the longest document a tape can describe.
	maxTapeText = tapeAMask
)

func (e tapeEntry) kind() tapeKind { return tapeKind(e.ka >> tapeKindShift) }
func (e tapeEntry) a() uint32      { return e.ka & tapeAMask }

func (e *tapeEntry) setKind(k tapeKind) {
	e.ka = uint32(k)<<tapeKindShift | e.ka&tapeAMask
}

// container reports whether the entry opens an object or array.
func (e tapeEntry) container() bool { k := e.kind(); return k <= tArray }

// jsonDoc is a checked document and its tape. It builds arrays when their
// container is built and objects on first use, as the vtl.MapSource of
// their maps.
type jsonDoc struct {
	s     string
	tape  []tapeEntry
	strs  []string
	arena vtl.Arena
	// like is the map filled last, whose keys the next may share.
	like *vtl.Map
	// keys and vals collect an object's entries while it is built.
	keys []string
	vals []any
}

// next returns the position after the value at position i.
func (d *jsonDoc) next(i int) int { return tapeNext(d.tape, i) }

// tapeNext returns the position after the value at position i.
func tapeNext(tape []tapeEntry, i int) int {
	if e := tape[i]; e.container() {
		return int(e.b)
	}
	return i + 1
}

// value builds the value at position i.
func (d *jsonDoc) value(i int) any {
	e := d.tape[i]
	switch e.kind() {
	case tObject, tObjectDup, tObjectFlat:
		return d.arena.NewSourcedMap(d, i)
	case tArray:
		n := int(e.a())
		l := d.arena.NewList(vtl.JSONArray, n)
		for j, k := i+1, 0; k < n; k++ {
			l.Items = append(l.Items, d.value(j))
			j = d.next(j)
		}
		return l
	case tString:
		return d.s[e.a():e.b]
	case tDecoded:
		return d.strs[e.a()]
	}
	return tokenValue(d.s[e.a():e.b])
}

// key returns the key at position i.
func (d *jsonDoc) key(i int) string {
	e := d.tape[i]
	if e.kind() == tDecoded {
		return d.strs[e.a()]
	}
	return d.s[e.a():e.b]
}

// LookupMap implements vtl.MapSource. When a key repeats, the last value
// wins, as it does when the map is built.
func (d *jsonDoc) LookupMap(at int, key string, hint *int32) (v any, found, build bool) {
	if d.tape[at].a() > maxScanMembers {
		return nil, false, true // a large object: built once, with an index
	}
	hit := d.find(at, key, hint)
	if hit < 0 {
		return nil, false, false
	}
	if d.tape[hit].container() {
		return nil, false, true // built once, with the map, to keep its identity
	}
	return d.value(hit), true, false
}

// LookupScalar implements vtl.MapSource.
func (d *jsonDoc) LookupScalar(at int, key string, hint *int32) (vtl.Scalar, bool) {
	o := d.tape[at]
	n := int(o.a())
	if n > maxScanMembers {
		return vtl.Scalar{}, false
	}
	hit := 0
	if o.kind() == tObjectFlat && hint != nil {
		// find's first try, here: most lookups end with it.
		if k := int(atomic.LoadInt32(hint)); k < n && d.keyIs(at+1+2*k, key) {
			hit = at + 2 + 2*k
		}
	}
	if hit == 0 {
		if hit = d.find(at, key, hint); hit < 0 {
			return vtl.Scalar{}, false
		}
	}
	switch e := d.tape[hit]; e.kind() {
	case tString:
		return vtl.StringScalar(d.s[e.a():e.b]), true
	case tDecoded:
		return vtl.StringScalar(d.strs[e.a()]), true
	case tToken:
		return numberScalar(d.s[e.a():e.b])
	}
	return vtl.Scalar{}, false
}

// numberScalar returns the number token t unboxed, noted to print as
// written when it does; ok is false when t is not a short number.
func numberScalar(t string) (vtl.Scalar, bool) {
	i, f, double, asIs, ok := readShortNumber(t)
	if !ok {
		return vtl.Scalar{}, false
	}
	sc := vtl.IntegerScalar(i)
	if double {
		sc = vtl.DoubleScalar(f)
	}
	if asIs {
		sc = sc.PrintsAs(t)
	}
	return sc, true
}

// maxScanMembers is the most members an object may have to be searched on
// the tape; a larger one is built on its first lookup, and its map indexes
// its keys, as a lookup that scans them each time would make a loop over
// the keys of a large object quadratic.
const maxScanMembers = 8

// find returns the position of the value under key in the object at
// position at (the last one when the key repeats), or -1. hint, when not
// nil, is the member index where the key was last found (in any object):
// a flat object's members sit two entries apart, so the hint is checked
// there first.
func (d *jsonDoc) find(at int, key string, hint *int32) int {
	o := d.tape[at]
	n := int(o.a())
	flat := o.kind() == tObjectFlat
	if flat && hint != nil {
		if k := int(atomic.LoadInt32(hint)); k < n && d.keyIs(at+1+2*k, key) {
			return at + 2 + 2*k
		}
	}
	dup := o.kind() == tObjectDup
	hit := -1
	for i, k := at+1, 0; k < n; k++ {
		if d.keyIs(i, key) {
			hit = i + 1
			if !dup {
				if flat && hint != nil {
					atomic.StoreInt32(hint, int32(k))
				}
				break
			}
		}
		if i++; d.tape[i].container() {
			i = int(d.tape[i].b)
		} else {
			i++
		}
	}
	return hit
}

// keyIs reports whether the key at position i is key.
func (d *jsonDoc) keyIs(i int, key string) bool {
	e := d.tape[i]
	a := e.a()
	if e.kind() == tDecoded {
		return d.strs[a] == key
	}
	// The first byte first: most keys that differ differ there, and that
	// saves a call to compare the rest.
	return int(e.b-a) == len(key) && (key == "" || d.s[a] == key[0] && d.s[a:e.b] == key)
}

// WriteJSON implements vtl.MapSource.
func (d *jsonDoc) WriteJSON(at int, w vtl.JSONWriter, depth int) {
	if d.tape[at].kind() == tObjectDup {
		// Repeated keys are written once, as the built map holds them:
		// build a copy (its nested values are still written from here).
		m := vtl.NewMap()
		d.FillMap(at, m)
		w.Value(m, depth)
		return
	}
	w.Byte('{')
	for i, k, n := at+1, 0, int(d.tape[at].a()); k < n; k++ {
		if k > 0 {
			w.Byte(',')
		}
		w.String(d.key(i))
		w.Byte(':')
		d.writeValue(i+1, w, depth+1)
		i = d.next(i + 1)
	}
	w.Byte('}')
}

// writeValue writes the value at position i as vtl.ToJSON writes it
// built, at nesting depth depth.
func (d *jsonDoc) writeValue(i int, w vtl.JSONWriter, depth int) {
	if w.Cut(depth) {
		return
	}
	switch e := d.tape[i]; e.kind() {
	case tObject, tObjectDup, tObjectFlat:
		d.WriteJSON(i, w, depth)
	case tArray:
		w.Byte('[')
		for j, k, n := i+1, 0, int(e.a()); k < n; k++ {
			if k > 0 {
				w.Byte(',')
			}
			d.writeValue(j, w, depth+1)
			j = d.next(j)
		}
		w.Byte(']')
	case tString:
		w.String(d.s[e.a():e.b])
	case tDecoded:
		w.String(d.strs[e.a()])
	default:
		t := d.s[e.a():e.b]
		if sc, ok := numberScalar(t); ok {
			w.Scalar(sc)
			return
		}
		w.Value(tokenValue(t), depth)
	}
}

// FillMap implements vtl.MapSource.
func (d *jsonDoc) FillMap(at int, m *vtl.Map) {
	keys, vals := d.keys[:0], d.vals[:0]
	for i, k, n := at+1, 0, int(d.tape[at].a()); k < n; k++ {
		keys = append(keys, d.key(i))
		vals = append(vals, d.value(i+1))
		i = d.next(i + 1)
	}
	d.arena.FillMap(m, keys, vals, d.like)
	d.like = m
	clear(vals)
	d.keys, d.vals = keys[:0], vals[:0]
}

func (p *jsonParser) push(kind tapeKind, a, b int) {
	p.tape = append(p.tape, tapeEntry{ka: uint32(kind)<<tapeKindShift | uint32(a), b: uint32(b)})
}

func (p *jsonParser) pushDecoded(s string) {
	p.push(tDecoded, len(p.strs), 0)
	p.strs = append(p.strs, s)
}

// close completes the container entry at position at, holding n members
// or items.
func (p *jsonParser) close(at, n int) {
	e := &p.tape[at]
	e.ka |= uint32(n)
	e.b = uint32(len(p.tape))
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at position %d: %s", p.i, fmt.Sprintf(format, args...))
}

// skipSpace skips what json-smart skips between tokens: spaces, tabs,
// carriage returns and line feeds. (Other control characters start an
// unquoted text, and Java's trim takes them off its ends.)
func (p *jsonParser) skipSpace() { p.i = skipJSONSpace(p.s, p.i) }

// javaTrim is Java's String.trim: it removes the characters up to ' '
// from both ends (not Unicode spaces such as U+00A0).
func javaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// value reads a value inside the container that closing ends ('}' or
// ']', 0 at the top).
func (p *jsonParser) value(depth int, closing byte) error {
	if depth > maxJSONDepth {
		return p.errorf("nesting too deep")
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return p.errorf("unexpected end of input")
	}
	switch c := p.s[p.i]; c {
	case '{':
		return p.object(depth)
	case '[':
		return p.array(depth)
	case '"', '\'':
		s, i := p.s, p.i+1
		for j := i; j < len(s); j++ {
			if s[j] == c {
				p.push(tString, i, j)
				p.i = j + 1
				return nil
			} else if s[j] == '\\' {
				break
			}
		}
		str, err := p.quoted(c)
		if err != nil {
			return err
		}
		p.pushDecoded(str)
		return nil
	}
	start, end, err := p.token(closing)
	if err != nil {
		return err
	}
	if c := p.s[start]; c < ' ' {
		// A value that starts with a control character is text, trimmed,
		// whatever it reads as then ("\x013" is the string "3").
		t := javaTrim(p.s[start:end])
		a := start + strings.Index(p.s[start:end], t)
		p.push(tString, a, a+len(t))
		return nil
	}
	p.push(tToken, start, end)
	return nil
}

// token reads an unquoted value as json-smart does: it runs to the next
// ',' or the container's closing character (a ':' or the other closing
// character is part of it), or to U+001A, json-smart's end of input,
// which then fails as an unexpected character. An empty value just
// before '}' and a number without digits ("-.") fail, as json-smart
// fails on them.
func (p *jsonParser) token(closing byte) (start, end int, err error) {
	s, start := p.s, p.i
	i, bits := start, byte(0) // bits: the OR of the token's bytes
	for i < len(s) {
		c := s[i]
		if c == ',' || c == closing || c == 0x1A || closing == 0 && (c == '}' || c == ']' || c == ':') {
			break
		}
		bits |= c
		i++
	}
	p.i = i
	if i < len(s) && s[i] == 0x1A {
		return 0, 0, p.unexpected() // json-smart's end of input, inside the text
	}
	if bits >= maxStop && (s[start] == '-' || s[start] >= '0' && s[start] <= '9') {
		// A number ends before a character json-smart has no stop rule
		// for (from '~' on: é, U+FEFF...), which then starts what
		// follows: another item in an array, an error in an object.
		if n, next, ok, err := p.numberBefore(start, i); ok || err != nil {
			p.i = next
			return start, n, err
		}
	}
	if i > start && s[start] >= '0' && s[start] <= '9' {
		// A number, the common token: none of the cases below apply,
		// unless it may end in an exponent's sign (refusedNumber).
		if c := s[i-1]; c > ' ' && c != '+' && c != '-' {
			return start, i, nil
		}
	}
	t := javaTrim(s[start:i])
	switch {
	case t == "" && closing == '}' && i < len(s) && s[i] == '}':
		return 0, 0, p.unexpected()
	case t != "" && (t[0] == ':' || t[0] == '}' || t[0] == ']'):
		p.i = start + strings.IndexByte(s[start:i], t[0])
		return 0, 0, p.unexpected() // a value cannot start there
	}
	if refusedNumber(t) {
		return 0, 0, p.errorf("invalid number %q", t)
	}
	return start, i, nil
}

// maxStop is json-smart's MAX_STOP: its tables of characters that end a
// number cover the characters below it.
const maxStop = 126

// numberBefore reads a number at start, in s[start:limit], that ends
// (after spaces) at a character from maxStop on: ok with the number's end
// and where that character is. A number json-smart would then fail to read
// ("1e+", "-.") fails. ok is false when the number runs into another
// character (the text is a plain token then).
func (p *jsonParser) numberBefore(start, limit int) (end, next int, ok bool, err error) {
	s, i := p.s, start
	if s[i] == '-' {
		i++
	}
	digits := 0
	for i < limit && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	complete := true
	if i < limit && s[i] == '.' {
		i++
		for i < limit && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
		complete = digits > 0
	}
	if i < limit && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < limit && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < limit && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		complete = complete && i > j
	}
	end = i
	for i < limit && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	if i >= limit || s[i] < maxStop {
		return 0, 0, false, nil
	}
	if !complete {
		p.i = i
		return 0, 0, false, p.errorf("invalid number %q", s[start:end])
	}
	return end, i, true, nil
}

// refusedNumber reports a token (trimmed) that json-smart reads as a
// decimal number but Double.parseDouble refuses, which fails the whole
// document: a mantissa without a digit ("-.", "-.e5", "-e5") or an
// exponent without one ("1e+", "1.5E-", "0.e-"). Tokens that leave the
// number's form on the way are text ("1e", "1ex", "1e-5x", "-e").
func refusedNumber(t string) bool {
	if t == "" || t[0] != '-' && (t[0] < '0' || t[0] > '9') {
		return false // not read as a number
	}
	i, digits := 1, t[0] != '-'
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i, digits = i+1, true
	}
	dot := i < len(t) && t[i] == '.'
	if dot {
		for i++; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
			digits = true
		}
	}
	if i == len(t) {
		return dot && !digits // "-." (a lone "-" is the integer path: 0)
	}
	if t[i] != 'e' && t[i] != 'E' {
		return false
	}
	if i++; i == len(t) || t[i] != '+' && t[i] != '-' && (t[i] < '0' || t[i] > '9') {
		return false // an 'e' that no sign or digit follows: text
	}
	expDigits := t[i] >= '0' && t[i] <= '9'
	for i++; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
		expDigits = true
	}
	return i == len(t) && (!digits || !expDigits)
}

// tokenValue interprets an unquoted value as json-smart does: a number
// when it reads as one, a keyword, or else the text itself.
func tokenValue(t string) any {
	if v, ok := shortNumber(t); ok {
		return v
	}
	if t == "" || t[0] <= ' ' || t[len(t)-1] <= ' ' {
		t = javaTrim(t)
	} else if c := t[0]; c == '-' || c >= '0' && c <= '9' {
		if n, ok := parseNumber(t); ok { // not a keyword: skip scalar's checks
			return n
		}
		return t
	}
	return scalar(t)
}

func (p *jsonParser) object(depth int) error {
	p.i++
	p.objects++
	at, n := len(p.tape), 0
	p.push(tObject, 0, 0)
	var keys objectKeys
	// Lookups stop at the first match unless a key repeats, and go
	// straight to a hinted member when no value before the last is a
	// container.
	flat, nested := true, false
	closeObject := func() {
		p.i++
		p.close(at, n)
		switch {
		case keys.dup:
			p.tape[at].setKind(tObjectDup)
		case flat:
			p.tape[at].setKind(tObjectFlat)
		}
	}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return p.errorf("unterminated object")
		}
		if p.s[p.i] == '}' {
			closeObject()
			return nil
		}
		if p.s[p.i] == ',' { // json-smart skips commas where a key would be
			p.i++
			continue
		}
		key, plain := p.plainKey()
		if !plain {
			var err error
			if key, err = p.key(); err != nil {
				return err
			}
			p.pushDecoded(key)
		}
		k := len(p.tape) - 1
		keys.add(p, at, k, n, key)
		flat = flat && !nested
		if err := p.value(depth+1, '}'); err != nil {
			return err
		}
		nested = p.tape[k+1].container()
		n++
		if err := p.separator('}'); err != nil {
			return err
		}
		if p.s[p.i] == '}' {
			closeObject()
			return nil
		}
		p.i++
	}
}

// objectKeys follows the keys of an object as they are read, to tell
// whether one repeats.
type objectKeys struct {
	seen uint64              // a bit per key, by keyBit
	set  map[string]struct{} // the keys, once there are many
	dup  bool                // a key repeats
}

// add notes key, recorded at position k as the n-th key (from 0) of the
// object at position at.
func (ks *objectKeys) add(p *jsonParser, at, k, n int, key string) {
	switch {
	case ks.dup:
	case n < maxBitKeys:
		bit := keyBit(key)
		ks.dup = ks.seen&bit != 0 && p.repeats(at, k)
		ks.seen |= bit
	default:
		// Past a few dozen keys most bits are set: a set of the keys
		// keeps the check linear.
		if ks.set == nil {
			ks.set = make(map[string]struct{}, 2*n)
			for i := at + 1; i < k; i = tapeNext(p.tape, i+1) {
				ks.set[p.keyText(i)] = struct{}{}
			}
		}
		_, ks.dup = ks.set[key]
		ks.set[key] = struct{}{}
	}
}

// maxBitKeys is how many keys of an object are checked for repeats with
// keyBit; later keys go into a set.
const maxBitKeys = 16

// keyBit hashes a key to one of 64 bits, so that most objects show that
// no key repeats without comparing keys.
func keyBit(k string) uint64 {
	if k == "" {
		return 1
	}
	return 1 << ((uint(len(k))*7 + uint(k[0])*3 + uint(k[len(k)-1])) & 63)
}

// keyText returns the key recorded at position k.
func (p *jsonParser) keyText(k int) string {
	e := p.tape[k]
	if e.kind() == tDecoded {
		return p.strs[e.a()]
	}
	return p.s[e.a():e.b]
}

// repeats reports whether the key at position k equals an earlier key of
// the object at position at.
func (p *jsonParser) repeats(at, k int) bool {
	key := p.keyText(k)
	for i := at + 1; i < k; i = tapeNext(p.tape, i+1) {
		if p.keyText(i) == key {
			return true
		}
	}
	return false
}

// plainKey reads the common form of a key, a double-quoted string without
// escapes, and the ':' after it, recording the key and returning it. It
// reads nothing and returns false for any other form.
func (p *jsonParser) plainKey() (string, bool) {
	s, i := p.s, p.i
	if s[i] != '"' {
		return "", false
	}
	j := i + 1
	for j < len(s) && s[j] != '"' && s[j] != '\\' {
		j++
	}
	if j >= len(s) || s[j] != '"' {
		return "", false
	}
	k := j + 1
	if k < len(s) && s[k] == ':' { // the usual "key":
		p.i = k + 1
		p.push(tString, i+1, j)
		return s[i+1 : j], true
	}
	// As key() would: spaces, then the ':'.
	p.i = k
	p.skipSpace()
	if p.i >= len(s) || s[p.i] != ':' {
		p.i = i
		return "", false // key() reports the error
	}
	p.i++
	p.push(tString, i+1, j)
	return s[i+1 : j], true
}

// key reads a key in any form and the ':' after it.
func (p *jsonParser) key() (string, error) {
	var key string
	if c := p.s[p.i]; c == '"' || c == '\'' {
		k, err := p.quoted(c)
		if err != nil {
			return "", err
		}
		key = k
	} else {
		start := p.i
		// An unquoted key runs to the ':' (json-smart: {a,b:1} has the
		// key "a,b"); it cannot start with a bracket or the ':'.
		if c := p.s[p.i]; c == '{' || c == '[' || c == ':' {
			return "", p.unexpected()
		}
		for p.i < len(p.s) && p.s[p.i] != ':' {
			p.i++
		}
		key = javaTrim(p.s[start:p.i])
	}
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != ':' {
		return "", p.unexpected()
	}
	p.i++
	return key, nil
}

func (p *jsonParser) array(depth int) error {
	p.i++
	at, n := len(p.tape), 0
	p.push(tArray, 0, 0)
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return p.errorf("unterminated array")
		}
		if p.s[p.i] == ']' {
			p.i++
			p.close(at, n)
			return nil
		}
		if p.s[p.i] == ',' { // json-smart skips empty items: [1,,2] is [1,2]
			p.i++
			continue
		}
		if err := p.value(depth+1, ']'); err != nil {
			return err
		}
		n++
		p.skipSpace()
		if p.i >= len(p.s) {
			return p.errorf("unexpected end of input")
		}
		switch p.s[p.i] {
		case ']':
			p.i++
			p.close(at, n)
			return nil
		case ',':
			p.i++
		}
		// Anything else starts the next item: json-smart needs no comma
		// after a quoted string, an object, an array or a number that a
		// character from maxStop on ends (["a" "b"], [{}{}], [1é]). (An
		// unquoted value runs to the comma anyway.)
	}
}

// separator expects a ',' or the closing character after a value.
func (p *jsonParser) separator(closing byte) error {
	if p.i < len(p.s) {
		if c := p.s[p.i]; c == ',' || c == closing {
			return nil
		}
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return p.errorf("unexpected end of input")
	}
	if c := p.s[p.i]; c != ',' && c != closing {
		return p.unexpected()
	}
	return nil
}

func (p *jsonParser) unexpected() error {
	if p.i >= len(p.s) {
		return p.errorf("unexpected end of input")
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return p.errorf("unexpected character (%c)", r)
}

func (p *jsonParser) quoted(q byte) (string, error) {
	p.i++
	// Fast path: no escapes before the closing quote.
	for s, i, j := p.s, p.i, p.i; j < len(s); j++ {
		if c := s[j]; c == q {
			p.i = j + 1
			return s[i:j], nil
		} else if c == '\\' {
			break
		}
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			e := p.s[p.i]
			p.i++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'x': // json-smart reads \xHH too
				n, err := p.hexDigits(2)
				if err != nil {
					return "", err
				}
				b.WriteRune(n)
			case '"', '\\', '/', '\'':
				b.WriteByte(e)
			case 'u':
				r, err := p.hexDigits(4)
				if err != nil {
					return "", err
				}
				if r >= 0xD800 && r < 0xDC00 && p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					if lo, err := strconv.ParseUint(p.s[p.i+2:p.i+6], 16, 16); err == nil && lo >= 0xDC00 && lo < 0xE000 {
						r = (r-0xD800)<<10 + (rune(lo) - 0xDC00) + 0x10000
						p.i += 6
					}
				}
				if r >= 0xD800 && r < 0xE000 {
					// A lone surrogate, which a Go string cannot hold:
					// Java keeps it, and its UTF-8 writer prints it as
					// '?', as the engine prints the half of a pair that
					// substring cuts off.
					r = '?'
				}
				b.WriteRune(r)
			default:
				// json-smart drops an unknown escape with its character
				// (\q is nothing); a multi-byte character goes whole.
				if e >= 0x80 {
					_, size := utf8.DecodeRuneInString(p.s[p.i-1:])
					p.i += size - 1
				}
			}
		case c < 0x20 || c == 0x7F:
			// json-smart's reader for a string with escapes drops raw
			// control characters (one without escapes keeps them).
			p.i++
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf("unterminated string")
}

// hexDigits reads the n hex digits of a \x or \u escape.
func (p *jsonParser) hexDigits(n int) (rune, error) {
	if p.i+n > len(p.s) {
		return 0, p.errorf("bad escape: %d hex digits wanted", n)
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 4*n)
	if err != nil {
		return 0, p.errorf("bad escape: %d hex digits wanted", n)
	}
	p.i += n
	return rune(v), nil
}

// shortNumber reads the most common numbers in one pass: [-]digits of
// at most nine digits as an Integer, and [-]digits.digits of at most 15
// digits as a Double, giving what parseNumber gives for them. ok is false
// for any other text.
func shortNumber(t string) (any, bool) {
	i, f, double, _, ok := readShortNumber(t)
	switch {
	case !ok:
		return nil, false
	case double:
		return f, true
	}
	return i, true
}

// readShortNumber is shortNumber with the number unboxed: an Integer i,
// or a Double f when double is set. asIs reports that the number prints
// exactly as written: an Integer without leading zeros (and not -0), or a
// Double in Double.toString's plain range (1e-3 <= |f| < 1e7) without a
// leading zero in its integer part or a trailing zero in its fraction.
// Such a decimal of at most 15 digits is the shortest one that reads back
// as its double, and Double.toString prints it as written: 15-digit
// decimals are more than four ulps apart, so Java's FloatingDecimal stops
// at its last digit (see appendShortDecimal in transform/vtl).
func readShortNumber(t string) (i32 int32, f float64, double, asIs, ok bool) {
	n := len(t)
	if n == 0 || n > 17 {
		return 0, 0, false, false, false
	}
	i, neg := 0, t[0] == '-'
	if neg {
		i = 1
	}
	start, dot := i, -1
	var mant uint64
	for ; i < n; i++ {
		c := t[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
	}
	if i < n {
		// A fraction: a dot after at least one digit, then digits.
		if t[i] != '.' || i == start {
			return 0, 0, false, false, false
		}
		dot = i
		for i++; i < n; i++ {
			c := t[i] - '0'
			if c > 9 {
				return 0, 0, false, false, false
			}
			mant = mant*10 + uint64(c)
		}
	}
	digits := n - start
	if dot < 0 {
		if digits == 0 || digits > 9 {
			return 0, 0, false, false, false
		}
		v := int32(mant)
		if neg {
			v = -v
		}
		return v, 0, false, t[start] != '0' || n == 1, true
	}
	if digits--; digits > 15 {
		return 0, 0, false, false, false
	}
	f = float64(mant) / pow10[n-dot-1]
	if neg {
		f = -f
	}
	// As written: a fraction without a trailing zero, below 1e7, and
	// either no leading zero or 0.f at least 1e-3.
	asIs = dot < n-1 && t[n-1] != '0' && dot-start <= 7 &&
		(t[start] != '0' || dot == start+1 && (t[dot+1] != '0' || dot+2 < n && t[dot+2] != '0' || dot+3 < n && t[dot+3] != '0'))
	return 0, f, true, asIs, true
}

// scalar interprets unquoted text: keywords, numbers, or the text itself.
func scalar(t string) any {
	switch t {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	case "NaN":
		return float32(math.NaN()) // json-smart reads NaN as a Float
	}
	if n, ok := parseNumber(t); ok {
		return n
	}
	return t
}

// parseNumber reads a JSON number as json-smart does: integers become the
// smallest of Integer, Long, BigInteger; anything with '.' or an exponent
// becomes a Double, or a BigDecimal when written with more than 18
// characters.
func parseNumber(t string) (any, bool) {
	switch t {
	case "":
		return nil, false
	case "-":
		return int32(0), true // json-smart reads a lone minus as 0
	}
	i := 0
	if t[0] == '-' {
		i++
	}
	digits := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
		digits++
	}
	if digits == 0 && (t[0] != '-' || i == len(t) || t[i] != '.') {
		return nil, false // only a minus lets a number start with its point: -.5
	}
	if i == len(t) {
		if digits <= 9 { // fits an int32 whatever the digits
			var v int32
			for _, c := range t[len(t)-digits:] {
				v = v*10 + int32(c-'0')
			}
			if t[0] == '-' {
				v = -v
			}
			return v, true
		}
		if v, err := strconv.ParseInt(t, 10, 64); err == nil {
			if v >= math.MinInt32 && v <= math.MaxInt32 {
				return int32(v), true
			}
			return v, true
		}
		b, _ := new(big.Int).SetString(t, 10)
		if b.IsInt64() {
			v := b.Int64()
			if v >= math.MinInt32 && v <= math.MaxInt32 {
				return int32(v), true
			}
			return v, true
		}
		return b, true
	}
	for j := i; j < len(t); j++ {
		switch c := t[j]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return nil, false
		}
	}
	if f, ok := smallDecimal(t); ok {
		return f, true
	}
	if len(t) > 18 { // json-smart keeps long decimals as BigDecimal
		if d, ok := vtl.ParseDecimal(t); ok {
			return d, true
		}
	}
	f, err := vtl.ParseFloat(t)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return nil, false
	}
	return f, true
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// smallDecimal parses [-]digits.digits with at most 15 digits, the common
// form of JSON prices and measures, without strconv: the digits and the
// power of ten are exact float64 values, so one division rounds correctly,
// giving the same result as strconv.ParseFloat.
func smallDecimal(t string) (float64, bool) {
	i, neg := 0, false
	if i < len(t) && t[i] == '-' {
		neg, i = true, 1
	}
	var mant uint64
	digits, frac, dot := 0, 0, false
	for ; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if !dot || digits == 0 || digits > 15 {
		return 0, false
	}
	f := float64(mant) / pow10[frac]
	if neg {
		f = -f
	}
	return f, true
}
