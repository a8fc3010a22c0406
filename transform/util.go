package transform

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf16"

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
	for i < len(s) {
		c := s[i]
		if c < 32 || c > 0x7e || c == '\'' || c == '"' || c == '\\' || c == '/' {
			break
		}
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
				if i+2 >= len(s) {
					return "", fmt.Errorf("URLDecoder: Incomplete trailing escape (%%) pattern")
				}
				h, ok1 := unhex(s[i+1])
				l, ok2 := unhex(s[i+2])
				if !ok1 || !ok2 {
					return "", fmt.Errorf("URLDecoder: Illegal hex characters in escape (%%) pattern")
				}
				bytes = append(bytes, h<<4|l)
				i += 3
			}
			i--
			b.WriteString(strings.ToValidUTF8(string(bytes), "\uFFFD"))
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Base64Decode decodes like Java's MIME base64 decoder: characters outside
// the alphabet are ignored and decoding stops at padding; the bytes are
// read as UTF-8.
func Base64Decode(s string) (string, error) {
	var clean []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			break
		}
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		return "", fmt.Errorf("IllegalArgumentException: Last unit does not have enough valid bits")
	}
	out, err := base64.RawStdEncoding.DecodeString(string(clean))
	if err != nil {
		return "", fmt.Errorf("IllegalArgumentException: %w", err)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}
