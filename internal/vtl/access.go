package vtl

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// Method calls, properties and indices ($x.m(...), $x.name, $x[i]), and what
// they count against MaxValueBytes.

func (s *state) access(v any, a *Access) (any, error) {
	if a.Index != nil {
		idx, err := s.eval(a.Index)
		if err != nil {
			return nil, err
		}
		out, err := index(v, idx)
		if err != nil {
			return nil, s.errorf(a.Pos, err, "[%s]: index failed", a.Index)
		}
		return out, nil
	}
	if a.Call {
		// Arguments go on a stack reused across calls: methods do not keep
		// the slice they are given.
		base := len(s.args)
		if a.consts != nil && s.steps+len(a.consts) <= s.opts.MaxSteps {
			// All literals, none of whose steps reaches MaxSteps: eval's
			// step of each counted at once, their values known.
			s.steps += len(a.consts)
			s.pos = a.lastPos
			for _, c := range a.consts {
				s.args = append(s.args, c) // faster than append(s.args, a.consts...) for a few
			}
		} else {
			for _, e := range a.Args {
				if l, ok := e.(*LiteralNode); ok {
					// eval's step and value, without the call.
					if err := s.step(l.Pos); err != nil {
						s.args = s.args[:base]
						return nil, err
					}
					s.args = append(s.args, l.Value)
					continue
				}
				x, err := s.eval(e)
				if err != nil {
					s.args = s.args[:base]
					return nil, err
				}
				s.args = append(s.args, x)
			}
		}
		return s.invoke(v, a, base)
	}
	return s.property(v, a)
}

// invoke calls the method of a on v, its arguments on the stack from base
// (which invoke pops).
func (s *state) invoke(v any, a *Access, base int) (any, error) {
	var args []any
	if len(a.Args) > 0 {
		args = s.args[base:len(s.args):len(s.args)]
	}
	if a.Name == "toString" && len(args) == 0 {
		switch v.(type) {
		case *List, *Map, *Entry:
			// The text of a collection, within what is left of MaxValueBytes.
			s.args = s.args[:base]
			text, err := s.str(a.Pos, v, s.room())
			if err != nil {
				return nil, err
			}
			return text, s.charge(a.Pos, len(text))
		}
	}
	if a.fast != fastNone {
		out, done, err := s.fastCall(a, v, args)
		if done {
			s.args = s.args[:base]
			return out, err
		}
	}
	if a.lit != nil {
		s.lit = a.lit // reset after the call: s.lit is nil between calls
	}
	size := collectionLen(v)
	if a.grows != growsNot {
		if err := s.precheck(a, v, args); err != nil {
			s.args = s.args[:base]
			return nil, err
		}
	}
	out, ok, err := s.call(v, a.Name, args)
	if err == nil && ok {
		err = s.chargeCall(a, v, args, out, size)
	}
	if a.lit != nil {
		s.lit = nil
	}
	s.args = s.args[:base]
	if err != nil {
		var ee *ExecError
		if errors.As(err, &ee) {
			return nil, err
		}
		return nil, s.errorf(a.Pos, err, "%s(): method failed", a.Name)
	}
	if !ok {
		return nil, nil // Velocity: no such method, the reference has no value
	}
	return out, nil
}

func collectionLen(v any) int {
	switch v := v.(type) {
	case *List:
		return len(v.Items)
	case *Map:
		return v.Len()
	}
	return 0
}

// precheck refuses, before it runs, a method that would build more than
// what is left of MaxValueBytes: a string's replace, replaceAll,
// replaceFirst and concat, a list's addAll, a map's putAll.
func (s *state) precheck(a *Access, v any, args []any) error {
	room := s.room()
	switch v := v.(type) {
	case string:
		switch a.Name {
		case "concat":
			if len(args) == 1 {
				if t, ok := args[0].(string); ok && len(v)+len(t) > room {
					return s.valueLimit(a.Pos)
				}
			}
		case "replace":
			if len(args) == 2 {
				old, new := toString(args[0]), toString(args[1])
				if grow := len(new) - len(old); grow > 0 {
					n := len(v) + 1 // an empty old matches between every byte
					if old != "" {
						n = strings.Count(v, old)
					}
					if len(v)+n*grow > room {
						return s.valueLimit(a.Pos)
					}
				}
			}
		case "replaceAll", "replaceFirst":
			if len(args) == 2 {
				// At most one match per byte, plus one; each adds the
				// replacement's text, and each group reference at most the
				// whole string over all matches (matches do not overlap).
				repl := toString(args[1])
				refs := strings.Count(repl, "$")
				bound := len(v) + (len(v)+1)*(len(repl)-2*refs) + refs*len(v)
				if a.Name == "replaceFirst" {
					bound = len(v) + len(repl) + refs*len(v)
				}
				if bound > room && len(repl) > 1 {
					return s.valueLimit(a.Pos)
				}
			}
		}
	case *List:
		if a.Name == "addAll" && len(args) == 1 {
			if o, ok := args[0].(*List); ok && len(o.Items)*itemBytes > room {
				return s.valueLimit(a.Pos)
			}
		}
	case *Map:
		if a.Name == "putAll" && len(args) == 1 {
			if o, ok := args[0].(*Map); ok && o.Len()*itemBytes > room {
				return s.valueLimit(a.Pos)
			}
		}
	}
	return nil
}

// chargeCall counts what a method built: a new string (from a string
// method, $util or $input.json), a new list (split, getBytes, keySet,
// values, entrySet, subList), or the items a list or map grew by.
func (s *state) chargeCall(a *Access, v any, args []any, out any, sizeBefore int) error {
	n := 0
	if grow := collectionLen(v) - sizeBefore; grow > 0 {
		n += grow * itemBytes
	}
	switch v.(type) {
	case string, util:
		if str, ok := out.(string); ok && !aliases(str, v, args) {
			n += len(str)
		}
	case *input:
		if str, ok := out.(string); ok && a.Name == "json" {
			n += len(str)
		}
	}
	if l, ok := out.(*List); ok && a.makesList != makesNoList {
		switch a.Name {
		case "split", "getBytes", "keySet", "values", "entrySet", "subList":
			n += len(l.Items) * itemBytes
		}
	}
	if n == 0 {
		return nil
	}
	return s.charge(a.Pos, n)
}

// aliases reports whether str is (part of) the receiver or a string
// argument, so that it took no new memory.
func aliases(str string, recv any, args []any) bool {
	if str == "" {
		return true
	}
	within := func(x any) bool {
		t, ok := x.(string)
		if !ok || len(t) == 0 {
			return false
		}
		p, q := uintptr(unsafe.Pointer(unsafe.StringData(str))), uintptr(unsafe.Pointer(unsafe.StringData(t)))
		return p >= q && p+uintptr(len(str)) <= q+uintptr(len(t))
	}
	if within(recv) {
		return true
	}
	for _, x := range args {
		if within(x) {
			return true
		}
	}
	return false
}

// property is Velocity's $x.name: a map's get(name), else getName(),
// isName() or get("name").
func (s *state) property(v any, a *Access) (any, error) {
	name, pos := a.Name, a.Pos
	switch v := v.(type) {
	case *Map:
		return v.Get(name), nil
	case *Entry:
		switch name {
		case "key":
			return v.Key, nil
		case "value":
			return v.Value, nil
		}
		return nil, nil
	case *foreachScope:
		// What the loop below finds: its getter, else its isser; a
		// $foreach has no get(name).
		if out, ok, _ := v.Call(s, a.getter, nil); ok {
			return out, nil
		}
		out, _, _ := v.Call(s, a.isser, nil)
		return out, nil
	}
	for _, m := range [2]string{a.getter, a.isser} {
		out, ok, err := s.call(v, m, nil)
		if err != nil {
			return nil, s.errorf(pos, err, "%s: property failed", name)
		}
		if ok {
			return out, nil
		}
	}
	if o, isObj := v.(Object); isObj {
		out, ok, err := o.Call(s, "get", []any{name})
		if err != nil {
			return nil, s.errorf(pos, err, "%s: property failed", name)
		}
		if ok {
			return out, nil
		}
	}
	return nil, nil
}

// index is $v[idx]: a list's item, counted from the end when negative (an
// index out of range is an error, as in Velocity 1.7), or a map's value.
func index(v, idx any) (any, error) {
	switch v := v.(type) {
	case *List:
		i, ok := listIndex(v, idx)
		if !ok {
			return nil, nil
		}
		if i < 0 || i >= len(v.Items) {
			return nil, fmt.Errorf("index %s out of bounds for length %d", toString(idx), len(v.Items))
		}
		return v.Items[i], nil
	case *Map:
		if idx == nil {
			return nil, nil
		}
		return v.Get(toString(idx)), nil
	}
	return nil, nil
}

// listIndex reads an index of l; a negative one counts from the end.
func listIndex(l *List, idx any) (int, bool) {
	i, ok := toInt(idx)
	if !ok {
		return 0, false
	}
	if i < 0 {
		i += len(l.Items)
	}
	return i, true
}
