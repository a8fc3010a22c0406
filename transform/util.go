package transform

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// util is $util: escaping, JSON parsing, URL and base64 coding.
type util struct{}

// CallMethod implements vtl.Object.
func (util) CallMethod(name string, args []any) (any, bool, error) {
	if len(args) != 1 {
		return nil, false, nil
	}
	switch name {
	case "escapeJavaScript", "parseJson", "urlEncode", "urlDecode", "base64Encode", "base64Decode":
	default:
		return nil, false, nil
	}
	if args[0] == nil {
		return nil, true, nil
	}
	s, isString := args[0].(string)
	if !isString {
		s = vtl.ToString(args[0])
	}
	switch name {
	case "escapeJavaScript":
		e := EscapeJavaScript(s)
		if isString && len(e) == len(s) {
			return args[0], true, nil // unchanged: keep the boxed value
		}
		return e, true, nil
	case "parseJson":
		v, err := ParseJSON(s)
		return v, true, err
	case "urlEncode":
		return URLEncode(s), true, nil
	case "urlDecode":
		v, err := URLDecode(s)
		return v, true, err
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(s)), true, nil
	}
	v, err := Base64Decode(s)
	return v, true, err
}

// CallString implements vtl.StringCaller for the methods that take and
// give a string, as CallMethod runs them.
func (util) CallString(name, s string) (string, bool) {
	switch name {
	case "escapeJavaScript":
		return EscapeJavaScript(s), true
	case "urlEncode":
		return URLEncode(s), true
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(s)), true
	}
	return "", false
}

// String is what Java's Object.toString would print.
func (util) String() string { return "$util" }

// EscapeJavaScript escapes like Apache Commons Lang 2.6
// StringEscapeUtils.escapeJavaScript: quotes, backslash and '/' get a
// backslash, control characters their short or \u00XX forms, and every
// UTF-16 unit from U+0080 up becomes \uXXXX (upper-case hex).
func EscapeJavaScript(s string) string {
	i := 0
	for i < len(s) && jsPlain[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	s = s[i:]
	for _, c := range utf16.Encode([]rune(s)) {
		switch {
		case c > 0x7f:
			fmt.Fprintf(&b, `\u%04X`, c)
		case c < 32:
			switch c {
			case '\b':
				b.WriteString(`\b`)
			case '\n':
				b.WriteString(`\n`)
			case '\t':
				b.WriteString(`\t`)
			case '\f':
				b.WriteString(`\f`)
			case '\r':
				b.WriteString(`\r`)
			default:
				fmt.Fprintf(&b, `\u%04X`, c)
			}
		case c == '\'':
			b.WriteString(`\'`)
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '/':
			b.WriteString(`\/`)
		default:
			b.WriteByte(byte(c))
		}
	}
	return b.String()
}

// jsPlain marks the bytes EscapeJavaScript copies as they are: printable
// ASCII but for ' " \ and /.
var jsPlain = func() (t [256]bool) {
	for c := 32; c < 0x7f; c++ {
		t[c] = c != '\'' && c != '"' && c != '\\' && c != '/'
	}
	return t
}()

// URLEncode is java.net.URLEncoder.encode(s, "UTF-8"): letters, digits and
// ". - * _" stay, space becomes '+', everything else %XX per UTF-8 byte.
func URLEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// URLDecode is java.net.URLDecoder.decode(s, "UTF-8").
func URLDecode(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '+':
			b.WriteByte(' ')
		case '%':
			var bytes []byte
			for i < len(s) && s[i] == '%' {
				v, n, err := escapedByte(s[i+1:])
				if err != nil {
					return "", err
				}
				bytes = append(bytes, v)
				i += 1 + n
			}
			i--
			b.WriteString(javaUTF8(bytes))
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// URLDecoder's refusals of an escape, built once: every escape read
// would otherwise format one.
var (
	errEscapeIncomplete = errors.New("URLDecoder: Incomplete trailing escape (%) pattern")
	errEscapeIllegal    = errors.New("URLDecoder: Illegal hex characters in escape (%) pattern")
	errEscapeNegative   = errors.New("URLDecoder: Illegal hex characters in escape (%) pattern - negative value")
)

// escapedByte reads the two characters after a '%' (the UTF-16 units of
// rest) as URLDecoder does, with Integer.parseInt(x, 16): two digits as
// Character.digit reads them (any Unicode decimal digit, full-width A-F
// too), or a sign and one ("%+1" is 1, "%-0" is 0; a negative value is
// refused). n is the length in bytes of the two characters.
func escapedByte(rest string) (v byte, n int, err error) {
	c1, n1 := utf8.DecodeRuneInString(rest)
	c2, n2 := utf8.DecodeRuneInString(rest[n1:])
	units := 0 // Java counts the characters left in UTF-16 units
	if n1 > 0 {
		units += utf16.RuneLen(c1)
	}
	if n2 > 0 {
		units += utf16.RuneLen(c2)
	}
	if units < 2 {
		return 0, 0, errEscapeIncomplete
	}
	if c1 > 0xFFFF || c2 > 0xFFFF {
		return 0, 0, errEscapeIllegal // half of a surrogate pair is not a digit
	}
	d1, d2 := javaHexDigit(c1), javaHexDigit(c2)
	switch {
	case d2 < 0:
		return 0, 0, errEscapeIllegal
	case c1 == '+', c1 == '-' && d2 == 0:
		return byte(d2), n1 + n2, nil
	case c1 == '-':
		return 0, 0, errEscapeNegative
	case d1 < 0:
		return 0, 0, errEscapeIllegal
	}
	return byte(d1<<4 | d2), n1 + n2, nil
}

// javaHexDigit is Character.digit(r, 16): ASCII and full-width 0-9, A-F
// and a-f, and any other Unicode decimal digit (category Nd, in runs of
// ten from a zero); -1 for anything else.
func javaHexDigit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 'a' && r <= 'f':
		return int(r-'a') + 10
	case r >= 'A' && r <= 'F':
		return int(r-'A') + 10
	case r >= 0xFF21 && r <= 0xFF26:
		return int(r-0xFF21) + 10
	case r >= 0xFF41 && r <= 0xFF46:
		return int(r-0xFF41) + 10
	case r > 0xFF && unicode.Is(unicode.Nd, r):
		zero := r
		for unicode.Is(unicode.Nd, zero-1) {
			zero--
		}
		return int(r-zero) % 10
	}
	return -1
}

// Base64Decode decodes as Java's MIME base64 decoder does
// (Base64.getMimeDecoder): characters outside the alphabet are skipped;
// padding ends the data and must be complete ("xx==", "xxx="), with
// nothing of the alphabet after it; the bytes are read as UTF-8 as Java's
// String(bytes, UTF_8) reads them.
func Base64Decode(s string) (string, error) {
	var out []byte
	bits, shift := 0, 18 // shift: where the next 6 bits go in a 3-byte unit
	i := 0
	for i < len(s) {
		c := s[i]
		i++
		v := base64Value(c)
		if v == -2 { // '='
			if shift == 6 && (i == len(s) || s[i] != '=') || shift == 18 {
				return "", fmt.Errorf("IllegalArgumentException: Input byte array has wrong 4-byte ending unit")
			}
			if shift == 6 {
				i++ // the second '='
			}
			break
		}
		if v < 0 {
			continue // MIME: not in the alphabet, skipped
		}
		bits |= v << shift
		if shift -= 6; shift < 0 {
			out = append(out, byte(bits>>16), byte(bits>>8), byte(bits))
			bits, shift = 0, 18
		}
	}
	switch shift {
	case 6:
		out = append(out, byte(bits>>16))
	case 0:
		out = append(out, byte(bits>>16), byte(bits>>8))
	case 12:
		return "", fmt.Errorf("IllegalArgumentException: Last unit does not have enough valid bits")
	}
	for ; i < len(s); i++ {
		if base64Value(s[i]) >= 0 {
			return "", fmt.Errorf("IllegalArgumentException: Input byte array has incorrect ending byte at %d", i)
		}
	}
	return javaUTF8(out), nil
}

// base64Value is a character's value in the base64 alphabet, -2 for '='
// and -1 for characters outside it.
func base64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	case c == '=':
		return -2
	}
	return -1
}

// javaUTF8 decodes b as Java 17's new String(b, UTF_8) does: each
// malformed sequence (as Java's decoder delimits it: a lone byte, the
// valid start of a truncated sequence, an encoded surrogate...) becomes
// one U+FFFD.
func javaUTF8(b []byte) string {
	var sb strings.Builder
	const repl = "\uFFFD"
	sp, sl := 0, len(b)
	for sp < sl {
		b1 := b[sp]
		sp++
		switch {
		case b1 < 0x80:
			sb.WriteByte(b1)
		case b1>>5 == 0x6 && b1&0x1e != 0: // 110xxxxx, not C0/C1
			if sp < sl {
				b2 := b[sp]
				sp++
				if !isCont(b2) {
					sb.WriteString(repl)
					sp--
				} else {
					sb.WriteRune(rune(b1&0x1f)<<6 | rune(b2&0x3f))
				}
				continue
			}
			sb.WriteString(repl)
		case b1>>4 == 0xe: // 1110xxxx
			if sp+1 < sl {
				b2, b3 := b[sp], b[sp+1]
				sp += 2
				if (b1 == 0xe0 && b2&0xe0 == 0x80) || !isCont(b2) || !isCont(b3) { // malformed3
					sb.WriteString(repl)
					sp -= 3
					sp += malformed3(b, sp)
				} else {
					c := rune(b1&0x0f)<<12 | rune(b2&0x3f)<<6 | rune(b3&0x3f)
					if c >= 0xd800 && c <= 0xdfff {
						sb.WriteString(repl)
					} else {
						sb.WriteRune(c)
					}
				}
				continue
			}
			if sp < sl && malformed3_2(b1, b[sp]) {
				sb.WriteString(repl)
				continue
			}
			sb.WriteString(repl)
			sp = sl // truncated at the end: one replacement for the rest
		case b1>>3 == 0x1e: // 11110xxx
			if sp+2 < sl {
				b2, b3, b4 := b[sp], b[sp+1], b[sp+2]
				sp += 3
				uc := rune(b1&0x07)<<18 | rune(b2&0x3f)<<12 | rune(b3&0x3f)<<6 | rune(b4&0x3f)
				if !isCont(b2) || !isCont(b3) || !isCont(b4) || uc < 0x10000 || uc > 0x10ffff {
					sb.WriteString(repl)
					sp -= 4
					sp += malformed4(b, sp)
				} else {
					sb.WriteRune(uc)
				}
				continue
			}
			if b1 > 0xf4 || sp < sl && malformed4_2(b1, b[sp]) {
				sb.WriteString(repl)
				continue
			}
			sp++
			sb.WriteString(repl)
			if sp < sl && malformed4_3(b[sp]) {
				continue
			}
			sp = sl
		default:
			sb.WriteString(repl)
		}
	}
	return sb.String()
}

func isCont(b byte) bool { return b&0xc0 == 0x80 }

func malformed3(b []byte, sp int) int {
	b1 := b[sp]
	b2 := b[sp+1]
	if (b1 == 0xe0 && b2&0xe0 == 0x80) || !isCont(b2) {
		return 1
	}
	return 2
}

func malformed3_2(b1, b2 byte) bool {
	return (b1 == 0xe0 && b2&0xe0 == 0x80) || !isCont(b2)
}

func malformed4(b []byte, sp int) int {
	b1, b2 := b[sp], b[sp+1]
	if b1 > 0xf4 || (b1 == 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 == 0xf4 && b2&0xf0 != 0x80) || !isCont(b2) {
		return 1
	}
	if !isCont(b[sp+2]) {
		return 2
	}
	return 3
}

func malformed4_2(b1, b2 byte) bool {
	return (b1 == 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 == 0xf4 && b2&0xf0 != 0x80) || !isCont(b2)
}

func malformed4_3(b3 byte) bool { return !isCont(b3) }
