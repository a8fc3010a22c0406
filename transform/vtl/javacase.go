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
		u1, u2 := unicode.ToUpper(c1), unicode.ToUpper(c2)
		if u1 != u2 && unicode.ToLower(u1) != unicode.ToLower(u2) {
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
