package vtl

import "math/big"

// Expressions: #if conditions, and the values of expressions.

// cond evaluates an #if condition.
func (s *state) cond(e Expr) (bool, error) { return s.truth(e) }

// truth is Velocity 1.7's boolean value of an expression, which is not
// always the truthiness of its value: a literal string, number, list, map
// or range, and an arithmetic expression, are false; a reference is false
// only when null or false.
func (s *state) truth(e Expr) (bool, error) {
	switch e := e.(type) {
	case *LiteralNode:
		b, _ := e.Value.(bool)
		return b, nil
	case *InterpNode, *ListLit, *MapLit, *RangeLit:
		return false, nil
	case *RefNode:
		v, err := s.evalRef(e)
		return truthy(v), err
	case *UnaryNode:
		b, err := s.truth(e.X)
		return !b, err
	case *BinaryNode:
		switch e.Op {
		case "&&":
			x, err := s.truth(e.X)
			if err != nil || !x {
				return false, err
			}
			return s.truth(e.Y)
		case "||":
			x, err := s.truth(e.X)
			if err != nil || x {
				return x, err
			}
			return s.truth(e.Y)
		case "+", "-", "*", "/", "%":
			_, err := s.eval(e)
			return false, err
		}
		v, err := s.eval(e)
		return truthy(v), err
	}
	v, err := s.eval(e)
	return truthy(v), err
}

// literalOf is an operand as written, for an operand with no value (a
// macro parameter too: the parameter's name, not the caller's argument).
func (s *state) literalOf(e Expr) string { return e.String() }

// eval evaluates an expression. Velocity's runtime errors (wrong operand
// types, division by zero) give null; failing methods and limits give an
// error.
func (s *state) eval(e Expr) (any, error) {
	// References and literals count their step with their own Pos: the
	// same count as step(e.Position()) first, without the dynamic call.
	switch e := e.(type) {
	case *RefNode:
		if err := s.step(e.Pos); err != nil {
			return nil, err
		}
		return s.evalRef(e)
	case *LiteralNode:
		if err := s.step(e.Pos); err != nil {
			return nil, err
		}
		return e.Value, nil
	}
	if err := s.step(e.Position()); err != nil {
		return nil, err
	}
	switch e := e.(type) {
	case *InterpNode:
		if len(e.Body.Nodes) == 1 {
			// "$x" and "$!x": the reference's string, without a buffer.
			if r, ok := e.Body.Nodes[0].(*RefNode); ok && r.Escapes == 0 {
				v, err := s.evalRef(r)
				if err != nil {
					return nil, err
				}
				return s.refString(e, r, v)
			}
		}
		saved := s.out
		var buf outBuf
		s.out = &buf
		err := s.walkList(e.Body)
		s.out = saved
		if err != nil {
			// #break and #stop in a string stop the template, as in Velocity 1.7.
			return nil, err
		}
		return s.box(buf.String()), s.charge(e.Pos, buf.Len())
	case *ListLit:
		if err := s.charge(e.Pos, len(e.Items)*itemBytes); err != nil {
			return nil, err
		}
		l := s.newList(len(e.Items))
		for i, x := range e.Items {
			v, err := s.eval(x)
			if err != nil {
				return nil, err
			}
			l.Items[i] = v
		}
		return l, nil
	case *RangeLit:
		from, err := s.eval(e.From)
		if err != nil {
			return nil, err
		}
		to, err := s.eval(e.To)
		if err != nil {
			return nil, err
		}
		// Velocity's ASTIntegerRange takes intValue() of any two numbers.
		a, ok1 := intValue(from)
		b, ok2 := intValue(to)
		if !ok1 || !ok2 {
			return nil, nil
		}
		n := int(b - a) // of two int32s: no overflow
		if n < 0 {
			n = -n
		}
		if n >= s.opts.MaxLoopIterations*10 {
			return nil, s.errorf(e.Pos, ErrLimit, "range [%d..%d] is too long", a, b)
		}
		if err := s.charge(e.Pos, (n+1)*itemBytes); err != nil {
			return nil, err
		}
		l := &List{Items: make([]any, 0, n+1)}
		for i := a; ; {
			l.Items = append(l.Items, i)
			if i == b {
				break
			}
			if a < b {
				i++
			} else {
				i--
			}
		}
		return l, nil
	case *MapLit:
		if err := s.charge(e.Pos, len(e.Keys)*itemBytes); err != nil {
			return nil, err
		}
		m := s.maps.get()
		for i := range e.Keys {
			k, err := s.eval(e.Keys[i])
			if err != nil {
				return nil, err
			}
			v, err := s.eval(e.Values[i])
			if err != nil {
				return nil, err
			}
			m.Put(toString(k), v)
		}
		return m, nil
	case *UnaryNode:
		b, err := s.truth(e.X)
		return !b, err
	case *BinaryNode:
		if e.Op == "&&" || e.Op == "||" {
			return s.truth(e)
		}
		x, err := s.eval(e.X)
		if err != nil {
			return nil, err
		}
		y, err := s.eval(e.Y)
		if err != nil {
			return nil, err
		}
		return s.binary(e, x, y)
	}
	return nil, s.errorf(e.Position(), nil, "unexpected expression %T", e)
}

// refString is the value of the string "$r" (e), r's value being v: its
// text, as a string.
func (s *state) refString(e *InterpNode, r *RefNode, v any) (any, error) {
	switch v.(type) {
	case nil:
		if r.Quiet || s.opts.UndefinedAsEmpty {
			return "", nil
		}
		return s.nullText(r), nil
	case string:
		return v, nil
	}
	text, err := s.str(e.Pos, v, s.room())
	if err != nil {
		return nil, err
	}
	return s.box(text), s.charge(e.Pos, len(text))
}

// nullAndEmpty reports whether one of x and y is null and the other the
// empty string, which Options.NullEqualsEmpty finds equal.
func nullAndEmpty(x, y any) bool { return x == nil && y == "" || x == "" && y == nil }

// binary is the value of x op y (e), an operator other than && and ||,
// given the values of its operands.
func (s *state) binary(e *BinaryNode, x, y any) (any, error) {
	switch e.Op {
	case "==":
		return equal(x, y) || s.opts.NullEqualsEmpty && nullAndEmpty(x, y), nil
	case "!=":
		return !equal(x, y) && !(s.opts.NullEqualsEmpty && nullAndEmpty(x, y)), nil
	case "<", ">", "<=", ">=":
		c, ok := compare(x, y)
		if !ok {
			return false, nil
		}
		switch e.Op {
		case "<":
			return c < 0, nil
		case ">":
			return c > 0, nil
		case "<=":
			return c <= 0, nil
		}
		return c >= 0, nil
	}
	if e.Op == "+" && (x == nil) != (y == nil) {
		// Velocity 1.7's ASTAddNode: a string plus a reference with no
		// value is the string and the reference as written.
		if _, ok := x.(string); ok {
			return x.(string) + s.literalOf(e.Y), nil
		}
		if _, ok := y.(string); ok {
			return s.literalOf(e.X) + y.(string), nil
		}
	}
	if e.Op == "+" {
		_, xs := x.(string)
		_, ys := y.(string)
		if (xs || ys) && x != nil && y != nil {
			// Concatenation: both texts within what is left of MaxValueBytes.
			a, err := s.str(e.Pos, x, s.room())
			if err != nil {
				return nil, err
			}
			b, err := s.str(e.Pos, y, s.room()-len(a))
			if err != nil {
				return nil, err
			}
			if err := s.charge(e.Pos, len(a)+len(b)); err != nil {
				return nil, err
			}
			return a + b, nil
		}
	}
	if e.Op == "%" && negativeBigModulus(x, y) {
		// MathUtils.modulo calls BigInteger.mod, which throws.
		return nil, s.errorf(e.Pos, nil, "BigInteger: modulus not positive")
	}
	v, _ := arith(e.Op, x, y)
	return v, nil
}

// negativeBigModulus reports an integer x % y with a BigInteger in it and
// a negative y.
func negativeBigModulus(x, y any) bool {
	_, xb := x.(*big.Int)
	_, yb := y.(*big.Int)
	if !xb && !yb {
		return false
	}
	_, ok1 := toBig(x)
	by, ok2 := toBig(y)
	return ok1 && ok2 && by.Sign() < 0
}
