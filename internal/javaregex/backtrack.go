package javaregex

import (
	"context"
	"errors"
	"fmt"
	"math"
	"unicode"
	"unicode/utf8"
)

// A backtracking matcher for the java.util.regex features RE2 lacks:
// lookahead and lookbehind, backreferences, atomic groups and possessive
// quantifiers that really are, \Z and \G, and Java's meaning of '$' (also
// before a final line terminator), '^' and '$' in (?m) mode (every line
// terminator, no '^' at the very end) and \b (Unicode letters and
// digits). Patterns that need none of these go to Go's regexp (RE2),
// which is faster and cannot blow up; this one counts its steps and
// gives up past btMaxSteps, where Java would only be slow.

// btMaxSteps and btStepsPerChar bound the work of a search over a text:
// a linear pattern takes a few steps a character, an exponential one
// many more on a short text. btMaxDepth bounds the nesting of the
// matcher's calls (a loop over a group nests a few a turn), so that the
// stack stays far below Go's limit, whose overflow no recover catches;
// Java's own matcher overflows its stack on such loops much sooner.
const (
	btMaxSteps     = 20_000_000
	btStepsPerChar = 200
	btMaxDepth     = 40_000
)

// ErrTooComplex is the error of a search the backtracking matcher gave
// up: the pattern backtracks past the step budget on the text.
var ErrTooComplex = errors.New("the pattern backtracks too much on this text")

type btOp uint8

const (
	btSet       btOp = iota // one character of set
	btConcat                // subs in turn
	btAlt                   // one of subs
	btRepeat                // sub, min to max times (max < 0: no bound)
	btGroup                 // sub, captured as group (0: not captured)
	btAtomic                // sub, never backtracked into
	btLook                  // lookahead (behind: lookbehind), neg: negative
	btBackref               // the text of group n again
	btBeginText             // \A, and ^ outside (?m)
	btBeginLine             // ^ in (?m)
	btEndText               // \z
	btEndZ                  // \Z, and $ outside (?m): the end, or before a final line terminator
	btEndLine               // $ in (?m)
	btWordB                 // \b (neg: \B)
	btPrevEnd               // \G
)

type btNode struct {
	op                 btOp
	set                runeSet
	subs               []*btNode
	min, max           int
	lazy, possessive   bool
	group              int
	neg, behind        bool
	caseless           bool    // btBackref: compares ignoring case (ASCII only, unless unicodeCase)
	unicodeCase        bool    // btBackref: (?u)
	quoted             bool    // btConcat of \Q...\E
	flagGroup          bool    // btConcat of a flag group such as (?i): no '*', '+' or '?' may follow
	unixLines          bool    // anchors: only \n ends a line
	unicodeWord        bool    // btWordB under (?U)
	minLen, maxLen     int     // btLook behind: the lengths its sub can match
	singleSetRepeatSet runeSet // btRepeat of one btSet: its set (matched without recursion)
}

// btPattern is a compiled pattern for the backtracking matcher.
type btPattern struct {
	root   *btNode
	groups int
	names  map[string]int
}

type btParser struct {
	regexTranslator
	groups int
	names  map[string]int
}

// compileBacktrack compiles pattern for the backtracking matcher,
// anchored as mode says (see Mode).
func compileBacktrack(pattern string, mode Mode) (*btPattern, error) {
	if !utf8.ValidString(pattern) {
		return nil, errors.New("invalid UTF-8")
	}
	p := &btParser{regexTranslator: regexTranslator{p: []rune(pattern), flags: []regexFlags{{}}}, names: map[string]int{}}
	root, err := p.alt()
	if err != nil {
		return nil, err
	}
	if p.more() {
		return nil, errors.New("unmatched closing ')'")
	}
	sizeLookbehind(root)
	switch mode {
	case Whole:
		root = &btNode{op: btConcat, subs: []*btNode{{op: btBeginText}, root, {op: btEndText}}}
	case Prefix:
		root = &btNode{op: btConcat, subs: []*btNode{{op: btBeginText}, root}}
	}
	return &btPattern{root: root, groups: p.groups, names: p.names}, nil
}

func (p *btParser) alt() (*btNode, error) {
	var alts []*btNode
	for {
		c, err := p.concat()
		if err != nil {
			return nil, err
		}
		alts = append(alts, c)
		if p.peek(0) != '|' {
			break
		}
		p.i++
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return &btNode{op: btAlt, subs: alts}, nil
}

func (p *btParser) concat() (*btNode, error) {
	n := &btNode{op: btConcat}
	for p.skipSpace(); p.more(); p.skipSpace() {
		c := p.p[p.i]
		if c == '|' || c == ')' {
			break
		}
		atom, err := p.atom()
		if err != nil {
			return nil, err
		}
		if atom == nil {
			continue // a flag group: no node
		}
		if atom.quoted && len(atom.subs) > 0 {
			// \Q...\E quotes characters one by one: a quantifier after
			// it takes the last.
			n.subs = append(n.subs, atom.subs[:len(atom.subs)-1]...)
			atom = atom.subs[len(atom.subs)-1]
		}
		atom, err = p.quantified(atom)
		if err != nil {
			return nil, err
		}
		n.subs = append(n.subs, atom)
	}
	return n, nil
}

// quantified reads the quantifier after atom, if any. Java takes one: a
// second '*', '+' or '?' is dangling (atom fails on it), and a second
// {n} repeats nothing.
func (p *btParser) quantified(atom *btNode) (*btNode, error) {
	p.skipSpace()
	if p.more() {
		lo, hi := 0, 0
		switch c := p.p[p.i]; {
		case (c == '*' || c == '+' || c == '?') && atom.flagGroup:
			return nil, fmt.Errorf("dangling meta character '%c'", c)
		case c == '*':
			lo, hi = 0, -1
			p.i++
		case c == '+':
			lo, hi = 1, -1
			p.i++
		case c == '?':
			lo, hi = 0, 1
			p.i++
		case c == '{' && p.counted():
			p.i++
			var tooLarge bool
			lo, tooLarge = p.number()
			hi = -2
			if p.peek(0) == ',' {
				p.i++
				hi = -1
				if p.peek(0) != '}' {
					var large bool
					hi, large = p.number()
					tooLarge = tooLarge || large
				}
			}
			p.i++ // '}'
			if hi == -2 {
				hi = lo
			}
			if tooLarge || hi >= 0 && hi < lo {
				return nil, errors.New("illegal repetition range")
			}
		case c == '{':
			return nil, errors.New("illegal repetition")
		default:
			return atom, nil
		}
		switch atom.op {
		case btBeginText, btEndText, btEndZ, btBeginLine, btEndLine, btWordB, btLook, btPrevEnd:
			// Java repeats assertions too; once is all they can do.
			lo, hi = min(lo, 1), 1
		}
		r := &btNode{op: btRepeat, min: lo, max: hi, subs: []*btNode{atom}}
		p.skipSpace()
		switch p.peek(0) {
		case '?':
			p.i++
			r.lazy = true
		case '+':
			p.i++
			r.possessive = true
		}
		if atom.op == btSet {
			r.singleSetRepeatSet = atom.set
		}
		atom = r
	}
	return atom, nil
}

// number reads a repetition count; tooLarge reports one above Java's
// limit (the count is then capped: the pattern fails anyway).
func (p *btParser) number() (n int, tooLarge bool) {
	for p.more() && p.p[p.i] >= '0' && p.p[p.i] <= '9' {
		if n = n*10 + int(p.p[p.i]-'0'); n > math.MaxInt32 {
			n, tooLarge = math.MaxInt32, true
		}
		p.i++
	}
	return n, tooLarge
}

// atom reads one atom; nil for a flag group, which only sets flags.
func (p *btParser) atom() (*btNode, error) {
	c := p.p[p.i]
	f := p.cur()
	switch c {
	case '(':
		return p.group()
	case '[':
		set, err := p.class()
		if err != nil {
			return nil, err
		}
		return p.setNode(set), nil
	case '.':
		p.i++
		switch {
		case f.dotAll:
			return &btNode{op: btSet, set: runeSet{0, unicode.MaxRune}}, nil
		case f.unixLines:
			return &btNode{op: btSet, set: runeSet{'\n', '\n'}.complement()}, nil
		}
		return &btNode{op: btSet, set: rangesOf(`[\n\r\x{85}\x{2028}\x{2029}]`).complement()}, nil
	case '^':
		p.i++
		if f.multiline {
			return &btNode{op: btBeginLine, unixLines: f.unixLines}, nil
		}
		return &btNode{op: btBeginText}, nil
	case '$':
		p.i++
		if f.multiline {
			return &btNode{op: btEndLine, unixLines: f.unixLines}, nil
		}
		return &btNode{op: btEndZ, unixLines: f.unixLines}, nil
	case '*', '+', '?':
		return nil, fmt.Errorf("dangling meta character '%c'", c)
	case '{':
		if p.counted() {
			return &btNode{op: btConcat}, nil // Java repeats nothing
		}
		return nil, errors.New("illegal repetition")
	case '\\':
		return p.escapeAtom()
	}
	p.i++
	return p.literalNode(c), nil
}

// literalNode makes a node for a character of the pattern, with the
// characters (?i) lets it match (foldSingle).
func (p *btParser) literalNode(c rune) *btNode {
	return p.setNode(p.foldSingle(c))
}

// setNode makes a node for set: a class (its members already folded) or
// a predefined class or property, which (?i) does not fold.
func (p *btParser) setNode(set runeSet) *btNode {
	return &btNode{op: btSet, set: set}
}

func (p *btParser) escapeAtom() (*btNode, error) {
	f := p.cur()
	c := p.peek(1)
	switch c {
	case -1:
		return nil, errors.New("trailing backslash")
	case 'Q':
		p.i += 2
		n := &btNode{op: btConcat, quoted: true}
		for p.more() && !(p.p[p.i] == '\\' && p.peek(1) == 'E') {
			n.subs = append(n.subs, p.literalNode(p.p[p.i]))
			p.i++
		}
		if p.more() {
			p.i += 2
		}
		return n, nil
	case 'A':
		p.i += 2
		return &btNode{op: btBeginText}, nil
	case 'z':
		p.i += 2
		return &btNode{op: btEndText}, nil
	case 'Z':
		p.i += 2
		return &btNode{op: btEndZ, unixLines: f.unixLines}, nil
	case 'G':
		p.i += 2
		return &btNode{op: btPrevEnd}, nil
	case 'b', 'B':
		p.i += 2
		return &btNode{op: btWordB, neg: c == 'B', unicodeWord: f.unicodeClass}, nil
	case 'R':
		p.i += 2
		crlf := &btNode{op: btConcat, subs: []*btNode{{op: btSet, set: runeSet{'\r', '\r'}}, {op: btSet, set: runeSet{'\n', '\n'}}}}
		// \r\n|[\n\x0B\f\r\x85\u2028\u2029], as Java 9 and later read it.
		return &btNode{op: btAlt, subs: []*btNode{crlf, {op: btSet, set: vSpace}}}, nil
	case 'k':
		p.i += 2
		if p.peek(0) != '<' {
			return nil, errors.New(`\k is not followed by '<' for named capturing group`)
		}
		end := p.i + 1
		for end < len(p.p) && p.p[end] != '>' {
			end++
		}
		if end >= len(p.p) {
			return nil, errors.New("named capturing group is missing trailing '>'")
		}
		name := string(p.p[p.i+1 : end])
		p.i = end + 1
		g, ok := p.names[name]
		if !ok {
			return nil, fmt.Errorf("named capturing group <%s> does not exist", name)
		}
		return &btNode{op: btBackref, group: g, caseless: f.caseless, unicodeCase: f.unicodeCase || f.unicodeClass}, nil
	}
	if c >= '1' && c <= '9' {
		// Java takes the longest number that names an existing group.
		p.i++
		g := int(p.p[p.i] - '0')
		p.i++
		for p.more() && p.p[p.i] >= '0' && p.p[p.i] <= '9' && g*10+int(p.p[p.i]-'0') <= p.groups {
			g = g*10 + int(p.p[p.i]-'0')
			p.i++
		}
		return &btNode{op: btBackref, group: g, caseless: f.caseless, unicodeCase: f.unicodeCase || f.unicodeClass}, nil
	}
	set, r, err := p.escape()
	if err != nil {
		return nil, err
	}
	if set != nil {
		return p.setNode(set), nil
	}
	return p.literalNode(r), nil
}

func (p *btParser) group() (*btNode, error) {
	if len(p.flags) > maxRegexNesting {
		return nil, errRegexNesting
	}
	p.i++ // '('
	f := *p.cur()
	open := func(n *btNode) (*btNode, error) {
		p.flags = append(p.flags, f)
		sub, err := p.alt()
		p.flags = p.flags[:len(p.flags)-1]
		if err != nil {
			return nil, err
		}
		if p.peek(0) != ')' {
			return nil, errors.New("unclosed group")
		}
		p.i++
		n.subs = []*btNode{sub}
		return n, nil
	}
	if p.peek(0) != '?' {
		p.groups++
		return open(&btNode{op: btGroup, group: p.groups})
	}
	switch p.peek(1) {
	case '=', '!':
		p.i += 2
		return open(&btNode{op: btLook, neg: p.p[p.i-1] == '!'})
	case '<':
		if c := p.peek(2); c == '=' || c == '!' {
			p.i += 3
			return open(&btNode{op: btLook, behind: true, neg: c == '!'})
		}
		p.i += 2
		end := p.i
		for end < len(p.p) && p.p[end] != '>' {
			end++
		}
		if end >= len(p.p) || end == p.i {
			return nil, errors.New("named capturing group is missing trailing '>'")
		}
		name := string(p.p[p.i:end])
		if !validGroupName(name) {
			return nil, fmt.Errorf("capturing group name <%s> does not start with a Latin letter or holds other than Latin letters and digits", name)
		}
		if _, dup := p.names[name]; dup {
			return nil, fmt.Errorf("named capturing group <%s> is already defined", name)
		}
		p.i = end + 1
		p.groups++
		p.names[name] = p.groups
		return open(&btNode{op: btGroup, group: p.groups})
	case '>':
		p.i += 2
		return open(&btNode{op: btAtomic})
	case ':':
		p.i += 2
		return open(&btNode{op: btGroup})
	}
	p.i++
	end, _, err := p.inlineFlags(&f)
	if err != nil {
		return nil, err
	}
	if end == ':' {
		return open(&btNode{op: btGroup})
	}
	*p.cur() = f
	return &btNode{op: btConcat, flagGroup: true}, nil // empty: a {n} after it repeats nothing, as in Java
}

// lengths returns the fewest and most characters n can match (max < 0:
// no bound), both saturating at maxLength.
func lengths(n *btNode) (lo, hi int) {
	switch n.op {
	case btSet:
		return 1, 1
	case btConcat:
		for _, s := range n.subs {
			l, h := lengths(s)
			lo = satAdd(lo, l)
			if hi >= 0 {
				if h < 0 {
					hi = -1
				} else {
					hi = satAdd(hi, h)
				}
			}
		}
		return lo, hi
	case btAlt:
		lo, hi = -1, 0
		for _, s := range n.subs {
			l, h := lengths(s)
			if lo < 0 || l < lo {
				lo = l
			}
			if hi >= 0 && (h < 0 || h > hi) {
				hi = h
			}
		}
		return max(lo, 0), hi
	case btRepeat:
		l, h := lengths(n.subs[0])
		lo = satMul(l, n.min)
		switch {
		case n.max < 0 && h != 0:
			hi = -1
		case h < 0:
			hi = -1
		default:
			hi = satMul(h, max(n.max, 0))
		}
		return lo, hi
	case btGroup, btAtomic:
		return lengths(n.subs[0])
	case btBackref:
		return 0, -1
	}
	return 0, 0 // assertions
}

// maxLength caps the lengths lengths reports: longer than any text.
const maxLength = 1 << 40

func satAdd(a, b int) int { return min(a+b, maxLength) }

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > maxLength/b {
		return maxLength
	}
	return a * b
}

// sizeLookbehind sizes every lookbehind: the start positions to try.
// Java 17 takes unbounded ones too (every start back to the text's).
func sizeLookbehind(n *btNode) {
	if n.op == btLook && n.behind {
		n.minLen, n.maxLen = lengths(n.subs[0])
	}
	for _, s := range n.subs {
		sizeLookbehind(s)
	}
}

// btMatcher runs a pattern over one text.
type btMatcher struct {
	ctx     context.Context
	pat     *btPattern
	in      []rune
	caps    []int // rune positions, 2 per group, -1 unset
	steps   int
	limit   int // btMaxSteps, and btStepsPerChar for each character
	depth   int // nested match calls: each takes stack
	err     error
	prevEnd int
}

// FindAll returns up to n (n < 0: all) matches as byte offsets, group
// positions after the whole match's, with Matcher.find's rule for empty
// matches: the next search starts one character later.
func (bp *btPattern) FindAll(ctx context.Context, s string, n int) ([][]int, error) {
	m := &btMatcher{ctx: ctx, pat: bp, caps: make([]int, 2*(bp.groups+1))}
	var offs []int // rune position → byte offset (an invalid byte is one U+FFFD)
	for b := 0; b < len(s); {
		r, w := utf8.DecodeRuneInString(s[b:])
		m.in = append(m.in, r)
		offs = append(offs, b)
		b += w
	}
	offs = append(offs, len(s))
	m.limit = btMaxSteps + btStepsPerChar*len(m.in)
	var out [][]int
	from := 0
	for (n < 0 || len(out) < n) && from <= len(m.in) {
		start, end, ok := m.find(from)
		if m.err != nil {
			return nil, m.err
		}
		if !ok {
			break
		}
		res := make([]int, len(m.caps))
		res[0], res[1] = offs[start], offs[end]
		for g := 1; g <= bp.groups; g++ {
			res[2*g], res[2*g+1] = -1, -1
			if a, b := m.caps[2*g], m.caps[2*g+1]; a >= 0 && b >= 0 {
				res[2*g], res[2*g+1] = offs[a], offs[b]
			}
		}
		out = append(out, res)
		m.prevEnd = end
		from = end
		if end == start {
			from++
		}
	}
	return out, nil
}

func (m *btMatcher) find(from int) (start, end int, ok bool) {
	for start = from; start <= len(m.in); start++ {
		m.steps += len(m.caps)
		for i := range m.caps {
			m.caps[i] = -1
		}
		if m.match(m.pat.root, start, func(j int) bool { end = j; return true }) {
			return start, end, true
		}
		if m.err != nil {
			return 0, 0, false
		}
	}
	return 0, 0, false
}

func (m *btMatcher) match(n *btNode, i int, k func(int) bool) bool {
	if m.steps++; m.steps > m.limit || m.depth >= btMaxDepth {
		m.err = ErrTooComplex
	} else if m.steps&0xffff == 0 && m.ctx != nil && m.ctx.Err() != nil {
		m.err = m.ctx.Err() // the render was canceled or timed out
	}
	if m.err != nil {
		return false
	}
	m.depth++
	ok := m.step(n, i, k)
	m.depth--
	return ok
}

// step is match's work for one node.
func (m *btMatcher) step(n *btNode, i int, k func(int) bool) bool {
	switch n.op {
	case btSet:
		return i < len(m.in) && n.set.has(m.in[i]) && k(i+1)
	case btConcat:
		return m.seq(n.subs, i, k)
	case btAlt:
		for _, s := range n.subs {
			if m.match(s, i, k) {
				return true
			}
		}
		return false
	case btGroup:
		if n.group == 0 {
			return m.match(n.subs[0], i, k)
		}
		g := n.group
		return m.match(n.subs[0], i, func(j int) bool {
			a, b := m.caps[2*g], m.caps[2*g+1]
			m.caps[2*g], m.caps[2*g+1] = i, j
			if k(j) {
				return true
			}
			m.caps[2*g], m.caps[2*g+1] = a, b
			return false
		})
	case btRepeat:
		if n.singleSetRepeatSet != nil {
			return m.repeatSet(n, i, k)
		}
		if n.possessive {
			end := -1
			m.repeat(n, 0, i, func(j int) bool { end = j; return true })
			return end >= 0 && k(end)
		}
		return m.repeat(n, 0, i, k)
	case btAtomic:
		end := -1
		if !m.match(n.subs[0], i, func(j int) bool { end = j; return true }) {
			return false
		}
		return k(end)
	case btLook:
		m.steps += len(m.caps)
		saved := append([]int(nil), m.caps...)
		found := false
		if n.behind {
			for start := i - min(n.minLen, i+1); start >= 0 && (n.maxLen < 0 || start >= i-n.maxLen) && !found; start-- {
				found = m.match(n.subs[0], start, func(j int) bool { return j == i })
			}
		} else {
			found = m.match(n.subs[0], i, func(int) bool { return true })
		}
		if m.err != nil {
			return false
		}
		if found == n.neg {
			copy(m.caps, saved)
			return false
		}
		if n.neg {
			copy(m.caps, saved)
		}
		// A positive lookaround's captures stay when what follows fails
		// and the matcher backtracks past it, as in Java.
		return k(i)
	case btBackref:
		a, b := -1, -1
		if 2*n.group+1 < len(m.caps) {
			a, b = m.caps[2*n.group], m.caps[2*n.group+1]
		}
		if a < 0 || b < 0 {
			return false
		}
		l := b - a
		if i+l > len(m.in) {
			return false
		}
		m.steps += l
		for x := 0; x < l; x++ {
			c1, c2 := m.in[a+x], m.in[i+x]
			if c1 != c2 && !(n.caseless && foldEqual(c1, c2, n.unicodeCase)) {
				return false
			}
		}
		return k(i + l)
	case btBeginText:
		return i == 0 && k(i)
	case btEndText:
		return i == len(m.in) && k(i)
	case btBeginLine:
		if i == len(m.in) { // never at the end, even of "" (Java's Caret)
			return false
		}
		if i == 0 {
			return k(i)
		}
		prev := m.in[i-1]
		if n.unixLines {
			return prev == '\n' && k(i)
		}
		if prev == '\r' && m.in[i] == '\n' {
			return false
		}
		return isLineTerminator(prev) && k(i)
	case btEndLine:
		if i == len(m.in) {
			return k(i)
		}
		c := m.in[i]
		if n.unixLines {
			return c == '\n' && k(i)
		}
		if c == '\n' && i > 0 && m.in[i-1] == '\r' {
			return false // not between \r and \n
		}
		return isLineTerminator(c) && k(i)
	case btEndZ:
		rest := len(m.in) - i
		switch {
		case rest == 0:
			return k(i)
		case n.unixLines:
			return rest == 1 && m.in[i] == '\n' && k(i)
		case rest == 2:
			return m.in[i] == '\r' && m.in[i+1] == '\n' && k(i)
		case rest == 1:
			c := m.in[i]
			if c == '\n' && i > 0 && m.in[i-1] == '\r' {
				return false
			}
			return isLineTerminator(c) && k(i)
		}
		return false
	case btWordB:
		before := i > 0 && m.isWord(m.in[i-1], n.unicodeWord)
		after := i < len(m.in) && m.isWord(m.in[i], n.unicodeWord)
		return (before != after) != n.neg && k(i)
	case btPrevEnd:
		return i == m.prevEnd && k(i)
	}
	return false
}

func (m *btMatcher) seq(subs []*btNode, i int, k func(int) bool) bool {
	if len(subs) == 0 {
		return k(i)
	}
	return m.match(subs[0], i, func(j int) bool { return m.seq(subs[1:], j, k) })
}

// repeat matches n.subs[0] more times, count done so far, from i.
func (m *btMatcher) repeat(n *btNode, count, i int, k func(int) bool) bool {
	more := func() bool {
		if n.max >= 0 && count >= n.max {
			return false
		}
		return m.match(n.subs[0], i, func(j int) bool {
			if j == i {
				// An empty turn ends the loop, its captures kept, as
				// Java's Loop does (even short of the minimum).
				return k(j)
			}
			return m.repeat(n, count+1, j, k)
		})
	}
	if count < n.min {
		return more()
	}
	if n.lazy {
		return k(i) || more()
	}
	return more() || k(i)
}

// repeatSet is repeat for one character class, without recursion.
func (m *btMatcher) repeatSet(n *btNode, i int, k func(int) bool) bool {
	limit := len(m.in) - i
	if n.max >= 0 && n.max < limit {
		limit = n.max
	}
	avail := 0
	for avail < limit && n.singleSetRepeatSet.has(m.in[i+avail]) {
		avail++
	}
	if avail < n.min {
		return false
	}
	m.steps += avail
	switch {
	case n.possessive:
		return k(i + avail)
	case n.lazy:
		for c := n.min; c <= avail; c++ {
			if k(i + c) {
				return true
			}
			if m.err != nil {
				return false
			}
		}
	default:
		for c := avail; c >= n.min; c-- {
			if k(i + c) {
				return true
			}
			if m.err != nil {
				return false
			}
		}
	}
	return false
}

// isWord is what Java 17's \b takes for a word character: a letter or
// digit, or '_' (under (?U), \w).
func (m *btMatcher) isWord(c rune, unicodeWord bool) bool {
	if unicodeWord {
		return uWord.has(c)
	}
	return c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c)
}

func isLineTerminator(c rune) bool {
	return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029
}

// has reports whether r is in the set.
func (s runeSet) has(r rune) bool {
	lo, hi := 0, len(s)/2
	for lo < hi {
		mid := (lo + hi) / 2
		switch {
		case r < s[2*mid]:
			hi = mid
		case r > s[2*mid+1]:
			lo = mid + 1
		default:
			return true
		}
	}
	return false
}

// foldEqual is a case-insensitive backreference's test: ASCII letters
// only, unless (?u).
func foldEqual(a, b rune, unicodeCase bool) bool {
	if !unicodeCase && (a >= utf8.RuneSelf || b >= utf8.RuneSelf) {
		return false
	}
	return unicode.ToUpper(a) == unicode.ToUpper(b) || unicode.ToLower(a) == unicode.ToLower(b)
}
