package vtl

import (
	"math/big"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// node is a statement of a parsed template. Nodes are immutable after
// parsing, so one tree can be rendered by many goroutines at once.
type node interface{ isNode() }

// expr is an expression: a directive argument, #set value or operand.
type expr interface{ isExpr() }

// pos is a node position used in error messages.
type pos struct{ line, col int }

// textNode is literal text. A text of at most textPadLen bytes is also
// kept in pad, so that it is written with one fixed-size copy (see
// renderNodes) instead of a call that picks a copy for its length.
type textNode struct {
	text  string
	short bool
	pad   [textPadLen]byte
}

const textPadLen = 32

func newTextNode(s string) *textNode {
	t := &textNode{text: s}
	if len(s) <= textPadLen {
		t.short = true
		copy(t.pad[:], s)
	}
	return t
}

type setNode struct {
	pos
	ref   *refNode
	value expr
}

type ifNode struct {
	conds  []expr
	blocks [][]node // one per condition, then the #else block if any
}

// directiveNode is #foreach, #macro, #define, #break, #stop, #evaluate,
// #parse, #include, #literal, or a macro call (an unknown name).
type directiveNode struct {
	pos
	name    string
	args    []expr
	body    []node // block directives only
	block   bool
	bare    bool     // written without parentheses
	literal string   // the source tokens, printed when no macro is found
	source  string   // #literal: the block's source text
	argText []string // each argument's source text
}

type refKind int

const (
	refNormal refKind = iota
	refQuiet
	refFormal
	refRunt
)

type partKind int

const (
	partIdent partKind = iota
	partMethod
	partIndex
)

// refPart is one step after the root: .name, .name(args) or [index].
type refPart struct {
	pos
	kind partKind
	name string
	args []expr
	// getters and isers are the accessor names property tries for a
	// partIdent, worked out at parse time: get<name>, get<Name>, is<name>,
	// is<Name> (Velocity's uberspector order).
	getters, isers [2]string
	// hint is the position where a *Map last held name (read and written
	// atomically: renders of one template share it). It only speeds up
	// the search; a stale hint is checked and replaced.
	hint int32
}

// newIdentPart builds a .name step with its accessor names.
func newIdentPart(p pos, name string) refPart {
	// One allocation for the four names: getnameget<Name>isnameis<Name>,
	// <Name> being name with its first letter's case flipped (flipFirst).
	c, size := utf8.DecodeRuneInString(name)
	if unicode.IsLower(c) {
		c = unicode.ToUpper(c)
	} else {
		c = unicode.ToLower(c)
	}
	b := make([]byte, 0, 10+2*len(name)+2*(utf8.UTFMax+len(name)-size))
	b = append(append(b, "get"...), name...)
	b = append(utf8.AppendRune(append(b, "get"...), c), name[size:]...)
	n, f := len(name), len(b)-6-len(name)
	b = append(append(b, "is"...), name...)
	b = append(utf8.AppendRune(append(b, "is"...), c), name[size:]...)
	all := unsafe.String(unsafe.SliceData(b), len(b)) // b is not changed after this
	g1, g2 := all[:3+n], all[3+n:6+n+f]
	rest := all[6+n+f:]
	return refPart{
		pos: p, kind: partIdent, name: name,
		getters: [2]string{g1, g2},
		isers:   [2]string{rest[:2+n], rest[2+n:]},
	}
}

type refNode struct {
	pos
	kind       refKind
	root       string
	slot       int // the root variable's slot; 0 when not resolved
	parts      []refPart
	escaped    bool
	escPrefix  string
	morePrefix string
	nullString string // the literal text, printed for escaped null references
	literal    string // the source text, used when "+" meets a null operand
	// lastIdent is set when the last step is .name (not .class): the
	// value may come unboxed from a MapSource (see renderer.lastStep).
	lastIdent bool
	// plainLast is set for a printed reference without escapes or
	// prefixes whose last step is .name: it may be printed unboxed.
	plainLast bool
	// printCall is set for a printed reference without escapes or
	// prefixes whose last step is a call with one argument (see
	// StringCaller).
	printCall bool
}

// bindsName reports whether a variable written as n, the target of a
// #set or #define or a macro's parameter, takes a name references can
// read. Velocity 1.7 names these by the text after the '$' of their
// first token, so $!a binds "!a" and ${a} binds "{": values set there
// are never read back. (A #foreach variable and a #set through a
// property, $!m.k, use the reference's own name.)
func (n *refNode) bindsName() bool { return n.kind == refNormal }

type stringLit struct {
	value        string
	interpolated bool   // a double-quoted literal holding '$' or '#'
	interp       []node // the parsed literal, when interpolated
	keepLast     bool   // do not strip the appended space (line comment inside)
}

type intLit struct{ v any }
type floatLit struct{ v float64 }
type boolLit struct{ v bool }
type wordExpr struct{ name string }

type rangeLit struct {
	pos
	lo, hi expr
}

type mapLit struct{ keys, vals []expr }
type listLit struct{ items []expr }

type binExpr struct {
	pos
	op   tokKind
	l, r expr
	// literal is what the operation contributes to a "+" concatenation
	// when it gives null, as Velocity's node literal: the source from
	// after the operator to the end of the right operand, or, when the
	// operation is in parentheses, all the text between them.
	literal string
}

type notExpr struct{ x expr }

func (*textNode) isNode()      {}
func (*setNode) isNode()       {}
func (*ifNode) isNode()        {}
func (*directiveNode) isNode() {}
func (*refNode) isNode()       {}

func (*refNode) isExpr()   {}
func (*stringLit) isExpr() {}
func (*intLit) isExpr()    {}
func (*floatLit) isExpr()  {}
func (*boolLit) isExpr()   {}
func (*wordExpr) isExpr()  {}
func (*rangeLit) isExpr()  {}
func (*mapLit) isExpr()    {}
func (*listLit) isExpr()   {}
func (*binExpr) isExpr()   {}
func (*notExpr) isExpr()   {}

// parseIntLiteral gives Integer, then Long, then BigInteger, like Velocity;
// ok is false for a token Java cannot read as one. The lexer keeps a '#'
// that did not start a directive in front of the next token, so "#1" in
// an argument is an integer token Velocity fails to read (a
// NumberFormatException when the template is loaded).
func parseIntLiteral(s string) (v any, ok bool) {
	b, ok := new(big.Int).SetString(s, 10)
	if !ok || s[0] == '+' {
		return nil, false
	}
	return narrowBig(b, true), true
}
