package vtl

import "errors"

// #foreach loops and macro calls.

// foreachScope is $foreach inside a loop.
type foreachScope struct {
	index, count int
	hasNext      bool
	parent       any
}

// String is how Velocity 1.7 prints a $foreach: its Scope is a map, with
// no entries of its own here.
func (f *foreachScope) String() string { return "{}" }

func (f *foreachScope) Call(_ *state, name string, args []any) (any, bool, error) {
	if len(args) > 0 {
		return nil, false, nil
	}
	switch name {
	case "getIndex":
		return int64(f.index), true, nil
	case "getCount":
		return int64(f.count), true, nil
	case "hasNext", "getHasNext":
		return f.hasNext, true, nil
	case "isFirst", "getFirst":
		return f.index == 0, true, nil
	case "isLast", "getLast":
		return !f.hasNext, true, nil
	case "getParent":
		return f.parent, true, nil
	case "getTopmost":
		top := f
		for {
			p, ok := top.parent.(*foreachScope)
			if !ok {
				return top, true, nil
			}
			top = p
		}
	}
	return nil, false, nil
}

func (s *state) foreach(n *ForeachNode) error {
	it, err := s.eval(n.Iter)
	if err != nil {
		return err
	}
	return s.loop(n, it)
}

// loop is #foreach's iterations over it, the value of n.Iter.
func (s *state) loop(n *ForeachNode, it any) error {
	var items []any
	switch it := it.(type) {
	case *List:
		items = it.Items[:len(it.Items):len(it.Items)]
	case *Map:
		items = append([]any(nil), it.vals...)
	default:
		return nil // null or not iterable: no iterations
	}
	if len(items) > s.opts.MaxLoopIterations {
		return s.errorf(n.Pos, ErrLimit, "#foreach over %d items; the limit is %d iterations", len(items), s.opts.MaxLoopIterations)
	}
	savedVar, err := s.get(n.VarSlot)
	if err != nil {
		return err
	}
	savedScope, savedCount := s.vars[slotForeach], s.vars[slotVelocityCount]
	scope := s.scopes.get()
	scope.parent = savedScope
	framed := len(s.frames) > 0 // the loop's body cannot enter or leave a call
	for i, item := range items {
		scope.index, scope.count, scope.hasNext = i, i+1, i < len(items)-1
		if framed {
			s.put(n.VarSlot, item)
		} else {
			s.vars[n.VarSlot] = item // put, outside macro calls
		}
		s.vars[slotForeach] = scope
		s.vars[slotVelocityCount] = int64(i + 1)
		if err = s.walkList(n.Body); err != nil {
			var sb *scopedBreak
			if errors.Is(err, errBreak) || errors.As(err, &sb) && sb.scope == scope {
				err = nil
			}
			break
		}
	}
	// Restored on every return: a limit's panic (limitPanic) ends the
	// rendering, whose state is then not used again.
	s.put(n.VarSlot, savedVar)
	s.vars[slotForeach], s.vars[slotVelocityCount] = savedScope, savedCount
	return err
}

func (s *state) callMacro(n *MacroCallNode) error {
	m, ok := s.macros[n.Name]
	if !ok {
		// Velocity 1.7 writes out a call of no macro as it was written.
		return s.write(n.Pos, n.Src)
	}
	if n.Word != "" {
		return s.errorf(n.Pos, nil, "invalid argument %q in a call of macro #%s", n.Word, n.Name)
	}
	if s.depth >= s.opts.MaxDepth {
		return s.errorf(n.Pos, ErrLimit, "macro nesting deeper than %d", s.opts.MaxDepth)
	}
	if len(s.frames) >= macroMaxDepth {
		return s.errorf(n.Pos, ErrLimit, "macro calls nested deeper than %d (Velocity 1.7's velocimacro.max.depth)", macroMaxDepth)
	}
	// A parameter without an argument is not bound: the macro reads the
	// caller's variable of that name.
	bound := min(len(m.ParamSlots), len(n.Args))
	f := &frame{slots: make([]int, 0, bound+1), vals: make([]any, 0, bound+1), exprs: make([]Expr, 0, bound+1)}
	for i := 0; i < bound; i++ {
		arg := n.Args[i]
		f.slots = append(f.slots, m.ParamSlots[i])
		if byName(arg) {
			f.vals = append(f.vals, nil)
			f.exprs = append(f.exprs, arg)
			continue
		}
		v, err := s.eval(arg)
		if err != nil {
			return err
		}
		f.vals = append(f.vals, v)
		f.exprs = append(f.exprs, nil)
	}
	if n.Body != nil {
		f.slots = append(f.slots, n.BodySlot)
		f.vals = append(f.vals, &block{body: n.Body, max: bodyMaxDepth})
		f.exprs = append(f.exprs, nil)
	}
	s.frames = append(s.frames, f)
	s.depth++
	err := s.walkList(m.Body)
	s.depth--
	s.frames = s.frames[:len(s.frames)-1]
	if errors.Is(err, errBreak) {
		return nil
	}
	return err
}

// byName reports whether a macro argument is passed by name (Velocity 1.7's
// ProxyVMContext: references, strings, lists, maps and ranges are; other
// literals are passed by value).
func byName(e Expr) bool {
	switch e := e.(type) {
	case *RefNode, *InterpNode, *ListLit, *MapLit, *RangeLit:
		return true
	case *LiteralNode:
		_, isString := e.Value.(string)
		return isString
	}
	return false
}
