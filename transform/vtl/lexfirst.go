package vtl

// The lexer tries, at each position, every pattern of the current state
// and keeps the longest match. Most patterns can only start with a few
// bytes, so the candidates are narrowed by the byte at the position first:
// stateKindsByByte[state][b] lists, in stateKinds order, the kinds that may
// match text starting with b. The order is kept, so ties resolve as before.

// mayStartWith reports whether matchLen(k, s, p) can be positive when
// s[p] == b. It may say yes for a byte that never starts a match, never no
// for one that does (lexfirst_test.go checks this against matchLen).
func mayStartWith(k tokKind, b byte) bool {
	switch k {
	case tkIndexLBracket, tkLBracket:
		return b == '['
	case tkIndexRBracket, tkRBracket, tkTextblock:
		return b == ']'
	case tkComma:
		return b == ','
	case tkDoubleDot, tkDot:
		return b == '.'
	case tkColon:
		return b == ':'
	case tkLeftCurley, tkLCurly, tkBracketedWord:
		return b == '{'
	case tkRightCurley, tkRCurly:
		return b == '}'
	case tkLParen:
		return b == '('
	case tkRParen, tkRefmod2RParen:
		return b == ')'
	case tkEscapeDirective, tkDoubleEscape, tkEscape:
		return b == '\\'
	case tkSetDirective:
		return b == ' ' || b == '\t' || b == '#'
	case tkDollar, tkDollarBang:
		return b == '\\' || b == '$'
	case tkTextblockSt, tkFormalSt, tkMultiSt, tkHash, tkSingleLineCommentStart:
		return b == '#'
	case tkText:
		return b != '$' && b != '#' && b != '\\'
	case tkSingleLineComment, tkNewline:
		return b == '\r' || b == '\n'
	case tkFormalComment, tkMultiLineComment, tkMultiply:
		return b == '*'
	case tkWhitespace:
		return b == ' ' || b == '\t' || b == '\n' || b == '\r'
	case tkStringLiteral:
		return b == '"' || b == '\''
	case tkTrue:
		return b == 't'
	case tkFalse:
		return b == 'f'
	case tkMinus:
		return b == '-'
	case tkPlus:
		return b == '+'
	case tkDivide:
		return b == '/'
	case tkModulus:
		return b == '%'
	case tkAnd:
		return b == '&' || b == 'a'
	case tkOr:
		return b == '|' || b == 'o'
	case tkLT, tkLE:
		return b == '<' || b == 'l'
	case tkGT, tkGE:
		return b == '>' || b == 'g'
	case tkEQ:
		return b == '=' || b == 'e'
	case tkNE, tkNot:
		return b == '!' || b == 'n'
	case tkEquals:
		return b == '='
	case tkEnd, tkElseIf, tkElse:
		return b == 'e' || b == '{'
	case tkIf:
		return b == 'i' || b == '{'
	case tkInteger:
		return b == '-' || isDigit(b)
	case tkFloat:
		return b == '-' || b == '.' || isDigit(b)
	case tkWord:
		return isAlpha(b) || b == '_' || b == '@'
	case tkIdentifier:
		return isAlpha(b) || b == '_'
	case tkEmptyIndex:
		return b == '$'
	}
	return true // any other pattern (such as "any character") is always tried
}

// stateKindsByByte is stateKinds narrowed by first byte; read-only.
var stateKindsByByte = func() (t [len(stateKinds)][256][]tokKind) {
	for st, kinds := range stateKinds {
		for b := 0; b < 256; b++ {
			for _, k := range kinds {
				if mayStartWith(k, byte(b)) {
					t[st][b] = append(t[st][b], k)
				}
			}
		}
	}
	return t
}()
