package vtl

// The compiler: Parse turns each list of nodes into one Go function
// (ListNode.run), built from a closure per node and per expression, so
// that a rendering runs the template without the walk's type switches on
// every node: what the walk decides again on each visit (the kind of a
// node, whether a reference has accesses, escapes or a block value, how an
// operand's truth is read, which method a call site calls) is decided once
// here. The closures do exactly what the walk does (eval.go, expr.go,
// access.go), the same steps at the same positions included; what is rare
// (macros, #evaluate, #define, #break, index accesses, map and range
// literals) they hand to the walk's own methods. The walk itself stays for
// the text an #evaluate parses while rendering. TestCompiledIsWalked
// renders every case of the conformance table both ways.

type (
	// nodeCode renders a node, its step included.
	nodeCode func(s *state) error
	// valueCode is the value of an expression, its step included (eval).
	valueCode func(s *state) (any, error)
	// truthCode is the truth of an #if condition (truth).
	truthCode func(s *state) (bool, error)
	// accessCode is one access of a reference's chain, applied to v (not
	// nil).
	accessCode func(s *state, v any) (any, error)
)

// compileTemplate compiles the lists of a parsed template and of its
// macros.
func compileTemplate(root *ListNode, macros map[string]*MacroNode) {
	compileList(root)
	for _, m := range macros {
		compileList(m.Body)
	}
}

// compileList sets l.run (once: a list reached twice keeps its code).
func compileList(l *ListNode) {
	if l == nil || l.run != nil {
		return
	}
	codes := make([]nodeCode, len(l.Nodes))
	for i, n := range l.Nodes {
		codes[i] = compileNode(n)
	}
	switch len(codes) {
	case 0:
		l.run = func(*state) error { return nil }
	case 1:
		l.run = codes[0]
	default:
		l.run = func(s *state) error {
			for _, c := range codes {
				if err := c(s); err != nil {
					return err
				}
			}
			return nil
		}
	}
}

// list returns the code of l, compiled.
func list(l *ListNode) func(*state) error {
	compileList(l)
	return l.run
}

func compileNode(n Node) nodeCode {
	switch n := n.(type) {
	case *TextNode:
		return compileText(n)
	case *RefNode:
		return compilePrint(n)
	case *SetNode:
		return compileSet(n)
	case *IfNode:
		return compileIf(n)
	case *ForeachNode:
		iter, pos := compileExpr(n.Iter), n.Pos
		compileList(n.Body) // loop walks it: its compiled code
		return func(s *state) error {
			if err := s.step(pos); err != nil {
				return err
			}
			it, err := iter(s)
			if err != nil {
				return err
			}
			return s.loop(n, it)
		}
	case *BreakNode:
		compileExprBodies(n.Scope)
	case *EvaluateNode:
		compileExprBodies(n.Arg)
	case *DefineNode:
		compileList(n.Body)
	case *MacroNode:
		compileList(n.Body)
	case *MacroCallNode:
		compileList(n.Body)
		for _, a := range n.Args {
			compileExprBodies(a)
		}
	}
	// The rest, as walk does it.
	pos := n.Position()
	return func(s *state) error {
		if err := s.step(pos); err != nil {
			return err
		}
		return s.walkOther(n)
	}
}

func compileText(n *TextNode) nodeCode {
	pos, text := n.Pos, n.Text
	return func(s *state) error {
		if err := s.step(pos); err != nil {
			return err
		}
		if len(s.out.b)+len(text) > s.opts.MaxOutputBytes {
			return s.outputLimit(pos)
		}
		s.out.b = append(s.out.b, text...)
		return nil
	}
}

// compilePrint is printRef.
func compilePrint(r *RefNode) nodeCode {
	get, pos := compileRef(r), r.Pos
	return func(s *state) error {
		if err := s.step(pos); err != nil {
			return err
		}
		v, err := get(s)
		if err != nil {
			return err
		}
		return s.print(r, v)
	}
}

// compileSet is set: a plain variable assigned here, the rest by assign.
func compileSet(n *SetNode) nodeCode {
	val, pos, r := compileExpr(n.Value), n.Pos, n.Ref
	for i := range r.Chain {
		compileAccessBodies(&r.Chain[i])
	}
	plain, slot := len(r.Chain) == 0, r.Slot
	return func(s *state) error {
		if err := s.step(pos); err != nil {
			return err
		}
		v, err := val(s)
		if err != nil || v == nil {
			return err // a null leaves the reference as it was
		}
		if !plain || isBlock(v) || len(s.frames) > 0 {
			return s.assign(n, v)
		}
		s.vars[slot] = v // put, outside macro calls
		return nil
	}
}

func compileIf(n *IfNode) nodeCode {
	pos := n.Pos
	conds := make([]truthCode, len(n.Conds))
	lists := make([]func(*state) error, len(n.Conds))
	for i, c := range n.Conds {
		conds[i], lists[i] = compileTruth(c), list(n.Lists[i])
	}
	var els func(*state) error
	if n.Else != nil {
		els = list(n.Else)
	}
	return func(s *state) error {
		if err := s.step(pos); err != nil {
			return err
		}
		for i, cond := range conds {
			ok, err := cond(s)
			if err != nil {
				return err
			}
			if ok {
				return lists[i](s)
			}
		}
		if els != nil {
			return els(s)
		}
		return nil
	}
}

// compileRef is evalRef, without a step: the value of a reference, nil
// when it has none.
func compileRef(r *RefNode) valueCode {
	slot := r.Slot
	chain := make([]accessCode, len(r.Chain))
	for i := range r.Chain {
		chain[i] = compileAccess(&r.Chain[i])
	}
	switch len(chain) {
	case 0:
		return func(s *state) (any, error) {
			if len(s.frames) > 0 {
				return s.framedVariable(slot)
			}
			v := s.vars[slot]
			if _, isBlock := v.(*block); isBlock {
				return s.resolve(v)
			}
			return v, nil
		}
	case 1:
		a := chain[0]
		return func(s *state) (v any, err error) {
			if len(s.frames) > 0 {
				v, err = s.framedVariable(slot)
			} else if v = s.vars[slot]; isBlock(v) {
				v, err = s.resolve(v)
			}
			if err != nil || v == nil {
				return nil, err
			}
			if v, err = a(s, v); err != nil {
				return nil, err
			}
			if isBlock(v) {
				return s.resolve(v)
			}
			return v, nil
		}
	}
	return func(s *state) (v any, err error) {
		if len(s.frames) > 0 {
			v, err = s.framedVariable(slot)
		} else if v = s.vars[slot]; isBlock(v) {
			v, err = s.resolve(v)
		}
		for _, a := range chain {
			if err != nil || v == nil {
				return nil, err
			}
			if v, err = a(s, v); err == nil && isBlock(v) {
				v, err = s.resolve(v)
			}
		}
		if err != nil {
			return nil, err
		}
		return v, nil
	}
}

func isBlock(v any) bool { _, ok := v.(*block); return ok }

// framedVariable is a reference's variable within a macro call, a
// #define's block rendered.
func (s *state) framedVariable(slot int) (any, error) {
	v, err := s.getFramed(slot)
	if err != nil || !isBlock(v) {
		return v, err
	}
	return s.resolve(v)
}

// compileAccess is access: a property of a map read here, a call's
// arguments evaluated here and its direct call (fast.go) made here, the
// rest by property, invoke and access.
func compileAccess(a *Access) accessCode {
	compileAccessBodies(a)
	if a.Index != nil {
		return func(s *state, v any) (any, error) { return s.access(v, a) }
	}
	if !a.Call {
		name := a.Name
		return func(s *state, v any) (any, error) {
			if m, ok := v.(*Map); ok {
				return m.Get(name), nil
			}
			return s.property(v, a)
		}
	}
	// fastCalls[fastNone] declines; invoke then calls the method (and, for a
	// direct call that declined, tries it once more before: rare).
	fast := fastCalls[a.fast]
	switch {
	case len(a.Args) == 0:
		return func(s *state, v any) (any, error) {
			if out, done, err := fast(s, a, v, nil); done {
				return out, err
			}
			return s.invoke(v, a, len(s.args))
		}
	case a.consts != nil:
		consts, last := a.consts, a.lastPos
		return func(s *state, v any) (any, error) {
			if s.steps+len(consts) > s.opts.MaxSteps {
				return s.access(v, a) // the step of each, up to the limit
			}
			// The steps of the literal arguments, counted at once (access).
			s.steps += len(consts)
			s.pos = last
			if out, done, err := fast(s, a, v, consts); done {
				return out, err
			}
			base := len(s.args)
			s.args = append(s.args, consts...)
			return s.invoke(v, a, base)
		}
	}
	args := compileExprs(a.Args)
	if len(args) == 1 {
		arg := args[0]
		return func(s *state, v any) (any, error) {
			x, err := arg(s)
			if err != nil {
				return nil, err
			}
			base := len(s.args)
			s.args = append(s.args, x)
			if out, done, err := fast(s, a, v, s.args[base:]); done {
				s.args = s.args[:base]
				return out, err
			}
			return s.invoke(v, a, base)
		}
	}
	return func(s *state, v any) (any, error) {
		base := len(s.args)
		for _, arg := range args {
			x, err := arg(s)
			if err != nil {
				s.args = s.args[:base]
				return nil, err
			}
			s.args = append(s.args, x)
		}
		if out, done, err := fast(s, a, v, s.args[base:]); done {
			s.args = s.args[:base]
			return out, err
		}
		return s.invoke(v, a, base)
	}
}

func compileExprs(es []Expr) []valueCode {
	out := make([]valueCode, len(es))
	for i, e := range es {
		out[i] = compileExpr(e)
	}
	return out
}

// compileExpr is eval.
func compileExpr(e Expr) valueCode {
	switch e := e.(type) {
	case *LiteralNode:
		pos, v := e.Pos, e.Value
		return func(s *state) (any, error) {
			if err := s.step(pos); err != nil {
				return nil, err
			}
			return v, nil
		}
	case *RefNode:
		get, pos := compileRef(e), e.Pos
		return func(s *state) (any, error) {
			if err := s.step(pos); err != nil {
				return nil, err
			}
			return get(s)
		}
	case *InterpNode:
		compileList(e.Body)
		if len(e.Body.Nodes) != 1 {
			break
		}
		r, ok := e.Body.Nodes[0].(*RefNode)
		if !ok || r.Escapes != 0 {
			break
		}
		// "$x" and "$!x": the reference's string, without a buffer.
		get, pos := compileRef(r), e.Pos
		return func(s *state) (any, error) {
			if err := s.step(pos); err != nil {
				return nil, err
			}
			v, err := get(s)
			if err != nil {
				return nil, err
			}
			if _, ok := v.(string); ok {
				return v, nil
			}
			return s.refString(e, r, v)
		}
	case *ListLit:
		items, pos := compileExprs(e.Items), e.Pos
		return func(s *state) (any, error) {
			if err := s.step(pos); err != nil {
				return nil, err
			}
			if err := s.charge(pos, len(items)*itemBytes); err != nil {
				return nil, err
			}
			l := s.newList(len(items))
			for i, item := range items {
				v, err := item(s)
				if err != nil {
					return nil, err
				}
				l.Items[i] = v
			}
			return l, nil
		}
	case *UnaryNode:
		x, pos := compileTruth(e.X), e.Pos
		return func(s *state) (any, error) {
			if err := s.step(pos); err != nil {
				return nil, err
			}
			b, err := x(s)
			return !b, err
		}
	case *BinaryNode:
		pos := e.Pos
		if e.Op == "&&" || e.Op == "||" {
			t := compileTruth(e)
			return func(s *state) (any, error) {
				if err := s.step(pos); err != nil {
					return nil, err
				}
				return t(s)
			}
		}
		x, y := compileExpr(e.X), compileExpr(e.Y)
		return func(s *state) (any, error) {
			if err := s.step(pos); err != nil {
				return nil, err
			}
			xv, err := x(s)
			if err != nil {
				return nil, err
			}
			yv, err := y(s)
			if err != nil {
				return nil, err
			}
			return s.binary(e, xv, yv)
		}
	}
	// The rest, as eval does it.
	compileExprBodies(e)
	return func(s *state) (any, error) { return s.eval(e) }
}

// compileTruth is truth.
func compileTruth(e Expr) truthCode {
	switch e := e.(type) {
	case *LiteralNode:
		b, _ := e.Value.(bool)
		return func(*state) (bool, error) { return b, nil }
	case *InterpNode, *ListLit, *MapLit, *RangeLit:
		compileExprBodies(e)
		return func(*state) (bool, error) { return false, nil }
	case *RefNode:
		get := compileRef(e)
		return func(s *state) (bool, error) {
			v, err := get(s)
			return truthy(v), err
		}
	case *UnaryNode:
		x := compileTruth(e.X)
		return func(s *state) (bool, error) {
			b, err := x(s)
			return !b, err
		}
	case *BinaryNode:
		switch e.Op {
		case "&&":
			x, y := compileTruth(e.X), compileTruth(e.Y)
			return func(s *state) (bool, error) {
				b, err := x(s)
				if err != nil || !b {
					return false, err
				}
				return y(s)
			}
		case "||":
			x, y := compileTruth(e.X), compileTruth(e.Y)
			return func(s *state) (bool, error) {
				b, err := x(s)
				if err != nil || b {
					return b, err
				}
				return y(s)
			}
		case "+", "-", "*", "/", "%":
			v := compileExpr(e)
			return func(s *state) (bool, error) {
				_, err := v(s)
				return false, err
			}
		}
	}
	v := compileExpr(e)
	return func(s *state) (bool, error) {
		x, err := v(s)
		return truthy(x), err
	}
}

// compileExprBodies compiles the lists within an expression that the walk
// evaluates: the bodies of its strings.
func compileExprBodies(e Expr) {
	switch e := e.(type) {
	case *RefNode:
		for i := range e.Chain {
			compileAccessBodies(&e.Chain[i])
		}
	case *InterpNode:
		compileList(e.Body)
	case *ListLit:
		for _, x := range e.Items {
			compileExprBodies(x)
		}
	case *RangeLit:
		compileExprBodies(e.From)
		compileExprBodies(e.To)
	case *MapLit:
		for i := range e.Keys {
			compileExprBodies(e.Keys[i])
			compileExprBodies(e.Values[i])
		}
	case *UnaryNode:
		compileExprBodies(e.X)
	case *BinaryNode:
		compileExprBodies(e.X)
		compileExprBodies(e.Y)
	}
}

func compileAccessBodies(a *Access) {
	for _, x := range a.Args {
		compileExprBodies(x)
	}
	compileExprBodies(a.Index)
}
