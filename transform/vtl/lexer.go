package vtl

import (
	"fmt"
	"unicode/utf8"
)

// lexState is a lexical state of Velocity's token manager.
type lexState int

const (
	stDefault lexState = iota
	stPreDirective
	stDirective
	stReference
	stRefModifier
	stRefMod2
	stRefIndex
	stSingleLineComment
	stFormalComment
	stMultiLineComment
	stTextblock
)

// moreKinds are the MORE patterns Velocity defines in every state.
var moreKinds = []tokKind{tkDollar, tkDollarBang, tkTextblockSt, tkFormalSt, tkMultiSt, tkHash}

// stateKinds lists, per lexical state, the patterns that may match there.
// It is a read-only table.
var stateKinds = [...][]tokKind{
	stDefault: join([]tokKind{tkEscapeDirective, tkSetDirective}, moreKinds,
		[]tokKind{tkSingleLineCommentStart, tkDoubleEscape, tkEscape, tkText, tkEmptyIndex}),
	stPreDirective: join(moreKinds, []tokKind{tkSingleLineCommentStart, tkEnd, tkIf, tkElseIf, tkElse,
		tkInteger, tkFloat, tkWord, tkBracketedWord, tkDirTerminator}),
	stDirective: join([]tokKind{tkLBracket, tkRBracket, tkComma, tkDoubleDot, tkColon, tkLeftCurley,
		tkRightCurley, tkLParen, tkRParen}, moreKinds, []tokKind{tkSingleLineCommentStart, tkWhitespace,
		tkStringLiteral, tkTrue, tkFalse, tkNewline, tkMinus, tkPlus, tkMultiply, tkDivide, tkModulus,
		tkAnd, tkOr, tkLT, tkLE, tkGT, tkGE, tkEQ, tkNE, tkNot, tkEquals, tkInteger, tkFloat, tkWord,
		tkBracketedWord}),
	stReference: join([]tokKind{tkIndexLBracket, tkSetDirective}, moreKinds, []tokKind{
		tkSingleLineCommentStart, tkTrue, tkFalse, tkIdentifier, tkDot, tkLCurly, tkRCurly,
		tkRefTerminator, tkEmptyIndex}),
	stRefModifier: join([]tokKind{tkIndexLBracket, tkLParen, tkSetDirective}, moreKinds, []tokKind{
		tkTrue, tkFalse, tkIdentifier, tkDot, tkLCurly, tkRCurly, tkRefTerminator}),
	stRefMod2: join([]tokKind{tkLBracket, tkRBracket, tkComma, tkDoubleDot, tkColon, tkLeftCurley,
		tkRightCurley, tkRefmod2RParen, tkSetDirective}, moreKinds, []tokKind{tkWhitespace,
		tkStringLiteral, tkTrue, tkFalse, tkInteger, tkFloat, tkIdentifier, tkDot}),
	stRefIndex: join([]tokKind{tkIndexRBracket}, moreKinds, []tokKind{tkWhitespace, tkStringLiteral,
		tkTrue, tkFalse, tkInteger, tkFloat}),
	stSingleLineComment: join(moreKinds, []tokKind{tkSingleLineComment, tkSkipAny}),
	stFormalComment:     join(moreKinds, []tokKind{tkFormalComment, tkSkipAny}),
	stMultiLineComment:  join(moreKinds, []tokKind{tkMultiLineComment, tkSkipAny}),
	stTextblock:         join(moreKinds, []tokKind{tkTextblock, tkMoreAny}),
}

func join(parts ...[]tokKind) []tokKind {
	var out []tokKind
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

type savedState struct {
	lparen, rparen int
	state          lexState
}

// lexer reproduces Velocity 1.7's JavaCC token manager: lexical states, a
// state stack with parenthesis counts, MORE prefixes and special tokens.
type lexer struct {
	src   string
	pos   int
	state lexState
	stack []savedState

	lparen, rparen int
	inComment      bool
	inSet          bool
	lines          *lineIndex
	// tokens is the block new tokens are carved from: one allocation
	// for many tokens.
	tokens []token
}

// tokenBlock is how many tokens one allocation of the lexer holds.
const tokenBlock = 32

// newToken returns a new token holding t.
func (lx *lexer) newToken(t token) *token {
	if len(lx.tokens) == cap(lx.tokens) {
		lx.tokens = make([]token, 0, tokenBlock)
	}
	lx.tokens = append(lx.tokens, t)
	return &lx.tokens[len(lx.tokens)-1]
}

func newLexer(src string, lines *lineIndex) *lexer {
	return &lexer{src: src, lines: lines}
}

func (lx *lexer) push() {
	lx.stack = append(lx.stack, savedState{lx.lparen, lx.rparen, lx.state})
	lx.lparen = 0
}

func (lx *lexer) pop() bool {
	if len(lx.stack) == 0 {
		lx.lparen = 0
		lx.state = stDefault
		return false
	}
	s := lx.stack[len(lx.stack)-1]
	lx.stack = lx.stack[:len(lx.stack)-1]
	lx.lparen, lx.rparen, lx.state = s.lparen, s.rparen, s.state
	return true
}

func (lx *lexer) rparenHandler() {
	closed := lx.inComment
	for !closed {
		if lx.lparen > 0 {
			if lx.lparen == lx.rparen+1 {
				lx.pop()
			} else {
				lx.rparen++
			}
			closed = true
		} else if !lx.pop() {
			break
		}
	}
}

// backupRune moves the position back by one character.
func (lx *lexer) backupRune() {
	_, n := utf8.DecodeLastRuneInString(lx.src[:lx.pos])
	lx.pos -= n
}

// match finds the longest pattern matching at pos in the current state;
// ties go to the pattern defined first.
func (lx *lexer) match(pos int) (tokKind, int) {
	best, bestLen := tkEOF, 0
	kinds := stateKinds[lx.state]
	if pos < len(lx.src) {
		kinds = stateKindsByByte[lx.state][lx.src[pos]]
	}
	for _, k := range kinds {
		if n := matchLen(k, lx.src, pos); n > bestLen {
			best, bestLen = k, n
		}
	}
	return best, bestLen
}

// next returns the next token.
func (lx *lexer) next() (*token, error) {
	special := ""
	for {
		if lx.pos >= len(lx.src) {
			return lx.newToken(token{kind: tkEOF, special: special, off: lx.pos, end: lx.pos}), nil
		}
		begin := lx.pos
	more:
		for {
			if lx.pos >= len(lx.src) {
				return nil, lx.errorf(lx.pos, "lexical error: unexpected end of template after %q", lx.src[begin:lx.pos])
			}
			kind, n := lx.match(lx.pos)
			if n == 0 {
				r, _ := utf8.DecodeRuneInString(lx.src[lx.pos:])
				return nil, lx.errorf(lx.pos, "lexical error: unexpected %q", r)
			}
			lx.pos += n
			switch kind.class() {
			case classToken:
				t := lx.newToken(token{kind: kind, image: lx.src[begin:lx.pos], special: special, off: begin})
				lx.tokenAction(t)
				t.end = lx.pos
				return t, nil
			case classSpecial:
				img := lx.src[begin:lx.pos]
				lx.backupRune()
				lx.pop()
				special += specialText(img)
				break more
			case classSkip:
				break more
			case classMore:
				lx.moreAction(kind)
			}
		}
	}
}

func (lx *lexer) moreAction(k tokKind) {
	if lx.inComment {
		return
	}
	switch k {
	case tkDollar, tkDollarBang:
		if lx.state == stReference {
			lx.pop()
		}
		lx.push()
		lx.state = stReference
	case tkTextblockSt:
		lx.inComment = true
		lx.push()
		lx.state = stTextblock
	case tkFormalSt:
		lx.backupRune()
		lx.inComment = true
		lx.push()
		lx.state = stFormalComment
	case tkMultiSt:
		lx.inComment = true
		lx.push()
		lx.state = stMultiLineComment
	case tkHash:
		if lx.state == stReference || lx.state == stRefModifier {
			lx.pop()
		}
		lx.push()
		lx.state = stPreDirective
	}
}

func (lx *lexer) tokenAction(t *token) {
	switch t.kind {
	case tkIndexLBracket:
		lx.push()
		lx.state = stRefIndex
	case tkIndexRBracket:
		lx.pop()
	case tkLParen:
		if !lx.inComment {
			lx.lparen++
		}
		if lx.state == stRefModifier {
			lx.state = stRefMod2
		}
	case tkRParen:
		lx.rparenHandler()
	case tkRefmod2RParen:
		lx.state = stReference
	case tkSetDirective:
		if !lx.inComment {
			lx.push()
			lx.inSet = true
			lx.state = stDirective
			lx.lparen++
		}
	case tkSingleLineCommentStart:
		if !lx.inComment {
			if lx.state == stReference {
				lx.pop()
			}
			lx.inComment = true
			lx.push()
			lx.state = stSingleLineComment
		}
	case tkSingleLineComment, tkFormalComment, tkMultiLineComment, tkTextblock:
		lx.inComment = false
		lx.pop()
	case tkStringLiteral:
		if lx.state == stDirective && !lx.inSet && lx.lparen == 0 {
			lx.pop()
		}
	case tkNewline:
		lx.pop()
		lx.inSet = false
	case tkEnd, tkElse:
		lx.pop()
	case tkIf, tkElseIf:
		lx.state = stDirective
	case tkInteger:
		if len(t.image) >= 2 && t.image[len(t.image)-2:] == ".." {
			lx.pos -= 2
			t.image = t.image[:len(t.image)-2]
		}
		if lx.lparen == 0 && !lx.inSet && lx.state != stRefMod2 && lx.state != stRefIndex {
			lx.pop()
		}
	case tkFloat:
		if lx.lparen == 0 && !lx.inSet && lx.state != stRefMod2 {
			lx.pop()
		}
	case tkDot:
		lx.pos--
		t.image = "."
		lx.state = stRefModifier
	case tkRCurly:
		lx.pop()
	}
}

// isLeftParenthesis reports whether optional whitespace and then '(' follow.
func (lx *lexer) isLeftParenthesis() bool {
	for i := lx.pos; i < len(lx.src); i++ {
		switch lx.src[i] {
		case '(':
			return true
		case ' ', '\n', '\r', '\t':
		default:
			return false
		}
	}
	return false
}

// specialText keeps what Velocity prints of a special token: '#' and '$'
// characters and backslash runs ending in '$' (NodeUtils.getSpecialText,
// including its habit of skipping the character after such a run).
func specialText(st string) string {
	var out []byte
	for i := 0; i < len(st); i++ {
		c := st[i]
		if c == '#' || c == '$' {
			out = append(out, c)
		}
		if c == '\\' {
			j := i
			term := false
			for ok := true; ok && j < len(st); j++ {
				switch st[j] {
				case '\\':
				case '$':
					term = true
					ok = false
				default:
					ok = false
				}
			}
			if term {
				out = append(out, st[i:j]...)
				i = j
			}
		}
	}
	return string(out)
}

func (lx *lexer) errorf(off int, format string, args ...any) error {
	line, col := lx.lines.position(off)
	return &Error{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}
