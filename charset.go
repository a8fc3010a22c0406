package gateway

// byteSet is a set of ASCII bytes, for the name and value rules AWS
// states as "n to m of these characters". A bounded repetition such as
// [A-Za-z0-9]{1,512} compiled by regexp is hundreds of instructions kept
// alive for the life of every program that imports the package; a set
// and a length check say the same with 32 bytes.
type byteSet [4]uint64

// newByteSet returns the set of the bytes in chars and in each range
// written lo-hi in ranges (pairs of bytes).
func newByteSet(chars string, ranges ...string) *byteSet {
	var s byteSet
	for i := 0; i < len(chars); i++ {
		s.add(chars[i])
	}
	for _, r := range ranges {
		for c := int(r[0]); c <= int(r[1]); c++ {
			s.add(byte(c))
		}
	}
	return &s
}

func (s *byteSet) add(c byte) { s[c>>6] |= 1 << (c & 63) }

// has reports whether c is in the set.
func (s *byteSet) has(c byte) bool { return s[c>>6]&(1<<(c&63)) != 0 }

// spans reports whether str has between min and max bytes, all in the set.
func (s *byteSet) spans(str string, min, max int) bool {
	if len(str) < min || len(str) > max {
		return false
	}
	for i := 0; i < len(str); i++ {
		if !s.has(str[i]) {
			return false
		}
	}
	return true
}
