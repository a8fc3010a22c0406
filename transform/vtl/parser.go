package vtl

import (
	"fmt"
	"strings"
)

// maxParseDepth bounds nesting so hostile templates cannot exhaust the stack.
const maxParseDepth = 200

// parser is a recursive-descent transcription of Velocity 1.7's grammar.
// It asks the lexer for tokens exactly as lazily as the JavaCC parser does,
// because some parser actions switch the lexer's state.
type parser struct {
	lx         *lexer
	la         []*token // lookahead: tokens read and not yet consumed
	laBuf      [4]*token
	last       *token
	lines      *lineIndex
	depth      int
	macroNames map[string]bool
	recorders  []*recorder       // #literal and #@macro blocks being collected
	macroDefs  *[]*directiveNode // macros in the order their parsing ends
}

// recorder collects the token text of a block, with or without the text
// of special tokens (NodeUtils.tokenLiteral vs. plain token images).
type recorder struct {
	b        strings.Builder
	specials bool
	tokens   int
}

// blockDirectives are the directives that take a body and #end.
func isBlockDirective(name string) (known, block bool) {
	switch name {
	case "foreach", "macro", "literal", "define":
		return true, true
	case "include", "parse", "evaluate", "break", "stop":
		return true, false
	}
	return false, false
}

func (p *parser) peek(n int) (*token, error) {
	if cap(p.la) == 0 {
		p.la = p.laBuf[:0]
	}
	for len(p.la) < n {
		t, err := p.lx.next()
		if err != nil {
			return nil, err
		}
		p.la = append(p.la, t)
	}
	return p.la[n-1], nil
}

func (p *parser) peekKind(n int) (tokKind, error) {
	t, err := p.peek(n)
	if err != nil {
		return tkEOF, err
	}
	return t.kind, nil
}

func (p *parser) consume() *token {
	t := p.la[0]
	// The lookahead is a few tokens at most: shifting them keeps the
	// buffer from creeping forward and growing.
	p.la = p.la[:copy(p.la, p.la[1:])]
	p.last = t
	for _, r := range p.recorders {
		r.tokens++
		switch {
		case !r.specials:
			r.b.WriteString(t.image)
		case t.kind != tkMultiLineComment: // NodeUtils.tokenLiteral
			r.b.WriteString(t.special)
			r.b.WriteString(t.image)
		}
	}
	return t
}

// expect consumes a token of kind k or fails.
func (p *parser) expect(k tokKind) (*token, error) {
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	if t.kind != k {
		return nil, p.unexpected(t)
	}
	return p.consume(), nil
}

// optional consumes a token of kind k when it is next.
func (p *parser) optional(k tokKind) (bool, error) {
	kind, err := p.peekKind(1)
	if err != nil {
		return false, err
	}
	if kind == k {
		p.consume()
		return true, nil
	}
	return false, nil
}

func (p *parser) unexpected(t *token) error {
	return p.errAt(t.off, "encountered %s", t.describe())
}

func (p *parser) errAt(off int, format string, args ...any) error {
	line, col := p.lines.position(off)
	return &Error{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) posOf(t *token) pos {
	line, col := p.lines.position(t.off)
	return pos{line, col}
}

func (p *parser) enter(t *token) error {
	p.depth++
	if p.depth > maxParseDepth {
		return p.errAt(t.off, "nesting too deep")
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// startsStatement reports whether kind can begin a Statement.
func startsStatement(k tokKind) bool {
	switch k {
	case tkIf, tkIdentifier, tkLCurly, tkSingleLineCommentStart, tkMultiLineComment, tkFormalComment,
		tkTextblock, tkSetDirective, tkEscapeDirective, tkDoubleEscape, tkWord, tkBracketedWord,
		tkText, tkDot, tkRParen, tkLParen, tkInteger, tkFloat, tkStringLiteral, tkEscape, tkRCurly,
		tkEmptyIndex:
		return true
	}
	return false
}

// parseBlock parses statements until a token that cannot start one.
func (p *parser) parseBlock() ([]node, error) {
	var out []node
	for {
		k, err := p.peekKind(1)
		if err != nil {
			return nil, err
		}
		if !startsStatement(k) {
			return mergeText(out), nil
		}
		n, err := p.statement()
		if err != nil {
			return nil, err
		}
		if n != nil {
			out = append(out, n)
		}
	}
}

func mergeText(nodes []node) []node {
	out := nodes[:0]
	for _, n := range nodes {
		if t, ok := n.(*textNode); ok {
			if t.text == "" {
				continue
			}
			if len(out) > 0 {
				if prev, ok := out[len(out)-1].(*textNode); ok {
					out[len(out)-1] = newTextNode(prev.text + t.text)
					continue
				}
			}
		}
		out = append(out, n)
	}
	return out
}

func (p *parser) statement() (node, error) {
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	switch t.kind {
	case tkIf:
		return p.ifStatement()
	case tkIdentifier:
		if _, err := p.peek(2); err != nil { // LOOKAHEAD(2)
			return nil, err
		}
		return p.reference()
	case tkLCurly:
		k2, err := p.peekKind(2)
		if err != nil {
			return nil, err
		}
		if k2 == tkIdentifier {
			return p.reference()
		}
		return p.text()
	case tkSingleLineCommentStart:
		p.consume()
		if _, err := p.optional(tkSingleLineComment); err != nil {
			return nil, err
		}
		return newTextNode(commentPrefix(t.image)), nil
	case tkMultiLineComment, tkFormalComment:
		p.consume()
		if t.kind == tkMultiLineComment {
			return nil, nil
		}
		return newTextNode(commentPrefix(t.image)), nil
	case tkTextblock:
		p.consume()
		// ASTTextblock drops three characters at each end, whatever prefix
		// the token carries ("$#[[raw]]#" prints "[raw").
		img := t.image
		if len(img) < 6 {
			return nil, nil
		}
		return newTextNode(img[3 : len(img)-3]), nil
	case tkSetDirective:
		return p.setDirective()
	case tkEscapeDirective:
		t.image = p.escapedDirective(t.image)
		p.consume()
		return newTextNode(t.image), nil
	case tkDoubleEscape:
		return p.escape()
	case tkWord, tkBracketedWord:
		return p.directive()
	}
	return p.text()
}

// commentPrefix is what ASTComment prints: text before "##" or "#*".
func commentPrefix(img string) string {
	l1, l2 := strings.Index(img, "##"), strings.Index(img, "#*")
	switch {
	case l1 < 0 && l2 < 0:
		return ""
	case l1 < 0:
		return img[:l2]
	}
	return img[:l1]
}

func (p *parser) text() (node, error) {
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case tkText, tkDot, tkRParen, tkLParen, tkInteger, tkFloat, tkStringLiteral, tkEscape, tkLCurly,
		tkRCurly, tkEmptyIndex:
		p.consume()
		return newTextNode(t.special + t.image), nil
	}
	return nil, p.unexpected(t)
}

// isRegistered reports directive classes and macros defined so far.
func (p *parser) isRegistered(name string) bool {
	known, _ := isBlockDirective(name)
	return known || p.macroNames[name]
}

// isDirectiveName reports names Velocity treats as directives when escaped.
func (p *parser) isDirectiveName(name string) bool {
	switch name {
	case "if", "end", "set", "else", "elseif":
		return true
	}
	return p.isRegistered(name)
}

func (p *parser) escapedDirective(img string) string {
	last := strings.LastIndexByte(img, '\\')
	dir := img[last+1:]
	tag := dir[1:]
	if strings.HasPrefix(tag, "{") {
		tag = tag[1 : len(tag)-1]
	}
	if p.isDirectiveName(tag) {
		return img[:last/2] + dir
	}
	return img
}

func (p *parser) escape() (node, error) {
	count := 0
	for {
		k, err := p.peekKind(1)
		if err != nil {
			return nil, err
		}
		if k != tkDoubleEscape {
			break
		}
		p.consume()
		count++
		if _, err := p.peek(1); err != nil {
			return nil, err
		}
	}
	next := p.la[0]
	control := false
	switch next.kind {
	case tkIf, tkElse, tkElseIf, tkEnd:
		control = true
	}
	if len(next.image) > 0 && p.isRegistered(next.image[1:]) {
		control = true
	}
	unit := `\\`
	if control {
		unit = `\`
	}
	return newTextNode(strings.Repeat(unit, count)), nil
}

func (p *parser) ifStatement() (node, error) {
	p.consume() // #if
	cond, err := p.parenCondition()
	if err != nil {
		return nil, err
	}
	n := &ifNode{conds: []expr{cond}}
	body, err := p.parseBlock()
	if err != nil {
		return nil, err
	}
	n.blocks = append(n.blocks, body)
	for {
		k, err := p.peekKind(1)
		if err != nil {
			return nil, err
		}
		if k != tkElseIf {
			break
		}
		p.consume()
		c, err := p.parenCondition()
		if err != nil {
			return nil, err
		}
		b, err := p.parseBlock()
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, c)
		n.blocks = append(n.blocks, b)
	}
	k, err := p.peekKind(1)
	if err != nil {
		return nil, err
	}
	if k == tkElse {
		p.consume()
		b, err := p.parseBlock()
		if err != nil {
			return nil, err
		}
		n.blocks = append(n.blocks, b)
	}
	if _, err := p.expect(tkEnd); err != nil {
		return nil, err
	}
	return n, nil
}

// parenCondition parses [WS] ( Expression ) after #if or #elseif.
func (p *parser) parenCondition() (expr, error) {
	if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	if _, err := p.expect(tkLParen); err != nil {
		return nil, err
	}
	e, err := p.expression()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tkRParen); err != nil {
		return nil, err
	}
	return e, nil
}

func (p *parser) setDirective() (node, error) {
	t := p.consume()
	if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	k, err := p.peekKind(1)
	if err != nil {
		return nil, err
	}
	if k != tkIdentifier && k != tkLCurly {
		return nil, p.unexpected(p.la[0])
	}
	ref, err := p.reference()
	if err != nil {
		return nil, err
	}
	if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	if _, err := p.expect(tkEquals); err != nil {
		return nil, err
	}
	val, err := p.expression()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tkRParen); err != nil {
		return nil, err
	}
	p.lx.inSet = false
	if _, err := p.optional(tkNewline); err != nil {
		return nil, err
	}
	return &setNode{pos: p.posOf(t), ref: ref, value: val}, nil
}
