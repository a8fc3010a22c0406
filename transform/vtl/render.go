package vtl

import (
	"errors"
	"fmt"
	"strconv"
)

// controlSignal unwinds the render for #break (nearest loop, macro, #define
// or #evaluate) and #stop (the whole template).
type controlSignal struct {
	stop  bool
	scope *foreachScope // #break($foreach): the loop to leave; nil: the nearest
}

// Error describes the signal when it escapes the render.
func (c *controlSignal) Error() string {
	if c.stop {
		return "#stop"
	}
	return "#break outside a loop"
}

// frame holds the arguments of a macro call. Velocity 1.7 passes macro
// arguments by name: a reference argument is re-evaluated, in the caller's
// scope, each time the macro reads it.
type frame struct {
	local   map[string]any
	proxies map[string]expr
	// argText holds each parameter's argument as the caller wrote it,
	// which an escaped reference to the parameter (\$a) prints.
	argText map[string]string
	parent  *frame
}

func (r *renderer) errAt(p pos, err error, format string, args ...any) error {
	return &Error{Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...), Err: err}
}

// write appends to the output, enforcing the size limit. The buffer never
// grows past the limit, so the room left in it is all there is to check
// in most calls (renderNodes does that check itself for text).
func (r *renderer) write(p pos, s string) error {
	if n := len(r.out); len(s) <= cap(r.out)-n {
		r.out = r.out[:n+len(s)] // only the length changes: no write barrier
		copy(r.out[n:], s)
		return nil
	}
	return r.writeMore(p, s)
}

// writeMore is write when the buffer has no room for s: it grows the
// buffer within the limit, or fails.
func (r *renderer) writeMore(p pos, s string) error {
	if err := r.room(p, len(s)); err != nil {
		return err
	}
	n := len(r.out)
	r.out = r.out[:n+len(s)]
	copy(r.out[n:], s)
	return nil
}

// writeBytes is write for a byte slice.
func (r *renderer) writeBytes(p pos, b []byte) error {
	n := len(r.out)
	if len(b) > cap(r.out)-n {
		if err := r.room(p, len(b)); err != nil {
			return err
		}
	}
	r.out = r.out[:n+len(b)]
	copy(r.out[n:], b)
	return nil
}

// room checks the output limit for n more bytes and grows the buffer.
func (r *renderer) room(p pos, n int) error {
	if len(r.out)+n > r.limit {
		return r.errAt(p, ErrOutputLimit, "output exceeds %d bytes", r.opts.MaxOutputBytes)
	}
	r.grow(n)
	return nil
}

// grow makes room for n more bytes of output, doubling the buffer (append
// grows large slices by only a quarter, copying more often).
func (r *renderer) grow(n int) {
	b := make([]byte, len(r.out), min(max(2*cap(r.out), len(r.out)+n, 64), r.limit))
	copy(b, r.out)
	r.out = b
}

// tick checks for cancellation every so often.
func (r *renderer) tick(p pos) error {
	r.ticks++
	if r.ticks&255 == 0 {
		return r.checkCanceled(p)
	}
	return nil
}

func (r *renderer) checkCanceled(p pos) error {
	if err := r.ctx.Err(); err != nil {
		return r.errAt(p, err, "render canceled")
	}
	return nil
}

func (r *renderer) renderNodes(nodes []node) error {
	for _, n := range nodes {
		var err error
		if t, isText := n.(*textNode); isText {
			if k := len(r.out); t.short && cap(r.out)-k >= textPadLen {
				// The bytes past the text are in the buffer's spare room,
				// which later writes overwrite.
				*(*[textPadLen]byte)(r.out[k : k+textPadLen]) = t.pad
				r.out = r.out[:k+len(t.text)]
				continue
			}
			if k := len(r.out); len(t.text) <= cap(r.out)-k {
				r.out = r.out[:k+len(t.text)] // write, inlined
				copy(r.out[k:], t.text)
				continue
			}
			err = r.writeMore(pos{}, t.text)
		} else {
			err = r.renderNode(n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// renderNode renders a node other than text (renderNodes writes text).
func (r *renderer) renderNode(n node) error {
	if err := r.tick(pos{}); err != nil {
		return err
	}
	switch x := n.(type) {
	case *refNode:
		if x.plainLast {
			if sc, ok := r.fieldScalar(x); ok {
				return r.writeScalar(x.pos, sc)
			}
		}
		return r.renderRef(x)
	case *setNode:
		return r.renderSet(x)
	case *ifNode:
		for i, c := range x.conds {
			ok, err := r.truth(c)
			if err != nil {
				return err
			}
			if ok {
				return r.renderNodes(x.blocks[i])
			}
		}
		if len(x.blocks) > len(x.conds) {
			return r.renderNodes(x.blocks[len(x.conds)])
		}
		return nil
	case *directiveNode:
		return r.renderDirective(x)
	}
	return nil
}

func (r *renderer) renderRef(n *refNode) error {
	if n.kind == refRunt {
		return r.write(n.pos, n.root)
	}
	if n.plainLast {
		v, sc, err := r.lastStep(n)
		if err != nil {
			return err
		}
		if sc.kind != 0 {
			return r.writeScalar(n.pos, sc)
		}
		return r.printValue(n, v)
	}
	if n.printCall {
		return r.renderCall(n)
	}
	v, err := r.execRef(n)
	if err != nil {
		return err
	}
	return r.printValue(n, v)
}

// renderCall prints a reference whose last step is a call with one
// argument (printCall): a StringCaller takes a string argument and gives
// its result unboxed; any other call goes as execRef would make it.
func (r *renderer) renderCall(n *refNode) error {
	v, err := r.execRefTo(n, len(n.parts)-1)
	if err != nil || v == nil {
		if err != nil {
			return err
		}
		return r.printValue(n, nil)
	}
	last := &n.parts[len(n.parts)-1]
	caller, ok := v.(StringCaller)
	if !ok {
		res, err := r.step(v, last)
		if err != nil {
			return err
		}
		return r.printValue(n, nilIfTypedNil(res))
	}
	arg, sc, err := r.operand(last.args[0])
	if err != nil {
		return err
	}
	s, isString := arg.(string)
	if sc.kind == scalarString {
		s, isString = sc.s, true
	}
	if isString {
		if res, ok := caller.CallString(last.name, s); ok {
			if err := r.checkString(last.pos, res); err != nil {
				return err
			}
			return r.write(n.pos, res)
		}
	}
	if sc.kind != 0 {
		arg = sc.value()
	}
	// The call as callPart makes it, with the argument evaluated.
	base := len(r.args)
	r.args = append(r.args, arg)
	res, err := r.call(last.pos, v, last.name, r.args[base:base+1:base+1])
	clear(r.args[base:])
	r.args = r.args[:base]
	if err != nil {
		return err
	}
	return r.printValue(n, nilIfTypedNil(res))
}

// fieldScalar is lastStep for the commonest case, $var.name outside
// macros where var is a sourced map holding a string or number under
// name: the entry unboxed, without the layers of the general path. ok
// is false for anything else, which lastStep then evaluates.
func (r *renderer) fieldScalar(n *refNode) (sc Scalar, ok bool) {
	if len(n.parts) != 1 || r.frame != nil || n.slot <= 0 || r.byName {
		return Scalar{}, false
	}
	if m, isMap := r.vars[n.slot-1].(*Map); isMap && m != nil && m.src != nil {
		last := &n.parts[0]
		return m.src.LookupScalar(m.at, last.name, &last.hint)
	}
	return Scalar{}, false
}

// lastStep evaluates a reference whose last step is .name (lastIdent):
// when a sourced map holds the entry, it comes back unboxed in sc (sc.kind
// is then set) and v is nil; otherwise v is the value, as execRef gives it.
func (r *renderer) lastStep(n *refNode) (v any, sc Scalar, err error) {
	if v, err = r.execRefTo(n, len(n.parts)-1); err != nil || v == nil {
		return nil, Scalar{}, err
	}
	last := &n.parts[len(n.parts)-1]
	if m, ok := v.(*Map); ok {
		if m.src != nil {
			if sc, ok := m.src.LookupScalar(m.at, last.name, &last.hint); ok {
				return nil, sc, nil
			}
		}
		return nilIfTypedNil(m.getHinted(last.name, &last.hint)), Scalar{}, nil
	}
	if v, err = r.step(v, last); err != nil {
		return nil, Scalar{}, err
	}
	return nilIfTypedNil(v), Scalar{}, nil
}

// writeScalar prints an unboxed value as printValue prints it boxed.
func (r *renderer) writeScalar(p pos, sc Scalar) error {
	switch {
	case sc.s != "" || sc.kind == scalarString:
		return r.write(p, sc.s)
	case sc.kind == scalarInteger:
		return r.writeBytes(p, strconv.AppendInt(r.scratch[:0], int64(sc.i), 10))
	}
	return r.writeBytes(p, appendDouble(r.scratch[:0], sc.f))
}

// printValue prints the value of the reference n.
func (r *renderer) printValue(n *refNode, v any) error {
	if n.escaped {
		text := n.nullString
		if r.frame != nil && len(n.parts) == 0 && n.kind == refNormal {
			// A macro parameter prints as the caller's argument was written.
			if t, ok := r.frame.argText[n.root]; ok {
				text = t
			}
		}
		if v == nil {
			return r.write(n.pos, n.escPrefix+`\`+text)
		}
		return r.write(n.pos, n.escPrefix+text)
	}
	if v == nil && r.opts.LiteralNulls {
		text := n.nullString
		if r.frame != nil && len(n.parts) == 0 && n.kind == refNormal {
			// A macro parameter prints as the caller's argument was
			// written (Velocity's ".literal.$name" entry).
			if t, ok := r.frame.argText[n.root]; ok {
				text = t
			}
		}
		// Velocity writes the backslashes before a null reference twice
		// (its parser kept half of them): \\$nope prints as written.
		return r.write(n.pos, n.escPrefix+n.escPrefix+n.morePrefix+text)
	}
	if n.escPrefix != "" || n.morePrefix != "" {
		if err := r.write(n.pos, n.escPrefix+n.morePrefix); err != nil {
			return err
		}
	}
	if v == nil {
		return nil // API Gateway: null references render as empty text
	}
	switch x := v.(type) {
	case string:
		return r.write(n.pos, x)
	case int32:
		return r.writeBytes(n.pos, strconv.AppendInt(r.scratch[:0], int64(x), 10))
	case int64:
		return r.writeBytes(n.pos, strconv.AppendInt(r.scratch[:0], x, 10))
	case float64:
		return r.writeBytes(n.pos, appendDouble(r.scratch[:0], x))
	case float32:
		return r.writeBytes(n.pos, appendJavaFloat(r.scratch[:0], x))
	case bool:
		if x {
			return r.write(n.pos, "true")
		}
		return r.write(n.pos, "false")
	case *defineBlock:
		return r.renderDefine(n, x)
	}
	s, ok := toStringChecked(v)
	if !ok {
		return r.errAt(n.pos, nil, "StackOverflowError: value nests too deeply to print")
	}
	return r.write(n.pos, s)
}

func (r *renderer) renderSet(n *setNode) error {
	v, err := r.value(n.value)
	if err != nil {
		return err
	}
	if v == nil {
		return nil // Velocity keeps the old value
	}
	ref := n.ref
	if len(ref.parts) == 0 {
		if ref.bindsName() {
			r.setVarSlot(r.refSlot(ref), ref.root, v)
		}
		return nil
	}
	target, err := r.lookupSlot(r.refSlot(ref), ref.root)
	if err != nil {
		return err
	}
	for i := range ref.parts[:len(ref.parts)-1] {
		if target = nilIfTypedNil(target); target == nil {
			return nil
		}
		if target, err = r.step(target, &ref.parts[i]); err != nil {
			return err
		}
	}
	if target = nilIfTypedNil(target); target == nil {
		return nil
	}
	last := ref.parts[len(ref.parts)-1]
	switch last.kind {
	case partIndex:
		idx, err := r.value(last.args[0])
		if err != nil {
			return err
		}
		return r.setIndex(last.pos, target, idx, v)
	case partIdent:
		return r.setProperty(last.pos, target, last.name, v)
	}
	return nil
}

func (r *renderer) setIndex(p pos, target, idx, v any) error {
	idx, err := r.adjustIndex(p, target, idx)
	if err != nil {
		return err
	}
	switch t := target.(type) {
	case *List:
		i, ok := idx.(int32)
		if !ok {
			return nil
		}
		if i < 0 || int(i) >= len(t.Items) {
			return r.errAt(p, errIndex(int(i), len(t.Items)), "error invoking method 'set'")
		}
		t.Items[i] = v
	case *Map:
		if err := t.checkOnce(idx); err != nil {
			return r.errAt(p, err, "error invoking method 'put'")
		}
		t.Put(idx, v)
	}
	return nil
}

func (r *renderer) setProperty(p pos, target any, name string, v any) error {
	switch t := target.(type) {
	case *foreachScope:
		t.entries().Put(name, v)
	case *Map:
		if err := t.checkOnce(name); err != nil {
			return r.errAt(p, err, "error invoking method 'put'")
		}
		t.Put(name, v)
	case Object:
		setter := "set" + upperFirst(name)
		if _, ok, err := t.CallMethod(setter, []any{v}); ok || err != nil {
			if err != nil {
				return r.errAt(p, err, "error invoking %s", setter)
			}
			return nil
		}
		if _, _, err := t.CallMethod("put", []any{name, v}); err != nil {
			return r.errAt(p, err, "error invoking put")
		}
	}
	return nil
}

// lookupSlot finds a variable, looking through macro frames first. slot is
// the variable's slot when known, else 0.
func (r *renderer) lookupSlot(slot int, name string) (any, error) {
	for f := r.frame; f != nil; f = f.parent {
		if v, ok := f.local[name]; ok {
			return v, nil
		}
		if e, ok := f.proxies[name]; ok {
			// A parameter is its argument evaluated again: count it as a
			// step, so a deadline stops macros that nest that deeply.
			if err := r.tick(pos{}); err != nil {
				return nil, err
			}
			saved := r.frame
			r.frame = f.parent
			v, err := r.value(e)
			r.frame = saved
			return v, err
		}
	}
	return r.getGlobal(slot, name), nil
}

// setVarSlot assigns a variable in every enclosing macro frame and
// globally, as Velocity 1.7's macro context does with its default
// settings. slot is the variable's slot when known, else 0.
func (r *renderer) setVarSlot(slot int, name string, v any) {
	f := r.frame
	if len(r.holds) > 0 {
		if from, hidden := r.hold(name, v); hidden {
			// Macros called in a held #foreach body see the value; the
			// loop's frame and those around it see null (see nullHold).
			for ; f != from; f = f.parent {
				f.local[name] = v
			}
			v = nil
		}
	}
	for ; f != nil; f = f.parent {
		f.local[name] = v
	}
	r.setGlobal(slot, name, v)
}

// unsetVar removes a variable everywhere.
func (r *renderer) unsetVar(slot int, name string) {
	for _, h := range r.holds {
		if h.name == name {
			h.active = false
		}
	}
	for f := r.frame; f != nil; f = f.parent {
		delete(f.local, name)
		delete(f.proxies, name)
	}
	r.setGlobal(slot, name, nil)
}

func isSignal(err error) bool {
	var sig *controlSignal
	return errors.As(err, &sig)
}
