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
