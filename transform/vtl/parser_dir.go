package vtl

import "strings"

// directive parses #name, #name(args) and block directives up to #end.
func (p *parser) directive() (node, error) {
	t := p.consume()
	name := t.image[1:]
	if t.kind == tkBracketedWord {
		name = t.image[2 : len(t.image)-1]
	}
	known, block := isBlockDirective(name)
	n := &directiveNode{pos: p.posOf(t), name: name, literal: t.image}
	p.lx.state = stDirective
	if !p.lx.isLeftParenthesis() {
		switch name {
		case "macro":
			return nil, p.errAt(t.off, "a macro declaration requires at least a name argument")
		case "evaluate":
			return nil, p.errAt(t.off, "#evaluate() requires exactly one argument")
		case "foreach", "define", "literal":
			return nil, p.errAt(t.off, "#%s requires arguments and a block", name)
		}
		p.lx.pop()
		n.bare = true
		return n, nil
	}
	var lit strings.Builder
	lit.WriteString(t.image)
	consume := func() *token {
		tk := p.consume()
		lit.WriteString(tk.image)
		return tk
	}
	// paren takes optional whitespace, then the parenthesis want.
	paren := func(want tokKind) error {
		if k, err := p.peekKind(1); err != nil {
			return err
		} else if k == tkWhitespace {
			consume()
		}
		if k, err := p.peekKind(1); err != nil {
			return err
		} else if k != want {
			return p.unexpected(p.la[0])
		}
		consume()
		return nil
	}
	if err := paren(tkLParen); err != nil {
		return nil, err
	}
	var firstArg string // the first argument's source
	for argPos := 0; ; argPos++ {
		ok, err := p.moreDirectiveArgs()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if p.la[0].kind == tkWhitespace {
			consume()
		}
		if k, _ := p.peekKind(1); k == tkComma {
			consume()
			if k, err := p.peekKind(1); err != nil {
				return nil, err
			} else if k == tkWhitespace {
				consume()
			}
		}
		start, err := p.peek(1)
		if err != nil {
			return nil, err
		}
		arg, err := p.directiveArg()
		if err != nil {
			return nil, err
		}
		text := p.lx.src[start.off:p.last.end] // the argument's source
		lit.WriteString(text)
		if argPos == 0 {
			firstArg = text
		}
		switch name {
		case "foreach", "if", "elseif", "macro", "define", "evaluate", "break", "stop", "parse", "include", "literal":
		default: // a macro call: an escaped parameter prints its argument's text
			n.argText = append(n.argText, text)
		}
		if _, isWord := arg.(*wordExpr); isWord {
			if !(name == "macro" && argPos == 0) && known && !(name == "foreach" && argPos == 1) {
				return nil, p.errAt(start.off, "invalid arg #%d in directive #%s", argPos, name)
			}
		} else if name == "macro" && argPos == 0 {
			return nil, p.errAt(start.off, "invalid first arg in #macro() directive - must be a word token (no ' or \" surrounding)")
		}
		if _, isRef := arg.(*refNode); name == "foreach" && argPos == 0 && !isRef {
			// Velocity's Foreach names the loop variable after the
			// first token of anything but a reference, less its first
			// character: #foreach(true in ...) sets $rue.
			arg = &refNode{pos: p.posOf(start), root: start.image[1:]}
		}
		n.args = append(n.args, arg)
	}
	if err := paren(tkRParen); err != nil {
		return nil, err
	}
	n.literal = lit.String()
	if !block && !strings.HasPrefix(name, "@") {
		return n, p.checkDirective(t, n)
	}
	n.block = true
	var rec *recorder
	if name == "literal" || !known {
		rec = &recorder{specials: name == "literal"}
		p.recorders = append(p.recorders, rec)
	}
	body, err := p.parseBlock()
	if rec != nil {
		p.recorders = p.recorders[:len(p.recorders)-1]
		n.source = rec.b.String()
	}
	if err != nil {
		return nil, err
	}
	end, err := p.expect(tkEnd)
	if err != nil {
		return nil, err
	}
	n.body = body
	if name == "foreach" && len(n.args) > 3 {
		// Velocity's Foreach renders its fourth child each turn, which
		// with more than three arguments is the fourth argument, not
		// the block.
		n.body = argNodes(n.args[3], nil)
	}
	if !known { // a #@name block macro call prints as its tokens when undefined
		n.literal += n.source + end.image
	}
	if name == "literal" {
		switch {
		case len(n.args) > 0:
			// Velocity's Literal prints the source of its first child,
			// which is the first argument when there is one.
			n.source = firstArg
		case rec.tokens == 0:
			return nil, p.errAt(t.off, "#literal() needs a non-empty block")
		}
	}
	if name == "macro" {
		if len(n.args) == 0 {
			return nil, p.errAt(t.off, "#macro error: velocimacro must have name as 1st argument to #macro()")
		}
		p.macroNames[n.args[0].(*wordExpr).name] = true
		*p.macroDefs = append(*p.macroDefs, n)
	}
	return n, p.checkDirective(t, n)
}

// checkDirective applies the argument checks Velocity makes at init time.
func (p *parser) checkDirective(t *token, n *directiveNode) error {
	switch n.name {
	case "break", "stop":
		if len(n.args) > 1 {
			return p.errAt(t.off, "the #%s directive only accepts a single scope object", n.name)
		}
	case "define":
		if len(n.args) != 1 {
			return p.errAt(t.off, "#define(): parameter missing: block name")
		}
	case "evaluate":
		if len(n.args) != 1 {
			return p.errAt(t.off, "#evaluate() requires exactly one argument")
		}
		switch n.args[0].(type) {
		case *refNode, *stringLit:
		default:
			return p.errAt(t.off, "#evaluate() argument must be a string literal or reference")
		}
	}
	return nil
}

func firstOfDirectiveArg(k tokKind) bool {
	switch k {
	case tkIdentifier, tkLCurly, tkWord, tkStringLiteral, tkInteger, tkLBracket, tkFloat, tkLeftCurley,
		tkTrue, tkFalse:
		return true
	}
	return false
}

// moreDirectiveArgs is the LOOKAHEAD(2) of the directive argument loop.
func (p *parser) moreDirectiveArgs() (bool, error) {
	k1, err := p.peekKind(1)
	if err != nil {
		return false, err
	}
	switch k1 {
	case tkWhitespace, tkComma:
		k2, err := p.peekKind(2)
		if err != nil {
			return false, err
		}
		if k1 == tkWhitespace {
			return k2 == tkComma || firstOfDirectiveArg(k2), nil
		}
		return k2 == tkWhitespace || firstOfDirectiveArg(k2), nil
	}
	return firstOfDirectiveArg(k1), nil
}

func (p *parser) directiveArg() (expr, error) {
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case tkWord:
		p.consume()
		return &wordExpr{name: t.image}, nil
	case tkLBracket:
		return p.bracketed()
	}
	return p.literalOrRef()
}

// argNodes appends to nodes what rendering e as a node of the tree prints,
// as Velocity's SimpleNode.render does for a directive's argument: a
// reference prints itself, a list, map or range literal the references
// among its children, and any other literal nothing.
func argNodes(e expr, nodes []node) []node {
	switch x := e.(type) {
	case *refNode:
		nodes = append(nodes, x)
	case *listLit:
		for _, it := range x.items {
			nodes = argNodes(it, nodes)
		}
	case *mapLit:
		for i := range x.keys {
			nodes = argNodes(x.keys[i], nodes)
			nodes = argNodes(x.vals[i], nodes)
		}
	case *rangeLit:
		nodes = argNodes(x.lo, nodes)
		nodes = argNodes(x.hi, nodes)
	}
	return nodes
}
