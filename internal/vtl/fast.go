package vtl

import "strings"

// Direct calls of the methods templates call most, worked out per call site
// at parse time (Access.fast). Each gives exactly what the general path
// (precheck, call, chargeCall) gives for the receivers it knows, where
// that path would charge nothing and fail with nothing; for any other
// receiver or argument it declines, and the general path runs.

// fastMethod names a method with a direct call.
type fastMethod uint8

const (
	fastNone             fastMethod = iota
	fastGet                         // List.get(int), Map.get(key)
	fastIsEmpty                     // String.isEmpty()
	fastTrim                        // String.trim()
	fastEqualsIgnoreCase            // String.equalsIgnoreCase(s)
	fastEscapeJavaScript            // $util.escapeJavaScript(s)
	fastReplaceLiteral              // String.replaceAll/replaceFirst(literal, text) that matches nothing
)

// fastMethodOf is the direct call of a method by name and argument count.
func fastMethodOf(name string, nargs int) fastMethod {
	switch {
	case name == "get" && nargs == 1:
		return fastGet
	case name == "isEmpty" && nargs == 0:
		return fastIsEmpty
	case name == "trim" && nargs == 0:
		return fastTrim
	case name == "equalsIgnoreCase" && nargs == 1:
		return fastEqualsIgnoreCase
	case name == "escapeJavaScript" && nargs == 1:
		return fastEscapeJavaScript
	case (name == "replaceAll" || name == "replaceFirst") && nargs == 2:
		return fastReplaceLiteral
	}
	return fastNone
}

// fastCall calls a.fast on v; done is false when it declines.
func (s *state) fastCall(a *Access, v any, args []any) (out any, done bool, err error) {
	return fastCalls[a.fast](s, a, v, args)
}

// fastFunc is the direct call of a method: done is false when it
// declines. It reads args and keeps nothing of them.
type fastFunc func(s *state, a *Access, v any, args []any) (out any, done bool, err error)

// fastCalls are the direct calls by fastMethod.
var fastCalls = [...]fastFunc{
	fastNone:             func(*state, *Access, any, []any) (any, bool, error) { return nil, false, nil },
	fastGet:              callGet,
	fastIsEmpty:          callIsEmpty,
	fastTrim:             callTrim,
	fastEqualsIgnoreCase: callEqualsIgnoreCase,
	fastEscapeJavaScript: callEscapeJavaScript,
	fastReplaceLiteral:   callReplaceLiteral,
}

func callGet(_ *state, _ *Access, v any, args []any) (any, bool, error) {
	switch r := v.(type) {
	case *List:
		if i, ok := args[0].(int64); ok && i >= 0 && i < int64(len(r.Items)) {
			return r.Items[i], true, nil
		}
	case *Map:
		return r.Get(toString(args[0])), true, nil
	}
	return nil, false, nil
}

func callIsEmpty(_ *state, _ *Access, v any, _ []any) (any, bool, error) {
	if str, ok := v.(string); ok {
		return str == "", true, nil
	}
	return nil, false, nil
}

func callTrim(_ *state, _ *Access, v any, _ []any) (any, bool, error) {
	if str, ok := v.(string); ok {
		if t := javaTrim(str); len(t) != len(str) {
			return t, true, nil // a part of str: nothing to charge
		}
		return v, true, nil
	}
	return nil, false, nil
}

func callEqualsIgnoreCase(_ *state, _ *Access, v any, args []any) (any, bool, error) {
	if str, ok := v.(string); ok {
		return equalsIgnoreCase(str, args[0])
	}
	return nil, false, nil
}

func callEscapeJavaScript(s *state, a *Access, v any, args []any) (any, bool, error) {
	if _, ok := v.(util); !ok {
		return nil, false, nil
	}
	str, ok := args[0].(string)
	if !ok {
		return nil, false, nil
	}
	if !needsEscapeJavaScript(str) {
		return args[0], true, nil
	}
	text := s.keep(appendEscapeJavaScript(s.text(len(str)+16), str))
	if err := s.charge(a.Pos, len(text)); err != nil {
		return nil, true, err
	}
	return s.box(text), true, nil
}

func callReplaceLiteral(s *state, a *Access, v any, args []any) (any, bool, error) {
	str, ok := v.(string)
	if !ok || a.lit == nil || !a.lit.ok {
		return nil, false, nil
	}
	repl, ok := args[1].(string)
	if !ok || !a.plainRepl && strings.ContainsAny(repl, `$\`) || strings.Contains(str, a.lit.text) {
		return nil, false, nil
	}
	if _, ok := args[0].(string); !ok {
		return nil, false, nil
	}
	// No match: the receiver, once precheck's bound has had its say
	// (repl has no group reference).
	bound := len(str) + (len(str)+1)*len(repl)
	if a.Name == "replaceFirst" {
		bound = len(str) + len(repl)
	}
	if bound > s.room() && len(repl) > 1 {
		return nil, true, s.valueLimit(a.Pos)
	}
	return v, true, nil
}
