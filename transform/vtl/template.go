package vtl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/gatewaykit/gateway/internal/javaregex"
)

// Defaults applied when a RenderOptions field is zero.
const (
	// DefaultMaxIterations is API Gateway's #foreach limit.
	DefaultMaxIterations = 1000
	// DefaultMaxOutputBytes bounds the rendered text (10 MiB).
	DefaultMaxOutputBytes = 10 << 20
	// DefaultMaxDepth bounds macro, #define and #evaluate nesting.
	DefaultMaxDepth = 64
	// DefaultMaxBuiltValues bounds the list and map literal values and
	// range elements one render builds.
	DefaultMaxBuiltValues = 1 << 22
)

// RenderOptions bounds a render. The zero value applies the defaults.
type RenderOptions struct {
	// MaxIterations caps the iterations of each #foreach; exceeding it fails
	// with ErrLoopLimit. Zero means DefaultMaxIterations (1000, as API
	// Gateway); negative means no limit.
	MaxIterations int
	// MaxOutputBytes caps the output; exceeding it fails with
	// ErrOutputLimit. Zero means DefaultMaxOutputBytes; negative, no limit.
	MaxOutputBytes int
	// MaxDepth caps nested macro calls, #define renders and #evaluate.
	// Zero means DefaultMaxDepth; exceeding it fails with ErrDepthLimit.
	MaxDepth int
	// MaxBuiltValues caps the list and map literal values and range
	// elements one render builds (macro arguments are passed by name, so
	// nested macros can rebuild a literal argument exponentially often);
	// exceeding it fails with ErrOutputLimit. Zero means
	// DefaultMaxBuiltValues; negative, no limit.
	MaxBuiltValues int
	// LiteralNulls prints a reference that resolves to null as written
	// ($missing), as plain Velocity does. The default, false, prints empty
	// text, as API Gateway does.
	LiteralNulls bool
}

func (o RenderOptions) resolved() RenderOptions {
	if o.MaxIterations == 0 {
		o.MaxIterations = DefaultMaxIterations
	}
	if o.MaxOutputBytes == 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxBuiltValues == 0 {
		o.MaxBuiltValues = DefaultMaxBuiltValues
	}
	return o
}

// Template is a parsed template. It is immutable and safe for concurrent
// use: each Render works on its own variables and output.
type Template struct {
	name   string
	nodes  []node
	macros map[string]*directiveNode
	slots  *slotTable // variable name -> slot, read-only after Parse
	// outHint is the size of the last output rendered, to size the next
	// output buffer in one allocation (up to maxOutHint).
	outHint atomic.Int64
}

// Parse parses src as a Velocity 1.7 template. name appears in error
// messages ("template" when empty). Errors are *Error values carrying the
// line and column.
func Parse(name, src string) (*Template, error) {
	if name == "" {
		name = "template"
	}
	nodes, macroNodes, err := parseTree(src)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Name = name
		}
		return nil, err
	}
	st := newSlotTable()
	st.resolveNodes(nodes)
	for _, m := range macroNodes {
		st.resolveNodes([]node{m})
	}
	t := &Template{name: name, nodes: nodes, macros: map[string]*directiveNode{}, slots: st}
	for _, m := range macroNodes {
		mname := m.args[0].(*wordExpr).name
		if _, dup := t.macros[mname]; !dup {
			t.macros[mname] = m
		}
	}
	return t, nil
}

// MustParse is like Parse but panics on error; for examples and tests.
func MustParse(name, src string) *Template {
	t, err := Parse(name, src)
	if err != nil {
		panic(err)
	}
	return t
}

// Name returns the template name used in error messages.
func (t *Template) Name() string { return t.name }

// parseTree parses a whole template. It also returns the macros defined
// anywhere in it, including inside interpolated strings, in the order
// Velocity registers them (a macro after the macros nested in its body).
func parseTree(src string) ([]node, []*directiveNode, error) {
	lines := newLineIndex(src)
	var macros []*directiveNode
	p := &parser{lx: newLexer(src, lines), lines: lines, macroNames: map[string]bool{}, macroDefs: &macros}
	nodes, err := p.parseBlock()
	if err != nil {
		return nil, nil, err
	}
	t, err := p.peek(1)
	if err != nil {
		return nil, nil, err
	}
	if t.kind != tkEOF {
		return nil, nil, p.unexpected(t)
	}
	return nodes, macros, nil
}

// parseNested parses the body of an interpolated string literal.
func parseNested(src string, outer *lineIndex, off, depth int, macroNames map[string]bool, macroDefs *[]*directiveNode) ([]node, error) {
	lines := newLineIndex(src)
	p := &parser{lx: newLexer(src, lines), lines: lines, depth: depth, macroNames: macroNames, macroDefs: macroDefs}
	nodes, err := p.parseBlock()
	if err == nil {
		var t *token
		if t, err = p.peek(1); err == nil && t.kind != tkEOF {
			err = p.unexpected(t)
		}
	}
	if err != nil {
		line, col := outer.position(off)
		return nil, &Error{Line: line, Column: col, Msg: "in string literal", Err: err}
	}
	return nodes, nil
}

// Render renders the template into w. vars are the top-level variables
// (normalized with Normalize); the template's #set statements do not modify
// the vars map itself, but changes made through *Map and *List values it
// holds are visible to the caller afterwards. Nothing is written to w when
// rendering fails.
func (t *Template) Render(ctx context.Context, w io.Writer, vars map[string]any, opts RenderOptions) error {
	s, err := t.RenderString(ctx, vars, opts)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, s); err != nil {
		return fmt.Errorf("vtl: writing output of %s: %w", t.name, err)
	}
	return nil
}

// RenderString renders the template and returns the output.
func (t *Template) RenderString(ctx context.Context, vars map[string]any, opts RenderOptions) (string, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	r := &renderer{
		ctx:    ctx,
		opts:   opts.resolved(),
		tmpl:   t,
		vars:   make([]any, len(t.slots.ids)),
		macros: t.macros,
		limit:  math.MaxInt,

		callerVars:   vars,
		callerLoaded: t.slots.evaluates,
	}
	if r.opts.MaxOutputBytes > 0 {
		r.limit = r.opts.MaxOutputBytes
	}
	for k, v := range vars {
		slot := t.slots.ids[k]
		if slot == 0 && !t.slots.evaluates {
			continue // a name the template never reads
		}
		r.setGlobal(slot, k, Normalize(v))
	}
	if hint := t.outHint.Load(); hint > 0 {
		r.out = make([]byte, 0, min(int(min(hint, maxOutHint, int64(r.opts.maxOut())))+64, r.limit))
	}
	// The context is checked now and then every 256 steps (tick).
	err := r.checkCanceled(pos{line: 1, col: 1})
	if err == nil {
		err = r.renderNodes(t.nodes)
	}
	var sig *controlSignal
	if errors.As(err, &sig) {
		err = nil
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Name == "" {
			e.Name = t.name
		}
		return "", err
	}
	if n := int64(len(r.out)); n != t.outHint.Load() {
		t.outHint.Store(n)
	}
	// The buffer is not used after this, so the string can share it.
	return unsafe.String(unsafe.SliceData(r.out), len(r.out)), nil
}

// maxOutHint bounds the output buffer allocated up front, so that one
// large render does not make every later one allocate as much.
const maxOutHint = 1 << 20

// maxOut is the output limit used to cap the buffer size hint.
func (o RenderOptions) maxOut() int {
	if o.MaxOutputBytes > 0 {
		return o.MaxOutputBytes
	}
	return DefaultMaxOutputBytes
}

// renderer holds the state of one render.
type renderer struct {
	macroDepth int // nested macro calls (maxMacroDepth)
	ctx        context.Context
	opts       RenderOptions
	tmpl       *Template
	out        []byte
	limit      int            // the output limit in bytes (MaxOutputBytes, or no limit)
	vars       []any          // global variables by slot-1
	extra      map[string]any // global variables without a slot
	frame      *frame
	holds      []*nullHold // the null holds of the #foreach bodies being rendered
	depth      int
	ticks      int
	built      int // list and map literal values and range elements built
	macros     map[string]*directiveNode
	regex      map[regexKey]javaregex.Pattern
	args       []any // method arguments being passed (see callPart)
	// callerVars are the variables the caller passed; those the template
	// cannot read are left there until a block of another template needs
	// them (callerLoaded then; see enterForeign).
	callerVars   map[string]any
	callerLoaded bool
	// byName is set while a block another template parsed is rendered:
	// references find their variables by name (see renderBlock).
	byName  bool
	scratch [64]byte
}
