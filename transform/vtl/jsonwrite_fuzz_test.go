package vtl

import (
	"strings"
	"testing"
)

// refEscapeJSON is escapeJSON written rune by rune, the plain model the
// run-copying escapeJSON is checked against.
func refEscapeJSON(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '/':
			b.WriteString(`\/`)
		default:
			if r <= 0x1F || (r >= 0x7F && r <= 0x9F) || (r >= 0x2000 && r <= 0x20FF) {
				b.WriteString(`\u`)
				b.WriteByte(hex[r>>12&0xF])
				b.WriteByte(hex[r>>8&0xF])
				b.WriteByte(hex[r>>4&0xF])
				b.WriteByte(hex[r&0xF])
			} else {
				b.WriteRune(r)
			}
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
