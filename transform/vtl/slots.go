package vtl

// Variables live in a slice indexed by a slot number that the template
// assigns to each name at parse time, so that reading or setting $name is
// an index instead of a map lookup. Names without a slot (variables the
// caller passes but the template never names, or names in text parsed by
// #evaluate) live in a map beside it.

// Slots of the variables #foreach sets, the same in every template.
const (
	slotForeach = iota + 1
	slotVelocityCount
	slotVelocityHasNext
)

// slotTable numbers the variable names of a template.
type slotTable struct {
	ids map[string]int
	// countNamed records that the template may read $velocityCount or
	// $velocityHasNext: it names one, or has an #evaluate, whose text
	// might. #foreach sets and restores them only then.
	countNamed bool
	// evaluates records an #evaluate: only text it parses can read a
	// variable by a name the template does not name (one without a slot).
	evaluates bool
}

func newSlotTable() *slotTable {
	return &slotTable{ids: map[string]int{"foreach": slotForeach, "velocityCount": slotVelocityCount, "velocityHasNext": slotVelocityHasNext}}
}

func (st *slotTable) slot(name string) int {
	s, ok := st.ids[name]
	if !ok {
		s = len(st.ids) + 1
		st.ids[name] = s
	}
	if s == slotVelocityCount || s == slotVelocityHasNext {
		st.countNamed = true
	}
	return s
}

// resolveNodes gives every reference in nodes its slot.
func (st *slotTable) resolveNodes(nodes []node) {
	for _, n := range nodes {
		switch x := n.(type) {
		case *refNode:
			st.resolveExpr(x)
			plain := x.kind != refRunt && !x.escaped && x.escPrefix == "" && x.morePrefix == ""
			x.plainLast = x.lastIdent && plain
			if k := len(x.parts); plain && k > 0 {
				last := x.parts[k-1]
				x.printCall = last.kind == partMethod && len(last.args) == 1
			}
		case *setNode:
			st.resolveExpr(x.ref)
			st.resolveExpr(x.value)
		case *ifNode:
			for _, c := range x.conds {
				st.resolveExpr(c)
			}
			for _, b := range x.blocks {
				st.resolveNodes(b)
			}
		case *directiveNode:
			if x.name == "evaluate" {
				st.countNamed, st.evaluates = true, true
			}
			for _, a := range x.args {
				st.resolveExpr(a)
			}
			st.resolveNodes(x.body)
		}
	}
}

func (st *slotTable) resolveExpr(e expr) {
	switch x := e.(type) {
	case *refNode:
		if x.kind != refRunt {
			x.slot = st.slot(x.root)
			if k := len(x.parts); k > 0 {
				last := x.parts[k-1]
				x.lastIdent = last.kind == partIdent && !isClassName(last.name)
			}
		}
		for i := range x.parts {
			for _, a := range x.parts[i].args {
				st.resolveExpr(a)
			}
		}
	case *stringLit:
		st.resolveNodes(x.interp)
	case *rangeLit:
		st.resolveExpr(x.lo)
		st.resolveExpr(x.hi)
	case *mapLit:
		for i := range x.keys {
			st.resolveExpr(x.keys[i])
			st.resolveExpr(x.vals[i])
		}
	case *listLit:
		for _, it := range x.items {
			st.resolveExpr(it)
		}
	case *binExpr:
		st.resolveExpr(x.l)
		st.resolveExpr(x.r)
	case *notExpr:
		st.resolveExpr(x.x)
	}
}

// slotOf returns the slot of name in the template, or 0.
func (r *renderer) slotOf(name string) int {
	return r.tmpl.slots.ids[name]
}

// getGlobal reads a variable of the template's global scope.
func (r *renderer) getGlobal(slot int, name string) any {
	if slot == 0 {
		if slot = r.slotOf(name); slot == 0 {
			return r.extra[name]
		}
	}
	return r.vars[slot-1]
}

// setGlobal assigns a variable of the global scope; nil removes it.
func (r *renderer) setGlobal(slot int, name string, v any) {
	if slot == 0 {
		if slot = r.slotOf(name); slot == 0 {
			if v == nil {
				delete(r.extra, name)
				return
			}
			if r.extra == nil {
				r.extra = map[string]any{}
			}
			r.extra[name] = v
			return
		}
	}
	r.vars[slot-1] = v
}

// refSlot is the slot by which n finds its variable in this render: its
// own, or 0 (by name) while byName is set.
func (r *renderer) refSlot(n *refNode) int {
	if r.byName {
		return 0
	}
	return n.slot
}

// blockTemplate is the template whose nodes a block made now holds: this
// render's, or nil when they may be another template's (byName).
func (r *renderer) blockTemplate() *Template {
	if r.byName {
		return nil
	}
	return r.tmpl
}

// renderBlock renders the nodes of a block (a #define block, a block
// macro's body content) that template t parsed. Velocity reads a block's
// names in the context of the render that prints it, and a block can
// reach a render of another template (through a map both share): its
// references carry that template's slots, so this render then looks
// every variable up by name until the block ends.
func (r *renderer) renderBlock(t *Template, nodes []node) error {
	if t == r.tmpl || r.byName {
		return r.renderNodes(nodes)
	}
	r.enterForeign()
	r.byName = true
	err := r.renderNodes(nodes)
	r.byName = false
	return err
}

// enterForeign readies the variables this render leaves out for a block
// of another template, which may read them: the caller's variables this
// template cannot read (see RenderString), and, when its loops do not
// keep them, $velocityCount and $velocityHasNext, which take the
// innermost loop's values (or, outside loops, the caller's).
func (r *renderer) enterForeign() {
	st := r.tmpl.slots
	if !r.callerLoaded {
		r.callerLoaded = true
		for k, v := range r.callerVars {
			if st.ids[k] == 0 {
				r.setGlobal(0, k, Normalize(v))
			}
		}
	}
	if !st.countNamed {
		if fs, ok := r.vars[slotForeach-1].(*foreachScope); ok && fs != nil {
			r.vars[slotVelocityCount-1], r.vars[slotVelocityHasNext-1] = int32(fs.index+1), fs.hasNext
		} else {
			r.vars[slotVelocityCount-1] = Normalize(r.callerVars["velocityCount"])
			r.vars[slotVelocityHasNext-1] = Normalize(r.callerVars["velocityHasNext"])
		}
	}
}
