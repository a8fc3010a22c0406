package vtl

import (
	"fmt"
	"strconv"
	"strings"
)

// expression parses ConditionalOrExpression and the levels below it.
func (p *parser) expression() (expr, error) {
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.binaryLevel(0)
}

// binaryLevels lists operator tokens from the loosest binding to the tightest.
var binaryLevels = [][]tokKind{
	{tkOr},
	{tkAnd},
	{tkEQ, tkNE},
	{tkLT, tkGT, tkLE, tkGE},
	{tkPlus, tkMinus},
	{tkMultiply, tkDivide, tkModulus},
}

func (p *parser) binaryLevel(level int) (expr, error) {
	if level == len(binaryLevels) {
		return p.unary()
	}
	left, err := p.binaryLevel(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t, err := p.peek(1)
		if err != nil {
			return nil, err
		}
		found := false
		for _, k := range binaryLevels[level] {
			if t.kind == k {
				found = true
			}
		}
		if !found {
			return left, nil
		}
		p.consume()
		from := t.end
		right, err := p.binaryLevel(level + 1)
		if err != nil {
			return nil, err
		}
		left = &binExpr{pos: p.posOf(t), op: t.kind, l: left, r: right, literal: p.lx.src[from:p.last.end]}
	}
}

func (p *parser) unary() (expr, error) {
	k1, err := p.peekKind(1)
	if err != nil {
		return nil, err
	}
	isNot := k1 == tkNot
	if k1 == tkWhitespace {
		k2, err := p.peekKind(2)
		if err != nil {
			return nil, err
		}
		isNot = k2 == tkNot
	}
	if !isNot {
		return p.primary()
	}
	if k1 == tkWhitespace {
		p.consume()
	}
	t := p.consume()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &notExpr{x: x}, nil
}

func (p *parser) primary() (expr, error) {
	if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	var e expr
	switch t.kind {
	case tkLBracket:
		if e, err = p.bracketed(); err != nil {
			return nil, err
		}
	case tkLParen:
		from := p.consume().end
		e, err = p.expression()
		if err != nil {
			return nil, err
		}
		rp, err := p.expect(tkRParen)
		if err != nil {
			return nil, err
		}
		// A null value in parentheses meeting "+" contributes the text
		// between them (Velocity's ASTExpression literal).
		switch x := e.(type) {
		case *binExpr:
			x.literal = p.lx.src[from:rp.off]
		case *refNode:
			x.literal = p.lx.src[from:rp.off]
		}
	default:
		e, err = p.literalOrRef()
		if err != nil {
			return nil, err
		}
	}
	if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	return e, nil
}

// literalOrRef parses a string, number, boolean, map or reference.
func (p *parser) literalOrRef() (expr, error) {
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case tkStringLiteral:
		p.consume()
		return p.stringLiteral(t)
	case tkInteger:
		p.consume()
		v, ok := parseIntLiteral(t.image)
		if !ok {
			return nil, p.errAt(t.off, "invalid number %s", t.image)
		}
		return &intLit{v: v}, nil
	case tkFloat:
		p.consume()
		f, err := ParseFloat(t.image)
		if err != nil && !isRangeErr(err) {
			return nil, p.errAt(t.off, "invalid number %s", t.image)
		}
		return &floatLit{v: f}, nil
	case tkTrue, tkFalse:
		p.consume()
		return &boolLit{v: t.kind == tkTrue}, nil
	case tkLeftCurley:
		return p.mapLiteral()
	case tkIdentifier, tkLCurly:
		return p.reference()
	}
	return nil, p.unexpected(t)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func (p *parser) stringLiteral(t *token) (expr, error) {
	img := t.image
	q := img[0]
	body := img[1 : len(img)-1]
	if q == '"' {
		var err error
		if body, err = unescapeUnicode(body); err != nil {
			return nil, p.errAt(t.off, "%v", err)
		}
		body = strings.ReplaceAll(body, `""`, `"`)
		if strings.ContainsAny(img, "$#") {
			// Velocity appends a space before parsing (its "dreaded MORE
			// kludge") and strips the last character of the result, except
			// when the text holds "##": then it does neither.
			hasComment := strings.Contains(body, "##")
			src := body
			if !hasComment {
				src += " "
			}
			nodes, err := parseNested(src, p.lines, t.off, p.depth, p.macroNames, p.macroDefs)
			if err != nil {
				return nil, err
			}
			return &stringLit{value: body, interpolated: true, interp: nodes, keepLast: hasComment}, nil
		}
	} else {
		body = strings.ReplaceAll(body, `''`, `'`)
	}
	return &stringLit{value: body}, nil
}

// unescapeUnicode turns the \uXXXX escapes of a double-quoted literal
// into their characters, as Velocity 1.7's ASTStringLiteral does before
// anything else (before "" becomes " and before the text is interpolated;
// whether it is interpolated was decided on the literal as written).
func unescapeUnicode(s string) (string, error) {
	if !strings.Contains(s, `\u`) {
		return s, nil
	}
	var b strings.Builder
	var units []uint16 // a run of escapes: a surrogate pair is two of them
	for {
		i := strings.Index(s, `\u`)
		if i != 0 {
			b.WriteString(fromU16(units))
			units = units[:0]
			if i < 0 {
				b.WriteString(s)
				return b.String(), nil
			}
			b.WriteString(s[:i])
		}
		if i+6 > len(s) {
			return "", fmt.Errorf("StringIndexOutOfBoundsException: the escape %q is cut short", s[i:])
		}
		// Integer.parseInt(..., 16), signs included, cast to char.
		v, err := strconv.ParseInt(s[i+2:i+6], 16, 32)
		if err != nil {
			return "", fmt.Errorf("NumberFormatException: For input string: %q under radix 16", s[i+2:i+6])
		}
		units = append(units, uint16(v))
		s = s[i+6:]
	}
}

// parameter parses a method argument or list/map element.
func (p *parser) parameter() (expr, error) {
	if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	t, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	var e expr
	if t.kind == tkLBracket {
		e, err = p.bracketed()
	} else {
		e, err = p.literalOrRef()
	}
	if err != nil {
		return nil, err
	}
	if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	return e, nil
}

// bracketed parses what a '[' opens: an integer range or a list.
func (p *parser) bracketed() (expr, error) {
	isRange, err := p.rangeAhead()
	if err != nil {
		return nil, err
	}
	if isRange {
		return p.intRange()
	}
	return p.objectArray()
}

func firstOfParameter(k tokKind) bool {
	switch k {
	case tkStringLiteral, tkInteger, tkLBracket, tkLeftCurley, tkTrue, tkFalse, tkIdentifier, tkLCurly,
		tkFloat:
		return true
	}
	return false
}

func (p *parser) objectArray() (expr, error) {
	t := p.consume() // [
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	l := &listLit{}
	k, err := p.peekKind(1)
	if err != nil {
		return nil, err
	}
	if k == tkWhitespace || firstOfParameter(k) {
		for {
			e, err := p.parameter()
			if err != nil {
				return nil, err
			}
			l.items = append(l.items, e)
			if ok, err := p.optional(tkComma); err != nil {
				return nil, err
			} else if !ok {
				break
			}
		}
	}
	if _, err := p.expect(tkRBracket); err != nil {
		return nil, err
	}
	return l, nil
}

func (p *parser) mapLiteral() (expr, error) {
	t := p.consume() // {
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	m := &mapLit{}
	k1, err := p.peekKind(1)
	if err != nil {
		return nil, err
	}
	isParam := firstOfParameter(k1)
	if k1 == tkWhitespace {
		k2, err := p.peekKind(2)
		if err != nil {
			return nil, err
		}
		isParam = firstOfParameter(k2)
	}
	if isParam {
		for {
			key, err := p.parameter()
			if err != nil {
				return nil, err
			}
			if _, err := p.expect(tkColon); err != nil {
				return nil, err
			}
			val, err := p.parameter()
			if err != nil {
				return nil, err
			}
			m.keys = append(m.keys, key)
			m.vals = append(m.vals, val)
			if ok, err := p.optional(tkComma); err != nil {
				return nil, err
			} else if !ok {
				break
			}
		}
	} else if _, err := p.optional(tkWhitespace); err != nil {
		return nil, err
	}
	end, err := p.peek(1)
	if err != nil {
		return nil, err
	}
	if end.kind != tkRightCurley && end.kind != tkRCurly {
		return nil, p.unexpected(end)
	}
	p.consume()
	return m, nil
}

// rangeAhead is LOOKAHEAD( [ [WS] (Reference|Integer) [WS] .. ).
func (p *parser) rangeAhead() (bool, error) {
	i := 2
	kind := func(n int) tokKind {
		k, err := p.peekKind(n)
		if err != nil {
			return tkEOF
		}
		return k
	}
	if kind(i) == tkWhitespace {
		i++
	}
	switch kind(i) {
	case tkInteger:
		i++
	case tkIdentifier, tkLCurly:
		j, ok := p.scanReference(i, kind)
		if !ok {
			return false, nil
		}
		i = j
	default:
		return false, nil
	}
	if kind(i) == tkWhitespace {
		i++
	}
	if _, err := p.peek(i); err != nil {
		return false, err
	}
	return kind(i) == tkDoubleDot, nil
}

// scanReference skips a reference in the lookahead buffer starting at i.
func (p *parser) scanReference(i int, kind func(int) tokKind) (int, bool) {
	formal := kind(i) == tkLCurly
	if formal {
		i++
	}
	if kind(i) != tkIdentifier {
		return i, false
	}
	i++
	// past skips from the opening token at i to past the closing one
	// that balances it; false at the end of the input.
	past := func(open, close tokKind) bool {
		for depth := 0; ; {
			k := kind(i)
			if k == tkEOF {
				return false
			}
			i++
			if k == open {
				depth++
			} else if k == close {
				if depth--; depth == 0 {
					return true
				}
			}
		}
	}
	for steps := 0; steps < 10000; steps++ {
		switch {
		case kind(i) == tkIndexLBracket:
			if !past(tkIndexLBracket, tkIndexRBracket) {
				return i, false
			}
		case kind(i) == tkDot && kind(i+1) == tkIdentifier:
			i += 2
			if kind(i) == tkLParen && !past(tkLParen, tkRefmod2RParen) {
				return i, false
			}
		default:
			if formal {
				if kind(i) != tkRCurly {
					return i, false
				}
				i++
			}
			return i, true
		}
	}
	return i, false
}

func (p *parser) intRange() (expr, error) {
	t := p.consume() // [
	r := &rangeLit{pos: p.posOf(t)}
	bound := func() (expr, error) {
		if _, err := p.optional(tkWhitespace); err != nil {
			return nil, err
		}
		b, err := p.peek(1)
		if err != nil {
			return nil, err
		}
		var e expr
		switch b.kind {
		case tkInteger:
			p.consume()
			v, ok := parseIntLiteral(b.image)
			if !ok {
				return nil, p.errAt(b.off, "invalid number %s", b.image)
			}
			e = &intLit{v: v}
		case tkIdentifier, tkLCurly:
			e, err = p.reference()
			if err != nil {
				return nil, err
			}
		default:
			return nil, p.unexpected(b)
		}
		if _, err := p.optional(tkWhitespace); err != nil {
			return nil, err
		}
		return e, nil
	}
	var err error
	if r.lo, err = bound(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tkDoubleDot); err != nil {
		return nil, err
	}
	if r.hi, err = bound(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tkRBracket); err != nil {
		return nil, err
	}
	return r, nil
}
