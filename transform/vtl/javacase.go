package vtl

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// javaUpper is String.toUpperCase() in a non-Turkic locale: Unicode's
// full case mapping, SpecialCasing included (ß becomes SS, ᾳ ΑΙ).
func javaUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	return cases.Upper(language.Und).String(s)
}

// javaLower is String.toLowerCase() in a non-Turkic locale: İ becomes
// "i̇" and a capital sigma at the end of a word becomes final sigma.
func javaLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Lower(language.Und).String(s)
}

// javaEqualFold is String.equalsIgnoreCase: the same length in UTF-16
// units, and each pair of characters equal, or equal once upper-cased, or
// once upper- then lower-cased, one character at a time (so ß does not
// equal SS, and İ equals i).
func javaEqualFold(a, b string) bool {
	if isASCII(a) && isASCII(b) {
		return strings.EqualFold(a, b)
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) || len(u16(a)) != len(u16(b)) {
		return false
	}
	for i, c1 := range ra {
		c2 := rb[i]
		if c1 == c2 {
			continue
		}
		if foldCase(c1) != foldCase(c2) {
			return false
		}
	}
	return true
}

// compareToIgnoreCase is Java 17's String.compareToIgnoreCase: the
// strings compared one UTF-16 unit at a time, each unit as
// Character.toLowerCase(Character.toUpperCase(c)), then by length. When
// neither string fits in Latin-1 (Java's compact strings keep those
// apart), a pair of units that differ is compared as whole code points,
// a surrogate pair read as one character.
func compareToIgnoreCase(a, b []uint16) int32 {
	wide := !latin1(a) && !latin1(b)
	n := min(len(a), len(b))
	for i, j := 0, 0; i < n && j < n; i, j = i+1, j+1 {
		c1, c2 := rune(a[i]), rune(b[j])
		if c1 == c2 || foldCase(c1) == foldCase(c2) {
			continue
		}
		if wide {
			var next bool
			if c1, next = codePointAt(a, i); next {
				i++
			}
			if c2, next = codePointAt(b, j); next {
				j++
			}
		}
		if d := foldCase(c1) - foldCase(c2); d != 0 {
			return d
		}
	}
	return int32(len(a) - len(b))
}

// foldCase is Character.toLowerCase(Character.toUpperCase(c)).
func foldCase(c rune) rune { return unicode.ToLower(unicode.ToUpper(c)) }

// codePointAt reads the code point that the unit u[i] is part of, as
// Java's StringUTF16.codePointIncluding does when a comparison finds a
// difference there: a high surrogate with a low one after it starts a
// pair (next reports that the low one is read too), and a low surrogate
// after a high one ends a pair whose high halves were equal.
func codePointAt(u []uint16, i int) (c rune, next bool) {
	switch {
	case isPair(u, i):
		return pairRune(u[i], u[i+1]), true
	case i > 0 && isPair(u, i-1):
		return pairRune(u[i-1], u[i]), false
	}
	return rune(u[i]), false
}

func pairRune(hi, lo uint16) rune { return rune(hi-0xD800)<<10 + rune(lo-0xDC00) + 0x10000 }

// latin1 reports whether every unit of u is below U+0100.
func latin1(u []uint16) bool {
	for _, c := range u {
		if c > 0xFF {
			return false
		}
	}
	return true
}

// javaSpace is Character.isWhitespace, what String.strip and isBlank
// trim: Unicode space separators but the non-breaking ones, and the
// ASCII controls \t \n \u000B \f \r and \u001C-\u001F.
func javaSpace(r rune) bool {
	switch {
	case r == '\u00a0' || r == '\u2007' || r == '\u202f':
		return false
	case r >= '\t' && r <= '\r' || r >= 0x1c && r <= 0x1f:
		return true
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
