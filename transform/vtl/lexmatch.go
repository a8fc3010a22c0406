package vtl

import (
	"strings"
	"unicode/utf8"
)

// matchLen returns how many bytes of s at p the pattern k matches (0: none).
// The patterns transcribe Velocity 1.7's Parser.jjt token definitions.
func matchLen(k tokKind, s string, p int) int {
	rest := s[p:]
	switch k {
	case tkIndexLBracket, tkLBracket:
		return lit(rest, "[")
	case tkIndexRBracket, tkRBracket:
		return lit(rest, "]")
	case tkComma:
		return lit(rest, ",")
	case tkDoubleDot:
		return lit(rest, "..")
	case tkColon:
		return lit(rest, ":")
	case tkLeftCurley, tkLCurly:
		return lit(rest, "{")
	case tkRightCurley, tkRCurly:
		return lit(rest, "}")
	case tkLParen:
		return lit(rest, "(")
	case tkRParen:
		if !strings.HasPrefix(rest, ")") {
			return 0
		}
		return 1 + wsNewline(rest[1:])
	case tkRefmod2RParen:
		return lit(rest, ")")
	case tkEscapeDirective:
		return matchEscapeDirective(rest)
	case tkSetDirective:
		return matchSet(rest)
	case tkDollar:
		i := countByte(rest, '\\')
		if i < len(rest) && rest[i] == '$' {
			return i + 1
		}
		return 0
	case tkDollarBang:
		i := countByte(rest, '\\')
		if i >= len(rest) || rest[i] != '$' {
			return 0
		}
		i++
		i += countByte(rest[i:], '\\')
		if i < len(rest) && rest[i] == '!' { // Velocity 1.7 has no "$#" form
			return i + 1
		}
		return 0
	case tkTextblockSt:
		return lit(rest, "#[[")
	case tkFormalSt:
		if strings.HasPrefix(rest, "#**") && len(rest) > 3 && rest[3] != '#' {
			_, n := utf8.DecodeRuneInString(rest[3:])
			return 3 + n
		}
		return 0
	case tkMultiSt:
		return lit(rest, "#*")
	case tkHash:
		return lit(rest, "#")
	case tkSingleLineCommentStart:
		return lit(rest, "##")
	case tkDoubleEscape:
		return lit(rest, `\\`)
	case tkEscape:
		return lit(rest, `\`)
	case tkText:
		i := 0
		for i < len(rest) && rest[i] != '$' && rest[i] != '#' && rest[i] != '\\' {
			i++
		}
		return i
	case tkSingleLineComment, tkNewline:
		return newline(rest)
	case tkFormalComment, tkMultiLineComment:
		return lit(rest, "*#")
	case tkTextblock:
		return lit(rest, "]]#")
	case tkSkipAny, tkMoreAny, tkRefTerminator, tkDirTerminator:
		if rest == "" {
			return 0
		}
		_, n := utf8.DecodeRuneInString(rest)
		return n
	case tkWhitespace:
		i := 0
		for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\n' || rest[i] == '\r') {
			i++
		}
		return i
	case tkStringLiteral:
		return matchString(rest)
	case tkTrue:
		return lit(rest, "true")
	case tkFalse:
		return lit(rest, "false")
	case tkMinus:
		return lit(rest, "-")
	case tkPlus:
		return lit(rest, "+")
	case tkMultiply:
		return lit(rest, "*")
	case tkDivide:
		return lit(rest, "/")
	case tkModulus:
		return lit(rest, "%")
	case tkAnd:
		return lit2(rest, "&&", "and")
	case tkOr:
		return lit2(rest, "||", "or")
	case tkLT:
		return lit2(rest, "<", "lt")
	case tkLE:
		return lit2(rest, "<=", "le")
	case tkGT:
		return lit2(rest, ">", "gt")
	case tkGE:
		return lit2(rest, ">=", "ge")
	case tkEQ:
		return lit2(rest, "==", "eq")
	case tkNE:
		return lit2(rest, "!=", "ne")
	case tkNot:
		return lit2(rest, "!", "not")
	case tkEquals:
		return lit(rest, "=")
	case tkEnd:
		return withNewline(rest, lit2(rest, "end", "{end}"))
	case tkIf:
		return lit2(rest, "if", "{if}")
	case tkElseIf:
		return lit2(rest, "elseif", "{elseif}")
	case tkElse:
		return withNewline(rest, lit2(rest, "else", "{else}"))
	case tkInteger:
		i := 0
		if strings.HasPrefix(rest, "-") {
			i = 1
		}
		d := countDigits(rest[i:])
		if d == 0 {
			return 0
		}
		i += d
		if strings.HasPrefix(rest[i:], "..") {
			i += 2
		}
		return i
	case tkFloat:
		return matchFloat(rest)
	case tkWord:
		return matchWord(rest)
	case tkBracketedWord:
		return matchBracketedWord(rest)
	case tkIdentifier:
		if rest == "" || !(isAlpha(rest[0]) || rest[0] == '_') {
			return 0
		}
		i := 1
		for i < len(rest) && (isAlpha(rest[i]) || isDigit(rest[i]) || rest[i] == '-' || rest[i] == '_') {
			i++
		}
		return i
	case tkDot:
		if len(rest) >= 2 && rest[0] == '.' && isAlpha(rest[1]) {
			return 2
		}
		return 0
	case tkEmptyIndex:
		for _, p := range []string{"$[", "$![", `$\![`, "$."} {
			if strings.HasPrefix(rest, p) {
				return len(p)
			}
		}
		return 0
	}
	return 0
}

func lit(s, p string) int {
	if strings.HasPrefix(s, p) {
		return len(p)
	}
	return 0
}

func lit2(s, a, b string) int {
	return max(lit(s, a), lit(s, b))
}

func newline(s string) int {
	switch {
	case strings.HasPrefix(s, "\r\n"):
		return 2
	case strings.HasPrefix(s, "\n"), strings.HasPrefix(s, "\r"):
		return 1
	}
	return 0
}

// wsNewline matches ((" "|"\t")* newline)? and returns its length.
func wsNewline(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if n := newline(s[i:]); n > 0 {
		return i + n
	}
	return 0
}

func withNewline(s string, n int) int {
	if n == 0 {
		return 0
	}
	return n + wsNewline(s[n:])
}

func countByte(s string, b byte) int {
	i := 0
	for i < len(s) && s[i] == b {
		i++
	}
	return i
}

func countDigits(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDirectiveChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || c == '_' || c == '@'
}

func matchWord(s string) int {
	if s == "" || !(isAlpha(s[0]) || s[0] == '_' || s[0] == '@') {
		return 0
	}
	i := 1
	for i < len(s) && isDirectiveChar(s[i]) {
		i++
	}
	return i
}

func matchBracketedWord(s string) int {
	if len(s) < 3 || s[0] != '{' || !(isAlpha(s[1]) || s[1] == '_') {
		return 0
	}
	i := 2
	for i < len(s) && isDirectiveChar(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '}' {
		return i + 1
	}
	return 0
}

func matchEscapeDirective(s string) int {
	n := countByte(s, '\\')
	if n%2 == 0 || n >= len(s) || s[n] != '#' {
		return 0
	}
	rest := s[n+1:]
	w := max(matchWord(rest), matchBracketedWord(rest))
	if w == 0 {
		return 0
	}
	return n + 1 + w
}

func matchSet(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	w := lit2(s[i:], "#set", "#{set}")
	if w == 0 {
		return 0
	}
	i += w
	i += countByte(s[i:], ' ')
	if i < len(s) && s[i] == '(' {
		return i + 1
	}
	return 0
}

func matchString(s string) int {
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return 0
	}
	q := s[0]
	last := 0
	i := 1
	for i < len(s) {
		if s[i] == q {
			last = i + 1
			if i+1 < len(s) && s[i+1] == q {
				i += 2
				continue
			}
			break
		}
		i++
	}
	return last
}

func matchFloat(s string) int {
	i := 0
	if strings.HasPrefix(s, "-") {
		i = 1
	}
	d := countDigits(s[i:])
	best := 0
	if d > 0 {
		j := i + d
		if j < len(s) && s[j] == '.' {
			k := j + 1 + countDigits(s[j+1:])
			best = max(best, k+exponent(s[k:]))
		}
		if e := exponent(s[j:]); e > 0 {
			best = max(best, j+e)
		}
	} else if i < len(s) && s[i] == '.' {
		d2 := countDigits(s[i+1:])
		if d2 > 0 {
			k := i + 1 + d2
			best = max(best, k+exponent(s[k:]))
		}
	}
	return best
}

func exponent(s string) int {
	if s == "" || (s[0] != 'e' && s[0] != 'E') {
		return 0
	}
	i := 1
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	d := countDigits(s[i:])
	if d == 0 {
		return 0
	}
	return i + d
}
