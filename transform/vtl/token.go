package vtl

// tokKind identifies a token. The numeric order is the order in which
// Velocity 1.7's grammar (Parser.jjt) defines its tokens: when two patterns
// match the same number of characters the lower kind wins, as in JavaCC.
type tokKind int

const (
	tkEOF tokKind = iota
	tkIndexLBracket
	tkIndexRBracket
	tkLBracket
	tkRBracket
	tkComma
	tkDoubleDot
	tkColon
	tkLeftCurley
	tkRightCurley
	tkLParen
	tkRParen
	tkRefmod2RParen
	tkEscapeDirective
	tkSetDirective
	tkDollar      // MORE
	tkDollarBang  // MORE
	tkTextblockSt // MORE "#[["
	tkFormalSt    // MORE "#**" + one char (backed up)
	tkMultiSt     // MORE "#*"
	tkHash        // MORE "#"
	tkSingleLineCommentStart
	tkDoubleEscape
	tkEscape
	tkText
	tkSingleLineComment
	tkFormalComment
	tkMultiLineComment
	tkTextblock
	tkSkipAny // SKIP one character inside comments
	tkMoreAny // MORE one character inside a text block
	tkWhitespace
	tkStringLiteral
	tkTrue
	tkFalse
	tkNewline
	tkMinus
	tkPlus
	tkMultiply
	tkDivide
	tkModulus
	tkAnd
	tkOr
	tkLT
	tkLE
	tkGT
	tkGE
	tkEQ
	tkNE
	tkNot
	tkEquals
	tkEnd
	tkIf
	tkElseIf
	tkElse
	tkInteger
	tkFloat
	tkWord
	tkBracketedWord
	tkIdentifier
	tkDot
	tkLCurly
	tkRCurly
	tkRefTerminator // SPECIAL
	tkDirTerminator // SPECIAL
	tkEmptyIndex
)

// tokClass says what the token manager does with a match.
type tokClass int

const (
	classToken tokClass = iota
	classMore
	classSkip
	classSpecial
)

func (k tokKind) class() tokClass {
	switch k {
	case tkDollar, tkDollarBang, tkTextblockSt, tkFormalSt, tkMultiSt, tkHash, tkMoreAny:
		return classMore
	case tkSkipAny:
		return classSkip
	case tkRefTerminator, tkDirTerminator:
		return classSpecial
	}
	return classToken
}

// token is one lexical token. image includes any MORE prefix, as in JavaCC.
type token struct {
	kind    tokKind
	image   string
	special string // text kept from preceding special tokens ('#', '$', ...)
	off     int    // byte offset of the first character
	end     int    // byte offset after the last character
}

// describe names a token for error messages.
func (t *token) describe() string {
	if t.kind == tkEOF {
		return "<EOF>"
	}
	return "\"" + t.image + "\""
}
