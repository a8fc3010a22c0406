package vtl

import (
	"testing"
	"unicode/utf8"
)

// refEscapeJSON is escapeJSON written rune by rune, the plain model the
// run-copying escapeJSON is checked against.
func refEscapeJSON(s string) string {
	var b printer
	for _, r := range s {
		if r >= 0x20 && r < 0x7F && r != '"' && r != '\\' && r != '/' || r > 0x9F && (r < 0x2000 || r > 0x20FF) && r != utf8.RuneError {
			b.WriteRune(r)
		} else {
			writeEscapedRune(&b, r)
		}
	}
	return b.String()
}

// FuzzEscapeJSON checks escapeJSON against refEscapeJSON.
func FuzzEscapeJSON(f *testing.F) {
	for _, s := range []string{"", "plain", `a"b\c/d`, "\x00\x1f\x7f\u0085\u2028\u20ff\u2100", "é😀\ufffd", "\xff\xfe", "\xed\xa0\x80", "tail\xe2\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b printer
		escapeJSON(&b, s)
		if got, want := b.String(), refEscapeJSON(s); got != want {
			t.Fatalf("escapeJSON(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestToJSONCheckedSize: room made up front, too little or too much,
// changes nothing in the text or the refusals.
func TestToJSONCheckedSize(t *testing.T) {
	m := NewMap()
	m.Put("a", []any{int32(1), "x/y", nil, 2.5})
	m.Put("b", NewMap())
	deep := NewList(ArrayList)
	deep.Items = append(deep.Items, deep) // holds itself
	for _, v := range []any{nil, "s", m, deep} {
		want, werr := ToJSONChecked(v)
		for _, size := range []int{-1, 0, 1, 7, 1 << 12, 1 << 40} {
			got, err := ToJSONCheckedSize(v, size)
			if got != want || (err == nil) != (werr == nil) {
				t.Errorf("ToJSONCheckedSize(%s, %d) = %q, %v; want %q, %v", ToString(v), size, got, err, want, werr)
			}
		}
	}
}
