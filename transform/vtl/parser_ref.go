package vtl

import "strings"

// reference parses $name, ${name}, $!name with .property, .method(args) and
// [index] steps, and works out escapes and prefixes like ASTReference.getRoot.
func (p *parser) reference() (*refNode, error) {
	first := p.consume()
	if err := p.enter(first); err != nil {
		return nil, err
	}
	defer p.leave()
	n := &refNode{pos: p.posOf(first)}
	formal := first.kind == tkLCurly
	var rootTok *token
	if formal {
		t, err := p.expect(tkIdentifier)
		if err != nil {
			return nil, err
		}
		rootTok = t
	}
	if err := p.refSteps(n); err != nil {
		return nil, err
	}
	if formal {
		if _, err := p.expect(tkRCurly); err != nil {
			return nil, err
		}
	}
	if strings.Contains(first.image, `\!`) {
		// Velocity gives up on "$\!name": it looks up a name no context can hold.
		n.root = "\x00" + first.image
		n.parts = nil
		return n, nil
	}
	img := p.rootImage(n, first.image)
	if src := p.lx.src; first.special == "" && len(img) <= first.end && src[first.end-len(img):first.end] == img {
		n.nullString = src[first.end-len(img) : p.last.end] // the same text, without a copy
	} else {
		n.nullString = first.special + img + src[first.end:p.last.end]
	}
	n.literal = n.nullString
	switch {
	case strings.HasPrefix(img, "$!"):
		n.kind = refQuiet
		if !n.escaped {
			n.nullString = ""
		}
		if strings.HasPrefix(img, "$!{") {
			n.root = rootTok.image
		} else {
			n.root = img[2:]
		}
	case img == "${":
		n.kind = refFormal
		n.root = rootTok.image
	case strings.HasPrefix(img, "$"):
		n.kind = refNormal
		n.root = img[1:]
	default:
		n.kind = refRunt
		n.root = img
	}
	return n, nil
}

// rootImage strips escapes and "#"/"$" prefixes from the first token image.
func (p *parser) rootImage(n *refNode, img string) string {
	if strings.HasPrefix(img, `\`) {
		i := countByte(img, '\\')
		n.escaped = i%2 != 0
		n.escPrefix = img[:i/2]
		img = img[i:]
	}
	if loc := strings.LastIndexByte(img, '$'); loc > 0 {
		n.morePrefix = img[:loc]
		img = img[loc:]
	}
	return img
}

func (p *parser) refSteps(n *refNode) error {
	if err := p.indexes(n); err != nil {
		return err
	}
	for {
		k1, err := p.peekKind(1)
		if err != nil {
			return err
		}
		if k1 != tkDot {
			return nil
		}
		k2, err := p.peekKind(2)
		if err != nil {
			return err
		}
		if k2 != tkIdentifier {
			return nil
		}
		p.consume()
		id := p.consume()
		k3, err := p.peekKind(1)
		if err != nil {
			return err
		}
		part := newIdentPart(p.posOf(id), id.image)
		isMethod := false
		if k3 == tkLParen { // LOOKAHEAD(3) Method()
			k4, err := p.peekKind(2)
			if err != nil {
				return err
			}
			isMethod = k4 == tkWhitespace || k4 == tkRefmod2RParen || firstOfParameter(k4)
		}
		if isMethod {
			p.consume()
			part.kind = partMethod
			k, err := p.peekKind(1)
			if err != nil {
				return err
			}
			if k == tkWhitespace || firstOfParameter(k) {
				for {
					a, err := p.parameter()
					if err != nil {
						return err
					}
					part.args = append(part.args, a)
					if ok, err := p.optional(tkComma); err != nil {
						return err
					} else if !ok {
						break
					}
				}
			}
			if _, err := p.expect(tkRefmod2RParen); err != nil {
				return err
			}
		}
		n.parts = append(n.parts, part)
		if err := p.indexes(n); err != nil {
			return err
		}
	}
}

func (p *parser) indexes(n *refNode) error {
	for {
		k, err := p.peekKind(1)
		if err != nil {
			return err
		}
		if k != tkIndexLBracket {
			return nil
		}
		t := p.consume()
		if _, err := p.optional(tkWhitespace); err != nil {
			return err
		}
		a, err := p.peek(1)
		if err != nil {
			return err
		}
		var arg expr
		switch a.kind {
		case tkStringLiteral, tkInteger, tkTrue, tkFalse, tkIdentifier, tkLCurly:
			arg, err = p.literalOrRef()
			if err != nil {
				return err
			}
		default:
			return p.unexpected(a)
		}
		if _, err := p.optional(tkWhitespace); err != nil {
			return err
		}
		if _, err := p.expect(tkIndexRBracket); err != nil {
			return err
		}
		n.parts = append(n.parts, refPart{pos: p.posOf(t), kind: partIndex, args: []expr{arg}})
	}
}
