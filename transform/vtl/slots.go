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
