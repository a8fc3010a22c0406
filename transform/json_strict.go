package transform

// strictDepth is how deep readStrict follows nesting; a deeper document
// goes to the full reader.
const strictDepth = 32

// strictFrame is an object or array that readStrict has open.
type strictFrame struct {
	at, n   int  // the container's tape position and members or items so far
	closing byte // '}' or ']'
	// As in jsonParser.object: the keys so far, whether no value before
	// the last is a container, and whether the last value was one.
	keys         objectKeys
	flat, nested bool
}

// readStrict records, from p.i, an object or array written in the plain
// JSON that most payloads are written in: double-quoted keys and strings,
// numbers and keywords, commas between members and items, spaces, tabs
// and line breaks between tokens. It reads such documents with about a
// quarter fewer instructions than the full reader, which also follows
// json-smart's permissive rules, and records exactly what the full reader
// records for them (FuzzReadStrict compares the two). It returns false as
// soon as it meets anything else (a single quote, a bare word with
// letters no keyword has, an empty item between commas, a missing comma,
// a document too deep or cut short); the caller then reads the document
// again with the full reader, from a fresh tape. (A comma before a
// closing bracket it takes, as the full reader does.)
func (p *jsonParser) readStrict() bool {
	s, i := p.s, p.i
	var stack [strictDepth]strictFrame
	d := 0
	tape := p.tape // p.tape is set again before helpers that read or write it
	f := &stack[0]
	tape = f.open(tape, s[i], &p.objects)
	i++
	for {
		// At the start of a member or item of f: after its opening
		// bracket or a comma.
		i = skipJSONSpace(s, i)
		if i >= len(s) {
			return false
		}
		c := s[i]
		ended := c != f.closing // a value of f ends (not: f is empty, or a comma ends it)
		if ended {
			if f.closing == '}' {
				if c != '"' {
					return false
				}
				k := len(tape)
				j := i + 1
				for j < len(s) && s[j] != '"' && s[j] != '\\' {
					j++
				}
				var key string
				if j < len(s) && s[j] == '"' {
					tape = append(tape, tapeEntry{ka: uint32(tString)<<tapeKindShift | uint32(i+1), b: uint32(j)})
					key, i = s[i+1:j], j+1
				} else if p.tape, p.i = tape, i; p.strictDecoded() {
					tape, key, i = p.tape, p.strs[len(p.strs)-1], p.i
				} else {
					return false
				}
				if ks := &f.keys; !ks.dup && f.n < maxBitKeys {
					bit := keyBit(key)
					if ks.seen&bit != 0 {
						p.tape = tape
						ks.dup = p.repeats(f.at, k)
					}
					ks.seen |= bit
				} else {
					p.tape = tape
					ks.add(p, f.at, k, f.n, key)
				}
				f.flat = f.flat && !f.nested
				if i < len(s) && s[i] == ':' {
					i++
				} else if i = skipJSONSpace(s, i); i < len(s) && s[i] == ':' {
					i++
				} else {
					return false
				}
				if i = skipJSONSpace(s, i); i >= len(s) {
					return false
				}
				c = s[i]
			}
			switch {
			case c == '"':
				j := i + 1
				for j < len(s) && s[j] != '"' && s[j] != '\\' {
					j++
				}
				if j < len(s) && s[j] == '"' {
					tape = append(tape, tapeEntry{ka: uint32(tString)<<tapeKindShift | uint32(i+1), b: uint32(j)})
					i = j + 1
				} else if p.tape, p.i = tape, i; p.strictDecoded() {
					tape, i = p.tape, p.i
				} else {
					return false
				}
			case c == '{' || c == '[':
				if d++; d == strictDepth {
					return false
				}
				f = &stack[d]
				tape = f.open(tape, c, &p.objects)
				i++
				continue
			default:
				// A number or keyword: the token runs to the separator
				// (spaces before it included), as the full reader's does.
				start := i
				if c == '-' {
					if i++; i >= len(s) || s[i] < '0' || s[i] > '9' {
						return false // "-" and "-." are the full reader's to judge
					}
				}
				for i < len(s) && strictTokenByte[s[i]] {
					i++
				}
				if i == start {
					return false
				}
				if c := s[i-1]; (c == '+' || c == '-') && refusedNumber(s[start:i]) {
					return false // an exponent without a digit: the full reader's error to give
				}
				i = skipJSONSpace(s, i)
				tape = append(tape, tapeEntry{ka: uint32(tToken)<<tapeKindShift | uint32(start), b: uint32(i)})
			}
			f.nested = false
		}
		// After a value of f: a comma, or the end of f (and then of the
		// containers that f ends).
		for {
			i = skipJSONSpace(s, i)
			if i >= len(s) {
				return false
			}
			if ended {
				f.n++
			}
			ended = true
			if s[i] == ',' {
				i++
				break
			}
			if s[i] != f.closing {
				return false
			}
			f.close(tape)
			i++
			if d--; d < 0 {
				p.tape, p.i = tape, i
				return true
			}
			f = &stack[d]
			f.nested = true
		}
	}
}

// open starts the container that c opens, at the end of the tape, and
// returns the tape with its entry (objects counts the objects). It
// leaves the parser's own tape alone: writing that slice into the heap
// at every container costs a write barrier while the collector runs.
func (f *strictFrame) open(tape []tapeEntry, c byte, objects *int) []tapeEntry {
	*f = strictFrame{at: len(tape), closing: ']'}
	kind := tArray
	if c == '{' {
		*objects++
		f.closing, f.flat, kind = '}', true, tObject
	}
	return append(tape, tapeEntry{ka: uint32(kind) << tapeKindShift})
}

// close completes the container's tape entry.
func (f *strictFrame) close(tape []tapeEntry) {
	e := &tape[f.at]
	e.ka |= uint32(f.n)
	e.b = uint32(len(tape))
	switch {
	case f.closing == ']':
	case f.keys.dup:
		e.setKind(tObjectDup)
	case f.flat:
		e.setKind(tObjectFlat)
	}
}

// skipJSONSpace returns the position of the first byte from i on that is
// not a space, tab, carriage return or line feed.
func skipJSONSpace(s string, i int) int {
	for i < len(s) && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
		i++
	}
	return i
}

// strictDecoded records the double-quoted string with escapes at p.i
// decoded, as the full reader does, and sets p.i after it. It returns
// false when the string does not end.
func (p *jsonParser) strictDecoded() bool {
	str, err := p.quoted('"')
	if err != nil {
		return false
	}
	p.pushDecoded(str)
	return true
}

// strictTokenByte marks the bytes readStrict takes in numbers and
// keywords.
var strictTokenByte = [256]bool{
	'0': true, '1': true, '2': true, '3': true, '4': true,
	'5': true, '6': true, '7': true, '8': true, '9': true,
	'.': true, '+': true, '-': true, 'e': true, 'E': true,
	'a': true, 'l': true, 'n': true, 'r': true, 's': true, 't': true, 'u': true, 'f': true,
}
