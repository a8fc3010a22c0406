package vtl

import (
	"fmt"
	"maps"
	"strings"
)

// foreachScope is $foreach: index, count, hasNext, first, last, parent.
// Velocity's Scope is also a map of its own, empty until a template
// stores something in it (#set($foreach.x = 1)): that is store.
type foreachScope struct {
	index   int
	hasNext bool
	parent  any
	store   *Map
}

// entries returns the scope's own map.
func (s *foreachScope) entries() *Map {
	if s.store == nil {
		s.store = NewMap()
	}
	return s.store
}

// property is $foreach.name for the names whose getters method answers
// (hasNext through getHasNext, and so on), without trying each getter;
// it names the getter that answered.
func (s *foreachScope) property(name string) (any, string, bool) {
	var getter string
	switch name {
	case "hasNext":
		getter = "getHasNext"
	case "index":
		getter = "getIndex"
	case "count":
		getter = "getCount"
	case "first":
		getter = "getFirst"
	case "last":
		getter = "getLast"
	case "parent":
		getter = "getParent"
	case "topmost":
		getter = "getTopmost"
	default:
		return nil, "", false
	}
	res, ok := s.method(getter, nil)
	return res, getter, ok
}

func (s *foreachScope) method(name string, args []any) (any, bool) {
	if len(args) != 0 {
		return nil, false
	}
	switch name {
	case "getIndex":
		return int32(s.index), true
	case "getCount":
		return int32(s.index + 1), true
	case "hasNext", "getHasNext":
		return s.hasNext, true
	case "isFirst", "getFirst":
		return s.index == 0, true
	case "isLast", "getLast":
		return !s.hasNext, true
	case "getParent":
		return s.parent, true
	case "getTopmost":
		top := s
		for {
			p, ok := top.parent.(*foreachScope)
			if !ok {
				return top, true
			}
			top = p
		}
	}
	return nil, false
}

// defineBlock is the value #define gives its reference: rendering the
// reference renders the block in the current context, and so does using
// it as a string anywhere else (String, as Velocity's Block.Reference
// renders in toString): in a concatenation, a list, a comparison, an
// argument.
type defineBlock struct {
	body []node
	r    *renderer // the render it belongs to
	// tmpl is the template whose nodes body holds (nil: not known, as
	// for a block made in another template's block), which decides how
	// its references find their variables (see renderBlock).
	tmpl *Template
	// depth counts the renders of the block under way, which Velocity's
	// Block.Reference caps at maxDepth: a block that names itself renders
	// a few levels deep and then fails quietly (see renderDefine).
	depth, maxDepth int
}

// maxDefineDepth is Velocity's directive.define.max_depth, which API
// Gateway leaves at its default; a block macro's $bodyContent is capped
// by velocimacro.max.depth instead (maxMacroDepth).
const maxDefineDepth = 2

// String renders the block; a block nested too deeply gives "null", as
// String.valueOf does for the null its toString returns, and an error (a
// limit reached) gives nothing.
func (d *defineBlock) String() string {
	if d.r == nil {
		return ""
	}
	s, ok, err := d.r.defineString(d)
	switch {
	case err != nil:
		return ""
	case !ok:
		return "null"
	}
	return s
}

func (r *renderer) renderDirective(n *directiveNode) error {
	switch n.name {
	case "foreach":
		return r.foreach(n)
	case "macro":
		return nil
	case "define":
		if ref, ok := n.args[0].(*refNode); ok && ref.bindsName() {
			r.setVarSlot(r.refSlot(ref), ref.root, &defineBlock{body: n.body, r: r, tmpl: r.blockTemplate(), maxDepth: maxDefineDepth})
		}
		return nil
	case "break":
		if len(n.args) == 0 {
			return &controlSignal{}
		}
		v, err := r.value(n.args[0])
		if err != nil {
			return err
		}
		scope, ok := v.(*foreachScope)
		if !ok {
			return r.errAt(n.pos, nil, "#break argument is not a valid scope")
		}
		return &controlSignal{scope: scope}
	case "stop":
		return &controlSignal{stop: true}
	case "literal":
		return r.write(n.pos, n.source)
	case "evaluate":
		return r.evaluate(n)
	case "parse", "include":
		if n.bare && n.name == "include" {
			return nil
		}
		return r.errAt(n.pos, ErrUnsupported, "#%s cannot load resources", n.name)
	}
	if m, ok := r.macros[n.name]; ok {
		return r.callMacro(n, m)
	}
	if m, ok := r.macros[strings.TrimPrefix(n.name, "@")]; ok && n.block {
		return r.callMacro(n, m) // a block macro call; the body is $bodyContent
	}
	return r.write(n.pos, n.literal)
}

func (r *renderer) enterDepth(p pos) error {
	r.depth++
	if r.depth > r.opts.MaxDepth {
		return r.errAt(p, ErrDepthLimit, "nesting deeper than %d", r.opts.MaxDepth)
	}
	return nil
}

// catchBreak turns an unscoped #break signal into normal completion.
func catchBreak(err error) error {
	if sig, ok := err.(*controlSignal); ok && !sig.stop && sig.scope == nil {
		return nil
	}
	return err
}

// renderDefine prints the block d that reference n names. Nested in its
// own render more than d.maxDepth deep, the block is not rendered and
// the reference prints as written, as Velocity prints a reference whose
// Renderable declines.
func (r *renderer) renderDefine(n *refNode, d *defineBlock) error {
	if d.depth >= d.maxDepth {
		return r.write(n.pos, n.nullString)
	}
	d.depth++
	defer func() { r.depth--; d.depth-- }()
	if err := r.enterDepth(n.pos); err != nil {
		return err
	}
	return catchBreak(r.renderBlock(d.tmpl, d.body))
}

// defineString renders the block d to a string, as its toString does; ok
// is false (Java's null) when the block is nested too deeply.
func (r *renderer) defineString(d *defineBlock) (s string, ok bool, err error) {
	if d.depth >= d.maxDepth {
		return "", false, nil
	}
	d.depth++
	defer func() { r.depth--; d.depth-- }()
	if err := r.enterDepth(pos{}); err != nil {
		return "", true, err
	}
	s, err = r.blockString(d.tmpl, d.body)
	return s, true, catchBreak(err)
}

// maxMacroDepth is Velocity's velocimacro.max.depth, which API Gateway
// leaves at its default: a 21st nested macro call fails the render.
const maxMacroDepth = 20

func (r *renderer) callMacro(call, def *directiveNode) error {
	for _, a := range call.args {
		// Velocity's VelocimacroProxy refuses a bare word as an argument
		// when the call renders.
		if w, ok := a.(*wordExpr); ok {
			return r.errAt(call.pos, nil, "invalid arg '%s' in macro #%s", w.name, def.args[0].(*wordExpr).name)
		}
	}
	defer func() { r.depth--; r.macroDepth-- }()
	if r.macroDepth++; r.macroDepth > maxMacroDepth {
		return r.errAt(call.pos, ErrDepthLimit, "MacroOverflowException: Max calling depth of %d was exceeded in macro '%s'", maxMacroDepth, call.name)
	}
	if err := r.enterDepth(call.pos); err != nil {
		return err
	}
	if err := r.tick(call.pos); err != nil {
		return err
	}
	f := &frame{local: map[string]any{}, proxies: map[string]expr{}, argText: map[string]string{}, parent: r.frame}
	if call.block {
		f.local["bodyContent"] = &defineBlock{body: call.body, r: r, tmpl: r.blockTemplate(), maxDepth: maxMacroDepth}
	}
	for i, param := range def.args[1:] {
		ref, ok := param.(*refNode)
		if !ok || i >= len(call.args) || !ref.bindsName() {
			continue
		}
		// Velocity 1.7 passes every argument by name: it is evaluated
		// where the macro uses it, each time, in the caller's scope (a
		// list literal is a new list at each use; one never used is never
		// evaluated).
		f.proxies[ref.root] = call.args[i]
		switch call.args[i].(type) {
		case *intLit, *floatLit, *boolLit: // these keep the parameter's own name
		default:
			if i < len(call.argText) {
				f.argText[ref.root] = call.argText[i]
			}
		}
	}
	r.frame = f
	err := r.renderNodes(def.body)
	r.frame = f.parent
	return catchBreak(err)
}

func (r *renderer) foreach(n *directiveNode) error {
	switch len(n.args) {
	case 0, 1:
		// Velocity's Foreach reads its third child, which is not there.
		return r.errAt(n.pos, nil, "#foreach needs a variable, \"in\" and a collection")
	case 2:
		return nil // the third child is the block, whose value is null
	}
	ref := n.args[0].(*refNode)
	src, err := r.value(n.args[2])
	if err != nil || src == nil {
		return err
	}
	var fresh iterator
	it, ok := iterate(src, &fresh)
	if !ok {
		return nil // not iterable: Velocity logs and renders nothing
	}
	// The loop sets these variables; they get their old values back after.
	saved := [...]struct {
		slot int
		name string
		v    any
	}{
		{r.refSlot(ref), ref.root, nil},
		{slotVelocityCount, "velocityCount", nil},
		{slotVelocityHasNext, "velocityHasNext", nil},
		{slotForeach, "foreach", nil},
	}
	counted := r.tmpl.slots.countNamed || r.byName
	for i := range saved {
		if !counted && (i == 1 || i == 2) {
			continue // nothing reads them: neither set nor restored
		}
		v, err := r.lookupSlot(saved[i].slot, saved[i].name)
		if err != nil {
			return err
		}
		saved[i].v = v
	}
	scope := &foreachScope{parent: saved[3].v}
	r.setVarSlot(slotForeach, "foreach", scope)
	err = r.loop(n, ref, it, scope, counted)
	for i, s := range saved[:3] {
		if !counted && (i == 1 || i == 2) {
			continue
		}
		if s.v != nil {
			r.setVarSlot(s.slot, s.name, s.v)
		} else {
			r.unsetVar(s.slot, s.name)
		}
	}
	if _, signal := err.(*controlSignal); err != nil && !signal {
		return err
	}
	if perr := r.restoreForeachScope(n); perr != nil {
		return perr
	}
	return err
}

// restoreForeachScope gives $foreach back after a loop as Velocity's
// Directive.postRender does: whatever scope $foreach holds now (the
// loop's, unless the body or a loop variable named foreach replaced it)
// gives way to the value it replaced; a value that is not a scope (a #set
// in the body) stays; and no value at all, which a loop variable named
// foreach leaves when it is removed, fails the render as the
// NullPointerException fails it in Java.
func (r *renderer) restoreForeachScope(n *directiveNode) error {
	cur, err := r.lookupSlot(slotForeach, "foreach")
	if err != nil {
		return err
	}
	switch s := cur.(type) {
	case nil:
		return r.errAt(n.pos, nil, "#foreach: $foreach no longer holds the loop's scope")
	case *foreachScope:
		if s.parent != nil {
			r.setVarSlot(slotForeach, "foreach", s.parent)
		} else {
			r.unsetVar(slotForeach, "foreach")
		}
	}
	return nil
}

// loop renders the body of #foreach for each item it gives (counted: and
// sets $velocityCount and $velocityHasNext). Velocity asks
// the iterator for a next item before each turn, so a list the body
// shortened can end the loop early and one it changed otherwise fails the
// render, as ConcurrentModificationException fails it in Java.
func (r *renderer) loop(n *directiveNode, elem *refNode, it *iterator, scope *foreachScope, counted bool) error {
	var hold *nullHold // made for the first null item, kept for the others
	for i := 0; it.hasNext(); i++ {
		if r.opts.MaxIterations > 0 && i >= r.opts.MaxIterations {
			return r.errAt(n.pos, ErrLoopLimit, "#foreach exceeded %d iterations", r.opts.MaxIterations)
		}
		if err := r.tick(n.pos); err != nil { // the context, every so often
			return err
		}
		item, err := it.nextItem()
		if err != nil {
			return r.errAt(n.pos, err, "#foreach")
		}
		hasNext := it.hasNext()
		if counted {
			r.setVarSlot(slotVelocityCount, "velocityCount", int32(i+1))
			r.setVarSlot(slotVelocityHasNext, "velocityHasNext", hasNext)
		}
		r.setVarSlot(r.refSlot(elem), elem.root, item)
		scope.index, scope.hasNext = i, hasNext
		if item == nil {
			if hold == nil {
				hold = &nullHold{name: elem.root, active: true, frame: r.frame}
			}
			r.holds = append(r.holds, hold)
		}
		err = r.renderNodes(n.body)
		if item == nil {
			r.holds = r.holds[:len(r.holds)-1]
		}
		if err != nil {
			if sig, ok := err.(*controlSignal); ok && !sig.stop && (sig.scope == nil || sig.scope == scope) {
				return nil
			}
			return err
		}
	}
	return nil
}

// nullHold is Velocity 1.7's Foreach.NullHolderContext. #foreach renders
// its body for a null item through it: the loop variable reads as null
// while the hold is active, even after a #set gives it a value (the value
// is kept out of sight), until something removes the variable (an inner
// #foreach over the same name ends) and switches the hold off; putting
// null into the variable switches it on again. A loop makes one hold, at
// its first null item, and uses it for every null item after, so a hold
// switched off stays off for the rest of the loop. A macro called in the
// body reads its own #set first (Velocity's macro context keeps a local
// copy in front of the hold), so only the loop's own frame and those
// around it are held.
type nullHold struct {
	name   string
	active bool
	frame  *frame // the macro frame the loop runs in (nil at the top)
}

// hold applies the holds being rendered to setting name to v: it reports
// whether an active hold hides the value, and the frame of the newest
// such hold, from which on (older frames and the globals) the variable
// reads as null.
func (r *renderer) hold(name string, v any) (from *frame, hidden bool) {
	for _, h := range r.holds {
		if h.name == name {
			if v == nil {
				h.active = true
			}
			if h.active {
				from, hidden = h.frame, true
			}
		}
	}
	return from, hidden
}

func (r *renderer) evaluate(n *directiveNode) error {
	v, err := r.value(n.args[0])
	if err != nil || v == nil {
		return err
	}
	defer func() { r.depth-- }()
	if err := r.enterDepth(n.pos); err != nil {
		return err
	}
	nodes, macros, err := parseTree(ToString(v))
	if err != nil {
		return r.errAt(n.pos, err, "#evaluate")
	}
	if len(macros) > 0 {
		r.macros = maps.Clone(r.macros)
		for _, m := range macros {
			r.macros[m.args[0].(*wordExpr).name] = m
		}
	}
	// #stop in the evaluated text stops only the #evaluate, as Velocity's
	// Evaluate catches the StopCommand.
	if err := r.renderNodes(nodes); err != nil {
		if sig, ok := err.(*controlSignal); ok && sig.stop {
			return nil
		}
		return catchBreak(err)
	}
	return nil
}

// String describes a directive for debugging.
func (n *directiveNode) String() string { return fmt.Sprintf("#%s", n.name) }
